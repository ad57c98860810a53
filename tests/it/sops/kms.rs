//! AWS KMS master keys: files the real sops encrypted with `--kms` against moto's KMS open with
//! one KMS `Decrypt` each, with the encryption context and through a role, as sops does.

use super::SECRET;
use super::peers::Peers;
use crate::aws::{Aws, Proxy, render_with};
use crate::support::parse_yaml;

/// The variables sops needs to reach moto.
fn aws_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_owned()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
}

#[test]
fn kms_encrypted_files_open_with_one_decrypt_each() {
    let Some(p) = Peers::get() else { return };
    let Some(aws) = Aws::new("eu-north-1") else {
        return;
    };
    let key = aws.block(aws.kms().create_key().send()).unwrap();
    let arn = key.key_metadata().unwrap().arn().unwrap().to_owned();
    let env = aws_env(&aws.endpoint);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, SECRET).unwrap();
    let role = "arn:aws:iam::123456789012:role/sops-decrypt";
    let variants: &[(&str, &[&str])] = &[
        ("plain", &["--kms", &arn]),
        (
            "context",
            &["--kms", &arn, "--encryption-context", "app:shop,env:prod"],
        ),
        ("role", &["--kms", &format!("{arn}+{role}")]),
    ];
    let mut files = Vec::new();
    for (name, args) in variants {
        let enc = dir.path().join(format!("kms-{name}.yaml"));
        p.encrypt_env(&plain, &enc, "", args, "yaml", &env);
        let text = std::fs::read_to_string(&enc).unwrap();
        assert!(text.contains(&arn), "{name}: {text}");
        files.push((name, enc, text));
    }
    // What sops itself decrypts, for comparison.
    let want = parse_yaml(&String::from_utf8(p.decrypt_env(&files[0].1, "yaml", &env)).unwrap());

    let proxy = Proxy::start(&aws.endpoint);
    for (name, _, text) in &files {
        let before = proxy.count("Decrypt");
        let out = render_with(&proxy.url, text, &[]);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        assert_eq!(parse_yaml(&out.stdout), want, "{name}");
        assert_eq!(proxy.count("Decrypt") - before, 1, "{name}");
    }
    assert_eq!(
        proxy.count("AssumeRole"),
        1,
        "the role variant assumes its role"
    );
    let decrypts = proxy.requests("Decrypt");
    assert!(
        decrypts[1].body.contains("\"EncryptionContext\"") && decrypts[1].body.contains("prod"),
        "{}",
        decrypts[1].body
    );

    // Several files through one role, decrypted by parallel workers: one AssumeRole in all.
    let many = dir.path().join("many");
    std::fs::create_dir_all(&many).unwrap();
    for i in 0..4 {
        let plain = dir.path().join(format!("plain-{i}.yaml"));
        std::fs::write(&plain, SECRET.replace("name: db", &format!("name: db-{i}"))).unwrap();
        let out = many.join(format!("s{i}.yaml"));
        p.encrypt_env(
            &plain,
            &out,
            "",
            &["--kms", &format!("{arn}+{role}")],
            "yaml",
            &env,
        );
    }
    let proxy = Proxy::start(&aws.endpoint);
    let mut cmd = crate::support::eso_render();
    for (k, v) in aws_env(&proxy.url) {
        cmd.env(k, v);
    }
    let out = crate::support::run(cmd.arg("render").arg(&many));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(proxy.count("Decrypt"), 4);
    assert_eq!(proxy.count("AssumeRole"), 1);

    // KMS refuses: the error names the key and KMS's reason; nothing is printed.
    proxy.fail("Decrypt", 1, 400, "AccessDeniedException");
    let out = render_with(&proxy.url, &files[0].2, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains(&format!(
            "AWS KMS {arn} (KMS Decrypt: AccessDeniedException"
        )),
        "{}",
        out.stderr
    );
}
