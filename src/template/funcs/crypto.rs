//! Sprig's password and encryption functions: `bcrypt`, `htpasswd`, `derivePassword`,
//! `encryptAES` and `decryptAES`.
//!
//! Mirrors `runtime/template/v2/sprig/crypto.go` in ESO's repository (v2.9.0, Go 1.26,
//! golang.org/x/crypto v0.53.0):
//!
//! * `bcrypt` is x/crypto's `GenerateFromPassword` at `DefaultCost` (10): a `$2a$10$` hash with
//!   a random salt; a password over 72 bytes is refused, and Sprig returns the error text as the
//!   value (`failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes`).
//!   `htpasswd` is `user:{SHA}base64(sha1)` for the algorithm `"sha"` and `user:<bcrypt>` for any
//!   other; a user name containing `:` gives `invalid username: <user>` as the value.
//! * `derivePassword` is the Master Password (v3) algorithm: scrypt (N 32768, r 8, p 2, 64
//!   bytes) over the password salted with `com.lyndir.masterpassword` and the user, HMAC-SHA256
//!   of the site and counter, then a template of character classes picked by the seed. An unknown
//!   password type gives `cannot find password template <type>` as the value.
//! * `encryptAES` / `decryptAES`: AES-256-CBC with the password's first 32 bytes (zero-padded)
//!   as the key, a random IV prepended, PKCS#7 padding, standard base64. `decryptAES` does not
//!   check the padding (it strips as many bytes as the last byte says, so a wrong password gives
//!   garbage, not an error), and Go panics on a short or ragged ciphertext; those panics become
//!   an `Err` with Go's runtime text, as `text/template`'s `safeCall` reports them.
//!
//! `bcrypt`, `htpasswd`'s bcrypt branch and `encryptAES` are random by nature (salt, IV), so they
//! cannot match ESO byte for byte; the randomness is the operating system's.
//!
//! Differences from Go: `decryptAES` withholds the number in Go's `slice bounds out of range [:-N]` panic, because
//! `N` is computed from a decrypted byte.
//!
//! Must not: put a password, key, plaintext or decrypted byte in an `Err`, panic on any input, or
//! leave keys, derived keys or decrypted bytes in freed memory (they are zeroized).

use cbc::cipher::block_padding::{NoPadding, Pkcs7};
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::{KeyInit, Mac};
use sha2::Digest as _;
use zeroize::Zeroizing;

use super::{FuncDef, Imp, Ty, ok_str, str_arg};
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
    f!(
        "derivePassword",
        [Ty::Uint32, S, S, S, S],
        None,
        derive_password
    ),
    f!("encryptAES", [S, S], None, encrypt_aes),
    f!("decryptAES", [S, S], None, decrypt_aes),
];

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut b = [0u8; N];
    crate::pki::os_random(&mut b)?;
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
    ok_str(bcrypt_value(str_arg(args, 0))?)
}

fn htpasswd(args: &[Value]) -> Result<Value, String> {
    let user = str_arg(args, 0);
    if user.contains(&b':') {
        return ok_str([b"invalid username: ".as_slice(), user].concat());
    }
    let password = str_arg(args, 1);
    let mut v = user.to_vec();
    if str_arg(args, 2) == b"sha" {
        v.extend_from_slice(b":{SHA}");
        v.extend_from_slice(gocompat::base64::encode_std(&sha1::Sha1::digest(password)).as_bytes());
    } else {
        v.push(b':');
        v.extend_from_slice(&bcrypt_value(password)?);
    }
    ok_str(v)
}

// ---------------------------------------------------------------------------------------------
// derivePassword

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

