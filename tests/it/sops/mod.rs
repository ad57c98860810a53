//! SOPS decryption against the real Go `sops` and Debian's `age`: fixtures are encrypted at test
//! time for every store format and rule, then opened by eso-render and compared with `sops -d`.

mod encrypt;
mod inside;
mod kms;
mod peers;
mod sources;
mod ssh;
mod upstream;

use std::path::Path;

use eso_render::sops::{self, Format, KeySources, Keyring, Plain};

use crate::support::{eso_render, parse_yaml, run, testdata};
use peers::Peers;

pub(crate) const SECRET: &str = "\
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: team-a
  labels:
    app: shop
type: Opaque
# sops:enc
stringData:
  username: admin
  password: \"p@ss: #x 'q'\"
  multiline: |
    one
    two
data:
  blob: AAECAwQ=
immutable: true
";

fn keyring(files: &[&Path]) -> Keyring {
    Keyring::new(KeySources {
        identity_files: files.iter().map(|p| p.to_path_buf()).collect(),
        ..KeySources::default()
    })
}

/// Renders `file` with `key` and returns the single document as JSON.
fn render_one(file: &Path, key: &Path) -> serde_json::Value {
    let r = run(eso_render()
        .arg("render")
        .arg("--age-identity")
        .arg(key)
        .arg(file));
    assert_eq!(r.code, 0, "{}: {}", file.display(), r.stderr);
    parse_yaml(&r.stdout)
}

#[test]
fn secrets_encrypted_by_sops_with_every_rule_decrypt_like_sops() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = p.keygen(dir.path(), "key");
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, SECRET).unwrap();
    let rules: &[&[&str]] = &[
        &[],
        &["--encrypted-regex", "^(data|stringData)$"],
        &["--unencrypted-regex", "^(apiVersion|kind|metadata|type)$"],
        &["--encrypted-suffix", "Data"],
        &["--unencrypted-suffix", "name"],
    ];
    for (i, args) in rules.iter().enumerate() {
        let enc = dir.path().join(format!("secret-{i}.yaml"));
        p.encrypt(&plain, &enc, &recipient, args, "yaml");
        let want = parse_yaml(&p.decrypt(&enc, &key, "yaml"));
        assert_eq!(render_one(&enc, &key), want, "sops encrypt {args:?}");
    }
}

#[test]
fn json_dotenv_ini_and_binary_stores_match_sops() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = p.keygen(dir.path(), "key");
    let keys = keyring(&[&key]);

    // JSON: a Secret, rendered like any manifest.
    let json = dir.path().join("secret.json");
    std::fs::write(
        &json,
        r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"j"},"stringData":{"a":"1","n":"x\u00e9"},"data":{"b":"AA=="}}"#,
    )
    .unwrap();
    let enc = dir.path().join("secret.enc.json");
    p.encrypt(&json, &enc, &recipient, &[], "json");
    let want: serde_json::Value = serde_json::from_str(&p.decrypt(&enc, &key, "json")).unwrap();
    assert_eq!(render_one(&enc, &key), want);

    // dotenv: byte for byte.
    let env = dir.path().join("app.env");
    std::fs::write(&env, "USER=admin\nPASS=a=b c\nEMPTY=\nMULTI=one\\ntwo\n").unwrap();
    let enc = dir.path().join("app.enc.env");
    p.encrypt(&env, &enc, &recipient, &[], "dotenv");
    let text = std::fs::read_to_string(&enc).unwrap();
    let Plain::Dotenv(b) = sops::decrypt_file(&text, Format::Dotenv, &keys).unwrap() else {
        panic!("dotenv")
    };
    assert_eq!(
        sops::store::dotenv::emit(&b),
        p.decrypt(&enc, &key, "dotenv")
    );

    // INI: the same sections, keys and values.
    let ini = dir.path().join("app.ini");
    std::fs::write(
        &ini,
        "[db]\nuser = admin\npass = s3cr=t\n\n[smtp]\nhost = mail\n",
    )
    .unwrap();
    let enc = dir.path().join("app.enc.ini");
    p.encrypt(&ini, &enc, &recipient, &[], "ini");
    let text = std::fs::read_to_string(&enc).unwrap();
    let Plain::Ini(b) = sops::decrypt_file(&text, Format::Ini, &keys).unwrap() else {
        panic!("ini")
    };
    assert_eq!(
        ini_pairs(&sops::store::ini::emit(&b)),
        ini_pairs(&p.decrypt(&enc, &key, "ini"))
    );

    // Binary: the exact bytes, NUL and 0xff included.
    let bin = dir.path().join("blob.bin");
    std::fs::write(&bin, b"\x00\x01binary\xff\n").unwrap();
    let enc = dir.path().join("blob.enc");
    p.encrypt(&bin, &enc, &recipient, &[], "binary");
    let text = std::fs::read_to_string(&enc).unwrap();
    let Plain::Binary(bytes) = sops::decrypt_file(&text, Format::Binary, &keys).unwrap() else {
        panic!("binary")
    };
    assert_eq!(&bytes[..], b"\x00\x01binary\xff\n");
    assert_eq!(p.decrypt_bytes(&enc, &key, "binary"), bytes.to_vec());
}

