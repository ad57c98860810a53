//! ESO's `jwkPublicKeyPem` and `jwkPrivateKeyPem`: a JSON Web Key as PEM.
//!
//! Mirrors `runtime/template/v2/jwk.go`: the key is parsed with lestrrat-go/jwx (`jwk.ParseKey`,
//! `Raw`) and marshalled with Go's `x509.MarshalPKIXPublicKey` (`PUBLIC KEY`) or
//! `x509.MarshalPKCS8PrivateKey` (`PRIVATE KEY`), then PEM-encoded. Supported: `RSA`, `EC`
//! (P-256, P-384, P-521) and `OKP` Ed25519 keys. Like Go, a private JWK given to
//! `jwkPublicKeyPem` (or a public one to `jwkPrivateKeyPem`, or an `oct` key to either) fails
//! with `x509`'s unsupported-type message.
//!
//! The DER is built by `crate::pki::key`. Differences from Go: jwx's parse error texts are not
//! reproduced word for word, an EC point is not checked to lie on its curve, an RSA private key
//! must carry `p`, `q`, `dp`, `dq` and `qi` (Go can recompute the last three), and X25519 keys
//! are reported as unsupported.
//!
//! Must not: put key material in an `Err`, or leave private key bytes in freed memory
//! (decoded private components are zeroized).

use zeroize::Zeroizing;

use super::{FuncDef, Imp, Ty, str_arg};
use crate::gocompat;
use crate::pki::der::Secret;
use crate::pki::key::{Curve, PrivateKey, PublicKey, RsaPrivate};
use crate::pki::pem;
use crate::template::value::Value;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("jwkPublicKeyPem", [Ty::Str], None, jwk_public_key_pem),
    f!("jwkPrivateKeyPem", [Ty::Str], None, jwk_private_key_pem),
];

// ---------------------------------------------------------------------------------------------
// JWK

/// jwx's lenient base64: padded or not, URL or standard alphabet.
fn b64(s: &str) -> Option<Secret> {
    let raw = !s.ends_with('=');
    let url = !s.contains(['+', '/']);
    let mut padded = Zeroizing::new(s.as_bytes().to_vec());
    if raw {
        while !padded.len().is_multiple_of(4) {
            padded.push(b'=');
        }
    }
    let decoded = if url {
        gocompat::base64::decode_url(&padded)
    } else {
        gocompat::base64::decode_std(&padded)
    };
    decoded.ok().map(Zeroizing::new)
}

/// A parsed JWK: what jwx's `Raw` gives Go's `x509` marshallers.
enum Key {
    Public(PublicKey),
    Private(PrivateKey),
    /// A symmetric key: neither marshaller takes it.
    Oct,
}

impl Key {
    /// Go's type name of the raw key, for `x509`'s messages.
    fn go_type(&self) -> &'static str {
        match self {
            Key::Public(k) => k.go_type(),
            Key::Private(k) => k.go_type(),
            Key::Oct => "[]uint8",
        }
    }
}

/// Left-pads (or rejects) a big-endian integer to `len` bytes, as Go's `FillBytes` does.
fn fixed(b: &[u8], len: usize) -> Result<Secret, String> {
    let start = b.iter().take_while(|x| **x == 0).count();
    let m = &b[start..];
    if m.len() > len {
        return Err("x509: invalid elliptic curve key".into());
    }
    let mut out = Zeroizing::new(vec![0u8; len - m.len()]);
    out.extend_from_slice(m);
    Ok(out)
}

