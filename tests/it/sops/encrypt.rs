//! Encrypt-on-render: every Secret eso-render prints becomes a SOPS document that the real
//! `sops -d` opens to exactly the bytes of the plain render.

use std::path::Path;

use super::peers::Peers;
use crate::support::{eso_render, run};

/// A store, ExternalSecrets whose templates put awkward strings into metadata and data, a plain
/// Secret and a ConfigMap to pass through.
const MANIFESTS: &str = r#"
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata: {name: fake, namespace: app}
spec:
  provider:
    fake:
      data:
      - key: db
        value: '{"user": "admin", "pass": "p@ss: #x ''q'' \"dq\"", "port": 5432}'
      - key: cert
        value: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db, namespace: app}
spec:
  secretStoreRef: {name: fake, kind: SecretStore}
  target:
    template:
      type: kubernetes.io/basic-auth
      metadata:
        labels: {app: shop, version: "1.5", enabled: "true"}
        annotations:
          note: " leading space, a: colon and # hash"
          multi: "line one\nline two\n"
          quoted: "'single' and \"double\""
          yes: "yes"
          octal: "0o17"
          date: "2024-01-02"
          unicode: "h\u00e9llo \u65e5\u672c \U0001F600"
          empty: ""
          long: "lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum"
      data:
        username: "{{ .user }}"
        password: "{{ .pass }}"
        dsn: "postgres://{{ .user }}@db:{{ .port }}/app"
  dataFrom:
  - extract: {key: db}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: tls, namespace: app}
spec:
  secretStoreRef: {name: fake, kind: SecretStore}
  target: {immutable: true}
  data:
  - secretKey: tls.crt
    remoteRef: {key: cert}
---
apiVersion: v1
kind: Secret
metadata: {name: plain, namespace: app}
stringData: {token: plain-token-value}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: app}
data: {mode: "fast"}
"#;

/// The documents of a multi-document YAML stream, each with its final newline.
fn documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line == "---\n" {
            docs.push(String::new());
        } else {
            docs.last_mut().unwrap().push_str(line);
        }
    }
    docs
}

/// The values of the `data` and `stringData` blocks of a plain document.
fn data_values(doc: &str) -> Vec<&str> {
    let mut in_data = false;
    let mut values = Vec::new();
    for line in doc.lines() {
        if !line.starts_with(' ') {
            in_data = line == "data:" || line == "stringData:";
        } else if in_data && let Some((_, v)) = line.split_once(": ") {
            values.push(v);
        }
    }
    values
}

