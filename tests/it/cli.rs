//! The CLI as a user drives it: inputs, determinism, formats, policies.

use std::fs;

use crate::support::{eso_render, parse_yaml, run, testdata};

fn quickstart() -> std::path::PathBuf {
    testdata("../examples/quickstart")
}

/// All quickstart manifests as one stream, as `kustomize build` would print them.
fn quickstart_stream() -> String {
    let mut files: Vec<_> = fs::read_dir(quickstart())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

#[test]
fn quickstart_renders_the_expected_secrets() {
    let out = run(eso_render().args(["render"]).arg(quickstart()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docs: Vec<serde_json::Value> = out.stdout.split("\n---\n").map(parse_yaml).collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["metadata"]["name"], "shop-db");
    assert_eq!(docs[0]["metadata"]["namespace"], "shop");
    assert_eq!(
        docs[0]["metadata"]["labels"]["app.kubernetes.io/name"],
        "shop"
    );
    // base64 of "correct-horse-battery-staple" and of the decoded api token "token-1234".
    assert_eq!(
        docs[0]["data"]["password"],
        "Y29ycmVjdC1ob3JzZS1iYXR0ZXJ5LXN0YXBsZQ=="
    );
    assert_eq!(docs[0]["data"]["api-token"], "dG9rZW4tMTIzNA==");
    assert_eq!(docs[1]["metadata"]["name"], "smtp");
    assert_eq!(docs[1]["immutable"], true);
    assert_eq!(docs[1]["data"]["SMTP_user"], "bWFpbGVy");
    assert!(docs[1]["data"].get("other").is_none());
}

#[test]
fn stdin_equals_file_and_runs_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("manifests.yaml");
    fs::write(&file, quickstart_stream()).unwrap();
    let from_file = run(eso_render().args(["render"]).arg(&file));
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    let from_stdin = run(eso_render()
        .args(["render", "-"])
        .write_stdin(quickstart_stream()));
    assert_eq!(from_stdin.stdout, from_file.stdout);
    let again = run(eso_render().args(["render"]).arg(&file));
    assert_eq!(again.stdout, from_file.stdout);
    let from_dir = run(eso_render().args(["render"]).arg(quickstart()));
    assert_eq!(from_dir.stdout, from_file.stdout);
}

#[test]
fn json_output_is_a_v1_list() {
    let out = run(eso_render()
        .args(["render", "-o", "json"])
        .arg(quickstart()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["apiVersion"], "v1");
    assert_eq!(v["kind"], "List");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|i| i["kind"] == "Secret" && i["apiVersion"] == "v1")
    );
}

#[test]
fn passthrough_prints_other_objects_and_consumes_eso_objects() {
    let out = run(eso_render()
        .args(["render", "--passthrough"])
        .arg(quickstart()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docs: Vec<serde_json::Value> = out.stdout.split("\n---\n").map(parse_yaml).collect();
    let kinds: Vec<_> = docs
        .iter()
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["Namespace", "Secret", "Secret"]);
    assert_eq!(docs[0]["metadata"]["labels"]["tier"], "apps");
    let plain = run(eso_render().args(["render"]).arg(quickstart()));
    assert!(!plain.stdout.contains("kind: Namespace"));
}

#[test]
fn directory_walk_is_sorted_skips_hidden_and_escaping_symlinks() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let app = root.path().join("app");
    fs::create_dir_all(app.join(".git")).unwrap();
    fs::create_dir_all(app.join("z")).unwrap();
    let stream = quickstart_stream();
    fs::write(app.join("z/all.yml"), &stream).unwrap();
    // Broken YAML in hidden dirs and non-manifest files is never read.
    fs::write(app.join(".git/config.yaml"), "{{ not yaml").unwrap();
    fs::write(app.join("notes.txt"), "{{ not yaml").unwrap();
    fs::write(outside.path().join("evil.yaml"), "{{ not yaml").unwrap();
    std::os::unix::fs::symlink(outside.path().join("evil.yaml"), app.join("evil.yaml")).unwrap();
    let out = run(eso_render().args(["render"]).arg(&app));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("name: shop-db"));
}