fn parse_key(json: &[u8]) -> Result<Key, String> {
    let v: serde_json::Value = serde_json::from_slice(json)
        .map_err(|_| "failed to parse key: invalid JWK JSON".to_owned())?;
    let obj = v
        .as_object()
        .ok_or_else(|| "failed to parse key: a JWK must be a JSON object".to_owned())?;
    let text = |name: &str| -> Result<Option<&str>, String> {
        match obj.get(name) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(format!(
                "failed to parse key: field {name:?} must be a string"
            )),
        }
    };
    let field = |name: &str| -> Result<Option<Secret>, String> {
        match text(name)? {
            None => Ok(None),
            Some(s) => b64(s).map(Some).ok_or_else(|| {
                format!("failed to parse key: failed to decode field {name:?} as base64")
            }),
        }
    };
    let required = |name: &str| -> Result<Secret, String> {
        field(name)?
            .ok_or_else(|| format!("failed to parse key: required field {name:?} is missing"))
    };
    match text("kty")?.unwrap_or("") {
        "RSA" => {
            let (n, e) = (required("n")?, required("e")?);
            if field("d")?.is_none() {
                return Ok(Key::Public(PublicKey::Rsa { n, e }));
            }
            let private = [&"d", &"p", &"q", &"dp", &"dq", &"qi"];
            let mut parts = Vec::with_capacity(6);
            for name in private {
                match field(name)? {
                    Some(v) => parts.push(v),
                    None => {
                        return Err(format!(
                            "an RSA private JWK without {name:?} is not supported by eso-render yet"
                        ));
                    }
                }
            }
            let mut it = parts.into_iter();
            let mut next = || it.next().unwrap_or_default();
            Ok(Key::Private(PrivateKey::Rsa(RsaPrivate {
                n,
                e,
                d: next(),
                p: next(),
                q: next(),
                dp: next(),
                dq: next(),
                qi: next(),
            })))
        }
        "EC" => {
            let (curve, size) = match text("crv")?.unwrap_or("") {
                "P-256" => (Curve::P256, 32),
                "P-384" => (Curve::P384, 48),
                "P-521" => (Curve::P521, 66),
                _ => return Err("failed to parse key: unsupported elliptic curve".into()),
            };
            let mut point = Zeroizing::new(vec![4u8]);
            point.extend_from_slice(&fixed(&required("x")?, size)?);
            point.extend_from_slice(&fixed(&required("y")?, size)?);
            match field("d")? {
                None => Ok(Key::Public(PublicKey::Ec { curve, point })),
                Some(d) => Ok(Key::Private(PrivateKey::Ec {
                    curve,
                    point,
                    d: fixed(&d, size)?,
                })),
            }
        }
        "OKP" => {
            if text("crv")? != Some("Ed25519") {
                return Err("this OKP curve is not supported by eso-render yet".into());
            }
            let x = required("x")?;
            match field("d")? {
                None if x.len() == 32 => Ok(Key::Public(PublicKey::Ed25519(x))),
                Some(d) if d.len() == 32 => Ok(Key::Private(PrivateKey::Ed25519(d))),
                _ => Err("failed to parse key: invalid Ed25519 key size".into()),
            }
        }
        "oct" => {
            required("k")?;
            Ok(Key::Oct)
        }
        _ => Err("failed to parse key: invalid key type".into()),
    }
}

/// Go's `x509.MarshalPKIXPublicKey`.
fn pkix(key: &Key) -> Result<Secret, String> {
    match key {
        Key::Public(k) => Ok(k.to_pkix()),
        other => Err(format!(
            "x509: unsupported public key type: {}",
            other.go_type()
        )),
    }
}

/// Go's `x509.MarshalPKCS8PrivateKey`.
fn pkcs8(key: &Key) -> Result<Secret, String> {
    match key {
        Key::Private(k) => Ok(k.to_pkcs8()),
        other => Err(format!(
            "x509: unknown key type while marshaling PKCS#8: {}",
            other.go_type()
        )),
    }
}

fn jwk_public_key_pem(args: &[Value]) -> Result<Value, String> {
    let key = parse_key(str_arg(args, 0))?;
    Ok(Value::str(pem::encode("PUBLIC KEY", &pkix(&key)?)))
}