fn ini_pairs(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_owned();
        } else if let Some((k, v)) = line.split_once('=') {
            out.push((section.clone(), k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    out.sort();
    out
}

#[test]
fn key_groups_need_their_shamir_threshold() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (k1, r1) = p.keygen(dir.path(), "k1");
    let (k2, r2) = p.keygen(dir.path(), "k2");
    let (k3, r3) = p.keygen(dir.path(), "k3");
    std::fs::write(
        dir.path().join(".sops.yaml"),
        format!(
            "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{r1}]\n      - age: [{r2}]\n      - age: [{r3}]\n"
        ),
    )
    .unwrap();
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, SECRET).unwrap();
    let enc = dir.path().join("groups.yaml");
    p.encrypt(&plain, &enc, "", &[], "yaml");
    let both = dir.path().join("both.txt");
    let keys = format!(
        "{}{}",
        std::fs::read_to_string(&k1).unwrap(),
        std::fs::read_to_string(&k3).unwrap()
    );
    std::fs::write(&both, keys).unwrap();
    let want = parse_yaml(&p.decrypt(&enc, &both, "yaml"));
    assert_eq!(render_one(&enc, &both), want);

    let r = run(eso_render()
        .arg("render")
        .arg("--age-identity")
        .arg(&k2)
        .arg(&enc));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("opened 1 of the 2 key groups needed"),
        "{}",
        r.stderr
    );
}