#[test]
fn kind_list_and_json_input_are_read() {
    let list = r#"{"apiVersion":"v1","kind":"List","items":[
      {"apiVersion":"external-secrets.io/v1","kind":"SecretStore","metadata":{"name":"s"},
       "spec":{"provider":{"fake":{"data":[{"key":"k","value":"v"}]}}}},
      {"apiVersion":"external-secrets.io/v1beta1","kind":"ExternalSecret","metadata":{"name":"e"},
       "spec":{"secretStoreRef":{"name":"s"},"data":[{"secretKey":"a","remoteRef":{"key":"k"}}]}}]}"#;
    let out = run(eso_render()
        .args(["render", "-"])
        .env("ARGOCD_APP_NAMESPACE", "team-a")
        .write_stdin(list));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = parse_yaml(&out.stdout);
    assert_eq!(doc["metadata"]["namespace"], "team-a");
    assert_eq!(doc["data"]["a"], "dg==");
}

fn one(es_target: &str, data: &str) -> String {
    format!(
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: s}}\nspec:\n  provider:\n    fake:\n      data: [{{key: k, value: v}}]\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: e, labels: {{team: x}}, annotations: {{note: hello}}}}\nspec:\n  secretStoreRef: {{name: s}}\n  target: {es_target}\n{data}"
    )
}

#[test]
fn creation_policies() {
    let data = "  data: [{secretKey: a, remoteRef: {key: k}}]\n";
    let owner = run(eso_render()
        .args(["render", "-"])
        .write_stdin(one("{}", data)));
    let doc = parse_yaml(&owner.stdout);
    assert_eq!(doc["metadata"]["labels"]["team"], "x");
    assert_eq!(doc["metadata"]["annotations"]["note"], "hello");
    use sha3::Digest;
    assert_eq!(
        doc["metadata"]["labels"]["reconcile.external-secrets.io/created-by"],
        hex::encode(sha3::Sha3_224::digest(b"default/e"))
    );
    assert!(
        doc.get("metadata")
            .unwrap()
            .get("ownerReferences")
            .is_none()
    );

    for policy in ["Orphan", "Merge", "CreateOrMerge"] {
        let out = run(eso_render()
            .args(["render", "-"])
            .write_stdin(one(&format!("{{creationPolicy: {policy}}}"), data)));
        assert_eq!(out.code, 0, "{policy}: {}", out.stderr);
        let doc = parse_yaml(&out.stdout);
        assert!(
            doc["metadata"]["labels"]
                .get("reconcile.external-secrets.io/created-by")
                .is_none(),
            "{policy}"
        );
        assert_eq!(doc["data"]["a"], "dg==");
    }

    let none = run(eso_render()
        .args(["render", "-"])
        .write_stdin(one("{creationPolicy: None}", data)));
    assert_eq!(
        (none.code, none.stdout.as_str()),
        (0, ""),
        "{}",
        none.stderr
    );
}

