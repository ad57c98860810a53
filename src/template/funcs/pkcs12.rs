//! ESO's PKCS#12 functions: `pkcs12key`, `pkcs12keyPass`, `pkcs12cert`, `pkcs12certPass`,
//! `pemToPkcs12`, `pemToPkcs12Pass`, `fullPemToPkcs12`, `fullPemToPkcs12Pass`,
//! `pemTruststoreToPKCS12` and `pemTruststoreToPKCS12Pass`.
//!
//! Mirrors `runtime/template/v2/pkcs12.go` over `crate::pki::pkcs12` (go-pkcs12's
//! `DecodeChain` and `Modern` encoder): the key comes out as PKCS#8 `PRIVATE KEY` PEM, the
//! certificates as PEM ordered leaf first by ESO's `fetchCertChains` (in archive order when
//! no single chain can be built); archives are written base64-encoded. Where ESO's Go code
//! dereferences a nil PEM block (no PEM in the input, or trailing text after the last block of
//! a chain), Go panics and `text/template` reports the panic; so does this, with Go's text.
//!
//! Archives are written with fresh random salts and IVs, so their bytes differ from ESO's on
//! every call, as ESO's own do; the tests fix the random source to check them against Go's.
//!
//! Must not: put passwords, keys or certificates in an `Err`, or panic on any input.

use super::x509::{ordered_chain, parse_cert, pem_certificate};
use super::{FuncDef, Imp, Ty, ok_str, str_arg};
use crate::gocompat;
use crate::pki::key::{self, PrivateKey};
use crate::pki::pkcs12::{self, Rng};
use crate::pki::{name, pem};
use crate::template::fmt::runes;
use crate::template::value::Value;

const S: Ty = Ty::Str;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: None, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("pkcs12key", [S], |a| pkcs12_key("", str_arg(a, 0))),
    f!("pkcs12keyPass", [S, S], |a| pkcs12_key(
        &password(str_arg(a, 0)),
        str_arg(a, 1)
    )),
    f!("pkcs12cert", [S], |a| pkcs12_cert("", str_arg(a, 0))),
    f!("pkcs12certPass", [S, S], |a| pkcs12_cert(
        &password(str_arg(a, 0)),
        str_arg(a, 1)
    )),
    f!("pemToPkcs12", [S, S], |a| with_os_rng(|r| pem_to_pkcs12(
        r,
        str_arg(a, 0),
        str_arg(a, 1),
        "",
        false
    ))),
    f!("pemToPkcs12Pass", [S, S, S], |a| with_os_rng(|r| {
        pem_to_pkcs12(
            r,
            str_arg(a, 0),
            str_arg(a, 1),
            &password(str_arg(a, 2)),
            false,
        )
    })),
    f!("fullPemToPkcs12", [S, S], |a| with_os_rng(|r| {
        pem_to_pkcs12(r, str_arg(a, 0), str_arg(a, 1), "", true)
    })),
    f!("fullPemToPkcs12Pass", [S, S, S], |a| with_os_rng(|r| {
        pem_to_pkcs12(
            r,
            str_arg(a, 0),
            str_arg(a, 1),
            &password(str_arg(a, 2)),
            true,
        )
    })),
    f!("pemTruststoreToPKCS12", [S], |a| with_os_rng(|r| {
        truststore(r, str_arg(a, 0), "")
    })),
    f!("pemTruststoreToPKCS12Pass", [S, S], |a| with_os_rng(|r| {
        truststore(r, str_arg(a, 0), &password(str_arg(a, 1)))
    })),
];

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// A Go string as Go's `for range` reads it: each invalid byte is U+FFFD.
fn password(b: &[u8]) -> zeroize::Zeroizing<String> {
    zeroize::Zeroizing::new(runes(b).map(|(c, _)| c).collect())
}

