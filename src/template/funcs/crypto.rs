//! Sprig's password hashing functions: `bcrypt` and `htpasswd`.
//!
//! Mirrors `runtime/template/v2/sprig/crypto.go` in ESO's repository (v2.9.0, Go 1.26,
//! golang.org/x/crypto v0.53.0): `bcrypt` is x/crypto's `GenerateFromPassword` at `DefaultCost`
//! (10), a `$2a$10$` hash with a random salt; a password over 72 bytes is refused, and Sprig
//! returns the error text as the value (`failed to encrypt string with bcrypt: bcrypt: password
//! length exceeds 72 bytes`). `htpasswd` is `user:{SHA}base64(sha1)` for the algorithm `"sha"`
//! and `user:<bcrypt>` for any other; a user name containing `:` gives
//! `invalid username: <user>` as the value.
//!
//! The bcrypt hashes are random by nature (salt), so they cannot match ESO byte for byte; the
//! randomness is the operating system's.
//!
//! Must not: put a password in an `Err`, or panic on any input.

use sha2::Digest as _;

use super::{FuncDef, Imp, Ty, ok_str};
use crate::gocompat;
use crate::template::value::Value;

const S: Ty = Ty::Str;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("bcrypt", [S], None, bcrypt),
    f!("htpasswd", [S, S, Ty::HashAlgorithm], None, htpasswd),
];

/// Argument `i` as bytes, borrowed (no copy of a secret is made): empty when absent.
fn text(args: &[Value], i: usize) -> &[u8] {
    args.get(i).and_then(Value::as_bytes).unwrap_or_default()
}

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| "crypto/rand: failed to read random data".to_owned())?;
    Ok(b)
}

// ---------------------------------------------------------------------------------------------
// bcrypt, htpasswd

/// x/crypto's `bcrypt.DefaultCost`, which Sprig passes.
const BCRYPT_COST: u32 = 10;
/// The longest password x/crypto's `GenerateFromPassword` accepts.
const BCRYPT_MAX_PASSWORD: usize = 72;

/// Sprig's `bcrypt` helper: the hash, or Sprig's failure text as the value.
fn bcrypt_value(password: &[u8]) -> Result<Vec<u8>, String> {
    if password.len() > BCRYPT_MAX_PASSWORD {
        return Ok(
            b"failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
                .to_vec(),
        );
    }
    bcrypt_hash(password, BCRYPT_COST, random()?)
}

/// `$2a$<cost>$<salt><hash>` for a password of at most 72 bytes. Go appends a NUL to the key
/// (C bug compatibility) and the crate stops at 72 bytes; Blowfish's key schedule reads only
/// the first 72 key bytes, so the two agree for every password Go accepts.
fn bcrypt_hash(password: &[u8], cost: u32, salt: [u8; 16]) -> Result<Vec<u8>, String> {
    bcrypt::hash_with_salt(password, cost, salt)
        .map(|h| h.format_for_version(bcrypt::Version::TwoA).into_bytes())
        // Only an out-of-range cost fails, and the cost is a constant.
        .map_err(|_| "bcrypt: hashing failed".to_owned())
}

fn bcrypt(args: &[Value]) -> Result<Value, String> {
    ok_str(bcrypt_value(text(args, 0))?)
}

