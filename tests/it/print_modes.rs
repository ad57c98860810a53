//! How `render` prints Secrets: `--redact` (the shape with keyed digests instead of values, for
//! PR diffs), `--flux` (opting out of Flux's post-build substitution) and `--vars-secret` (one
//! Secret for Flux's `substituteFrom`).

use crate::support::{Run, eso_render, run};

/// Two values from the fake provider, and a plain Secret of the input passed through.
fn input(a: &str, b: &str) -> String {
    format!(
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: s, namespace: apps}}\n\
         spec:\n  provider:\n    fake:\n      data: [{{key: a, value: {a}}}, {{key: b, value: {b}}}]\n---\n\
         apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: e, namespace: apps}}\n\
         spec:\n  secretStoreRef: {{name: s}}\n  data:\n  - {{secretKey: a, remoteRef: {{key: a}}}}\n\
         \x20 - {{secretKey: b, remoteRef: {{key: b}}}}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {{name: plain, namespace: apps}}\n\
         data: {{x: Y2FuYXJ5LXg=}}\nstringData: {{z: canary-z}}\n"
    )
}

fn render(input: &str, key: &str, args: &[&str]) -> Run {
    run(eso_render()
        .env("K", key)
        .args([
            "render",
            "--redact",
            "--digest-key-env",
            "K",
            "--passthrough",
        ])
        .args(args)
        .arg("-")
        .write_stdin(input.to_string()))
}

/// Secret name → key → digest, from `-o json`.
fn digests(out: &Run) -> std::collections::BTreeMap<String, serde_json::Value> {
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "Secret")
        .map(|i| {
            assert_eq!(
                i["metadata"]["annotations"]["eso-render.io/redacted"], "hmac-sha256",
                "{i}"
            );
            assert!(i.get("data").is_none(), "{i}");
            (
                i["metadata"]["name"].as_str().unwrap().to_string(),
                i["stringData"].clone(),
            )
        })
        .collect()
}

fn hmac(key: &str, value: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(value.as_bytes());
    format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes()))
}

#[test]
fn redacted_output_shows_keys_and_digests_never_values() {
    let out = render(&input("canary-a", "canary-b"), "key1", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for value in ["canary-a", "canary-b", "canary-x", "canary-z", "Y2FuYXJ5"] {
        assert!(!out.stdout.contains(value), "{value} in:\n{}", out.stdout);
    }
    assert!(out.stdout.contains("eso-render.io/redacted: hmac-sha256"));

    let base = digests(&render(
        &input("canary-a", "canary-b"),
        "key1",
        &["-o", "json"],
    ));
    // HMAC-SHA256 keyed by the variable's content, of the decoded value; `data` and
    // `stringData` of a passed-through Secret both end up under `stringData`.
    assert_eq!(base["e"]["a"], hmac("key1", "canary-a"));
    assert_eq!(base["plain"]["x"], hmac("key1", "canary-x"));
    assert_eq!(base["plain"]["z"], hmac("key1", "canary-z"));

    // One value changes: exactly its digest changes.
    let changed = digests(&render(
        &input("canary-a", "canary-c"),
        "key1",
        &["-o", "json"],
    ));
    assert_eq!(changed["e"]["a"], base["e"]["a"]);
    assert_ne!(changed["e"]["b"], base["e"]["b"]);
    assert_eq!(changed["plain"], base["plain"]);
    // Another key: every digest changes.
    let rekeyed = digests(&render(
        &input("canary-a", "canary-b"),
        "key2",
        &["-o", "json"],
    ));
    assert_ne!(rekeyed["e"]["a"], base["e"]["a"]);
}

#[test]
fn redact_needs_a_set_digest_key() {
    let out = run(eso_render()
        .args(["render", "--redact", "-"])
        .write_stdin(input("a", "b")));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--digest-key-env"), "{}", out.stderr);
    let out = run(eso_render()
        .env_remove("UNSET_KEY")
        .args(["render", "--redact", "--digest-key-env", "UNSET_KEY", "-"])
        .write_stdin(input("a", "b")));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("UNSET_KEY is not set or empty"),
        "{}",
        out.stderr
    );
}