#[test]
fn deletion_policy_delete_skips_missing_and_omits_empty() {
    let data = "  data: [{secretKey: a, remoteRef: {key: k}}, {secretKey: b, remoteRef: {key: missing}}]\n";
    let out = run(eso_render()
        .args(["render", "-"])
        .write_stdin(one("{deletionPolicy: Delete}", data)));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = parse_yaml(&out.stdout);
    assert_eq!(doc["data"], serde_json::json!({"a": "dg=="}));

    let retain = run(eso_render()
        .args(["render", "-"])
        .write_stdin(one("{}", data)));
    assert_eq!(retain.code, 1);
    assert_eq!(retain.stdout, "");

    // The only ExternalSecret yields nothing: an empty output would prune everything.
    let only_missing = "  data: [{secretKey: b, remoteRef: {key: missing}}]\n";
    let out = run(eso_render()
        .args(["render", "-"])
        .write_stdin(one("{deletionPolicy: Delete}", only_missing)));
    assert_eq!((out.code, out.stdout.as_str()), (1, ""), "{}", out.stderr);
    assert!(
        out.stderr.contains("refusing to print nothing"),
        "{}",
        out.stderr
    );
    // Next to another Secret, the omission is fine: that Secret is deleted, as ESO does.
    let two = one("{deletionPolicy: Delete}", only_missing)
        + "---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: f}\nspec:\n  secretStoreRef: {name: s}\n  data: [{secretKey: a, remoteRef: {key: k}}]\n";
    let out = run(eso_render().args(["render", "-"]).write_stdin(two));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("name: f\n") && !out.stdout.contains("name: e\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn merge_deletion_policy_with_no_keys_emits_an_empty_secret() {
    let only_missing = "  data: [{secretKey: b, remoteRef: {key: missing}}]\n";
    let out = run(eso_render()
        .args(["render", "-"])
        .write_stdin(one("{deletionPolicy: Merge}", only_missing)));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = parse_yaml(&out.stdout);
    assert_eq!(doc["data"], serde_json::json!({}));
    assert_eq!(
        doc["metadata"]["annotations"]["reconcile.external-secrets.io/data-hash"],
        "74a974446e359fb3e6baff9bd0058950e6edd0f040888d9989b0a11b"
    );
}

#[test]
fn usage_errors_exit_2_with_empty_stdout() {
    let out = run(eso_render()
        .args(["render", "--timeout", "soon", "-"])
        .write_stdin(""));
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.contains("--timeout"), "{}", out.stderr);
    let out = run(eso_render().args(["render", "/nonexistent/path"]));
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.contains("/nonexistent/path"), "{}", out.stderr);
    let out = run(eso_render().args(["render", "--bogus"]));
    assert_eq!(out.code, 2);
}

#[test]
fn completions_and_version() {
    let out = run(eso_render().args(["completions", "bash"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("eso-render"));
    let out = run(eso_render().args(["--version"]));
    assert!(out.stdout.starts_with("eso-render "), "{}", out.stdout);
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let input = one(
        "{}",
        "  data: [{secretKey: a, remoteRef: {key: m1}}, {secretKey: b, remoteRef: {key: m2}}]\n",
    );
    let out = run(eso_render().args(["render", "-"]).write_stdin(input));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("spec.data[0].remoteRef.key"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("spec.data[1].remoteRef.key"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("2 errors; nothing was written to stdout"),
        "{}",
        out.stderr
    );
}

#[test]
fn data_from_with_only_a_store_ref_contributes_nothing_and_binds_no_store() {
    // ESO never fetches a client for such an entry, so even a missing store is fine.
    let input = one(
        "{}",
        "  dataFrom: [{sourceRef: {storeRef: {name: nowhere}}}]\n  data: [{secretKey: a, remoteRef: {key: k}}]\n",
    );
    let out = run(eso_render().args(["render", "-"]).write_stdin(input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        parse_yaml(&out.stdout)["data"],
        serde_json::json!({"a": "dg=="})
    );
}

#[test]
fn passthrough_secret_without_namespace_collides_only_in_the_default_namespace() {
    let data = "  data: [{secretKey: a, remoteRef: {key: k}}]\n";
    let secret = "---\napiVersion: v1\nkind: Secret\nmetadata: {name: e}\ndata: {x: eA==}\n";
    let input = one("{}", data) + secret;
    // The ExternalSecret lands in "default" (no namespace, no -n): so does the Secret.
    let out = run(eso_render()
        .args(["render", "--passthrough", "-"])
        .write_stdin(input.clone()));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Secret default/e in the input collides"),
        "{}",
        out.stderr
    );
    // Rendered into team-a by -n, both objects are in team-a too: still a collision.
    let out = run(eso_render()
        .args(["render", "--passthrough", "-n", "team-a", "-"])
        .write_stdin(input.clone()));
    assert_eq!(out.code, 2, "{}", out.stderr);
    // An explicit other namespace on the ExternalSecret: no collision.
    let moved = input
        .replacen(
            "metadata: {name: s}",
            "metadata: {name: s, namespace: other}",
            1,
        )
        .replacen(
            "metadata: {name: e, labels",
            "metadata: {name: e, namespace: other, labels",
            1,
        );
    let out = run(eso_render()
        .args(["render", "--passthrough", "-"])
        .write_stdin(moved));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("kind: Secret\nmetadata:\n  name: e\ndata:"),
        "{}",
        out.stdout
    );
}

#[test]
fn template_command_renders_text_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.yaml");
    fs::write(&data, "user: admin\npass: \"s3cr3t!\"\nempty: null\n").unwrap();
    let out = run(eso_render()
        .args(["template", "--data"])
        .arg(&data)
        .args(["-e", "{{ .user }}:{{ .pass | b64enc }}{{ .empty }}"]));
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "admin:czNjcjN0IQ=="),
        "{}",
        out.stderr
    );

    let tpl = dir.path().join("auth.tpl");
    fs::write(&tpl, "{{ .nope }}").unwrap();
    let out = run(eso_render()
        .args(["template", "--data"])
        .arg(&data)
        .arg("-f")
        .arg(&tpl));
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    assert!(out.stderr.contains("auth.tpl: template: auth.tpl:1:3: executing \"auth.tpl\" at <.nope>: map has no entry for key \"nope\""), "{}", out.stderr);

    fs::write(&data, "port: 5432\n").unwrap();
    let out = run(eso_render()
        .args(["template", "--data"])
        .arg(&data)
        .args(["-e", "x"]));
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(
        out.stderr
            .contains("port: --data: expected a string value, found a number"),
        "{}",
        out.stderr
    );
}

