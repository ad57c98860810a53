//! `eso-render check`: per ExternalSecret and key, ok or the error; formats text, json, github.

use crate::support::{eso_render, run, testdata};

#[test]
fn check_text_lists_every_key_with_store_and_reference() {
    let out = run(eso_render()
        .args(["check"])
        .arg(testdata("../examples/quickstart")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    for want in [
        "ExternalSecret shop/db (",
        "username",
        "SecretStore shop/fake key=/shop/db property=username",
        "SMTP_user",
        "ClusterSecretStore shared find name=~\"^smtp/\"",
        "2 ExternalSecret(s): 5 key(s) ok, 0 reference(s) failed",
    ] {
        assert!(
            out.stdout.contains(want),
            "missing {want:?} in:\n{}",
            out.stdout
        );
    }
    assert!(!out.stdout.contains("correct-horse"), "a value was printed");
}

#[test]
fn check_digest_changes_with_the_value_and_the_key() {
    let input = |v: &str| {
        format!(
            "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: s}}\nspec:\n  provider:\n    fake:\n      data: [{{key: k, value: {v}}}]\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: e}}\nspec:\n  secretStoreRef: {{name: s}}\n  data: [{{secretKey: a, remoteRef: {{key: k}}}}]\n"
        )
    };
    let digest = |value: &str, key: &str| {
        let out = run(eso_render()
            .env("K", key)
            .args(["check", "--format", "json", "--digest-key-env", "K", "-"])
            .write_stdin(input(value)));
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        v["externalSecrets"][0]["rows"][0]["digest"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let d = digest("one", "key1");
    assert_eq!(d.len(), 64);
    assert_eq!(d, digest("one", "key1"), "stable");
    assert_ne!(d, digest("two", "key1"), "value changed");
    assert_ne!(d, digest("one", "key2"), "keyed");
    // HMAC-SHA256("key1", "one"), computed independently.
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"key1").unwrap();
    mac.update(b"one");
    assert_eq!(d, hex::encode(mac.finalize().into_bytes()));
}

#[test]
fn check_github_format_annotates_errors_with_file_and_line() {
    let dir = testdata("errors/missing_remote_key");
    let out =
        run(eso_render()
            .current_dir(&dir)
            .args(["check", "--format", "github", "input.yaml"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let expected = "::error file=input.yaml,line=23,col=17,title=ExternalSecret apps/es::spec.data[0].remoteRef.key: Secret does not exist%0Acaused by: read through SecretStore apps/fake (input.yaml:7:3)%0Ahint: ESO fails the whole ExternalSecret when a secret is missing and deletionPolicy is Retain (the default)\n";
    assert!(out.stdout.starts_with(expected), "got:\n{}", out.stdout);
    assert!(out.stdout.contains("::notice title=eso-render check::1 ExternalSecret(s): 0 key(s) ok, 1 reference(s) failed"), "{}", out.stdout);
}

#[test]
fn check_offline_contacts_no_backend_but_checks_wiring() {
    let out = run(eso_render()
        .args(["check", "--offline"])
        .arg(testdata("../examples/quickstart")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("not-checked"), "{}", out.stdout);
    let out = run(eso_render()
        .current_dir(testdata("errors/store_not_found"))
        .args(["check", "--offline", "input.yaml"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("could not get SecretStore \"fak\""),
        "{}",
        out.stderr
    );
}

#[test]
fn check_json_reports_errors_structurally() {
    let out = run(eso_render()
        .current_dir(testdata("errors/missing_property"))
        .args(["check", "--format", "json", "input.yaml"]));
    assert_eq!(out.code, 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["errors"][0]["field"], "spec.data[0].remoteRef.property");
    assert_eq!(v["errors"][0]["file"], "input.yaml");
    assert_eq!(v["externalSecrets"][0]["rows"][0]["status"], "error");
    assert_eq!(v["summary"]["referencesFailed"], 1);
}

#[test]
fn check_marks_keys_a_later_entry_overrides() {
    let input = "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: s}\nspec:\n  provider:\n    fake:\n      data: [{key: blob, value: '{\"a\":\"1\",\"b\":\"2\"}'}, {key: other, value: X}]\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: e}\nspec:\n  secretStoreRef: {name: s}\n  dataFrom: [{extract: {key: blob}}]\n  data: [{secretKey: b, remoteRef: {key: other}}]\n";
    let out = run(eso_render()
        .args(["check", "--format", "json", "-"])
        .write_stdin(input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = v["externalSecrets"][0]["rows"].as_array().unwrap();
    let status = |field: &str, key: &str| {
        rows.iter()
            .find(|r| r["field"] == field && r["key"] == key)
            .map(|r| r["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("spec.dataFrom[0]", "a").as_deref(), Some("ok"));
    assert_eq!(
        status("spec.dataFrom[0]", "b").as_deref(),
        Some("overridden")
    );
    assert_eq!(status("spec.data[0]", "b").as_deref(), Some("ok"));
}
