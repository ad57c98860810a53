//! Sprig's key and certificate generators: `genPrivateKey`, `buildCustomCert`, `genCA`,
//! `genCAWithKey`, `genSelfSignedCert`, `genSelfSignedCertWithKey`, `genSignedCert` and
//! `genSignedCertWithKey`.
//!
//! Mirrors `runtime/template/v2/sprig/crypto.go` (as vendored by ESO v2.9.0) over
//! `crate::pki::cert` (Go's `x509.CreateCertificate`): RSA-4096 keys for `genPrivateKey "rsa"`
//! (and `""`), DSA L2048N256, ECDSA P-256 and Ed25519 for `"dsa"`, `"ecdsa"`, `"ed25519"`, each
//! in Sprig's PEM format (`pemBlockForKey`: PKCS#1, Sprig's DSA sequence, SEC 1, PKCS#8), and an
//! unknown type's text returned as the value, as Sprig does. Certificates follow Sprig's
//! `getBaseCertTemplate`: a random 128-bit serial, the common name as the whole subject, valid
//! from now for `daysValid` days (Go's wrapping `time.Duration` arithmetic), key usages digital
//! signature and key encipherment (plus certificate signing for a CA), extended key usages server
//! and client authentication, basic constraints, and the IP addresses and DNS names given. The
//! generated keys are RSA-2048; `*WithKey` variants take a PEM key as Sprig's
//! `parsePrivateKeyPEM` reads it (PKCS#8, `RSA`, `EC` and `DSA PRIVATE KEY`) and return it
//! re-encoded by `pemBlockForKey`. A DSA key parses but, as in Go, cannot sign or be certified.
//! Errors are Sprig's and Go's texts.
//!
//! The generators return Sprig's struct `certificate{Cert, Key string}` as a host object
//! ([`Certificate`]): `$ca.Cert` reads a field, `typeOf` says `sprig.certificate`, and the CA
//! parameter of `genSignedCert` takes only that type, as Go's does.
//!
//! Differences from Go, deliberate: messages that would quote an IP address, a DNS name or a
//! list given as an element leave it out (they may come from secret data: `error parsing ip`,
//! `x509: a DNS name cannot be encoded as an IA5String`, the Go type in place of a list's
//! contents); the `[]interface {}` and certificate arguments are checked inside the call, so a
//! wrong type is reported as the call's error (Go's text, after `error calling genSignedCert:`) and a
//! string constant as a list gets Go's `wrong type for value` text rather than `can't handle`.
//! RSA keys over 8192 bits, P-224 and X25519 keys are not supported (`crate::pki::key`).
//!
//! Must not: put key bytes in an `Err`, or panic on any input.

use std::rc::Rc;

use super::x509::parse_cert;
use super::{FuncDef, Imp, Ty, int, ok_str, str_arg};
use crate::gocompat::{self, net};
use crate::pki::cert::{self, Parent, Template};
use crate::pki::der::Secret;
use crate::pki::key::{self, PrivateKey};
use crate::pki::{dsa, pem};
use crate::template::fmt;
use crate::template::value::{Elem, Field, HostKind, Object, Value, downcast};

const A: Ty = Ty::Any;
const S: Ty = Ty::Str;
const I: Ty = Ty::Int;
const C: Ty = Ty::Certificate;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: None, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("genPrivateKey", [S], gen_private_key),
    f!("buildCustomCert", [S, S], build_custom_cert),
    f!("genCA", [S, I], gen_ca),
    f!("genCAWithKey", [S, I, S], gen_ca_with_key),
    f!("genSelfSignedCert", [S, A, A, I], gen_self_signed_cert),
    f!(
        "genSelfSignedCertWithKey",
        [S, A, A, I, S],
        gen_self_signed_cert_with_key
    ),
    f!("genSignedCert", [S, A, A, I, C], gen_signed_cert),
    f!(
        "genSignedCertWithKey",
        [S, A, A, I, C, S],
        gen_signed_cert_with_key
    ),
];

// ---------------------------------------------------------------------------------------------
// Sprig's `certificate` struct

/// Sprig's `certificate` struct, `{Cert, Key string}`: what the generators return and
/// `genSignedCert` takes as its CA.
pub struct Certificate {
    cert: Value,
    key: Value,
}

impl Object for Certificate {
    fn type_name(&self) -> &'static str {
        "sprig.certificate"
    }

    fn kind(&self) -> HostKind {
        HostKind::Struct
    }

    fn field(&self, name: &str) -> Option<Field> {
        match name {
            "Cert" => Some(Field::Exported(self.cert.clone())),
            "Key" => Some(Field::Exported(self.key.clone())),
            _ => None,
        }
    }

    fn fields(&self) -> Option<Vec<Value>> {
        Some(vec![self.cert.clone(), self.key.clone()])
    }

    fn to_json(&self) -> Result<serde_json::Value, String> {
        let text =
            |v: &Value| String::from_utf8_lossy(v.as_bytes().unwrap_or_default()).into_owned();
        Ok(serde_json::json!({ "Cert": text(&self.cert), "Key": text(&self.key) }))
    }

    fn go_eq(&self, other: &dyn Object) -> bool {
        downcast::<Certificate>(other).is_some_and(|o| {
            o.cert.as_bytes() == self.cert.as_bytes() && o.key.as_bytes() == self.key.as_bytes()
        })
    }

    fn deep_eq(&self, other: &dyn Object) -> bool {
        self.go_eq(other)
    }
}