#[test]
fn template_command_renders_an_external_secret_template() {
    let es = testdata("eso/tv19_merge_policy_merge/input.yaml");
    let out = run(eso_render()
        .args(["template", "--external-secret"])
        .arg(&es)
        .args(["--data", "-"])
        .write_stdin("password: c2VjcmV0\nusername: alice\n"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = parse_yaml(&out.stdout);
    assert_eq!(doc["kind"], "Secret");
    // name: admin, password: b64dec("c2VjcmV0") = "secret", username kept by mergePolicy Merge.
    assert_eq!(
        doc["data"],
        serde_json::json!({"name": "YWRtaW4=", "password": "c2VjcmV0", "username": "YWxpY2U="})
    );
    let out = run(eso_render()
        .args(["template", "--external-secret"])
        .arg(testdata("eso/tv01_fake_provider_end_to_end/input.yaml"))
        .args(["--data", "-"])
        .write_stdin("a: b\n"));
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(
        out.stderr
            .contains("the ExternalSecret has no spec.target.template"),
        "{}",
        out.stderr
    );
}

#[test]
fn template_delimiters_are_controller_flags() {
    // TV20's last vector: `<< .secret | b64dec >>` with ESO's --template-*-delimiter flags.
    let input = "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: s}\nspec:\n  provider:\n    fake:\n      data: [{key: k, value: MTIzNA==}]\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: e}\nspec:\n  secretStoreRef: {name: s}\n  data: [{secretKey: secret, remoteRef: {key: k}}]\n  target:\n    template:\n      data:\n        out: '<< .secret | b64dec >> {{ kept }}'\n";
    let out = run(eso_render()
        .args([
            "render",
            "--template-left-delimiter",
            "<<",
            "--template-right-delimiter",
            ">>",
            "-",
        ])
        .write_stdin(input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // "1234 {{ kept }}" in base64: the default delimiters are plain text now.
    assert_eq!(
        parse_yaml(&out.stdout)["data"]["out"],
        "MTIzNCB7eyBrZXB0IH19"
    );
    let out = run(eso_render().args(["render", "-"]).write_stdin(input));
    assert_eq!(
        out.code, 2,
        "{{ kept }} is a call of an undefined function with {{ }}"
    );
}

/// A template calling a random function renders, with a warning that names the file, object,
/// field and function (never the value), so a GitOps user learns why the Secret keeps changing.
#[test]
fn unreproducible_templates_are_warned_about() {
    let input = testdata("cli/unreproducible-template.yaml");
    let first = run(eso_render().arg("render").arg(&input));
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains(
            "unreproducible-template.yaml:20:9: ExternalSecret apps/es: spec.target.template.data.pw: the template calls randAlphaNum"
        ),
        "{}",
        first.stderr
    );
    assert!(!first.stderr.contains("data.fixed"), "{}", first.stderr);
    let second = run(eso_render().arg("render").arg(&input));
    assert_ne!(
        first.stdout, second.stdout,
        "the random key differs between renders"
    );
}
