//! Flux's "inside" case: a plain Secret whose `data` values are whole SOPS files (what
//! kustomize's secretGenerator makes of encrypted files). Each value is decrypted and printed in
//! the format its key names, byte for byte as `sops decrypt --output-type <format>`.

use base64::Engine;

use super::peers::Peers;
use crate::support::{eso_render, run, testdata};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The Secret's `data` values, decoded.
fn data(stdout: &str) -> serde_json::Map<String, serde_json::Value> {
    let docs = eso_render::manifest::yaml::parse_documents(stdout).unwrap();
    let v = eso_render::output::json(&docs[0].node);
    v["data"].as_object().unwrap().clone()
}

fn decoded(v: &serde_json::Value) -> Vec<u8> {
    B64.decode(v.as_str().unwrap()).unwrap()
}

#[test]
fn flux_inside_sample_decrypts() {
    let r = run(eso_render()
        .arg("render")
        .arg("--age-identity")
        .arg(testdata("sops/flux/keys/age.txt"))
        .arg(testdata("sops/flux/inside/secret.yaml")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The key has no extension: the binary store's `data`, as kustomize-controller prints it.
    assert_eq!(decoded(&data(&r.stdout)["key"]), b"value");
}

#[test]
fn embedded_sops_files_print_as_sops_does_for_their_key() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = p.keygen(dir.path(), "key");
    // (plain file, sops input type, Secret key, output type the key selects)
    let cases = [
        (
            "values.yaml",
            "yaml",
            "values.yaml",
            "yaml",
            "image:\n  tag: \"1.2\"\nreplicas: 3\nratio: 0.25\nlist:\n- a\n- {b: c}\nnote: |\n  two\n  lines\n",
        ),
        (
            "config.json",
            "json",
            "config.json",
            "json",
            r#"{"url": "https://x/?a=1&b=<2>", "n": 10, "f": 1e21, "ok": true, "none": null, "l": [1, "two"]}"#,
        ),
        (
            "app.env",
            "dotenv",
            "app.env",
            "dotenv",
            "USER=admin\nPASS=a=b c\n",
        ),
        (
            "app.ini",
            "ini",
            "app.ini",
            "ini",
            "[db]\nuser = admin\npass = s3cr=t\n",
        ),
        (
            "blob.bin",
            "binary",
            "blob",
            "binary",
            "raw bytes\n\u{1}\u{2}",
        ),
        (
            "docker.json",
            "json",
            ".dockerconfigjson",
            "json",
            r#"{"auths": {"r": {"auth": "eDp5"}}}"#,
        ),
        // A JSON file whose key asks for YAML: converted, as Flux does.
        (
            "cross.json",
            "json",
            "cross.yaml",
            "yaml",
            r#"{"a": {"b": [1, 2]}, "c": "d"}"#,
        ),
    ];
    let mut secret = String::from(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: generated, namespace: apps}\ndata:\n  plain: aGVsbG8=\n",
    );
    let mut want = Vec::new();
    for (file, input, secret_key, output, content) in cases {
        let plain = dir.path().join(file);
        std::fs::write(&plain, content).unwrap();
        let enc = dir.path().join(format!("{file}.enc"));
        p.encrypt(&plain, &enc, &recipient, &[], input);
        let enc_bytes = std::fs::read(&enc).unwrap();
        secret += &format!("  {secret_key}: {}\n", B64.encode(&enc_bytes));
        let sops_input = if input == "binary" { "json" } else { input };
        let expected = p.decrypt_as(
            &enc,
            sops_input,
            output,
            &[("SOPS_AGE_KEY_FILE", key.to_str().unwrap())],
        );
        want.push((secret_key, expected));
    }
    let manifest = dir.path().join("secret.yaml");
    std::fs::write(&manifest, &secret).unwrap();
    let r = run(eso_render()
        .arg("render")
        .arg("--age-identity")
        .arg(&key)
        .arg(&manifest));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got = data(&r.stdout);
    assert_eq!(
        decoded(&got["plain"]),
        b"hello",
        "other values stay as they are"
    );
    for (secret_key, expected) in want {
        assert_eq!(
            String::from_utf8_lossy(&decoded(&got[secret_key])),
            String::from_utf8_lossy(&expected),
            "{secret_key}"
        );
    }

    // Without the key: an error naming the Secret and the data key; nothing printed.
    let r = run(eso_render()
        .env("HOME", dir.path())
        .env_remove("SOPS_AGE_KEY_FILE")
        .env_remove("SOPS_AGE_KEY")
        .arg("render")
        .arg(&manifest));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("data.values.yaml of Secret generated"),
        "{}",
        r.stderr
    );
}