impl Certificate {
    /// A certificate value from PEM texts (tests of the engine build one too).
    pub fn value(cert_pem: Vec<u8>, key_pem: Vec<u8>) -> Value {
        Value::Object(Rc::new(Certificate {
            cert: Value::str(cert_pem),
            key: Value::str(key_pem),
        }))
    }
}

/// The `Cert` and `Key` of a `certificate` argument (the executor checked its type).
fn certificate_arg(v: &Value) -> Result<(Vec<u8>, Secret), String> {
    let Value::Object(o) = v else {
        return Err("invalid value; expected sprig.certificate".into());
    };
    let c = downcast::<Certificate>(o.as_ref()).ok_or_else(|| {
        format!(
            "wrong type for value; expected sprig.certificate; got {}",
            v.type_name()
        )
    })?;
    let bytes = |v: &Value| v.as_bytes().unwrap_or_default().to_vec();
    Ok((bytes(&c.cert), zeroize::Zeroizing::new(bytes(&c.key))))
}

/// A `[]interface {}` argument: nil is an empty list, as Go passes a nil slice.
fn list_arg(v: &Value) -> Result<Vec<Value>, String> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::List(l) if l.elem == Elem::Any => Ok(l.items.clone()),
        v => Err(format!(
            "wrong type for value; expected []interface {{}}; got {}",
            v.type_name()
        )),
    }
}

/// Go's `%v` of a list element that is not a string; lists and maps, which may hold secret
/// strings, are named by their type.
fn not_a_string(v: &Value) -> String {
    match v {
        Value::List(_) | Value::Map(_) => v.type_name(),
        v => {
            let mut out = Vec::new();
            fmt::write_value(&mut out, v);
            String::from_utf8_lossy(&out).into_owned()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Keys

/// A private key as Sprig holds one: a `crypto/x509` key, or a DSA key (its DER), which
/// `crypto/x509` cannot use.
enum Key {
    X509(PrivateKey),
    Dsa(Secret),
}

/// Sprig's `pemBlockForKey`, encoded.
fn pem_block_for_key(key: &Key) -> Vec<u8> {
    match key {
        Key::X509(PrivateKey::Rsa(rsa)) => pem::encode("RSA PRIVATE KEY", &rsa.to_pkcs1()),
        Key::Dsa(der) => pem::encode("DSA PRIVATE KEY", der),
        Key::X509(k) => match k.to_sec1() {
            Some(sec1) => pem::encode("EC PRIVATE KEY", &sec1),
            None => pem::encode("PRIVATE KEY", &k.to_pkcs8()),
        },
    }
}

/// Go's RSA key validation at parse time (Go 1.24+ checks the CRT values; keys too small to use
/// are refused only when used, as in Go).
fn validated(key: PrivateKey) -> Result<PrivateKey, String> {
    key.validate()?;
    Ok(key)
}

/// Sprig's `parsePrivateKeyPEM`.
fn parse_private_key_pem(text: &[u8]) -> Result<Key, String> {
    let (block, _) = pem::decode(text).ok_or("no PEM data in input")?;
    let kind = String::from_utf8_lossy(block.kind);
    if block.kind == b"PRIVATE KEY" {
        return key::parse_pkcs8(&block.bytes)
            .and_then(|k| {
                validated(k).map_err(|e| {
                    format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}")
                })
            })
            .map(Key::X509)
            .map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = block.kind.strip_suffix(b" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {kind}"));
    };
    match prefix {
        b"RSA" => key::parse_pkcs1(&block.bytes)
            .and_then(validated)
            .map(Key::X509)
            .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
        b"EC" => key::parse_sec1(&block.bytes)
            .map(Key::X509)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        b"DSA" => dsa::check(&block.bytes)
            .map(|()| Key::Dsa(block.bytes.clone()))
            .map_err(|e| format!("parsing DSA private key from PEM: {e}")),
        _ => Err(format!("invalid private key type {kind}")),
    }
}

/// Sprig's `rsa.GenerateKey(rand.Reader, 2048)` for the certificate functions.
fn rsa_2048() -> Result<Key, String> {
    key::generate_rsa(2048)
        .map(Key::X509)
        .map_err(|e| format!("error generating rsa key: {e}"))
}

/// Sprig's `generatePrivateKey`: the PEM, or an error's text as the value.
fn gen_private_key(args: &[Value]) -> Result<Value, String> {
    let generated = match str_arg(args, 0) {
        b"" | b"rsa" => key::generate_rsa(4096).map(Key::X509),
        b"dsa" => match dsa::generate() {
            Ok(der) => Ok(Key::Dsa(der)),
            Err(text) => return ok_str(text.into_bytes()),
        },
        b"ecdsa" => key::generate_p256().map(Key::X509),
        b"ed25519" => key::generate_ed25519().map(Key::X509),
        other => {
            let mut text = b"Unknown type ".to_vec();
            text.extend_from_slice(other);
            return ok_str(text);
        }
    };
    match generated {
        Ok(key) => ok_str(pem_block_for_key(&key)),
        Err(e) => ok_str(format!("failed to generate private key: {e}").into_bytes()),
    }
}

// ---------------------------------------------------------------------------------------------
// Certificates

/// Whole seconds of Go's `time.Now()` and of `time.Now().Add(24h * days)`, the Duration product
/// wrapping as Go's int64 arithmetic does.
fn validity(days: i64) -> (i64, i64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(0));
    let duration = 86_400_000_000_000i64.wrapping_mul(days);
    let secs = |ns: i128| i64::try_from(ns.div_euclid(1_000_000_000)).unwrap_or(0);
    (secs(now), secs(now + i128::from(duration)))
}