fn jwk_private_key_pem(args: &[Value]) -> Result<Value, String> {
    let key = parse_key(str_arg(args, 0))?;
    Ok(Value::str(pem::encode("PRIVATE KEY", &pkcs8(&key)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&[Value]) -> Result<Value, String>, jwk: &str) -> Result<String, String> {
        f(&[Value::str(jwk)]).map(|v| String::from_utf8(v.as_bytes().unwrap().to_vec()).unwrap())
    }

    /// ESO's own test vectors (`runtime/template/v2/template_test.go`).
    #[test]
    fn eso_vectors() {
        assert_eq!(
            run(jwk_public_key_pem, JWK_PUB_RSA).unwrap(),
            JWK_PUB_RSA_PKIX
        );
        assert_eq!(
            run(jwk_private_key_pem, JWK_PRIV_RSA).unwrap(),
            JWK_PRIV_RSA_PKCS8
        );
        assert_eq!(
            run(jwk_public_key_pem, JWK_PUB_EC).unwrap(),
            JWK_PUB_EC_PKIX
        );
        assert_eq!(
            run(jwk_private_key_pem, JWK_PRIV_EC).unwrap(),
            JWK_PRIV_EC_PKCS8
        );
    }

    /// Expected PEM and errors produced by Go 1.19's `crypto/x509` for the same key.
    #[test]
    fn ed25519_like_go() {
        let jwk = r#"{"kty":"OKP","crv":"Ed25519","x":"TQ7DoNA_7_-TqbzOKiS0BtRvRK7_H3eH2u2xPKr6QCw","d":"AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK-2vcTL0tk"}"#;
        let public =
            r#"{"kty":"OKP","crv":"Ed25519","x":"TQ7DoNA_7_-TqbzOKiS0BtRvRK7_H3eH2u2xPKr6QCw"}"#;
        assert_eq!(
            run(jwk_public_key_pem, public).unwrap(),
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEATQ7DoNA/7/+TqbzOKiS0BtRvRK7/H3eH2u2xPKr6QCw=\n-----END PUBLIC KEY-----\n"
        );
        assert_eq!(
            run(jwk_private_key_pem, jwk).unwrap(),
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAHDhUcIyoxOD9GTVRbYmlwd36FjJOaoaivtr3Ey9LZ\n-----END PRIVATE KEY-----\n"
        );
        assert_eq!(
            run(jwk_public_key_pem, jwk).unwrap_err(),
            "x509: unsupported public key type: ed25519.PrivateKey"
        );
        assert_eq!(
            run(jwk_private_key_pem, public).unwrap_err(),
            "x509: unknown key type while marshaling PKCS#8: ed25519.PublicKey"
        );
        assert_eq!(
            run(jwk_public_key_pem, r#"{"kty":"oct","k":"c2VjcmV0"}"#).unwrap_err(),
            "x509: unsupported public key type: []uint8"
        );
    }

    #[test]
    fn mismatched_kind_and_bad_input() {
        assert_eq!(
            run(jwk_public_key_pem, JWK_PRIV_RSA).unwrap_err(),
            "x509: unsupported public key type: *rsa.PrivateKey"
        );
        assert_eq!(
            run(jwk_private_key_pem, JWK_PUB_EC).unwrap_err(),
            "x509: unknown key type while marshaling PKCS#8: *ecdsa.PublicKey"
        );
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"kty":"RSA","n":"!!secret!!","e":"AQAB"}"#,
            r#"{"kty":"RSA","n":7,"e":"AQAB"}"#,
            r#"{"kty":"EC","crv":"P-999","x":"AA","y":"AA"}"#,
            r#"{"kty":"EC","crv":"P-256","x":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0","y":"AA"}"#,
        ] {
            let e = run(jwk_public_key_pem, bad).unwrap_err();
            assert!(!e.contains("secret") && !e.contains("c2Vj"), "{e}");
        }
    }

    const JWK_PUB_RSA: &str = r#"{"kid":"ex","kty":"RSA","key_ops":["sign","verify","wrapKey","unwrapKey","encrypt","decrypt"],"n":"p2VQo8qCfWAZmdWBVaYuYb-a-tWWm78K6Sr9poCvNcmv8rUPSLACxitQWR8gZaSH1DklVkqz-Ed8Cdlf8lkDg4Ex5tkB64jRdC1Uvn4CDpOH6cp-N2s8hTFLqy9_YaDmyQS7HiqthOi9oVjil1VMeWfaAbClGtFt6UnKD0Vb_DvLoWYQSqlhgBArFJi966b4E1pOq5Ad02K8pHBDThlIIx7unibLehhDU6q3DCwNH_OOLx6bgNtmvGYJDd1cywpkLQ3YzNCUPWnfMBJRP3iQP_WI21uP6cvo0DqBPBM4wvVzHbCT0vnIflwkbgEWkq1FprqAitZlop9KjLqzjp9vyQ","e":"AQAB"}"#;
    const JWK_PUB_RSA_PKIX: &str = r"-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp2VQo8qCfWAZmdWBVaYu
Yb+a+tWWm78K6Sr9poCvNcmv8rUPSLACxitQWR8gZaSH1DklVkqz+Ed8Cdlf8lkD
g4Ex5tkB64jRdC1Uvn4CDpOH6cp+N2s8hTFLqy9/YaDmyQS7HiqthOi9oVjil1VM
eWfaAbClGtFt6UnKD0Vb/DvLoWYQSqlhgBArFJi966b4E1pOq5Ad02K8pHBDThlI
Ix7unibLehhDU6q3DCwNH/OOLx6bgNtmvGYJDd1cywpkLQ3YzNCUPWnfMBJRP3iQ
P/WI21uP6cvo0DqBPBM4wvVzHbCT0vnIflwkbgEWkq1FprqAitZlop9KjLqzjp9v
yQIDAQAB
-----END PUBLIC KEY-----
";
    const JWK_PRIV_RSA: &str = r#"{"kty" : "RSA","kid" : "cc34c0a0-bd5a-4a3c-a50d-a2a7db7643df","use" : "sig","n"   : "pjdss8ZaDfEH6K6U7GeW2nxDqR4IP049fk1fK0lndimbMMVBdPv_hSpm8T8EtBDxrUdi1OHZfMhUixGaut-3nQ4GG9nM249oxhCtxqqNvEXrmQRGqczyLxuh-fKn9Fg--hS9UpazHpfVAFnB5aCfXoNhPuI8oByyFKMKaOVgHNqP5NBEqabiLftZD3W_lsFCPGuzr4Vp0YS7zS2hDYScC2oOMu4rGU1LcMZf39p3153Cq7bS2Xh6Y-vw5pwzFYZdjQxDn8x8BG3fJ6j8TGLXQsbKH1218_HcUJRvMwdpbUQG5nvA2GXVqLqdwp054Lzk9_B_f1lVrmOKuHjTNHq48w","e"   : "AQAB","d"   : "ksDmucdMJXkFGZxiomNHnroOZxe8AmDLDGO1vhs-POa5PZM7mtUPonxwjVmthmpbZzla-kg55OFfO7YcXhg-Hm2OWTKwm73_rLh3JavaHjvBqsVKuorX3V3RYkSro6HyYIzFJ1Ek7sLxbjDRcDOj4ievSX0oN9l-JZhaDYlPlci5uJsoqro_YrE0PRRWVhtGynd-_aWgQv1YzkfZuMD-hJtDi1Im2humOWxA4eZrFs9eG-whXcOvaSwO4sSGbS99ecQZHM2TcdXeAs1PvjVgQ_dKnZlGN3lTWoWfQP55Z7Tgt8Nf1q4ZAKd-NlMe-7iqCFfsnFwXjSiaOa2CRGZn-Q","p"   : "4A5nU4ahEww7B65yuzmGeCUUi8ikWzv1C81pSyUKvKzu8CX41hp9J6oRaLGesKImYiuVQK47FhZ--wwfpRwHvSxtNU9qXb8ewo-BvadyO1eVrIk4tNV543QlSe7pQAoJGkxCia5rfznAE3InKF4JvIlchyqs0RQ8wx7lULqwnn0","q"   : "ven83GM6SfrmO-TBHbjTk6JhP_3CMsIvmSdo4KrbQNvp4vHO3w1_0zJ3URkmkYGhz2tgPlfd7v1l2I6QkIh4Bumdj6FyFZEBpxjE4MpfdNVcNINvVj87cLyTRmIcaGxmfylY7QErP8GFA-k4UoH_eQmGKGK44TRzYj5hZYGWIC8","dp"  : "lmmU_AG5SGxBhJqb8wxfNXDPJjf__i92BgJT2Vp4pskBbr5PGoyV0HbfUQVMnw977RONEurkR6O6gxZUeCclGt4kQlGZ-m0_XSWx13v9t9DIbheAtgVJ2mQyVDvK4m7aRYlEceFh0PsX8vYDS5o1txgPwb3oXkPTtrmbAGMUBpE","dq"  : "mxRTU3QDyR2EnCv0Nl0TCF90oliJGAHR9HJmBe__EjuCBbwHfcT8OG3hWOv8vpzokQPRl5cQt3NckzX3fs6xlJN4Ai2Hh2zduKFVQ2p-AF2p6Yfahscjtq-GY9cB85NxLy2IXCC0PF--Sq9LOrTE9QV988SJy_yUrAjcZ5MmECk","qi"  : "ldHXIrEmMZVaNwGzDF9WG8sHj2mOZmQpw9yrjLK9hAsmsNr5LTyqWAqJIYZSwPTYWhY4nu2O0EY9G9uYiqewXfCKw_UngrJt8Xwfq1Zruz0YY869zPN4GiE9-9rzdZB33RBw8kIOquY3MK74FMwCihYx_LiU2YTHkaoJ3ncvtvg"}"#;
    const JWK_PRIV_RSA_PKCS8: &str = r"-----BEGIN PRIVATE KEY-----
MIIEwAIBADANBgkqhkiG9w0BAQEFAASCBKowggSmAgEAAoIBAQCmN2yzxloN8Qfo
rpTsZ5bafEOpHgg/Tj1+TV8rSWd2KZswxUF0+/+FKmbxPwS0EPGtR2LU4dl8yFSL
EZq637edDgYb2czbj2jGEK3Gqo28ReuZBEapzPIvG6H58qf0WD76FL1SlrMel9UA
WcHloJ9eg2E+4jygHLIUowpo5WAc2o/k0ESppuIt+1kPdb+WwUI8a7OvhWnRhLvN
LaENhJwLag4y7isZTUtwxl/f2nfXncKrttLZeHpj6/DmnDMVhl2NDEOfzHwEbd8n
qPxMYtdCxsofXbXz8dxQlG8zB2ltRAbme8DYZdWoup3CnTngvOT38H9/WVWuY4q4
eNM0erjzAgMBAAECggEBAJLA5rnHTCV5BRmcYqJjR566DmcXvAJgywxjtb4bPjzm
uT2TO5rVD6J8cI1ZrYZqW2c5WvpIOeThXzu2HF4YPh5tjlkysJu9/6y4dyWr2h47
warFSrqK191d0WJEq6Oh8mCMxSdRJO7C8W4w0XAzo+Inr0l9KDfZfiWYWg2JT5XI
ubibKKq6P2KxND0UVlYbRsp3fv2loEL9WM5H2bjA/oSbQ4tSJtobpjlsQOHmaxbP
XhvsIV3Dr2ksDuLEhm0vfXnEGRzNk3HV3gLNT741YEP3Sp2ZRjd5U1qFn0D+eWe0
4LfDX9auGQCnfjZTHvu4qghX7JxcF40omjmtgkRmZ/kCgYEA4A5nU4ahEww7B65y
uzmGeCUUi8ikWzv1C81pSyUKvKzu8CX41hp9J6oRaLGesKImYiuVQK47FhZ++wwf
pRwHvSxtNU9qXb8ewo+BvadyO1eVrIk4tNV543QlSe7pQAoJGkxCia5rfznAE3In
KF4JvIlchyqs0RQ8wx7lULqwnn0CgYEAven83GM6SfrmO+TBHbjTk6JhP/3CMsIv
mSdo4KrbQNvp4vHO3w1/0zJ3URkmkYGhz2tgPlfd7v1l2I6QkIh4Bumdj6FyFZEB
pxjE4MpfdNVcNINvVj87cLyTRmIcaGxmfylY7QErP8GFA+k4UoH/eQmGKGK44TRz
Yj5hZYGWIC8CgYEAlmmU/AG5SGxBhJqb8wxfNXDPJjf//i92BgJT2Vp4pskBbr5P
GoyV0HbfUQVMnw977RONEurkR6O6gxZUeCclGt4kQlGZ+m0/XSWx13v9t9DIbheA
tgVJ2mQyVDvK4m7aRYlEceFh0PsX8vYDS5o1txgPwb3oXkPTtrmbAGMUBpECgYEA
mxRTU3QDyR2EnCv0Nl0TCF90oliJGAHR9HJmBe//EjuCBbwHfcT8OG3hWOv8vpzo
kQPRl5cQt3NckzX3fs6xlJN4Ai2Hh2zduKFVQ2p+AF2p6Yfahscjtq+GY9cB85Nx
Ly2IXCC0PF++Sq9LOrTE9QV988SJy/yUrAjcZ5MmECkCgYEAldHXIrEmMZVaNwGz
DF9WG8sHj2mOZmQpw9yrjLK9hAsmsNr5LTyqWAqJIYZSwPTYWhY4nu2O0EY9G9uY
iqewXfCKw/UngrJt8Xwfq1Zruz0YY869zPN4GiE9+9rzdZB33RBw8kIOquY3MK74
FMwCihYx/LiU2YTHkaoJ3ncvtvg=
-----END PRIVATE KEY-----
";
    const JWK_PUB_EC: &str = r#"{"kid":"https://kv-test-mj.vault.azure.net/keys/ec-p-521/e3d0e9c179b54988860c69c6ae172c65","kty":"EC","key_ops":["sign","verify"],"crv":"P-521","x":"AedOAtb7H7Oz1C_cPKI_R4CN_eai5nteY6KFW07FOoaqgQfVCSkQDK22fCOiMT_28c8LZYJRsiIFz_IIbQUW7bXj","y":"AOnchHnmBphIWXvanmMAmcCDkaED6ycW8GsAl9fQ43BMVZTqcTkJYn6vGnhn7MObizmkNSmgZYTwG-vZkIg03HHs"}"#;
    const JWK_PUB_EC_PKIX: &str = r"-----BEGIN PUBLIC KEY-----
MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQB504C1vsfs7PUL9w8oj9HgI395qLm
e15jooVbTsU6hqqBB9UJKRAMrbZ8I6IxP/bxzwtlglGyIgXP8ghtBRbtteMA6dyE
eeYGmEhZe9qeYwCZwIORoQPrJxbwawCX19DjcExVlOpxOQlifq8aeGfsw5uLOaQ1
KaBlhPAb69mQiDTccew=
-----END PUBLIC KEY-----
";
    const JWK_PRIV_EC: &str = r#"{"kty": "EC","kid": "rie3pHe8u8gjSa0IaJfqk7_iEfHeYfDYx-Bqi7vQc0s","crv": "P-256","x": "fDjg3Nq4jPf8IOZ0277aPVal_8iXySnzLUJAZghUzZM","y": "d863PeyBOK_Q4duiSmWwgIRzi1RPlFZTR-vACMlPg-Q","d": "jJs5xsoHUetdMabtt8H2KyX5T92nGul1chFeMT5hlr0"}"#;
    const JWK_PRIV_EC_PKCS8: &str = r"-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjJs5xsoHUetdMabt
t8H2KyX5T92nGul1chFeMT5hlr2hRANCAAR8OODc2riM9/wg5nTbvto9VqX/yJfJ
KfMtQkBmCFTNk3fOtz3sgTiv0OHbokplsICEc4tUT5RWU0frwAjJT4Pk
-----END PRIVATE KEY-----
";

    /// Keys made by OpenSSL 3 (`testdata/pki/openssl/generate.sh`), as JWKs: the PEM equals
    /// OpenSSL's own `openssl pkey` output, which for these key types is Go's marshalling.
    #[test]
    fn openssl_keys() {
        let read = |f: String| crate::pki::test_vector(&format!("openssl/{f}"));
        for kind in ["rsa", "ec", "ed25519"] {
            let private = [Value::str(read(format!("{kind}.private.jwk")))];
            let public = [Value::str(read(format!("{kind}.public.jwk")))];
            let got = jwk_private_key_pem(&private).unwrap();
            assert_eq!(
                got.as_bytes().unwrap(),
                read(format!("{kind}.pkcs8.pem")),
                "{kind}"
            );
            let got = jwk_public_key_pem(&public).unwrap();
            assert_eq!(
                got.as_bytes().unwrap(),
                read(format!("{kind}.public.pem")),
                "{kind}"
            );
        }
    }
}
