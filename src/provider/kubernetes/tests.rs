use super::*;
use crate::manifest::model::{FindName, MetadataPolicy};

fn spec(v: serde_json::Value) -> KubernetesProvider {
    serde_json::from_value(v).unwrap()
}

/// A Secret of the input: name, data, metadata.
type Source<'a> = (&'a str, &'a [(&'a str, &'a str)], ObjectMetadata);

/// A client over Secrets of namespace `default` (and one elsewhere, never seen).
fn client(secrets: &[Source<'_>]) -> Client {
    let mut sources = Sources::default();
    for (name, data, meta) in secrets {
        let key = ("default".to_string(), name.to_string());
        let data = data
            .iter()
            .map(|(k, v)| (k.to_string(), SecretBytes::from(*v)))
            .collect();
        sources.secrets.insert(key.clone(), data);
        sources.secret_metadata.insert(key, meta.clone());
    }
    sources.secrets.insert(
        ("other".into(), "db".into()),
        DataMap::from([("x".to_string(), SecretBytes::from("other-ns"))]),
    );
    Client::new(&spec(serde_json::json!({})), &sources)
}

fn rr(key: &str, property: Option<&str>, fetch: bool) -> RemoteRef {
    RemoteRef {
        key: key.into(),
        property: property.map(str::to_string),
        metadata_policy: fetch.then_some(MetadataPolicy::Fetch),
        ..Default::default()
    }
}

fn payload(c: &Client, r: &RemoteRef) -> Arc<Payload> {
    let ctx = Context::new(1, Default::default());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut out = rt.block_on(c.read_many(&ctx, vec![Read::of(r)]));
    out.pop().unwrap().1.unwrap()
}

fn get(c: &Client, r: &RemoteRef) -> Result<String, Error> {
    c.get_secret(&payload(c, r), r)
        .map(|v| String::from_utf8(v.expose().to_vec()).unwrap())
}

fn get_map(c: &Client, r: &RemoteRef) -> Result<BTreeMap<String, String>, Error> {
    c.get_secret_map(&payload(c, r), r).map(|m| {
        m.into_iter()
            .map(|(k, v)| (k, String::from_utf8(v.expose().to_vec()).unwrap()))
            .collect()
    })
}

fn meta(labels: &[(&str, &str)], annotations: &[(&str, &str)]) -> ObjectMetadata {
    let m = |kv: &[(&str, &str)]| {
        Some(
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    };
    ObjectMetadata {
        labels: m(labels),
        annotations: m(annotations),
    }
}

/// TV30 (ESO's `client_test.go`).
#[test]
fn get_secret_matches_eso() {
    let c = client(&[
        (
            "dots",
            &[("foo.png", "correct"), ("foo", r#"{"png":"wrong"}"#)],
            ObjectMetadata::default(),
        ),
        (
            "nested",
            &[("foo", r#"{"huga":{"bar":"val"}}"#)],
            ObjectMetadata::default(),
        ),
        ("html", &[("html", "<foobar>")], ObjectMetadata::default()),
    ]);
    assert_eq!(
        get(&c, &rr("dots", Some("foo.png"), false)).unwrap(),
        "correct"
    );
    assert_eq!(
        get(&c, &rr("nested", Some("foo.huga.bar"), false)).unwrap(),
        "val"
    );
    assert_eq!(
        get(&c, &rr("html", None, false)).unwrap(),
        r#"{"html":"<foobar>"}"#
    );
    assert_eq!(
        get(&c, &rr("nested", None, false)).unwrap(),
        r#"{"foo":"{\"huga\":{\"bar\":\"val\"}}"}"#
    );
    let e = get(&c, &rr("nested", Some("foo.nope"), false)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "property foo.nope does not exist in data of secret \"nested\""
    );
    // A Secret that is not there is the API server's error, not "does not exist".
    let e = get(&c, &rr("ghost", None, false)).unwrap_err();
    assert_eq!(e, Error::Backend("secrets \"ghost\" not found".into()));
    // Another namespace's Secret is not seen.
    assert!(get(&c, &rr("db", None, false)).is_err());
}

#[test]
fn metadata_fetch_matches_eso() {
    let c = client(&[
        (
            "m",
            &[("k", "v")],
            meta(
                &[("dev", "seb")],
                &[("date", "today"), ("j", r#"{"a":{"b":"c"}}"#)],
            ),
        ),
        ("bare", &[("k", "v")], ObjectMetadata::default()),
    ]);
    assert_eq!(
        get(&c, &rr("m", None, true)).unwrap(),
        r#"{"annotations":{"date":"today","j":"{\"a\":{\"b\":\"c\"}}"},"labels":{"dev":"seb"}}"#
    );
    // Go's nil maps.
    assert_eq!(
        get(&c, &rr("bare", None, true)).unwrap(),
        r#"{"annotations":null,"labels":null}"#
    );
    assert_eq!(
        get(&c, &rr("m", Some("labels"), true)).unwrap(),
        r#"{"dev":"seb"}"#
    );
    assert_eq!(get(&c, &rr("m", Some("labels.dev"), true)).unwrap(), "seb");
    // ESO joins the path's remaining segments without dots: `a.b` becomes `ab`.
    assert!(get(&c, &rr("m", Some("annotations.j.a.b"), true)).is_err());
    assert_eq!(
        get(&c, &rr("m", Some("annotations.j.a"), true)).unwrap(),
        r#"{"b":"c"}"#
    );
    let e = get(&c, &rr("m", Some("spec"), true)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "property spec does not exist in metadata of secret \"m\""
    );
}

/// TV30's GetSecretMap vector, and the property map's JSON-encoded members.
#[test]
fn get_secret_map_matches_eso() {
    let c = client(&[
        (
            "m",
            &[
                ("k", "v"),
                (
                    "conf",
                    r#"{"user":"u","port":5432,"ratio":1.50,"tls":true}"#,
                ),
                ("a.b", r#"{"x":"dotted"}"#),
            ],
            meta(&[("dev", "seb")], &[("date", "today")]),
        ),
        (
            "n",
            &[("null", "null"), ("bad", "[1]")],
            ObjectMetadata::default(),
        ),
    ]);
    let want = |kv: &[(&str, &str)]| -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        get_map(&c, &rr("m", Some("labels"), true)).unwrap(),
        want(&[("dev", "\"seb\"")])
    );
    assert_eq!(
        get_map(&c, &rr("m", None, true)).unwrap(),
        want(&[
            ("annotations", r#"{"date":"today"}"#),
            ("labels", r#"{"dev":"seb"}"#)
        ])
    );
    assert_eq!(
        get_map(&c, &rr("m", Some("conf"), false)).unwrap(),
        want(&[
            ("port", "5432"),
            ("ratio", "1.5"),
            ("tls", "true"),
            ("user", "\"u\"")
        ])
    );
    // A dotted key is found whole before it is read as a path.
    assert_eq!(
        get_map(&c, &rr("m", Some("a.b"), false)).unwrap(),
        want(&[("x", "\"dotted\"")])
    );
    assert_eq!(get_map(&c, &rr("m", None, false)).unwrap().len(), 3);
    assert!(
        get_map(&c, &rr("n", Some("null"), false))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        get_map(&c, &rr("n", Some("bad"), false))
            .unwrap_err()
            .to_string(),
        "failed to unmarshal secret: invalid JSON format"
    );
    assert_eq!(
        get_map(&c, &rr("m", Some("nope"), false))
            .unwrap_err()
            .to_string(),
        "property nope does not exist in key m"
    );
    // A missing Secret is "does not exist" here (deletionPolicy applies).
    assert_eq!(
        get_map(&c, &rr("ghost", None, false)).unwrap_err(),
        Error::NotFound
    );
}

#[test]
fn find_by_labels_or_name() {
    let c = client(&[
        ("db-a", &[("u", "a")], meta(&[("team", "db")], &[])),
        (
            "db-b",
            &[("u", "b")],
            meta(&[("team", "db"), ("tier", "x")], &[]),
        ),
        ("web", &[("u", "w")], meta(&[("team", "web")], &[])),
    ]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let ctx = Context::new(1, Default::default());
    let find = |f: Find| -> Result<BTreeMap<String, String>, Error> {
        rt.block_on(c.find(&ctx, &f)).map(|m| {
            m.into_iter()
                .map(|(k, v)| (k, String::from_utf8(v.expose().to_vec()).unwrap()))
                .collect()
        })
    };
    let tags = |kv: &[(&str, &str)]| {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let by_team = find(Find {
        tags: tags(&[("team", "db")]),
        // Tags win over name.
        name: Some(FindName {
            regexp: "^web$".into(),
        }),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(by_team.keys().collect::<Vec<_>>(), ["db-a", "db-b"]);
    assert_eq!(by_team["db-a"], r#"{"u":"a"}"#);
    let by_name = find(Find {
        name: Some(FindName {
            regexp: "^(db-b|web)$".into(),
        }),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(by_name.keys().collect::<Vec<_>>(), ["db-b", "web"]);
    assert!(
        find(Find {
            tags: tags(&[("bad key!", "x")]),
            ..Default::default()
        })
        .unwrap_err()
        .to_string()
        .starts_with("unable to validate selector tags: key \"bad key!\"")
    );
    assert!(find(Find::default()).is_err());
}

#[test]
fn validate_store_matches_eso() {
    let check = |kind, v: serde_json::Value| validate_store(kind, Some("apps"), &spec(v));
    assert!(check(StoreKind::SecretStore, serde_json::json!({})).is_empty());
    let e = check(
        StoreKind::SecretStore,
        serde_json::json!({"remoteNamespace": "Bad_NS", "server": {"caProvider": {"type": "Secret", "name": "ca", "key": "c", "namespace": "x"}},
            "auth": {"token": {"bearerToken": {"name": "t", "key": "", "namespace": "apps"}}}}),
    );
    let fields: Vec<&str> = e.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "spec.provider.kubernetes.remoteNamespace",
            "spec.provider.kubernetes.server.caProvider.namespace",
            "spec.provider.kubernetes.auth.token.bearerToken.key"
        ]
    );
    assert_eq!(
        e[1].0,
        "CAProvider.namespace must be empty with SecretStore"
    );
    assert_eq!(e[2].0, "BearerToken.Key cannot be empty");
    let e = check(
        StoreKind::SecretStore,
        serde_json::json!({"auth": {"serviceAccount": {"name": "eso", "namespace": "other"},
            "cert": {"clientCert": {"name": "c", "key": "k"}, "clientKey": {"name": "c", "key": "k"}}}}),
    );
    assert_eq!(
        e[0].0,
        "auth must have exactly one of cert, token and serviceAccount"
    );
    assert_eq!(
        e[1].1,
        "spec.provider.kubernetes.auth.serviceAccount.namespace"
    );
    let e = check(
        StoreKind::ClusterSecretStore,
        serde_json::json!({"server": {"caProvider": {"type": "ConfigMap", "name": "ca", "key": "c"}}}),
    );
    assert_eq!(
        e[0].0,
        "CAProvider.namespace must not be empty with ClusterSecretStore"
    );
    // CRD defaults.
    let s = spec(serde_json::json!({}));
    assert_eq!(s.remote_namespace, "default");
    assert_eq!(s.server.url, "kubernetes.default");
}