/// Sprig's `getBaseCertTemplate`, with its `getNetIPs` and `getAlternateDNSStrs`.
fn base_template(cn: &[u8], ips: &[Value], dns: &[Value], days: i64) -> Result<Template, String> {
    let mut ip_addresses = Vec::with_capacity(ips.len());
    for ip in ips {
        let Some(text) = ip.as_bytes() else {
            return Err(format!(
                "error parsing ip: {} is not a string",
                not_a_string(ip)
            ));
        };
        let parsed = net::parse_ip(text).ok_or("error parsing ip")?;
        ip_addresses.push(net::ip_bytes(&parsed).to_vec());
    }
    let mut dns_names = Vec::with_capacity(dns.len());
    for name in dns {
        let Some(text) = name.as_bytes() else {
            return Err(format!(
                "error processing alternate dns name: {} is not a string",
                not_a_string(name)
            ));
        };
        dns_names.push(text.to_vec());
    }
    let mut serial = vec![0u8; 16];
    crate::pki::os_random(&mut serial)?;
    let (not_before, not_after) = validity(days);
    Ok(Template {
        serial,
        common_name: cn.to_vec(),
        not_before,
        not_after,
        key_usage: cert::KEY_USAGE_KEY_ENCIPHERMENT | cert::KEY_USAGE_DIGITAL_SIGNATURE,
        server_and_client_auth: true,
        basic_constraints_valid: true,
        is_ca: false,
        dns_names,
        ip_addresses,
    })
}

/// Sprig's `getCertAndKey`: the certificate of `signee`'s public key signed by `signer` (the
/// parent `None` for a self-signed one), both as PEM, through Go's `CreateCertificate` checks.
fn cert_and_key(
    template: &Template,
    signee: &Key,
    parent: Option<&Parent<'_>>,
    signer: &Key,
) -> Result<Value, String> {
    let failed = |e: &str| format!("error creating certificate: {e}");
    let Key::X509(signer) = signer else {
        return Err(failed(
            "x509: certificate private key does not implement crypto.Signer",
        ));
    };
    let Key::X509(signee_key) = signee else {
        return Err(failed("x509: unsupported public key type: *dsa.PublicKey"));
    };
    let public = signee_key.public_key().map_err(|e| failed(&e))?;
    let der = cert::create(template, parent, &public, signer).map_err(|e| failed(&e))?;
    Ok(Certificate::value(
        pem::encode("CERTIFICATE", &der),
        pem_block_for_key(signee),
    ))
}

/// Sprig's `generateCertificateAuthorityWithKeyInternal`.
fn ca_with_key(cn: &[u8], days: i64, key: &Key) -> Result<Value, String> {
    let mut template = base_template(cn, &[], &[], days)?;
    template.key_usage |= cert::KEY_USAGE_CERT_SIGN;
    template.is_ca = true;
    cert_and_key(&template, key, None, key)
}

fn with_key(text: &[u8]) -> Result<Key, String> {
    parse_private_key_pem(text).map_err(|e| format!("parsing private key: {e}"))
}

fn gen_ca(args: &[Value]) -> Result<Value, String> {
    ca_with_key(str_arg(args, 0), int(args, 1), &rsa_2048()?)
}

fn gen_ca_with_key(args: &[Value]) -> Result<Value, String> {
    ca_with_key(str_arg(args, 0), int(args, 1), &with_key(str_arg(args, 2))?)
}

/// The `cn ips alternateDNS daysValid` arguments shared by the self-signed and signed forms.
struct CertArgs<'a> {
    cn: &'a [u8],
    ips: Vec<Value>,
    dns: Vec<Value>,
    days: i64,
}

fn cert_args(args: &[Value]) -> Result<CertArgs<'_>, String> {
    let nil = Value::Nil;
    Ok(CertArgs {
        cn: str_arg(args, 0),
        ips: list_arg(args.get(1).unwrap_or(&nil))?,
        dns: list_arg(args.get(2).unwrap_or(&nil))?,
        days: int(args, 3),
    })
}

fn self_signed(a: &CertArgs<'_>, key: &Key) -> Result<Value, String> {
    let template = base_template(a.cn, &a.ips, &a.dns, a.days)?;
    cert_and_key(&template, key, None, key)
}