const MAXIMUM: &[&[u8]] = &[b"anoxxxxxxxxxxxxxxxxx", b"axxxxxxxxxxxxxxxxxno"];
const LONG: &[&[u8]] = &[
    b"CvcvnoCvcvCvcv",
    b"CvcvCvcvnoCvcv",
    b"CvcvCvcvCvcvno",
    b"CvccnoCvcvCvcv",
    b"CvccCvcvnoCvcv",
    b"CvccCvcvCvcvno",
    b"CvcvnoCvccCvcv",
    b"CvcvCvccnoCvcv",
    b"CvcvCvccCvcvno",
    b"CvcvnoCvcvCvcc",
    b"CvcvCvcvnoCvcc",
    b"CvcvCvcvCvccno",
    b"CvccnoCvccCvcv",
    b"CvccCvccnoCvcv",
    b"CvccCvccCvcvno",
    b"CvcvnoCvccCvcc",
    b"CvcvCvccnoCvcc",
    b"CvcvCvccCvccno",
    b"CvccnoCvcvCvcc",
    b"CvccCvcvnoCvcc",
    b"CvccCvcvCvccno",
];
const MEDIUM: &[&[u8]] = &[b"CvcnoCvc", b"CvcCvcno"];
const SHORT: &[&[u8]] = &[b"Cvcn"];
const BASIC: &[&[u8]] = &[b"aaanaaan", b"aannaaan", b"aaannaaa"];
const PIN: &[&[u8]] = &[b"nnnn"];

/// The templates of a password type (Sprig's `passwordTypeTemplates`).
fn password_templates(kind: &[u8]) -> Option<&'static [&'static [u8]]> {
    Some(match kind {
        b"maximum" => MAXIMUM,
        b"long" => LONG,
        b"medium" => MEDIUM,
        b"short" => SHORT,
        b"basic" => BASIC,
        b"pin" => PIN,
        _ => return None,
    })
}

/// The characters of a template class (Sprig's `templateCharacters`); every class letter the
/// templates use is listed.
fn template_characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        b'x' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
        _ => b"",
    }
}

/// Go's `uint32(len(s))` in big-endian order, as `binary.Write` puts it.
fn be_len(s: &[u8]) -> [u8; 4] {
    (s.len() as u32).to_be_bytes()
}

/// Sprig's `derivePassword counter passwordType password user site`.
fn derive_password(args: &[Value]) -> Result<Value, String> {
    let counter = match args.first() {
        // The executor converted an unsigned constant to Go's uint32 range.
        Some(Value::Int(n)) if *n >= 0 => *n as u32,
        // The number is not shown: it may come from a secret.
        _ => return Err("counter must be an unsigned integer (Go's type is uint32)".into()),
    };
    let kind = str_arg(args, 1);
    let (password, user, site) = (str_arg(args, 2), str_arg(args, 3), str_arg(args, 4));
    let Some(templates) = password_templates(kind) else {
        return ok_str([b"cannot find password template ".as_slice(), kind].concat());
    };
    let salt = [MASTER_PASSWORD_SEED, &be_len(user), user].concat();
    let mut key = Zeroizing::new([0u8; 64]);
    // N = 32768 = 2^15; the parameters and output length are constants scrypt accepts.
    let params =
        scrypt::Params::new(15, 8, 2).map_err(|_| "scrypt: invalid parameters".to_owned())?;
    scrypt::scrypt(password, &salt, &params, key.as_mut_slice())
        .map_err(|_| "scrypt: invalid output length".to_owned())?;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_slice())
        .map_err(|_| "hmac: invalid key length".to_owned())?;
    mac.update(MASTER_PASSWORD_SEED);
    mac.update(&be_len(site));
    mac.update(site);
    mac.update(&counter.to_be_bytes());
    let mut seed = Zeroizing::new([0u8; 32]);
    seed.copy_from_slice(&mac.finalize().into_bytes());
    let template = templates[usize::from(seed[0]) % templates.len()];
    let mut out = Vec::with_capacity(template.len());
    for (i, &class) in template.iter().enumerate() {
        let chars = template_characters(class);
        let pick = seed.get(i + 1).copied().unwrap_or_default();
        if let Some(c) = chars.get(usize::from(pick) % chars.len().max(1)) {
            out.push(*c);
        }
    }
    ok_str(out)
}

// ---------------------------------------------------------------------------------------------
// encryptAES, decryptAES

const BLOCK: usize = 16;

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// Sprig's key: the password copied into 32 zero bytes (longer passwords are cut).
fn aes_key(password: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password[..n]);
    key
}

fn encrypt_aes(args: &[Value]) -> Result<Value, String> {
    let (password, plaintext) = (str_arg(args, 0), str_arg(args, 1));
    if plaintext.is_empty() {
        return ok_str(Vec::new());
    }
    encrypt_with_iv(&aes_key(password), random()?, plaintext)
}

