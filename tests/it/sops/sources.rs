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