fn with_os_rng(f: impl FnOnce(Rng<'_>) -> Result<Value, String>) -> Result<Value, String> {
    f(&mut crate::pki::os_random)
}

fn check_cert(der: &[u8]) -> Result<(), String> {
    parse_cert(der).map(|_| ())
}

fn pkcs12_key(pass: &str, input: &[u8]) -> Result<Value, String> {
    let chain = pkcs12::decode_chain(input, pass, &check_cert)
        .map_err(|e| format!("unable to decode pkcs12 with password: {e}"))?;
    ok_str(pem::encode("PRIVATE KEY", &chain.key.to_pkcs8()))
}

fn pkcs12_cert(pass: &str, input: &[u8]) -> Result<Value, String> {
    let chain = pkcs12::decode_chain(input, pass, &check_cert)
        .map_err(|e| format!("unable to decode pkcs12 certificate with password: {e}"))?;
    let mut ders = vec![chain.cert];
    ders.extend(chain.ca_certs);
    let out: Vec<u8> = match ordered_chain(&ders) {
        Ok(ordered) => ordered
            .iter()
            .flat_map(|c| pem_certificate(c.raw))
            .collect(),
        Err(_) => ders.iter().flat_map(|d| pem_certificate(d)).collect(),
    };
    ok_str(out)
}

/// ESO's `parseCaCerts`: every PEM block up to the end of the input, each a certificate.
fn parse_ca_certs(mut rest: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut certs = Vec::new();
    while !rest.is_empty() {
        let (block, next) = pem::decode(rest).ok_or(NIL_DEREF)?;
        rest = next;
        parse_cert(&block.bytes)?;
        certs.push(block.bytes.to_vec());
    }
    Ok(certs)
}

/// ESO's `pemToPkcs12Pass` and (`full`) `fullPemToPkcs12Pass`.
fn pem_to_pkcs12(
    rng: Rng<'_>,
    cert: &[u8],
    key: &[u8],
    pass: &str,
    full: bool,
) -> Result<Value, String> {
    let (block, rest) = pem::decode(cert).ok_or(NIL_DEREF)?;
    parse_cert(&block.bytes)?;
    let ca_certs = if full {
        parse_ca_certs(rest)?
    } else {
        Vec::new()
    };
    let (key_block, _) = pem::decode(key).ok_or(NIL_DEREF)?;
    let key: PrivateKey = key::parse_any(&key_block.bytes)?;
    let cas: Vec<&[u8]> = ca_certs.iter().map(Vec::as_slice).collect();
    let pfx = pkcs12::encode(rng, &key, &block.bytes, &cas, pass)?;
    ok_str(gocompat::base64::encode_std(&pfx).into_bytes())
}

/// ESO's `pemTruststoreToPKCS12Pass`: each certificate trusted, named by its subject.
fn truststore(rng: Rng<'_>, certs: &[u8], pass: &str) -> Result<Value, String> {
    let certs = parse_ca_certs(certs)?;
    let mut entries = Vec::with_capacity(certs.len());
    for der in &certs {
        let parsed = parse_cert(der)?;
        entries.push((der.as_slice(), name::go_string(parsed.subject)?));
    }
    let pfx = pkcs12::encode_trust_store(rng, &entries, pass)?;
    ok_str(gocompat::base64::encode_std(&pfx).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eso(file: &str) -> Vec<u8> {
        crate::pki::test_vector(&format!("eso/{file}"))
    }

    fn text_of(file: &str) -> String {
        String::from_utf8(eso(file)).unwrap()
    }

    fn b64(file: &str) -> Vec<u8> {
        gocompat::base64::decode_std(&eso(file)).unwrap()
    }

    fn text(v: Result<Value, String>) -> String {
        // Strings, so that a failure prints readable base64 or PEM.
        String::from_utf8(v.unwrap().as_bytes().unwrap().to_vec()).unwrap()
    }

    /// ESO's tests' `MockRandomReader`: every read yields `"0123456789"` then zeros.
    fn mock(buf: &mut [u8]) -> Result<(), String> {
        buf.fill(0);
        let src = br#""0123456789""#;
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        Ok(())
    }

    /// ESO's `TestPemToPkcs12`, `TestFullPemToPkcs12`, `TestPemTruststoreToPKCS12`: with Go's
    /// random source fixed, the archives are Go's byte for byte.
    #[test]
    fn encoders_match_go_byte_for_byte() {
        let (cert, key) = (eso("cert.pem"), eso("key.pem"));
        let mut chain = cert.clone();
        chain.push(b'\n');
        chain.extend(eso("other-cert.pem"));
        let got = text(pem_to_pkcs12(&mut mock, &cert, &key, "password", false));
        assert_eq!(got, text_of("expected-pemToPkcs12Pass.b64"));
        let got = text(pem_to_pkcs12(&mut mock, &chain, &key, "password", true));
        assert_eq!(got, text_of("expected-fullPemToPkcs12Pass.b64"));
        let got = text(truststore(&mut mock, &chain, "password"));
        assert_eq!(got, text_of("expected-pemTruststoreToPKCS12Pass.b64"));
    }

    /// ESO's template tests "base64 pkcs12 extract" (with and without password) and the
    /// wrong-password cases.
    #[test]
    fn decoders_match_eso_vectors() {
        let (cert, key) = (eso("cert.pem"), eso("key.pem"));
        let nopass = b64("content-nopass.p12.b64");
        let pass = b64("content-pass-123456.p12.b64");
        assert_eq!(text(pkcs12_key("", &nopass)).as_bytes(), key);
        assert_eq!(text(pkcs12_cert("", &nopass)).as_bytes(), cert);
        assert_eq!(text(pkcs12_key("123456", &pass)).as_bytes(), key);
        assert_eq!(text(pkcs12_cert("123456", &pass)).as_bytes(), cert);
        assert_eq!(
            pkcs12_key("wrong", &pass).unwrap_err(),
            "unable to decode pkcs12 with password: pkcs12: decryption password incorrect"
        );
        assert_eq!(
            pkcs12_cert("wrong", &pass).unwrap_err(),
            "unable to decode pkcs12 certificate with password: pkcs12: decryption password incorrect"
        );
    }

    /// ESO's `TestPkcs12certPass`: chains in one bag, several bags, with a password, and a
    /// disjunct chain that stays in archive order.
    #[test]
    fn chain_order_matches_eso() {
        let cat = |files: &[&str]| files.iter().flat_map(|f| eso(f)).collect::<Vec<u8>>();
        let ordered = cat(&["foo.crt", "intermediate-ca.crt", "root-ca.crt"]);
        for (file, pass) in [
            ("foo-nopass.pfx", ""),
            ("foo-withpass-1234.pfx", "1234"),
            ("foo-multibag-nopass.pfx", ""),
        ] {
            let got = text(pkcs12_cert(pass, &eso(file)));
            assert_eq!(got.as_bytes(), ordered, "{file}");
        }
        let disjunct = cat(&[
            "foo.crt",
            "root-ca.crt",
            "intermediate-ca.crt",
            "disjunct-root-ca.crt",
        ]);
        let got = text(pkcs12_cert("", &eso("foo-disjunct-nopass.pfx")));
        assert_eq!(got.as_bytes(), disjunct);
        assert!(pkcs12_cert("wrongpass", &eso("foo-withpass-1234.pfx")).is_err());
    }

    fn openssl(file: &str) -> Vec<u8> {
        crate::pki::test_vector(&format!("openssl/{file}"))
    }

    /// Archives written by OpenSSL 3 (`testdata/pki/openssl/generate.sh`) in every layout it
    /// offers, for RSA, EC P-384 and Ed25519 keys: the key comes out as OpenSSL's PKCS#8 PEM
    /// (which for these keys is also Go's), the chain reordered leaf first.
    #[test]
    fn openssl_archives() {
        for kind in ["rsa", "ec", "ed25519"] {
            let key = String::from_utf8(openssl(&format!("{kind}.pkcs8.pem"))).unwrap();
            let chain = String::from_utf8(openssl(&format!("{kind}.chain.pem"))).unwrap();
            for (layout, pass) in [
                ("aes", "s3cret"),
                ("aes-nopass", ""),
                ("3des", "s3cret"),
                ("sha512", "pässwörd"),
                ("nomac", ""),
            ] {
                let p12 = openssl(&format!("{kind}.{layout}.p12"));
                let what = format!("{kind}.{layout}.p12");
                assert_eq!(text(pkcs12_key(pass, &p12)), key, "{what}");
                assert_eq!(text(pkcs12_cert(pass, &p12)), chain, "{what}");
            }
            let wrong = pkcs12_key("wrong", &openssl(&format!("{kind}.aes.p12")));
            assert!(
                wrong
                    .unwrap_err()
                    .ends_with("decryption password incorrect")
            );
            assert_eq!(
                pkcs12_key("x", &openssl(&format!("{kind}.nomac.p12"))).unwrap_err(),
                "unable to decode pkcs12 with password: pkcs12: no MAC in data"
            );
        }
    }

    /// Archives eso-render writes from OpenSSL's keys and chains read back to the same key
    /// and chain (OpenSSL reads them too: see the integration test `pki`).
    #[test]
    fn openssl_keys_round_trip() {
        for kind in ["rsa", "ec", "ed25519"] {
            let key = openssl(&format!("{kind}.pkcs8.pem"));
            let chain = openssl(&format!("{kind}.chain.pem"));
            let pfx = text(with_os_rng(|r| pem_to_pkcs12(r, &chain, &key, "pw", true)));
            let der = gocompat::base64::decode_std(pfx.as_bytes()).unwrap();
            assert_eq!(text(pkcs12_key("pw", &der)).as_bytes(), key, "{kind}");
            assert_eq!(text(pkcs12_cert("pw", &der)).as_bytes(), chain, "{kind}");
        }
    }

    #[test]
    fn go_panics_on_missing_pem_are_reported_as_go_does() {
        let key = eso("key.pem");
        assert_eq!(
            pem_to_pkcs12(&mut mock, b"no pem", &key, "", false).unwrap_err(),
            NIL_DEREF
        );
        // Trailing text after the last certificate of a chain: ESO decodes a nil block.
        let mut chain = eso("cert.pem");
        chain.extend_from_slice(b"\n\n");
        assert_eq!(
            pem_to_pkcs12(&mut mock, &chain, &key, "", true).unwrap_err(),
            NIL_DEREF
        );
        assert_eq!(
            pem_to_pkcs12(
                &mut mock,
                &eso("cert.pem"),
                b"-----BEGIN X-----\nAAAA\n-----END X-----\n",
                "",
                false
            )
            .unwrap_err(),
            "unable to parse private key type"
        );
    }

    #[test]
    fn encoded_archives_decode_again() {
        let (cert, key) = (eso("cert.pem"), eso("key.pem"));
        let pfx = text(with_os_rng(|r| pem_to_pkcs12(r, &cert, &key, "pw", false)));
        let der = gocompat::base64::decode_std(pfx.as_bytes()).unwrap();
        assert_eq!(text(pkcs12_key("pw", &der)).as_bytes(), key);
        assert_eq!(text(pkcs12_cert("pw", &der)).as_bytes(), cert);
    }

    /// Mutated archives (flipped bytes, truncations) must decode or fail, never panic: the
    /// input is backend data.
    #[test]
    fn mutated_archives_never_panic() {
        let archives = [
            openssl("rsa.3des.p12"),
            openssl("ec.aes.p12"),
            openssl("ed25519.nomac.p12"),
            eso("foo-withpass-1234.pfx"),
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..240 {
            let mut a = archives[round % archives.len()].clone();
            match next() % 3 {
                0 => {
                    let at = (next() as usize) % a.len();
                    a[at] ^= 1 << (next() % 8);
                }
                1 => a.truncate((next() as usize) % a.len()),
                _ => {
                    let at = (next() as usize) % a.len();
                    a[at] = 0x80 | (next() as u8 & 0x7f);
                }
            }
            // "nomac" archives are only read with an empty password.
            let _ = pkcs12_key("", &a);
            let _ = pkcs12_cert("s3cret", &a);
        }
    }
}