fn gen_self_signed_cert(args: &[Value]) -> Result<Value, String> {
    let a = cert_args(args)?;
    self_signed(&a, &rsa_2048()?)
}

fn gen_self_signed_cert_with_key(args: &[Value]) -> Result<Value, String> {
    let a = cert_args(args)?;
    self_signed(&a, &with_key(str_arg(args, 4))?)
}

/// Sprig's `generateSignedCertificateWithKeyInternal`.
fn signed(a: &CertArgs<'_>, ca: &(Vec<u8>, Secret), key: &Key) -> Result<Value, String> {
    let (ca_cert, ca_key) = ca;
    let (block, _) = pem::decode(ca_cert).ok_or("unable to decode certificate")?;
    let parsed = parse_cert(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer =
        parse_private_key_pem(ca_key).map_err(|e| format!("error parsing private key: {e}"))?;
    let template = base_template(a.cn, &a.ips, &a.dns, a.days)?;
    let parent = Parent {
        subject: parsed.subject,
        subject_key_id: parsed.ski,
        spki: parsed.spki,
    };
    cert_and_key(&template, key, Some(&parent), &signer)
}

fn gen_signed_cert(args: &[Value]) -> Result<Value, String> {
    let a = cert_args(args)?;
    let ca = certificate_arg(args.get(4).unwrap_or(&Value::Nil))?;
    signed(&a, &ca, &rsa_2048()?)
}

fn gen_signed_cert_with_key(args: &[Value]) -> Result<Value, String> {
    let a = cert_args(args)?;
    let ca = certificate_arg(args.get(4).unwrap_or(&Value::Nil))?;
    signed(&a, &ca, &with_key(str_arg(args, 5))?)
}

/// Sprig's `buildCustomCertificate`: the decoded certificate and key, checked.
fn build_custom_cert(args: &[Value]) -> Result<Value, String> {
    let cert = gocompat::base64::decode_std(str_arg(args, 0))
        .map_err(|_| "unable to decode base64 certificate")?;
    let key = zeroize::Zeroizing::new(
        gocompat::base64::decode_std(str_arg(args, 1))
            .map_err(|_| "unable to decode base64 private key")?,
    );
    let (block, _) = pem::decode(&cert).ok_or("unable to decode certificate")?;
    parse_cert(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    parse_private_key_pem(&key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(Certificate::value(cert, key.to_vec()))
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;
    use crate::pki::name;
    use crate::template::funcs::{assert_matches_go, render_for_test};

    /// Whether `openssl` is here; in CI it must be (tests/run.sh installs it).
    fn have_openssl() -> bool {
        let found = Command::new("openssl").arg("version").output().is_ok();
        assert!(
            found || std::env::var("CI").as_deref() != Ok("true"),
            "openssl is required in CI (tests/run.sh installs it)"
        );
        found
    }

    /// Runs `openssl args…` in `dir`: its exit status and standard output.
    fn openssl(dir: &Path, args: &[&str]) -> (bool, String) {
        let out = Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    }

    fn openssl_ok(dir: &Path, args: &[&str]) -> String {
        let (ok, text) = openssl(dir, args);
        assert!(ok, "openssl {args:?}: {text}");
        text
    }

    /// The PEM blocks of a rendering, in order.
    fn blocks(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("-----BEGIN ") {
            let end_marker = rest[start..].find("-----END ").unwrap() + start;
            let end = rest[end_marker..].find('\n').unwrap() + end_marker + 1;
            out.push(rest[start..end].to_owned());
            rest = &rest[end..];
        }
        out
    }

    fn der_of(pem_text: &str) -> Vec<u8> {
        pem::decode(pem_text.as_bytes()).unwrap().0.bytes.to_vec()
    }

    fn kind_of(pem_text: &str) -> String {
        String::from_utf8(pem::decode(pem_text.as_bytes()).unwrap().0.kind.to_vec()).unwrap()
    }

    fn sans(pem_text: &str) -> String {
        render_for_test(&format!("{{{{ certSANs {pem_text:?} | join \",\" }}}}"))
    }

    /// The SubjectPublicKeyInfo of a PEM private key, as this crate's parsers and
    /// `MarshalPKIXPublicKey` see it.
    fn spki_of_key(pem_text: &str) -> Vec<u8> {
        let Key::X509(k) = parse_private_key_pem(pem_text.as_bytes()).unwrap() else {
            panic!("DSA")
        };
        k.public_key().unwrap().to_pkix().to_vec()
    }

    /// The call's error, as `render_for_test` prints a failed call of `name`.
    fn call_error(tpl: &str, name: &str) -> String {
        let out = render_for_test(tpl);
        let marker = format!(": error calling {name}: ");
        match out.find(&marker) {
            Some(i) => out[i + marker.len()..].to_owned(),
            None => panic!("{tpl}: {out}"),
        }
    }

    /// The CA parameter is Go's struct type: the executor refuses anything else before the call.
    #[test]
    fn ca_argument_must_be_a_certificate() {
        assert_matches_go(&[
            (
                r#"{{ genSignedCert "x" nil nil 1 "ca" }}"#,
                r#"ERR: template: t:1:31: executing "t" at <"ca">: can't handle "ca" for arg of type sprig.certificate"#,
            ),
            (
                r#"{{ genSignedCert "x" nil nil 1 (dict "Cert" "a" "Key" "b") }}"#,
                r#"ERR: template: t:1:54: executing "t" at <"b">: wrong type for value; expected sprig.certificate; got map[string]interface {}"#,
            ),
            (
                r#"{{ genSignedCert "x" nil nil 1 nil }}"#,
                r#"ERR: template: t:1:31: executing "t" at <nil>: cannot assign nil to sprig.certificate"#,
            ),
        ]);
    }

    /// `genCA` and `genSignedCert` (two RSA-2048 keys): Sprig's fields, read back by
    /// eso-render's parsers and by OpenSSL, which verifies the chain.
    #[test]
    fn rsa_ca_signs_a_leaf_openssl_verifies() {
        let out = render_for_test(
            r#"{{ $ca := genCA "my-ca" 365 }}{{ $leaf := genSignedCert "leaf.example" (list "10.0.0.1" "::1" "::ffff:1.2.3.4") (list "a.example" "b.example") 30 $ca }}{{ $ca.Cert }}{{ $ca.Key }}{{ $leaf.Cert }}{{ $leaf.Key }}{{ typeOf $ca }}"#,
        );
        let b = blocks(&out);
        assert_eq!(b.len(), 4, "{out}");
        assert!(out.ends_with("sprig.certificate"), "{out}");
        let (ca, ca_key, leaf, leaf_key) = (&b[0], &b[1], &b[2], &b[3]);
        assert_eq!(kind_of(ca_key), "RSA PRIVATE KEY");
        assert_eq!(kind_of(leaf_key), "RSA PRIVATE KEY");
        let (ca_der, leaf_der) = (der_of(ca), der_of(leaf));
        let (ca_c, leaf_c) = (parse_cert(&ca_der).unwrap(), parse_cert(&leaf_der).unwrap());
        assert_eq!(name::go_string(ca_c.subject).unwrap(), "CN=my-ca");
        assert_eq!(name::go_string(leaf_c.subject).unwrap(), "CN=leaf.example");
        assert_eq!(ca_c.spki, spki_of_key(ca_key));
        assert_eq!(leaf_c.spki, spki_of_key(leaf_key));
        // Go 1.25+: the first 160 bits of SHA-256 of the public key bits; the leaf has none.
        use sha2::Digest as _;
        let bits = &ca_c.spki[ca_c.spki.len() - 270..];
        assert_eq!(
            ca_c.ski.unwrap(),
            &sha2::Sha256::digest(bits)[..20],
            "subject key id"
        );
        assert!(leaf_c.ski.is_none());
        assert_eq!(
            sans(leaf),
            "a.example,b.example,10.0.0.1,::1,1.2.3.4",
            "SANs in Go's order, the mapped IPv4 address as 4 bytes"
        );
        assert_eq!(sans(ca), "");
        let key = key::parse_pkcs1(&der_of(leaf_key)).unwrap();
        let PrivateKey::Rsa(rsa) = &key else {
            panic!("RSA")
        };
        assert_eq!(rsa.n.len(), 256, "2048 bits");

        if !have_openssl() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        for (file, text) in [
            ("ca.pem", ca),
            ("ca.key", ca_key),
            ("leaf.pem", leaf),
            ("leaf.key", leaf_key),
        ] {
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let d = dir.path();
        assert!(
            openssl_ok(d, &["verify", "-CAfile", "ca.pem", "leaf.pem"]).contains("leaf.pem: OK")
        );
        let ca_text = openssl_ok(d, &["x509", "-in", "ca.pem", "-noout", "-text"]);
        for want in [
            "Version: 3 (0x2)",
            "Signature Algorithm: sha256WithRSAEncryption",
            "Issuer: CN = my-ca",
            "Subject: CN = my-ca",
            "Public-Key: (2048 bit)",
            "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment, Certificate Sign",
            "X509v3 Extended Key Usage: \n                TLS Web Server Authentication, TLS Web Client Authentication",
            "X509v3 Basic Constraints: critical\n                CA:TRUE",
            "X509v3 Subject Key Identifier",
        ] {
            assert!(ca_text.contains(want), "{want}\n{ca_text}");
        }
        assert!(!ca_text.contains("Authority Key Identifier"), "{ca_text}");
        let leaf_text = openssl_ok(d, &["x509", "-in", "leaf.pem", "-noout", "-text"]);
        let ski = ca_c
            .ski
            .unwrap()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>();
        for want in [
            "Issuer: CN = my-ca".to_owned(),
            "Subject: CN = leaf.example".to_owned(),
            "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n"
                .to_owned(),
            "X509v3 Basic Constraints: critical\n                CA:FALSE".to_owned(),
            format!("X509v3 Authority Key Identifier: \n                {}", ski.join(":")),
            "DNS:a.example, DNS:b.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:1.2.3.4".to_owned(),
        ] {
            assert!(leaf_text.contains(&want), "{want}\n{leaf_text}");
        }
        assert!(!leaf_text.contains("Subject Key Identifier"), "{leaf_text}");
        // Valid from now for 30 and 365 days.
        let day = 86_400;
        for (file, days) in [("leaf.pem", 30), ("ca.pem", 365)] {
            let soon = (days - 1) * day;
            let late = (days + 1) * day;
            assert!(
                openssl(
                    d,
                    &[
                        "x509",
                        "-in",
                        file,
                        "-noout",
                        "-checkend",
                        &soon.to_string()
                    ]
                )
                .0
            );
            assert!(
                !openssl(
                    d,
                    &[
                        "x509",
                        "-in",
                        file,
                        "-noout",
                        "-checkend",
                        &late.to_string()
                    ]
                )
                .0
            );
        }
        // Each certificate carries its key's public half; the keys are sound.
        for (cert_file, key_file) in [("ca.pem", "ca.key"), ("leaf.pem", "leaf.key")] {
            let from_cert = openssl_ok(d, &["x509", "-in", cert_file, "-noout", "-pubkey"]);
            let from_key = openssl_ok(d, &["pkey", "-in", key_file, "-pubout"]);
            assert_eq!(from_cert, from_key);
            assert!(
                openssl_ok(d, &["pkey", "-in", key_file, "-check", "-noout"]).contains("valid")
            );
        }
    }

    /// `genPrivateKey "ecdsa"` and `"ed25519"` keys through the `*WithKey` forms (no RSA key
    /// generated): an Ed25519 CA signs an ECDSA leaf, and a self-signed ECDSA certificate.
    #[test]
    fn ec_and_ed25519_keys_through_with_key_forms() {
        let out = render_for_test(
            r#"{{ $ed := genPrivateKey "ed25519" }}{{ $ec := genPrivateKey "ecdsa" }}{{ $ca := genCAWithKey "" 10 $ed }}{{ $leaf := genSignedCertWithKey "leaf" nil (list "svc.local") 5 $ca $ec }}{{ $self := genSelfSignedCertWithKey "self" (list "192.168.0.1") nil 1 $ec }}{{ $ed }}{{ $ec }}{{ $ca.Cert }}{{ $ca.Key }}{{ $leaf.Cert }}{{ $leaf.Key }}{{ $self.Cert }}{{ $self.Key }}"#,
        );
        let b = blocks(&out);
        assert_eq!(b.len(), 8, "{out}");
        let (ed, ec, ca, ca_key, leaf, leaf_key, own, own_key) =
            (&b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7]);
        assert_eq!(kind_of(ed), "PRIVATE KEY");
        assert_eq!(kind_of(ec), "EC PRIVATE KEY");
        // pemBlockForKey re-encodes the given key the way genPrivateKey wrote it.
        assert_eq!(ca_key, ed);
        assert_eq!(leaf_key, ec);
        assert_eq!(own_key, ec);
        let ca_der = der_of(ca);
        let ca_c = parse_cert(&ca_der).unwrap();
        let leaf_der = der_of(leaf);
        let leaf_c = parse_cert(&leaf_der).unwrap();
        assert_eq!(name::go_string(ca_c.subject).unwrap(), "");
        assert_eq!(ca_c.spki, spki_of_key(ed));
        assert_eq!(leaf_c.spki, spki_of_key(ec));
        assert_eq!(sans(leaf), "svc.local");
        assert_eq!(sans(own), "192.168.0.1");

        if !have_openssl() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for (file, text) in [("ca.pem", ca), ("leaf.pem", leaf), ("self.pem", own)] {
            std::fs::write(d.join(file), text).unwrap();
        }
        for (file, text) in [("ed.key", ed), ("ec.key", ec)] {
            std::fs::write(d.join(file), text).unwrap();
            assert!(openssl_ok(d, &["pkey", "-in", file, "-check", "-noout"]).contains("valid"));
        }
        assert!(openssl_ok(d, &["verify", "-CAfile", "ca.pem", "leaf.pem"]).contains("OK"));
        let ca_text = openssl_ok(d, &["x509", "-in", "ca.pem", "-noout", "-text"]);
        // An empty subject; no SAN, so nothing to mark critical.
        assert!(
            ca_text.contains("Signature Algorithm: ED25519"),
            "{ca_text}"
        );
        assert!(
            ca_text.contains("Subject: \n") || ca_text.contains("Subject:\n"),
            "{ca_text}"
        );
        let leaf_text = openssl_ok(d, &["x509", "-in", "leaf.pem", "-noout", "-text"]);
        assert!(
            leaf_text.contains("Signature Algorithm: ED25519"),
            "{leaf_text}"
        );
        assert!(
            leaf_text.contains("Public Key Algorithm: id-ecPublicKey"),
            "{leaf_text}"
        );
        assert!(
            leaf_text.contains("X509v3 Authority Key Identifier"),
            "{leaf_text}"
        );
        let own_text = openssl_ok(d, &["x509", "-in", "self.pem", "-noout", "-text"]);
        assert!(
            own_text.contains("Signature Algorithm: ecdsa-with-SHA256"),
            "{own_text}"
        );
        assert!(own_text.contains("IP Address:192.168.0.1"), "{own_text}");
        // A self-signed certificate verifies against itself.
        assert!(openssl_ok(d, &["verify", "-CAfile", "self.pem", "self.pem"]).contains("OK"));
        let from_cert = openssl_ok(d, &["x509", "-in", "self.pem", "-noout", "-pubkey"]);
        assert_eq!(
            from_cert,
            openssl_ok(d, &["pkey", "-in", "ec.key", "-pubout"])
        );
    }

    /// A subject-less certificate with names has its SAN extension critical (Go's rule).
    #[test]
    fn empty_subject_makes_the_san_critical() {
        let out = render_for_test(
            r#"{{ $k := genPrivateKey "ed25519" }}{{ (genSelfSignedCertWithKey "" nil (list "x.example") 1 $k).Cert }}"#,
        );
        let der = der_of(&out);
        // Extension: SEQUENCE { OID 2.5.29.17, BOOLEAN TRUE, OCTET STRING … }.
        let ext = [0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0xff];
        assert!(der.windows(ext.len()).any(|w| w == ext));
        let out = render_for_test(
            r#"{{ $k := genPrivateKey "ed25519" }}{{ (genSelfSignedCertWithKey "x" nil (list "x.example") 1 $k).Cert }}"#,
        );
        let der = der_of(&out);
        let ext = [0x06, 0x03, 0x55, 0x1d, 0x11, 0x04];
        assert!(der.windows(ext.len()).any(|w| w == ext));
    }

    #[test]
    fn validity_follows_go_duration_arithmetic() {
        let t = base_template(b"x", &[], &[], 365).unwrap();
        assert_eq!(t.not_after - t.not_before, 365 * 86_400);
        let t = base_template(b"x", &[], &[], -2).unwrap();
        assert_eq!(t.not_after - t.not_before, -2 * 86_400);
        // 24h × 200000 days overflows Go's int64 nanoseconds and wraps.
        let t = base_template(b"x", &[], &[], 200_000).unwrap();
        let wrapped = 86_400_000_000_000i64.wrapping_mul(200_000) / 1_000_000_000;
        assert!((t.not_after - t.not_before - wrapped).abs() <= 1);
        assert_eq!(t.serial.len(), 16);
        assert_eq!(t.key_usage, 5);
    }

    /// Sprig's and Go's error texts, with no key generated.
    #[test]
    fn errors_match_sprig() {
        let ed = "{{ $k := genPrivateKey \"ed25519\" }}";
        let cases: &[(&str, &str, &str)] = &[
            (
                r#"genSelfSignedCertWithKey "x" (list "1.2.3.x") nil 1 $k"#,
                "genSelfSignedCertWithKey",
                "error parsing ip",
            ),
            (
                r#"genSelfSignedCertWithKey "x" (list 5) nil 1 $k"#,
                "genSelfSignedCertWithKey",
                "error parsing ip: 5 is not a string",
            ),
            (
                r#"genSelfSignedCertWithKey "x" (list (list "a")) nil 1 $k"#,
                "genSelfSignedCertWithKey",
                "error parsing ip: []interface {} is not a string",
            ),
            (
                r#"genSelfSignedCertWithKey "x" nil (list "a" true) 1 $k"#,
                "genSelfSignedCertWithKey",
                "error processing alternate dns name: true is not a string",
            ),
            (
                r#"genSelfSignedCertWithKey "x" "1.2.3.4" nil 1 $k"#,
                "genSelfSignedCertWithKey",
                "wrong type for value; expected []interface {}; got string",
            ),
            (
                r#"genSelfSignedCertWithKey "x" nil (list "bücher.example") 1 $k"#,
                "genSelfSignedCertWithKey",
                "error creating certificate: x509: a DNS name cannot be encoded as an IA5String",
            ),
            (
                r#"genSelfSignedCertWithKey "\xff" nil nil 1 $k"#,
                "genSelfSignedCertWithKey",
                "error creating certificate: asn1: string not valid UTF-8",
            ),
            (
                r#"genCAWithKey "x" 1 "junk""#,
                "genCAWithKey",
                "parsing private key: no PEM data in input",
            ),
            (
                r#"genCAWithKey "x" 1 "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n""#,
                "genCAWithKey",
                "parsing private key: no private key data in PEM block of type CERTIFICATE",
            ),
            (
                r#"genCAWithKey "x" 1 "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n""#,
                "genCAWithKey",
                "parsing private key: invalid private key type OPENSSH PRIVATE KEY",
            ),
            (
                r#"genCAWithKey "x" 1 "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n""#,
                "genCAWithKey",
                "parsing private key: parsing EC private key from PEM: x509: failed to parse EC private key: malformed ECPrivateKey",
            ),
            (
                r#"genCAWithKey "x" 1 "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n""#,
                "genCAWithKey",
                "parsing private key: decoding PEM as PKCS#8: x509: malformed PKCS#8 private key",
            ),
            // Sprig's DSA format (version, p, q, g, y, x) parses; Go cannot sign with it…
            (
                r#"genCAWithKey "x" 1 "-----BEGIN DSA PRIVATE KEY-----\nMBICAQACAQECAQICAQMCAQQCAQU=\n-----END DSA PRIVATE KEY-----\n""#,
                "genCAWithKey",
                "error creating certificate: x509: certificate private key does not implement crypto.Signer",
            ),
            (
                r#"genCAWithKey "x" 1 "-----BEGIN DSA PRIVATE KEY-----\nMAMCAQA=\n-----END DSA PRIVATE KEY-----\n""#,
                "genCAWithKey",
                "parsing private key: parsing DSA private key from PEM: asn1: syntax error: sequence truncated",
            ),
            // …nor certify it.
            (
                r#"genSignedCertWithKey "x" nil nil 1 (genCAWithKey "ca" 1 $k) "-----BEGIN DSA PRIVATE KEY-----\nMBICAQACAQECAQICAQMCAQQCAQU=\n-----END DSA PRIVATE KEY-----\n""#,
                "genSignedCertWithKey",
                "error creating certificate: x509: unsupported public key type: *dsa.PublicKey",
            ),
            // The CA certificate with another key than its own.
            (
                r#"genSignedCertWithKey "x" nil nil 1 (buildCustomCert ((genCAWithKey "ca" 1 $k).Cert | b64enc) (genPrivateKey "ed25519" | b64enc)) $k"#,
                "genSignedCertWithKey",
                "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey",
            ),
            (
                r#"genSignedCertWithKey "x" nil nil 1 (buildCustomCert ((genCAWithKey "ca" 1 $k).Cert | b64enc) (genPrivateKey "ecdsa" | b64enc)) $k"#,
                "genSignedCertWithKey",
                "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey",
            ),
            (
                r#"buildCustomCert "%%" """#,
                "buildCustomCert",
                "unable to decode base64 certificate",
            ),
            (
                r#"buildCustomCert "" "%%""#,
                "buildCustomCert",
                "unable to decode base64 private key",
            ),
            (
                r#"buildCustomCert "bm8gcGVt" """#,
                "buildCustomCert",
                "unable to decode certificate",
            ),
            (
                r#"buildCustomCert ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" | b64enc) """#,
                "buildCustomCert",
                "error parsing certificate: decodedCert.Bytes: x509: malformed certificate",
            ),
            (
                r#"buildCustomCert ((genCAWithKey "ca" 1 $k).Cert | b64enc) "bm8gcGVt""#,
                "buildCustomCert",
                "error parsing private key: no PEM data in input",
            ),
        ];
        for (call, name, want) in cases {
            let got = call_error(&format!("{ed}{{{{ {call} }}}}"), name);
            assert_eq!(&got, want, "{call}");
        }
        assert_eq!(
            render_for_test(r#"{{ genPrivateKey "rsa2" }}"#),
            "Unknown type rsa2"
        );
    }

    /// `buildCustomCert` hands back the decoded texts unchanged, and its value feeds
    /// `genSignedCert*` like a generated CA's.
    #[test]
    fn build_custom_cert_round_trips() {
        let out = render_for_test(
            r#"{{ $k := genPrivateKey "ecdsa" }}{{ $ca := genCAWithKey "ca" 3 $k }}{{ $c := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $c.Cert $ca.Cert }} {{ eq $c.Key $ca.Key }} {{ $leaf := genSignedCertWithKey "leaf" nil nil 1 $c $k }}{{ len $leaf.Cert | lt 100 }}"#,
        );
        assert_eq!(out, "true true true");
    }

    /// The key kinds that are slow to generate: RSA-4096 and DSA-2048, checked by OpenSSL.
    #[test]
    fn rsa_and_dsa_private_keys() {
        let rsa = render_for_test(r#"{{ genPrivateKey "rsa" }}"#);
        assert_eq!(kind_of(&rsa), "RSA PRIVATE KEY");
        let PrivateKey::Rsa(k) = key::parse_pkcs1(&der_of(&rsa)).unwrap() else {
            panic!("RSA")
        };
        assert_eq!(k.n.len(), 512, "4096 bits");
        assert_eq!(&k.e[..], &[1, 0, 1]);
        let dsa_pem = render_for_test(r#"{{ genPrivateKey "dsa" }}"#);
        assert_eq!(kind_of(&dsa_pem), "DSA PRIVATE KEY");
        let der = der_of(&dsa_pem);
        dsa::check(&der).unwrap();
        // version 0, then p of 2048 bits and q of 256.
        assert_eq!(&der[4..7], &[0x02, 0x01, 0x00]);
        assert_eq!(&der[7..11], &[0x02, 0x82, 0x01, 0x01]);
        if !have_openssl() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("rsa.key"), &rsa).unwrap();
        std::fs::write(d.join("dsa.key"), &dsa_pem).unwrap();
        assert!(openssl_ok(d, &["pkey", "-in", "rsa.key", "-check", "-noout"]).contains("valid"));
        let text = openssl_ok(d, &["pkey", "-in", "dsa.key", "-text", "-noout"]);
        assert!(text.contains("Private-Key: (2048 bit)"), "{text}");
        assert!(openssl_ok(d, &["pkey", "-in", "dsa.key", "-check", "-noout"]).contains("valid"));
    }
}
