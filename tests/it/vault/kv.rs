//! KV v1 and v2 reads, versions, properties, metadata and find, as ESO reads them.

use serde_json::json;

use super::{Needs, external_secret, render, token_store, unique, values, vault};

#[test]
fn kv2_reads_match_eso() {
    let v = vault(&[Needs::Kv2, Needs::Token]);
    let mount = v.kv(2);
    v.put(
        &mount,
        2,
        &[("app/db", json!({"user": "old", "password": "p0"}))],
    );
    // Written as text: the number text (1.50, a 24-digit integer) is what Vault keeps.
    v.admin(
        json!([{"method": "POST", "path": format!("{mount}/data/app/db"), "raw_body":
        r#"{"data": {"user": "admin", "password": "p<1>&", "port": 5432, "ratio": 1.50,
            "big": 123456789012345678901234, "flag": true, "none": null,
            "nested": {"b": "x", "a": [1, "two"]}, "nested.a": "literal"}}"#}]),
    );
    v.admin(
        json!([{"method": "POST", "path": format!("{mount}/metadata/app/db"),
        "body": {"custom_metadata": {"owner": "team-a"}}}]),
    );
    let manifests = token_store("vault", v, &format!("path: {mount}, version: v2"))
        + &external_secret(
            "db",
            "vault",
            &format!(
                "  data:\n\
             \x20 - {{secretKey: user, remoteRef: {{key: app/db, property: user}}}}\n\
             \x20 - {{secretKey: whole, remoteRef: {{key: app/db}}}}\n\
             \x20 - {{secretKey: ratio, remoteRef: {{key: app/db, property: ratio}}}}\n\
             \x20 - {{secretKey: big, remoteRef: {{key: app/db, property: big}}}}\n\
             \x20 - {{secretKey: flag, remoteRef: {{key: app/db, property: flag}}}}\n\
             \x20 - {{secretKey: none, remoteRef: {{key: app/db, property: none}}}}\n\
             \x20 - {{secretKey: nested, remoteRef: {{key: app/db, property: nested}}}}\n\
             \x20 - {{secretKey: gjson, remoteRef: {{key: app/db, property: nested.b}}}}\n\
             \x20 - {{secretKey: literal, remoteRef: {{key: app/db, property: nested.a}}}}\n\
             \x20 - {{secretKey: first, remoteRef: {{key: app/db, property: user, version: \"1\"}}}}\n\
             \x20 - {{secretKey: mounted, remoteRef: {{key: {mount}/data/app/db, property: password}}}}\n\
             \x20 - {{secretKey: version, remoteRef: {{key: app/db, property: current_version, metadataPolicy: Fetch}}}}\n\
             \x20 - {{secretKey: owner, remoteRef: {{key: app/db, property: owner, metadataPolicy: Fetch}}}}\n"
            ),
        )
        + &external_secret(
            "map",
            "vault",
            "  dataFrom:\n  - extract: {key: app/db}\n  - extract: {key: app/db, property: nested}\n",
        );
    let out = render(&manifests);
    let db = values(&out, "db");
    assert_eq!(db["user"], "admin");
    // Go's json.Marshal of the map decoded with UseNumber: sorted, HTML-escaped, numbers as sent.
    assert_eq!(
        db["whole"],
        r#"{"big":123456789012345678901234,"flag":true,"nested":{"a":[1,"two"],"b":"x"},"nested.a":"literal","none":null,"password":"p\u003c1\u003e\u0026","port":5432,"ratio":1.50,"user":"admin"}"#
    );
    assert_eq!(db["ratio"], "1.50");
    assert_eq!(db["big"], "123456789012345678901234");
    assert_eq!(db["flag"], "true");
    assert_eq!(db["none"], "");
    assert_eq!(db["nested"], r#"{"a":[1,"two"],"b":"x"}"#);
    assert_eq!(db["gjson"], "x");
    // An exact top-level key wins over the gjson path.
    assert_eq!(db["literal"], "literal");
    assert_eq!(db["first"], "old");
    assert_eq!(db["mounted"], "p<1>&");
    assert_eq!(db["version"], "2");
    assert_eq!(db["owner"], "team-a");
    // GetSecretMap: numbers through float64 (the big one loses digits, as in ESO).
    let map = values(&out, "map");
    assert_eq!(map["port"], "5432");
    assert_eq!(map["ratio"], "1.5");
    assert_eq!(map["big"], "123456789012345690000000");
    assert_eq!(map["password"], "p<1>&");
    assert_eq!(map["none"], "");
    assert_eq!(map["b"], "x");
    assert_eq!(map["a"], r#"[1,"two"]"#);
}

#[test]
fn kv1_reads_and_paths_without_a_mount() {
    let v = vault(&[Needs::Kv1, Needs::Token]);
    let mount = v.kv(1);
    v.put(&mount, 1, &[("team/app", json!({"k": "v1", "num": 7}))]);
    // Without `path`, the key carries the mount; KV v1 keys are used as they are.
    let manifests = token_store("nomount", v, "version: v1")
        + &token_store("mounted", v, &format!("path: {mount}, version: v1"))
        + &external_secret(
            "one",
            "nomount",
            &format!(
                "  data:\n  - {{secretKey: k, remoteRef: {{key: {mount}/team/app, property: k}}}}\n"
            ),
        )
        + &external_secret(
            "two",
            "mounted",
            "  data:\n  - {secretKey: num, remoteRef: {key: team/app, property: num}}\n  - {secretKey: all, remoteRef: {key: team/app}}\n",
        );
    let out = render(&manifests);
    assert_eq!(values(&out, "one")["k"], "v1");
    let two = values(&out, "two");
    assert_eq!(two["num"], "7");
    assert_eq!(two["all"], r#"{"k":"v1","num":7}"#);
}

#[test]
fn find_by_name_lists_recursively_and_by_tags_reads_metadata() {
    let v = vault(&[Needs::Kv2, Needs::Token]);
    let mount = v.kv(2);
    v.put(
        &mount,
        2,
        &[
            ("apps/a/db", json!({"p": "1"})),
            ("apps/a/cache", json!({"p": "2"})),
            ("apps/b/deep/db", json!({"p": "3"})),
            ("other/db", json!({"p": "4"})),
        ],
    );
    v.admin(json!([
        {"method": "POST", "path": format!("{mount}/metadata/apps/a/cache"), "body": {"custom_metadata": {"team": "x"}}},
        {"method": "POST", "path": format!("{mount}/metadata/other/db"), "body": {"custom_metadata": {"team": "x"}}},
    ]));
    let manifests = token_store("vault", v, &format!("path: {mount}"))
        + &external_secret(
            "byname",
            "vault",
            "  dataFrom:\n  - find: {path: apps, name: {regexp: 'db$'}}\n",
        )
        + &external_secret(
            "bytag",
            "vault",
            "  dataFrom:\n  - find: {tags: {team: x}}\n",
        )
        + &external_secret("all", "vault", "  dataFrom:\n  - find: {path: apps/b}\n");
    let out = render(&manifests);
    // Names are paths relative to the mount; `/` becomes `_` (ESO's Default conversion).
    let byname = values(&out, "byname");
    assert_eq!(
        byname.keys().collect::<Vec<_>>(),
        ["apps_a_db", "apps_b_deep_db"]
    );
    assert_eq!(byname["apps_a_db"], r#"{"p":"1"}"#);
    let bytag = values(&out, "bytag");
    assert_eq!(
        bytag.keys().collect::<Vec<_>>(),
        ["apps_a_cache", "other_db"]
    );
    let all = values(&out, "all");
    assert_eq!(all.keys().collect::<Vec<_>>(), ["apps_b_deep_db"]);
}

#[test]
fn kv1_refuses_tags_and_metadata_as_eso_does() {
    let v = vault(&[Needs::Kv1, Needs::Token]);
    let mount = v.kv(1);
    v.put(&mount, 1, &[("x", json!({"a": "b"}))]);
    let manifests = token_store("vault", v, &format!("path: {mount}, version: v1"))
        + &external_secret("tags", "vault", "  dataFrom:\n  - find: {tags: {a: b}}\n")
        + &external_secret(
            "meta",
            "vault",
            "  data:\n  - {secretKey: v, remoteRef: {key: x, metadataPolicy: Fetch}}\n",
        );
    let out = render(&manifests);
    out.assert_failed(
        1,
        &[
            "cannot perform find by tag operations with kv version v1",
            "cannot perform metadata fetch operations with kv version v1",
        ],
    );
}

#[test]
fn deleted_versions_and_missing_secrets_do_not_exist() {
    let v = vault(&[Needs::Kv2, Needs::Token]);
    let mount = v.kv(2);
    v.put(
        &mount,
        2,
        &[("gone", json!({"a": "1"})), ("gone", json!({"a": "2"}))],
    );
    v.admin(json!([{"method": "POST", "path": format!("{mount}/delete/gone"), "body": {"versions": [1]}}]));
    let manifests = token_store("vault", v, &format!("path: {mount}"))
        + &external_secret(
            "deleted",
            "vault",
            "  data:\n  - {secretKey: a, remoteRef: {key: gone, property: a, version: \"1\"}}\n",
        )
        + &external_secret(
            "missing",
            "vault",
            "  data:\n  - {secretKey: a, remoteRef: {key: never, property: a}}\n",
        )
        + &external_secret(
            "current",
            "vault",
            "  data:\n  - {secretKey: a, remoteRef: {key: gone, property: a}}\n",
        );
    let out = render(&manifests);
    // Nothing is printed when a reference fails.
    out.assert_failed(1, &[]);
    assert_eq!(
        out.stderr.matches("Secret does not exist").count(),
        2,
        "{}",
        out.stderr
    );
    // The current version is fine on its own.
    let only = token_store("vault", v, &format!("path: {mount}"))
        + &external_secret(
            "current",
            "vault",
            "  data:\n  - {secretKey: a, remoteRef: {key: gone, property: a}}\n",
        );
    assert_eq!(values(&render(&only), "current")["a"], "2");
}

/// One read per distinct (path, version) per run, however many references share it, and one
/// token check per store.
#[test]
fn every_path_is_read_once_per_run() {
    let v = super::emulator();
    let mount = v.kv(2);
    let paths: Vec<String> = (0..5).map(|i| format!("svc/{i}")).collect();
    let items: Vec<(&str, serde_json::Value)> = paths
        .iter()
        .map(|p| (p.as_str(), json!({"user": "u", "password": "p"})))
        .collect();
    v.put(&mount, 2, &items);
    let id = unique("once");
    let mut manifests = token_store(
        "vault",
        v,
        &format!("path: {mount}, headers: {{X-Test-Id: {id}}}"),
    );
    for i in 0..20 {
        let p = &paths[i % 5];
        let alt = format!("{mount}/{p}");
        manifests += &external_secret(
            &format!("es{i}"),
            "vault",
            &format!(
                "  data:\n  - {{secretKey: u, remoteRef: {{key: {p}, property: user}}}}\n\
                 \x20 - {{secretKey: p, remoteRef: {{key: {alt}, property: password}}}}\n\
                 \x20 dataFrom:\n  - extract: {{key: {p}}}\n"
            ),
        );
    }
    let out = render(&manifests);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let log = v.requests(&id);
    let reads: Vec<&str> = log
        .iter()
        .filter(|r| r["method"] == "GET" && r["path"].as_str().unwrap().contains("/data/"))
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(reads.len(), 5, "{reads:?}");
    let lookups = log
        .iter()
        .filter(|r| r["path"] == "auth/token/lookup-self")
        .count();
    assert_eq!(lookups, 1);
    assert_eq!(log.len(), 6, "{log:?}");
    assert!(log.iter().all(|r| r["request"] == "true"));
}
