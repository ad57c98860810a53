//! ESO's `rsaDecrypt scheme hash ciphertext privateKey`.
//!
//! Mirrors `runtime/template/v2/decrypt.go`: scheme `None` returns the input unchanged;
//! `RSA-OAEP` decodes the first PEM block, parses it with ESO's `parsePrivateKey` (PKCS#1,
//! PKCS#8, SEC 1), requires an RSA key and decrypts with OAEP, no label, the hash (`SHA1`,
//! `SHA256`, `SHA512`; `None` and anything else mean SHA-256) serving as both the OAEP and the
//! MGF1 hash, as Go's `rsa.DecryptOAEP` does. Errors are ESO's texts. Like Go since 1.24, keys
//! under 1024 bits are refused.
//!
//! The RSA arithmetic is the `rsa` crate's (0.10, constant-time over `crypto-bigint`), reached
//! through `crate::pki::key::RsaPrivate::to_rsa`, which also checks the key's consistency as
//! Go's parser does.
//!
//! Must not: put the ciphertext, the plaintext or the key in an `Err`, or panic on any input.

use rsa::Oaep;
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use super::{FuncDef, Imp, Ty, ok_str, str_arg};
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

fn rsa_decrypt(args: &[Value]) -> Result<Value, String> {
    let (scheme, hash, input, key) = (
        str_arg(args, 0),
        str_arg(args, 1),
        str_arg(args, 2),
        str_arg(args, 3),
    );
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

fn oaep_decrypt(k: &RsaPrivate, hash: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    k.check_size().map_err(|e| format!("{ERR_DECRYPT}: {e}"))?;
    let key = k
        .to_rsa()
        .map_err(|e| format!("could not parse private key: {e}"))?;
    let out = match hash {
        b"SHA1" => key.decrypt(Oaep::<Sha1>::new(), ciphertext),
        b"SHA512" => key.decrypt(Oaep::<Sha512>::new(), ciphertext),
        _ => key.decrypt(Oaep::<Sha256>::new(), ciphertext),
    };
    out.map_err(|_| format!("{ERR_DECRYPT}: crypto/rsa: decryption error"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::funcs::render_for_test;

    fn openssl(file: &str) -> String {
        String::from_utf8(crate::pki::test_vector(&format!("openssl/{file}"))).unwrap()
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