/// `--flux`: every printed Secret opts out of Flux's post-build substitution, so `${…}` in a
/// value reaches the cluster as written; other objects and existing annotations are untouched.
#[test]
fn flux_annotates_every_secret_and_keeps_values() {
    let input = input("'${NOT_A_FLUX_VAR}'", "b")
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: apps}\ndata: {k: v}\n\
           ---\napiVersion: v1\nkind: Secret\nmetadata: {name: annotated, namespace: apps, \
           annotations: {team: db}}\nstringData: {k: v}\n";
    let out = run(eso_render()
        .args(["render", "--flux", "--passthrough", "-o", "json", "-"])
        .write_stdin(input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let items = list["items"].as_array().unwrap();
    let annotation = |name: &str| {
        let item = items
            .iter()
            .find(|i| i["metadata"]["name"] == name)
            .unwrap();
        item["metadata"]["annotations"]["kustomize.toolkit.fluxcd.io/substitute"].clone()
    };
    for name in ["e", "plain", "annotated"] {
        assert_eq!(annotation(name), "disabled", "{name}");
    }
    assert_eq!(annotation("cm"), serde_json::Value::Null);
    let annotated = items
        .iter()
        .find(|i| i["metadata"]["name"] == "annotated")
        .unwrap();
    assert_eq!(annotated["metadata"]["annotations"]["team"], "db");
    // The value is printed as resolved, `${…}` included (base64 of it in `data`).
    let e = items.iter().find(|i| i["metadata"]["name"] == "e").unwrap();
    use base64::Engine;
    let a = base64::engine::general_purpose::STANDARD
        .decode(e["data"]["a"].as_str().unwrap())
        .unwrap();
    assert_eq!(a, b"${NOT_A_FLUX_VAR}");
}

/// Two ExternalSecrets over the fake provider, with the given target keys and values.
fn two(a: (&str, &str), b: (&str, &str)) -> String {
    let es = |name: &str, (key, value): (&str, &str)| {
        format!(
            "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: {name}, namespace: apps}}\n\
             spec:\n  provider:\n    fake:\n      data: [{{key: k, value: '{value}'}}]\n---\n\
             apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: {name}, namespace: apps}}\n\
             spec:\n  secretStoreRef: {{name: {name}}}\n  data:\n  - {{secretKey: {key}, remoteRef: {{key: k}}}}\n---\n"
        )
    };
    es("one", a) + &es("two", b)
}

/// `--vars-secret`: one Secret of every value for Flux's `postBuild.substituteFrom`, watched by
/// Flux, printed instead of the Secrets.
#[test]
fn vars_secret_gathers_every_value_for_flux_substitution() {
    let render = |input: String, target: &str| {
        run(eso_render()
            .args(["render", "--vars-secret", target, "-o", "json", "-"])
            .write_stdin(input))
    };
    let out = render(
        two(("DB_USER", "app"), ("API_TOKEN", "t0k")),
        "flux-system/cluster-vars",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", out.stdout);
    let vars = &items[0];
    assert_eq!(vars["metadata"]["name"], "cluster-vars");
    assert_eq!(vars["metadata"]["namespace"], "flux-system");
    assert_eq!(
        vars["metadata"]["labels"]["reconcile.fluxcd.io/watch"],
        "Enabled"
    );
    use base64::Engine;
    let value = |k: &str| {
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(vars["data"][k].as_str().unwrap())
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(value("DB_USER"), "app");
    assert_eq!(value("API_TOKEN"), "t0k");

    // The same key with the same value twice is fine; with two values it is an error naming
    // both ExternalSecrets, never the values.
    let out = render(two(("DB_USER", "app"), ("DB_USER", "app")), "vars");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = render(
        two(("DB_USER", "canary-1"), ("DB_USER", "canary-2")),
        "vars",
    );
    out.assert_failed(
        2,
        &[
            "\"DB_USER\" has different values",
            "ExternalSecret apps/one",
            "ExternalSecret apps/two",
        ],
    );
    out.assert_hides(&["canary-1", "canary-2"]);
    // Keys Flux cannot substitute.
    let out = render(two(("db-user", "app"), ("OK", "x")), "vars");
    out.assert_failed(
        2,
        &["\"db-user\"", "not a Flux variable name", "target.template"],
    );
    let out = render(two(("A", "a"), ("B", "b")), "Not_A/Name");
    out.assert_failed(2, &["--vars-secret"]);
}