fn render(dir: &Path, extra: &[&str]) -> String {
    let r = run(eso_render()
        .current_dir(dir)
        .args(["render", "--passthrough", "manifests.yaml"])
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

/// A directory with [`MANIFESTS`] and a `.sops.yaml` that asks sops for 2-space indents (the
/// layout eso-render and kubectl print).
fn fixture_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifests.yaml"), MANIFESTS).unwrap();
    std::fs::write(
        dir.path().join(".sops.yaml"),
        "stores:\n  yaml:\n    indent: 2\n",
    )
    .unwrap();
    dir
}

/// `sops -d` of one document, in a [`fixture_dir`].
fn sops_decrypt(p: &Peers, dir: &Path, doc: &str, key: &Path) -> String {
    let file = dir.join("doc.yaml");
    std::fs::write(&file, doc).unwrap();
    p.decrypt(&file, key, "yaml")
}

#[test]
fn encrypted_render_decrypts_with_sops_to_the_plain_render() {
    let Some(p) = Peers::get() else { return };
    let dir = fixture_dir();
    let (key1, r1) = p.keygen(dir.path(), "k1");
    let (key2, r2) = p.keygen(dir.path(), "k2");
    let (key3, r3) = p.keygen(dir.path(), "k3");

    let plain = render(dir.path(), &[]);
    // Recipients repeated and comma-separated, as sops' --age takes them.
    let recipients = format!("{r1},{r2}");
    let encrypted = render(
        dir.path(),
        &[
            "--sops-age-recipient",
            &recipients,
            "--sops-age-recipient",
            &r3,
        ],
    );
    let (plain_docs, enc_docs) = (documents(&plain), documents(&encrypted));
    assert_eq!(plain_docs.len(), 4, "{plain}");
    assert_eq!(enc_docs.len(), plain_docs.len(), "{encrypted}");

    let mut ivs = Vec::new();
    for (plain_doc, enc_doc) in plain_docs.iter().zip(&enc_docs) {
        if plain_doc.contains("\nkind: ConfigMap\n") {
            assert_eq!(enc_doc, plain_doc, "other objects stay plain");
            continue;
        }
        assert!(enc_doc.contains("\nsops:\n"), "{enc_doc}");
        for r in [&r1, &r2, &r3] {
            assert!(enc_doc.contains(r.as_str()), "{r} missing in {enc_doc}");
        }
        // Metadata stays readable; no data value does.
        assert!(enc_doc.contains("\nmetadata:\n"), "{enc_doc}");
        let values = data_values(plain_doc);
        assert!(!values.is_empty(), "{plain_doc}");
        for value in values {
            assert!(!enc_doc.contains(value), "{value} in clear in {enc_doc}");
        }
        ivs.extend(
            enc_doc
                .split(",iv:")
                .skip(1)
                .map(|s| s.split(',').next().unwrap().to_owned()),
        );
        for key in [&key1, &key2, &key3] {
            assert_eq!(
                &sops_decrypt(&p, dir.path(), enc_doc, key),
                plain_doc,
                "sops -d differs from the plain render"
            );
        }
    }
    // A fresh IV for every value, and a fresh data key per document (two renders never share
    // a ciphertext).
    let unique: std::collections::HashSet<_> = ivs.iter().collect();
    assert!(ivs.len() >= 8 && unique.len() == ivs.len(), "{ivs:?}");
    let again = render(dir.path(), &["--sops-age-recipient", &r1]);
    for (a, b) in documents(&again).iter().zip(&enc_docs) {
        if a.contains("sops:") {
            let enc_values = |d: &str| -> Vec<String> {
                d.split("ENC[")
                    .skip(1)
                    .map(|s| s[..40].to_owned())
                    .collect()
            };
            assert!(enc_values(a).iter().all(|v| !enc_values(b).contains(v)));
        }
    }

    // eso-render reads its own output back (as Flux would): the same Secrets.
    std::fs::write(dir.path().join("out.yaml"), &encrypted).unwrap();
    let back = run(eso_render()
        .current_dir(dir.path())
        .args(["render", "--passthrough", "--age-identity"])
        .arg(&key3)
        .arg("out.yaml"));
    assert_eq!(back.code, 0, "{}", back.stderr);
    let mut want = documents(&plain);
    let mut got = documents(&back.stdout);
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn encrypted_regex_chooses_what_is_encrypted() {
    let Some(p) = Peers::get() else { return };
    let dir = fixture_dir();
    let (key, r) = p.keygen(dir.path(), "k");
    let plain = render(dir.path(), &[]);
    let enc = render(
        dir.path(),
        &[
            "--sops-age-recipient",
            &r,
            "--sops-encrypted-regex",
            "^(data|annotations)$",
        ],
    );
    let docs = documents(&enc);
    let db = docs.iter().find(|d| d.contains("name: db")).unwrap();
    assert!(
        !db.contains("lorem ipsum"),
        "annotations are encrypted: {db}"
    );
    assert!(db.contains("app: shop"), "labels are not: {db}");
    assert!(db.contains("encrypted_regex: ^(data|annotations)$"), "{db}");
    let want = documents(&plain)
        .into_iter()
        .find(|d| d.contains("name: db"))
        .unwrap();
    assert_eq!(sops_decrypt(&p, dir.path(), db, &key), want);
}

#[test]
fn bad_encryption_flags_are_refused_before_anything_runs() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--sops-age-recipient", "age1notakey"],
            "is not an age recipient",
        ),
        (
            &[
                "--sops-age-recipient",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA",
            ],
            "is not an ssh-ed25519 or ssh-rsa public key",
        ),
        (
            &[
                "--sops-age-recipient",
                "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
                "--sops-encrypted-regex",
                "(",
            ],
            "--sops-encrypted-regex",
        ),
        (
            &["--sops-encrypted-regex", "^data$"],
            "--sops-age-recipient",
        ),
        (
            &[
                "--sops-age-recipient",
                "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
                "-o",
                "json",
            ],
            "cannot be combined with --output json",
        ),
    ];
    for (args, want) in cases {
        let r = run(eso_render()
            .args(["render"])
            .args(*args)
            .arg(crate::support::repo().join("examples/quickstart")));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert!(r.stderr.contains(want), "{args:?}: {}", r.stderr);
    }
}