/// `base64(iv ‖ AES-256-CBC(key, iv, PKCS#7(plaintext)))`.
fn encrypt_with_iv(key: &[u8; 32], iv: [u8; BLOCK], plaintext: &[u8]) -> Result<Value, String> {
    let padded = (plaintext.len() / BLOCK + 1) * BLOCK;
    let mut buf = Zeroizing::new(vec![0u8; BLOCK + padded]);
    buf[..BLOCK].copy_from_slice(&iv);
    buf[BLOCK..BLOCK + plaintext.len()].copy_from_slice(plaintext);
    Aes256CbcEnc::new_from_slices(key, &iv)
        .map_err(|_| "crypto/aes: invalid key size".to_owned())?
        .encrypt_padded::<Pkcs7>(&mut buf[BLOCK..], plaintext.len())
        .map_err(|_| "crypto/cipher: output smaller than input".to_owned())?;
    ok_str(gocompat::base64::encode_std(&buf).into_bytes())
}

fn decrypt_aes(args: &[Value]) -> Result<Value, String> {
    let (password, crypt64) = (str_arg(args, 0), str_arg(args, 1));
    if crypt64.is_empty() {
        return ok_str(Vec::new());
    }
    let key = aes_key(password);
    let crypt = Zeroizing::new(gocompat::base64::decode_std(crypt64).map_err(|e| e.to_string())?);
    if crypt.len() < BLOCK {
        // `crypt[:aes.BlockSize]` may reach into the spare capacity of Go's decode buffer
        // (`DecodedLen` = len/4*3, more than the decoded length when the input has newlines);
        // then `crypt[aes.BlockSize:]` is the slice that fails.
        let capacity = crypt64.len() / 4 * 3;
        return Err(if capacity < BLOCK {
            format!("runtime error: slice bounds out of range [:{BLOCK}] with capacity {capacity}")
        } else {
            format!(
                "runtime error: slice bounds out of range [{BLOCK}:{}]",
                crypt.len()
            )
        });
    }
    let (iv, body) = crypt.split_at(BLOCK);
    if !body.len().is_multiple_of(BLOCK) {
        return Err("crypto/cipher: input not full blocks".into());
    }
    if body.is_empty() {
        // `decrypted[len(decrypted)-1]` on an empty slice.
        return Err("runtime error: index out of range [-1]".into());
    }
    let mut buf = Zeroizing::new(body.to_vec());
    let plain = Aes256CbcDec::new_from_slices(key.as_slice(), iv)
        .map_err(|_| "crypto/aes: invalid key size".to_owned())?
        .decrypt_padded::<NoPadding>(&mut buf)
        .map_err(|_| "crypto/cipher: input not full blocks".to_owned())?;
    let pad = plain.last().copied().map_or(0, usize::from);
    let Some(end) = plain.len().checked_sub(pad) else {
        // Go prints the negative bound `len - pad`, which would disclose a decrypted byte.
        return Err(
            "runtime error: slice bounds out of range (the last decrypted byte exceeds \
                    the length: wrong password or corrupt ciphertext)"
                .into(),
        );
    };
    ok_str(plain[..end].to_vec())
}

