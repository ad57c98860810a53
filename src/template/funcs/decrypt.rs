//! ESO's `rsaDecrypt scheme hash ciphertext privateKey`.
//!
//! Mirrors `runtime/template/v2/decrypt.go`: scheme `None` returns the input unchanged;
//! `RSA-OAEP` decodes the first PEM block, parses it with ESO's `parsePrivateKey` (PKCS#1,
//! PKCS#8, SEC 1), requires an RSA key and decrypts with OAEP, no label, the hash (`SHA1`,
//! `SHA256`, `SHA512`; `None` and anything else mean SHA-256) serving as both the OAEP and the
//! MGF1 hash, as Go's `rsa.DecryptOAEP` does. Errors are ESO's texts. Like Go since 1.24, keys
//! under 1024 bits are refused.
//!
//! The RSA arithmetic is the `rsa` crate's (0.10, constant-time over `crypto-bigint`), which also
//! checks the key's consistency as Go's parser does.
//!
//! Must not: put the ciphertext, the plaintext or the key in an `Err`, or panic on any input.

use rsa::{BoxedUint, Oaep};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use super::{FuncDef, Imp, Ty, ok_str};
use crate::pki::key::{self, PrivateKey, RsaPrivate};
use crate::pki::pem;
use crate::template::value::Value;

pub static TABLE: &[FuncDef] = &[FuncDef {
    name: "rsaDecrypt",
    params: &[Ty::Str, Ty::Str, Ty::Str, Ty::Str],
    variadic: None,
    imp: Imp::Plain(rsa_decrypt),
}];

const ERR_DECRYPT: &str = "error decrypting data with RSA";

fn arg(args: &[Value], i: usize) -> &[u8] {
    args.get(i).and_then(Value::as_bytes).unwrap_or_default()
}

fn rsa_decrypt(args: &[Value]) -> Result<Value, String> {
    let (scheme, hash, input, key) = (arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3));
    match scheme {
        b"None" => ok_str(input.to_vec()),
        b"RSA-OAEP" => {
            let (block, _) =
                pem::decode(key).ok_or_else(|| "failed to decode PEM block".to_owned())?;
            let parsed = key::parse_any(&block.bytes)
                .map_err(|e| format!("could not parse private key: {e}"))?;
            let PrivateKey::Rsa(rsa) = parsed else {
                return Err("could not parse RSA private key".into());
            };
            ok_str(oaep_decrypt(&rsa, hash, input)?)
        }
        // The scheme is template text, not secret data, so Go's message may name it.
        other => Err(format!(
            "decryption scheme {} is not supported",
            String::from_utf8_lossy(other)
        )),
    }
}

fn uint(b: &[u8]) -> Result<BoxedUint, String> {
    let bits = u32::try_from(b.len().max(1) * 8).map_err(|_| "RSA key is too large".to_owned())?;
    BoxedUint::from_be_slice(b, bits)
        .ok()
        .ok_or_else(|| "could not parse RSA private key".to_owned())
}

fn oaep_decrypt(k: &RsaPrivate, hash: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    let bits = bit_len(&k.n);
    if bits < 1024 {
        return Err(format!(
            "{ERR_DECRYPT}: crypto/rsa: {bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
        ));
    }
    let key = rsa::PrivateKey::from_components(
        uint(&k.n)?,
        uint(&k.e)?,
        uint(&k.d)?,
        vec![uint(&k.p)?, uint(&k.q)?],
    )
    .map_err(|_| "could not parse private key: crypto/rsa: invalid key".to_owned())?;
    let out = match hash {
        b"SHA1" => key.decrypt(Oaep::<Sha1>::new(), ciphertext),
        b"SHA512" => key.decrypt(Oaep::<Sha512>::new(), ciphertext),
        _ => key.decrypt(Oaep::<Sha256>::new(), ciphertext),
    };
    out.map_err(|_| format!("{ERR_DECRYPT}: crypto/rsa: decryption error"))
}

/// Bit length of a big-endian magnitude without leading zeros.
fn bit_len(m: &[u8]) -> usize {
    match m.first() {
        None => 0,
        Some(b) => (m.len() - 1) * 8 + (8 - b.leading_zeros() as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::funcs::render_for_test;

    fn openssl(file: &str) -> String {
        let path = format!("{}/testdata/pki/openssl/{file}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn call(scheme: &str, hash: &str, input: &[u8], key: &str) -> Result<Vec<u8>, String> {
        let args = [
            Value::str(scheme),
            Value::str(hash),
            Value::str(input.to_vec()),
            Value::str(key),
        ];
        rsa_decrypt(&args).map(|v| v.as_bytes().unwrap_or_default().to_vec())
    }

    /// Ciphertexts made by `openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep` with each
    /// hash (`testdata/pki/openssl/generate.sh`).
    #[test]
    fn decrypts_openssl_oaep() {
        let key = openssl("rsa.pkcs8.pem");
        for (hash, file) in [
            ("SHA1", "rsa.oaep-sha1.bin.b64"),
            ("SHA256", "rsa.oaep-sha256.bin.b64"),
            ("None", "rsa.oaep-sha256.bin.b64"),
            ("SHA512", "rsa.oaep-sha512.bin.b64"),
        ] {
            let ct = crate::gocompat::base64::decode_std(openssl(file).trim().as_bytes()).unwrap();
            assert_eq!(
                call("RSA-OAEP", hash, &ct, &key).unwrap(),
                b"the plaintext\n",
                "{hash}"
            );
        }
        let ct =
            crate::gocompat::base64::decode_std(openssl("rsa.oaep-sha1.bin.b64").trim().as_bytes())
                .unwrap();
        assert_eq!(
            call("RSA-OAEP", "SHA256", &ct, &key).unwrap_err(),
            "error decrypting data with RSA: crypto/rsa: decryption error"
        );
    }

    #[test]
    fn eso_errors() {
        assert_eq!(call("None", "", b"as is", "").unwrap(), b"as is");
        assert_eq!(
            call("RSA-PKCS1", "", b"x", "").unwrap_err(),
            "decryption scheme RSA-PKCS1 is not supported"
        );
        assert_eq!(
            call("RSA-OAEP", "SHA1", b"x", "no pem").unwrap_err(),
            "failed to decode PEM block"
        );
        assert_eq!(
            call("RSA-OAEP", "SHA1", b"x", &openssl("ec.pkcs8.pem")).unwrap_err(),
            "could not parse RSA private key"
        );
        assert_eq!(
            call(
                "RSA-OAEP",
                "SHA1",
                b"x",
                "-----BEGIN K-----\nAAAA\n-----END K-----\n"
            )
            .unwrap_err(),
            "could not parse private key: unable to parse private key type"
        );
        assert_eq!(
            render_for_test(r#"{{ rsaDecrypt "RSA-OAEP" "SHA1" .a "" }}"#),
            r#"ERR: template: t:1:3: executing "t" at <rsaDecrypt "RSA-OAEP" "SHA1" .a "">: error calling rsaDecrypt: failed to decode PEM block"#
        );
    }
}