/// Bad input: each case fails with a message naming the file, and prints nothing.
#[test]
fn broken_and_foreign_files_fail_closed() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = p.keygen(dir.path(), "key");
    let (other, _) = p.keygen(dir.path(), "other");
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, SECRET).unwrap();
    let good = dir.path().join("good.yaml");
    p.encrypt(
        &plain,
        &good,
        &recipient,
        &["--encrypted-regex", "^(data|stringData)$"],
        "yaml",
    );
    let text = std::fs::read_to_string(&good).unwrap();

    let mut cases: Vec<(&str, String, &Path, &str)> = Vec::new();
    let tamper_value = {
        let i = text.find("username: ENC[AES256_GCM,data:").unwrap() + 31;
        let mut t = text.clone().into_bytes();
        t[i] = if t[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(t).unwrap()
    };
    cases.push((
        "tampered value",
        tamper_value,
        &key,
        "does not authenticate",
    ));
    let mac_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("mac:"))
        .unwrap();
    let tamper_mac = {
        let i = text.find(mac_line).unwrap() + mac_line.find("data:").unwrap() + 6;
        let mut t = text.clone().into_bytes();
        t[i] = if t[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(t).unwrap()
    };
    cases.push(("tampered MAC", tamper_mac, &key, "MAC cannot be decrypted"));
    cases.push((
        "missing MAC",
        text.replace(mac_line, "    mac: \"\""),
        &key,
        "has no MAC",
    ));
    // Changing an unencrypted value is caught by the MAC.
    cases.push((
        "changed plain value",
        text.replace("name: db", "name: dc"),
        &key,
        "MAC mismatch",
    ));
    cases.push(("wrong key", text.clone(), &other, "no key could decrypt"));
    cases.push((
        "truncated",
        text[..text.len() / 2].to_owned(),
        &key,
        // Cut before its metadata, the file is a plain Secret holding ciphertext.
        "invalid base64",
    ));
    let version_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("version:"))
        .unwrap();
    cases.push((
        "unknown version",
        text.replace(version_line, "    version: 4.0.0"),
        &key,
        "version \"4.0.0\" is not supported",
    ));
    for (what, content, key, needle) in cases {
        let f = dir.path().join("case.yaml");
        std::fs::write(&f, &content).unwrap();
        let r = run(eso_render()
            .arg("render")
            .arg("--age-identity")
            .arg(key)
            .arg(&f));
        assert_ne!(r.code, 0, "{what}");
        assert!(r.stdout.is_empty(), "{what}: {}", r.stdout);
        assert!(r.stderr.contains("case.yaml"), "{what}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{what}: {}", r.stderr);
        for secret in ["admin", "AAECAwQ", "p@ss", "AGE-SECRET-KEY"] {
            assert!(!r.stderr.contains(secret), "{what} leaks: {}", r.stderr);
        }
    }

    // No key at all: the error lists the recipient tried and where keys were looked for.
    let r = run(eso_render()
        .env_remove("SOPS_AGE_KEY")
        .env_remove("SOPS_AGE_KEY_FILE")
        .env("XDG_CONFIG_HOME", dir.path())
        .arg("render")
        .arg(&good));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains(&recipient), "{}", r.stderr);
    assert!(
        r.stderr.contains("no age identity was found"),
        "{}",
        r.stderr
    );

    // Binary garbage: not UTF-8, not YAML; never a panic.
    let f = dir.path().join("garbage.yaml");
    std::fs::write(&f, b"\xff\xfe\x00sops:\x00\x9f").unwrap();
    let r = run(eso_render().arg("render").arg(&f));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("garbage.yaml"), "{}", r.stderr);
}

/// Samples from fluxcd/kustomize-controller and files made with sops 3.11.0 (testdata/sops).
#[test]
fn committed_samples_decrypt_to_what_sops_printed() {
    for (file, key) in [
        ("flux/algorithms/age.yaml", "flux/keys/age.txt"),
        ("flux/global/secret.yaml", "flux/keys/age-global.txt"),
        ("flux/patches/merge1.yaml", "flux/keys/age.txt"),
    ] {
        let want = parse_yaml(
            &std::fs::read_to_string(testdata(&format!(
                "sops/flux/expected/{}.decrypted",
                file.trim_start_matches("flux/")
            )))
            .unwrap(),
        );
        assert_eq!(
            render_one(
                &testdata(&format!("sops/{file}")),
                &testdata(&format!("sops/{key}"))
            ),
            want,
            "{file}"
        );
    }
    let key = testdata("sops/generated/keys.txt");
    for f in [
        "secret.enc.yaml",
        "secret.regex.enc.yaml",
        "secret.two-recipients.enc.yaml",
    ] {
        let got = render_one(&testdata(&format!("sops/generated/enc/{f}")), &key);
        let want = crate::support::read_yaml(&testdata("sops/generated/plain/secret.yaml"));
        assert_eq!(got, want, "{f}");
    }
    let keys = keyring(&[&key]);
    let read =
        |f: &str| std::fs::read_to_string(testdata(&format!("sops/generated/enc/{f}"))).unwrap();
    let Plain::Binary(b) =
        sops::decrypt_file(&read("blob.enc.json"), Format::Binary, &keys).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        &b[..],
        &std::fs::read(testdata("sops/generated/plain/blob.bin")).unwrap()[..]
    );
    let Plain::Docs(d) = sops::decrypt_file(&read("suffix.enc.json"), Format::Json, &keys).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        format!(
            "{:?}",
            d[0].branch.pairs().map(|(k, _)| k).collect::<Vec<_>>()
        ),
        "[\"user_plain\", \"pass\"]"
    );
    let Plain::Dotenv(b) = sops::decrypt_file(&read("app.enc.env"), Format::Dotenv, &keys).unwrap()
    else {
        panic!()
    };
    let emitted = sops::store::dotenv::emit(&b);
    for line in std::fs::read_to_string(testdata("sops/generated/plain/app.env"))
        .unwrap()
        .lines()
    {
        if !line.starts_with('#') {
            assert!(emitted.lines().any(|l| l == line), "{line}");
        }
    }

    // A post-quantum recipient is named as unsupported.
    let r = run(eso_render()
        .arg("render")
        .arg("--age-identity")
        .arg(testdata("sops/flux/keys/age-pq.txt"))
        .arg(testdata("sops/flux/algorithms/age-pq.yaml")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("post-quantum"), "{}", r.stderr);
}