/// Besides the provenance given per case, the `derivePassword` and `decryptAES` expectations
/// (errors included, apart from the withheld bound and the counter's `int`) were checked against
/// Go 1.19's `text/template` with Debian's Sprig 3.2.3, whose `crypto.go` matches ESO's for these
/// functions; the runtime and `crypto/cipher` panic texts are the same in Go 1.26.
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

    #[test]
    fn derive_password_known_answers() {
        assert_matches_go(&[
            // Master Password's published test vectors (v3, counter 1).
            (
                r#"{{ derivePassword 1 "long" "banana colored duckling" "Robert Lee Mitchell" "masterpasswordapp.com" }}"#,
                "Jejr5[RepuSosp",
            ),
            (
                r#"{{ derivePassword 1 "maximum" "banana colored duckling" "Robert Lee Mitchell" "masterpasswordapp.com" }}"#,
                "W6@692^B1#&@gVdSdLZ@",
            ),
            (
                r#"{{ derivePassword 1 "medium" "banana colored duckling" "Robert Lee Mitchell" "masterpasswordapp.com" }}"#,
                "Jej2$Quv",
            ),
            // Computed with Python's hashlib.scrypt and hmac following Sprig's code.
            (
                r#"{{ derivePassword 1 "long" "password" "user" "example.com" }}"#,
                "ZedaFaxcZaso9*",
            ),
            (
                r#"{{ derivePassword 1 "maximum" "password" "user" "example.com" }}"#,
                "pf4zS1LjCg&LjhsZ7T2~",
            ),
            (
                r#"{{ derivePassword 1 "pin" "password" "user" "example.com" }}"#,
                "6685",
            ),
            (
                r#"{{ derivePassword 2 "long" "password" "user" "example.com" }}"#,
                "Fovi2@JifpTupx",
            ),
            (
                r#"{{ derivePassword 1 "medium" "password" "user" "example.com" }}"#,
                "ZedJuz8$",
            ),
            (
                r#"{{ derivePassword 1 "basic" "password" "user" "example.com" }}"#,
                "pIS54PLs",
            ),
            (
                r#"{{ derivePassword 1 "short" "password" "user" "example.com" }}"#,
                "Zed5",
            ),
            (
                r#"{{ derivePassword 0 "long" "" "" "" }}"#,
                "Rozi8;WilbQoyu",
            ),
            // Lengths are bytes, not runes; the largest uint32 counter.
            (
                r#"{{ derivePassword 4294967295 "long" "pässwörd" "Ünïcode" "exämple.com" }}"#,
                "WeqoTana2/Vorq",
            ),
            // Go's SetUint truncates a constant to uint32: 2^32 + 7 acts as 7.
            (
                r#"{{ derivePassword 4294967303 "pin" "password" "user" "example.com" }}"#,
                "6599",
            ),
            (
                r#"{{ derivePassword 1 "Long" "password" "user" "example.com" }}"#,
                "cannot find password template Long",
            ),
        ]);
    }

    #[test]
    fn derive_password_counter_type() {
        assert_matches_go(&[
            // The counter is a Go uint32: only an unsigned constant converts to it.
            (
                r#"{{ derivePassword -1 "pin" "p" "u" "s" }}"#,
                r#"ERR: template: t:1:18: executing "t" at <-1>: expected unsigned integer; found -1"#,
            ),
            (
                r#"{{ derivePassword (add 1 0) "pin" "p" "u" "s" }}"#,
                r#"ERR: template: t:1:25: executing "t" at <0>: wrong type for value; expected uint32; got int64"#,
            ),
            (
                r#"{{ derivePassword (atoi "1") "pin" "password" "user" "example.com" }}"#,
                r#"ERR: template: t:1:24: executing "t" at <"1">: wrong type for value; expected uint32; got int"#,
            ),
        ]);
    }

    /// `base64(iv ‖ ciphertext)` made with `openssl enc -aes-256-cbc -K <"password" + 24 zero
    /// bytes> -iv 000102…0f` (`-nopad` for the hand-padded blocks).
    const IV: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    const HELLO: &str = "AAECAwQFBgcICQoLDA0OD3mxlmvgwzpby88iT0KrxC8=";
    const TWO_BLOCKS: &str =
        "AAECAwQFBgcICQoLDA0OD3n37GQ1i4AISi+bqnFbyi5MvXCVM6yn5wD2PPHBoGnbcmqITbAoGhF3gM+ukCG40A==";
    /// One block `fifteen bytes..\xff`, no padding.
    const PAD_FF: &str = "AAECAwQFBgcICQoLDA0OD6NO7TQFY+nZt3Uge9adtdM=";
    /// One block `fifteen bytes..\x00`.
    const PAD_00: &str = "AAECAwQFBgcICQoLDA0ODyueupr9qyu0/cmOR+sM0B0=";
    /// One block `abcdefghijk\x01\x02\x03\x04\x05`: Go strips 5 bytes without checking them.
    const PAD_05: &str = "AAECAwQFBgcICQoLDA0OD1F0lUlyoqtG2vzlkO4r35k=";
    /// `hello world` under the key `0123456789abcdef0123456789abcdef`.
    const HELLO_LONG_KEY: &str = "AAECAwQFBgcICQoLDA0OD6ExRnjKkcIwnI/M/xaZmOY=";

    fn text_of(v: Value) -> String {
        String::from_utf8(v.as_bytes().unwrap().to_vec()).unwrap()
    }

    #[test]
    fn encrypt_aes_known_answers() {
        let key = aes_key(b"password");
        assert_eq!(
            text_of(encrypt_with_iv(&key, IV, b"hello world").unwrap()),
            HELLO
        );
        assert_eq!(
            text_of(encrypt_with_iv(&key, IV, b"0123456789abcdef0123456789abcdef").unwrap()),
            TWO_BLOCKS
        );
        // Only the first 32 bytes of a password are the key.
        let long = aes_key(b"0123456789abcdef0123456789abcdefEXTRA");
        assert_eq!(
            text_of(encrypt_with_iv(&long, IV, b"hello world").unwrap()),
            HELLO_LONG_KEY
        );
    }

    #[test]
    fn decrypt_aes_known_answers() {
        assert_matches_go(&[
            (
                &format!(r#"{{{{ decryptAES "password" "{HELLO}" }}}}"#),
                "hello world",
            ),
            (
                &format!(r#"{{{{ decryptAES "password" "{TWO_BLOCKS}" }}}}"#),
                "0123456789abcdef0123456789abcdef",
            ),
            (
                &format!(
                    r#"{{{{ decryptAES "0123456789abcdef0123456789abcdefEXTRA" "{HELLO_LONG_KEY}" }}}}"#
                ),
                "hello world",
            ),
            (
                &format!(r#"{{{{ decryptAES "password" "{PAD_00}" }}}}"#),
                "fifteen bytes..\0",
            ),
            (
                &format!(r#"{{{{ decryptAES "password" "{PAD_05}" }}}}"#),
                "abcdefghijk",
            ),
            (r#"{{ decryptAES "password" "" }}"#, ""),
            (r#"{{ encryptAES "password" "" }}"#, ""),
            (
                r#"{{ encryptAES "k" "round trip ✓" | decryptAES "k" }}"#,
                "round trip ✓",
            ),
            (
                r#"{{ encryptAES "" "no key at all" | decryptAES "" }}"#,
                "no key at all",
            ),
        ]);
        let a = render_for_test(r#"{{ encryptAES "k" "same" }}"#);
        let b = render_for_test(r#"{{ encryptAES "k" "same" }}"#);
        assert_ne!(a, b, "the IV is random");
        assert_eq!(
            gocompat::base64::decode_std(a.as_bytes()).unwrap().len(),
            32
        );
    }

    #[test]
    fn decrypt_aes_failures_are_gos_panics() {
        let at = |args: &str| {
            format!(
                "ERR: template: t:1:3: executing \"t\" at <decryptAES {args}>: error calling decryptAES: "
            )
        };
        let sixteen = gocompat::base64::encode_std(&[7u8; 16]);
        let twenty = gocompat::base64::encode_std(&[7u8; 20]);
        let newlines = format!("AAAA{}", "\\n".repeat(20));
        let cases = [
            (
                r#""k" "!!!!""#.to_owned(),
                "illegal base64 data at input byte 0",
            ),
            (
                r#""k" "AAAA""#.to_owned(),
                "runtime error: slice bounds out of range [:16] with capacity 3",
            ),
            (
                r#""k" "\n""#.to_owned(),
                "runtime error: slice bounds out of range [:16] with capacity 0",
            ),
            (
                format!(r#""k" "{newlines}""#),
                "runtime error: slice bounds out of range [16:3]",
            ),
            (
                format!(r#""k" "{sixteen}""#),
                "runtime error: index out of range [-1]",
            ),
            (
                format!(r#""k" "{twenty}""#),
                "crypto/cipher: input not full blocks",
            ),
            (
                format!(r#""password" "{PAD_FF}""#),
                "runtime error: slice bounds out of range (the last decrypted byte exceeds the length: wrong password or corrupt ciphertext)",
            ),
        ];
        let want: Vec<(String, String)> = cases
            .iter()
            .map(|(args, msg)| {
                (
                    format!("{{{{ decryptAES {args} }}}}"),
                    format!("{}{msg}", at(args)),
                )
            })
            .collect();
        let want: Vec<(&str, &str)> = want.iter().map(|(t, w)| (t.as_str(), w.as_str())).collect();
        assert_matches_go(&want);
    }

    #[test]
    fn decrypt_aes_never_panics() {
        // Every ciphertext length from 0 to 80 bytes, under two keys.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..=80usize {
            for key in [b"password".as_slice(), b"wrong"] {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        seed as u8
                    })
                    .collect();
                let b64 = gocompat::base64::encode_std(&bytes);
                let _ = decrypt_aes(&[Value::str(key), Value::str(b64.into_bytes())]);
            }
        }
    }
}
