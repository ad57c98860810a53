//! Archives and certificates written by eso-render's PKCS#12 and Sprig certificate template
//! functions, read by the real OpenSSL.

use std::path::Path;

use crate::support::{eso_render, peer, run, testdata};

/// Renders `template` over `{cert, key}` from the OpenSSL vectors of `kind` and returns the
/// decoded archive.
fn render_archive(dir: &Path, kind: &str, template: &str) -> Vec<u8> {
    let read = |f: String| std::fs::read_to_string(testdata(&format!("pki/openssl/{f}"))).unwrap();
    let data = serde_json::json!({
        "cert": read(format!("{kind}.chain.pem")),
        "key": read(format!("{kind}.pkcs8.pem")),
    });
    let data_file = dir.join("data.json");
    std::fs::write(&data_file, data.to_string()).unwrap();
    let out = run(eso_render()
        .args(["template", "--data"])
        .arg(&data_file)
        .args(["-e", template]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    eso_render::gocompat::base64::decode_std(out.stdout.as_bytes()).unwrap()
}

fn openssl(dir: &Path, archive: &[u8], args: &[&str]) -> String {
    let file = dir.join("archive.p12");
    std::fs::write(&file, archive).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["pkcs12", "-in"])
        .arg(&file)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The PEM blocks of OpenSSL's output, without its "Bag Attributes" lines.
fn pem_blocks(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        inside |= line.starts_with("-----BEGIN ");
        if inside {
            out.push_str(line);
            out.push('\n');
        }
        inside &= !line.starts_with("-----END ");
    }
    out
}

#[test]
fn openssl_reads_full_pem_to_pkcs12() {
    if !peer("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for kind in ["rsa", "ec", "ed25519"] {
        let archive = render_archive(
            dir.path(),
            kind,
            r#"{{ fullPemToPkcs12Pass .cert .key "pässwörd" }}"#,
        );
        let pass = ["-passin", "pass:pässwörd"];
        let key = openssl(
            dir.path(),
            &archive,
            &[&pass[..], &["-nocerts", "-nodes"]].concat(),
        );
        let want_key = std::fs::read_to_string(testdata(&format!("pki/openssl/{kind}.pkcs8.pem")));
        assert_eq!(pem_blocks(&key), want_key.unwrap(), "{kind}");
        let certs = openssl(dir.path(), &archive, &[&pass[..], &["-nokeys"]].concat());
        let want = std::fs::read_to_string(testdata(&format!("pki/openssl/{kind}.chain.pem")));
        assert_eq!(pem_blocks(&certs), want.unwrap(), "{kind}");
        let info = openssl(
            dir.path(),
            &archive,
            &[&pass[..], &["-info", "-noout"]].concat(),
        );
        assert_eq!(info, "", "{kind}: -noout prints nothing on stdout");
    }
}

#[test]
fn openssl_reads_trust_store_and_passwordless_archive() {
    if !peer("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let archive = render_archive(dir.path(), "rsa", "{{ pemTruststoreToPKCS12 .cert }}");
    let certs = openssl(dir.path(), &archive, &["-passin", "pass:", "-nokeys"]);
    let want = std::fs::read_to_string(testdata("pki/openssl/rsa.chain.pem")).unwrap();
    assert_eq!(pem_blocks(&certs), want);
    // Java's trusted-certificate attribute; the friendly name is Go's `pkix.Name.String()`
    // (named attributes regrouped in Go's order, then printed in reverse).
    assert!(certs.contains("2.16.840.1.113894.746875.1.1"), "{certs}");
    assert!(
        certs.contains("friendlyName: CN=leaf-rsa,O=eso-render tests"),
        "{certs}"
    );

    let archive = render_archive(dir.path(), "ec", "{{ pemToPkcs12 .cert .key }}");
    let key = openssl(
        dir.path(),
        &archive,
        &["-passin", "pass:", "-nocerts", "-nodes"],
    );
    let want = std::fs::read_to_string(testdata("pki/openssl/ec.pkcs8.pem")).unwrap();
    assert_eq!(pem_blocks(&key), want);
}

/// Sprig's certificate generators through the CLI: a CA made from a generated ECDSA key signs a
/// leaf (with a fresh RSA key) for a name from the data; OpenSSL verifies the chain.
#[test]
fn openssl_verifies_generated_certificates() {
    if !peer("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join("data.json");
    std::fs::write(&data_file, r#"{"cn":"svc.apps"}"#).unwrap();
    let out = run(eso_render().args(["template", "--data"]).arg(&data_file).args([
        "-e",
        r#"{{ $ca := genCAWithKey "eso-render test CA" 1 (genPrivateKey "ecdsa") }}{{ $leaf := genSignedCert .cn (list "10.1.2.3") (list .cn) 2 $ca }}{{ $ca.Cert }}{{ $leaf.Cert }}"#,
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let split = out.stdout.find("-----END CERTIFICATE-----\n").unwrap() + 26;
    std::fs::write(dir.path().join("ca.pem"), &out.stdout[..split]).unwrap();
    std::fs::write(dir.path().join("leaf.pem"), &out.stdout[split..]).unwrap();
    let verify = std::process::Command::new("openssl")
        .current_dir(dir.path())
        .args(["verify", "-CAfile", "ca.pem", "leaf.pem"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{text}");
    let shown = std::process::Command::new("openssl")
        .current_dir(dir.path())
        .args(["x509", "-in", "leaf.pem", "-noout", "-text"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    for want in [
        "Signature Algorithm: ecdsa-with-SHA256",
        "Issuer: CN = eso-render test CA",
        "Subject: CN = svc.apps",
        "Public-Key: (2048 bit)",
        "DNS:svc.apps, IP Address:10.1.2.3",
    ] {
        assert!(shown.contains(want), "{want}\n{shown}");
    }
}