/// Random damage to a real file never panics the parsers or the decryption.
#[test]
fn damaged_files_never_panic() {
    let key = testdata("sops/generated/keys.txt");
    let keys = keyring(&[&key]);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (f, format) in [
        ("secret.regex.enc.yaml", Format::Yaml),
        ("config.enc.json", Format::Json),
        ("app.enc.env", Format::Dotenv),
        ("app.enc.ini", Format::Ini),
        ("blob.enc.json", Format::Binary),
    ] {
        let base = std::fs::read(testdata(&format!("sops/generated/enc/{f}"))).unwrap();
        for _ in 0..300 {
            let mut t = base.clone();
            for _ in 0..(1 + next() % 4) {
                if t.is_empty() {
                    break;
                }
                let i = (next() as usize) % t.len();
                match next() % 3 {
                    0 => t[i] = (next() % 128) as u8,
                    1 => {
                        t.remove(i);
                    }
                    _ => t.truncate(i),
                }
            }
            let text = String::from_utf8_lossy(&t);
            let _ = sops::decrypt_file(&text, format, &keys);
        }
    }
}

/// The rules sops 3.11 takes only from `.sops.yaml` creation rules: the comment regexes and
/// `mac_only_encrypted`, alone and with an encryption rule.
#[test]
fn creation_rule_only_options_decrypt_like_sops() {
    let Some(p) = Peers::get() else { return };
    let rules = [
        "encrypted_comment_regex: sops:enc",
        "unencrypted_comment_regex: sops:enc",
        "mac_only_encrypted: true\n    encrypted_regex: ^(data|stringData)$",
        "mac_only_encrypted: true\n    encrypted_comment_regex: sops:enc",
        "mac_only_encrypted: true\n    unencrypted_suffix: name",
    ];
    for rule in rules {
        let dir = tempfile::tempdir().unwrap();
        let (key, recipient) = p.keygen(dir.path(), "key");
        std::fs::write(
            dir.path().join(".sops.yaml"),
            format!("creation_rules:\n  - age: {recipient}\n    {rule}\n"),
        )
        .unwrap();
        let plain = dir.path().join("plain.yaml");
        std::fs::write(&plain, SECRET).unwrap();
        let enc = dir.path().join("secret.yaml");
        p.encrypt(&plain, &enc, "", &[], "yaml");
        let text = std::fs::read_to_string(&enc).unwrap();
        let first_key = rule.split(':').next().unwrap();
        assert!(text.contains(first_key), "{rule}: {text}");
        let want = parse_yaml(&p.decrypt(&enc, &key, "yaml"));
        assert_eq!(render_one(&enc, &key), want, "{rule}");

        // The MAC still covers what the rule says: changing a value that stays plain breaks
        // it unless mac_only_encrypted leaves that value out.
        if !text.contains("app: shop") {
            continue;
        }
        let tampered = dir.path().join("tampered.yaml");
        std::fs::write(&tampered, text.replacen("app: shop", "app: evil", 1)).unwrap();
        let r = run(eso_render()
            .arg("render")
            .arg("--age-identity")
            .arg(&key)
            .arg(&tampered));
        if rule.contains("mac_only_encrypted") {
            assert_eq!(r.code, 0, "{rule}: {}", r.stderr);
            assert!(r.stdout.contains("app: evil"), "{rule}");
        } else {
            assert_eq!(r.code, 2, "{rule}: {}", r.stderr);
            assert!(r.stderr.contains("MAC"), "{rule}: {}", r.stderr);
        }
    }
}
