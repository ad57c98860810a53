//! One age key renders a whole app: the AWS credentials of a store and a template come from
//! Secrets that the real sops encrypted, next to the manifests.

use super::peers::Peers;
use crate::aws::{Aws, Proxy, external_secret, render_with, secrets, store, text};

#[test]
fn sops_secrets_feed_store_credentials_and_templates() {
    let Some(p) = Peers::get() else { return };
    let Some(aws) = Aws::new("ap-south-2") else {
        return;
    };
    aws.secret(
        "shop/db",
        r#"{"user": "shop", "password": "from-aws"}"#,
        &[],
    );
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = p.keygen(dir.path(), "key");

    // The credentials and the template, each encrypted by sops as its own file.
    let sources = [
        (
            "creds",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: aws-creds, namespace: apps}\n\
             stringData: {id: AKIDFROMSOPS, secret: sops-held-credential}\n",
        ),
        (
            "tmpl",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: tmpl, namespace: apps}\n\
             stringData:\n  config.ini: \"user={{ .user }}\\npassword={{ .password }}\\n\"\n",
        ),
    ];
    let mut encrypted = String::new();
    for (name, plain) in sources {
        let file = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&file, plain).unwrap();
        let enc = dir.path().join(format!("{name}.enc.yaml"));
        p.encrypt(
            &file,
            &enc,
            &recipient,
            &["--encrypted-regex", "^stringData$"],
            "yaml",
        );
        encrypted += &std::fs::read_to_string(&enc).unwrap();
        encrypted += "---\n";
    }
    assert!(!encrypted.contains("sops-held-credential") && !encrypted.contains(".user"));

    let auth = "auth: {secretRef: {accessKeyIDSecretRef: {name: aws-creds, key: id}, \
                secretAccessKeySecretRef: {name: aws-creds, key: secret}}}";
    let es = external_secret(
        "app",
        "sm",
        "  target:\n    template:\n      templateFrom:\n      - secret: {name: tmpl, items: [{key: config.ini}]}\n\
         \x20 dataFrom:\n  - extract: {key: shop/db}\n",
    );
    let manifests = store("sm", "SecretsManager", aws.region, auth, "") + &encrypted + &es;
    let proxy = Proxy::start(&aws.endpoint);
    let key_arg = key.to_str().unwrap();
    let out = render_with(&proxy.url, &manifests, &["--age-identity", key_arg]);
    let got = secrets(&out);
    assert_eq!(
        text(&got["app"]["config.ini"]),
        "user=shop\npassword=from-aws\n"
    );
    // The request was signed with the SOPS-held key, not the environment's.
    let reads: Vec<_> = proxy
        .requests("BatchGetSecretValue")
        .into_iter()
        .chain(proxy.requests("GetSecretValue"))
        .collect();
    assert_eq!(reads.len(), 1);
    assert!(
        reads[0].authorization.contains("Credential=AKIDFROMSOPS/"),
        "{}",
        reads[0].authorization
    );
    // The decrypted sources are printed too, as KSOPS and Flux do.
    assert!(got.contains_key("aws-creds") && got.contains_key("tmpl"));
    assert!(out.stdout.contains("id: AKIDFROMSOPS"), "{}", out.stdout);

    // Without the key nothing renders, and the error names the encrypted file's object.
    let out = render_with(&proxy.url, &manifests, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains(&recipient), "{}", out.stderr);
    assert!(!out.stderr.contains("sops-held-credential"));
}

#[test]
fn a_secret_twice_in_the_input_is_an_error() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = p.keygen(dir.path(), "key");
    let plain = "apiVersion: v1\nkind: Secret\nmetadata: {name: dup, namespace: apps}\n\
                 stringData: {a: b}\n";
    let file = dir.path().join("plain.yaml");
    std::fs::write(&file, plain).unwrap();
    let enc = dir.path().join("enc").join("dup.yaml");
    std::fs::create_dir_all(enc.parent().unwrap()).unwrap();
    p.encrypt(&file, &enc, &recipient, &[], "yaml");
    std::fs::copy(&enc, dir.path().join("enc").join("copy.yaml")).unwrap();
    let r = crate::support::run(
        crate::support::eso_render()
            .arg("render")
            .arg("--age-identity")
            .arg(&key)
            .arg(dir.path().join("enc")),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("Secret apps/dup appears twice in the input"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("copy.yaml") && r.stderr.contains("dup.yaml"),
        "{}",
        r.stderr
    );
}

/// A Vault AppRole secret-id encrypted by the real sops logs the store in.
#[test]
fn sops_secrets_feed_vault_logins() {
    use crate::vault::{emulator, external_secret as es, store, unique, values};
    use serde_json::json;
    let Some(p) = Peers::get() else { return };
    let v = emulator();
    let mount = v.kv(1);
    v.put(&mount, 1, &[("app", json!({"user": "from-vault"}))]);
    let path = unique("approle");
    let out = v.admin(json!([
        {"method": "POST", "path": format!("sys/auth/{path}"), "body": {"type": "approle"}},
        {"method": "POST", "path": format!("auth/{path}/role/eso"), "body": {"token_policies": ["root"]}},
        {"method": "GET", "path": format!("auth/{path}/role/eso/role-id")},
        {"method": "POST", "path": format!("auth/{path}/role/eso/secret-id"), "body": {}},
    ]));
    let role_id = out[2]["body"]["data"]["role_id"].as_str().unwrap();
    let secret_id = out[3]["body"]["data"]["secret_id"].as_str().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = p.keygen(dir.path(), "key");
    let plain = dir.path().join("approle.yaml");
    std::fs::write(
        &plain,
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: approle, namespace: apps}}\n\
             stringData: {{secret-id: {secret_id}}}\n"
        ),
    )
    .unwrap();
    let enc = dir.path().join("approle.enc.yaml");
    p.encrypt(
        &plain,
        &enc,
        &recipient,
        &["--encrypted-regex", "^stringData$"],
        "yaml",
    );
    let encrypted = std::fs::read_to_string(&enc).unwrap();
    assert!(!encrypted.contains(secret_id));
    let manifests = store(
        "vault",
        &v.addr,
        &format!(
            "path: {mount}, version: v1, auth: {{appRole: {{path: {path}, roleId: {role_id}, \
             secretRef: {{name: approle, key: secret-id}}}}}}"
        ),
        None,
    ) + &encrypted
        + "---\n"
        + &es(
            "app",
            "vault",
            "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
        );
    let render = |args: &[&str]| {
        let mut cmd = crate::support::eso_render();
        cmd.args(["render", "-"])
            .args(args)
            .env_remove("VAULT_TOKEN")
            .write_stdin(manifests.clone());
        crate::support::run(&mut cmd)
    };
    let out = render(&["--age-identity", key.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(values(&out, "app")["u"], "from-vault");
    // Without the key: nothing renders, and the secret-id never shows.
    let out = render(&[]);
    out.assert_failed(2, &[&recipient]);
    out.assert_hides(&[secret_id]);
}