fn htpasswd(args: &[Value]) -> Result<Value, String> {
    let user = text(args, 0);
    if user.contains(&b':') {
        return ok_str([b"invalid username: ".as_slice(), user].concat());
    }
    let password = text(args, 1);
    let mut v = user.to_vec();
    if text(args, 2) == b"sha" {
        v.extend_from_slice(b":{SHA}");
        v.extend_from_slice(gocompat::base64::encode_std(&sha1::Sha1::digest(password)).as_bytes());
    } else {
        v.push(b':');
        v.extend_from_slice(&bcrypt_value(password)?);
    }
    ok_str(v)
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;
    use crate::template::funcs::{assert_matches_go, render_for_test};

    fn salt(encoded: &str) -> [u8; 16] {
        bcrypt::BASE_64.decode(encoded).unwrap().try_into().unwrap()
    }

    #[test]
    fn bcrypt_known_answers() {
        // x/crypto's TestBcryptingIsCorrect.
        assert_eq!(
            bcrypt_hash(b"allmine", 10, salt("XajjQvNhvvRt5GSeFk1xFe")).unwrap(),
            b"$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga"
        );
        // Computed with libxcrypt's crypt(3), `$2b$` being the same algorithm as Go's `$2a$`
        // for 8-bit bytes and passwords up to 72 bytes.
        for (password, cost, s, hash) in [
            (
                "pässwörd".as_bytes().to_vec(),
                10,
                "abcdefghijklmnopqrstuu",
                "nYspUDVwxKwnshT7FzjzjwI57RV2KKa",
            ),
            (
                Vec::new(),
                10,
                "9876543210ZYXWVUTSRQPO",
                "kVIVCYNW1cdioLMtxz0NRxJfStc0Jwe",
            ),
            (
                vec![b'y'; 71],
                4,
                "......................",
                "cnczQjgWbxNZSj5OsruwnjSAUE.amwS",
            ),
            (
                vec![b'y'; 72],
                4,
                "......................",
                "/by6zNeuToy6nUzV3hpWuDQ/xjcX2aq",
            ),
        ] {
            let want = format!("$2a${cost:02}${s}{hash}");
            assert_eq!(
                String::from_utf8(bcrypt_hash(&password, cost, salt(s)).unwrap()).unwrap(),
                want
            );
        }
    }

    #[test]
    fn bcrypt_hashes_verify_and_are_salted() {
        let h = render_for_test(r#"{{ bcrypt "s3cret" }}"#);
        assert_eq!(h.len(), 60, "{h}");
        assert!(h.starts_with("$2a$10$"), "{h}");
        assert!(bcrypt::verify("s3cret", &h).unwrap());
        assert!(!bcrypt::verify("s3cret!", &h).unwrap());
        assert_ne!(h, render_for_test(r#"{{ bcrypt "s3cret" }}"#));
        let p72 = "p".repeat(72);
        let h = render_for_test(&format!(r#"{{{{ bcrypt "{p72}" }}}}"#));
        assert!(bcrypt::verify(&p72, &h).unwrap());
        assert_matches_go(&[
            (
                &format!(r#"{{{{ bcrypt "{p72}x" }}}}"#),
                "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes",
            ),
            (
                &format!(r#"{{{{ bcrypt "{}" }}}}"#, "é".repeat(37)),
                "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes",
            ),
        ]);
    }

    #[test]
    fn htpasswd_sha_bcrypt_and_bad_users() {
        assert_matches_go(&[
            (
                r#"{{ htpasswd "myUser" "myPassword" "sha" }}"#,
                "myUser:{SHA}VBPuJHI7uixaa6LQGWx4s+5GKNE=",
            ),
            (r#"{{ htpasswd "a:b" "p" "sha" }}"#, "invalid username: a:b"),
            (
                r#"{{ htpasswd "a:b" "p" "bcrypt" }}"#,
                "invalid username: a:b",
            ),
            (
                &format!(r#"{{{{ htpasswd "u" "{}" "bcrypt" }}}}"#, "p".repeat(73)),
                "u:failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes",
            ),
        ]);
        // Every algorithm but "sha" is bcrypt, as Sprig's `default:` branch.
        for alg in ["bcrypt", "", "SHA", "md5"] {
            let out = render_for_test(&format!(r#"{{{{ htpasswd "admin" "pw" "{alg}" }}}}"#));
            let hash = out.strip_prefix("admin:").unwrap();
            assert!(hash.starts_with("$2a$10$"), "{out}");
            assert!(bcrypt::verify("pw", hash).unwrap());
        }
    }
}
