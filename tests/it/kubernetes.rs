//! The `kubernetes` provider, reading the Secrets of the input (no cluster needed).

use crate::support::{eso_render, run};
use crate::vault::values;

const STORE: &str = "apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\n\
    metadata: {name: source}\nspec:\n  provider:\n    kubernetes:\n      remoteNamespace: source\n\
    \x20     server: {caProvider: {type: ConfigMap, name: kube-root-ca.crt, key: ca.crt, namespace: source}}\n\
    \x20     auth: {serviceAccount: {name: eso-reader}}\n---\n";

const SOURCES: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: source\n\
    \x20 labels: {team: db}\n  annotations: {owner: dba}\n\
    stringData:\n  user: app\n  conf: '{\"host\":\"db.internal\",\"port\":5432}'\n---\n\
    apiVersion: v1\nkind: Secret\nmetadata: {name: cache, namespace: source, labels: {team: db}}\n\
    data: {password: aHVudGVyMg==}\n---\n\
    apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: apps}\nstringData: {user: wrong-namespace}\n---\n";

fn es(name: &str, body: &str) -> String {
    format!(
        "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: {name}, namespace: apps}}\n\
         spec:\n  secretStoreRef: {{name: source, kind: ClusterSecretStore}}\n{body}---\n"
    )
}

fn render(input: &str) -> crate::support::Run {
    run(eso_render()
        .args(["render", "-"])
        .write_stdin(input.to_string()))
}

#[test]
fn reads_secrets_of_the_remote_namespace_from_the_input() {
    let input = STORE.to_string()
        + SOURCES
        + &es(
            "app",
            "  data:\n  - {secretKey: user, remoteRef: {key: db, property: user}}\n\
             \x20 - {secretKey: host, remoteRef: {key: db, property: conf.host}}\n\
             \x20 - {secretKey: owner, remoteRef: {key: db, property: annotations.owner, metadataPolicy: Fetch}}\n\
             \x20 - {secretKey: all, remoteRef: {key: cache}}\n\
             \x20 dataFrom:\n  - extract: {key: db, property: conf}\n\
             \x20 - find: {tags: {team: db}}\n",
        );
    let out = render(&input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = values(&out, "app");
    assert_eq!(v["user"], "app");
    assert_eq!(v["host"], "db.internal");
    assert_eq!(v["owner"], "dba");
    assert_eq!(v["all"], r#"{"password":"hunter2"}"#);
    // extract with a property: each member JSON-encoded, as ESO does (the `host` member,
    // "\"db.internal\"", is then overwritten by `data`'s `host`, which comes later).
    assert_eq!(v["port"], "5432");
    // find by labels: Secret name → JSON of its data.
    assert_eq!(v["cache"], r#"{"password":"hunter2"}"#);
    assert!(v["db"].contains(r#""user":"app""#), "{}", v["db"]);
    // The input Secrets are sources, not output.
    assert!(!out.stdout.contains("wrong-namespace"));
}

#[test]
fn a_missing_secret_fails_even_with_deletion_policy_delete() {
    // ESO's GetSecret passes the API server's "not found" on: deletionPolicy does not skip it.
    let input = STORE.to_string()
        + SOURCES
        + &es(
            "app",
            "  target: {deletionPolicy: Delete}\n  data:\n  - {secretKey: u, remoteRef: {key: ghost, property: user}}\n",
        )
        + &es(
            "other",
            "  data:\n  - {secretKey: u, remoteRef: {key: db, property: user}}\n",
        );
    let out = render(&input);
    out.assert_failed(
        1,
        &[
            "ExternalSecret apps/app",
            "secrets \"ghost\" not found",
            "Secrets of namespace \"source\" in the input",
        ],
    );
    // A wrong property names the Secret.
    let input = STORE.to_string()
        + SOURCES
        + &es(
            "app",
            "  data:\n  - {secretKey: u, remoteRef: {key: db, property: nope}}\n",
        );
    render(&input).assert_failed(
        1,
        &["property nope does not exist in data of secret \"db\""],
    );
}
