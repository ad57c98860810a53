//! Sprig's random functions: `randAlphaNum`, `randAlpha`, `randAscii`, `randNumeric`,
//! `randBytes`, `randInt`, `uuidv4` and `shuffle`.
//!
//! Mirrors `runtime/template/v2/sprig/{strings,crypto,functions}.go`, goutils 1.1.1
//! `CryptoRandom` (uniform over A–Z a–z 0–9, letters, digits, or ASCII 32–126), Go's
//! `uuid.New().String()` (random version 4), and xstrings `Shuffle` (Fisher–Yates over runes).
//! The output is random by nature, so it cannot match ESO's byte for byte; the randomness is the
//! operating system's (`getrandom`), never a fixed or seeded value.
//!
//! Must not: panic (Go's panics become `Err` with Go's runtime text), or allocate without bound.

use super::{FuncDef, Imp, Ty, str_arg};
use super::{MAX_RESULT, int};
use crate::gocompat;
use crate::pki::os_random;
use crate::template::fmt::runes;
use crate::template::value::Value;

const I: Ty = Ty::Int;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("randAlphaNum", [I], None, rand_alpha_num),
    f!("randAlpha", [I], None, rand_alpha),
    f!("randAscii", [I], None, rand_ascii),
    f!("randNumeric", [I], None, rand_numeric),
    f!("randBytes", [I], None, rand_bytes),
    f!("randInt", [I, I], None, rand_int),
    f!("uuidv4", [], None, uuidv4),
    f!("shuffle", [Ty::Str], None, shuffle),
];

/// A uniform random integer in `0..n` (`n > 0`), by rejection sampling.
fn below(n: u64) -> Result<u64, String> {
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let v = getrandom::u64().map_err(|_| crate::pki::ERR_RAND)?;
        if v < zone {
            return Ok(v % n);
        }
    }
}

fn count(args: &[Value]) -> Result<Option<usize>, String> {
    let n = int(args, 0);
    if n <= 0 {
        // goutils returns an error for a negative count, which Sprig drops: "".
        return Ok(None);
    }
    match usize::try_from(n) {
        Ok(n) if n <= MAX_RESULT => Ok(Some(n)),
        _ => Err(format!(
            "result exceeds eso-render's limit of {MAX_RESULT} bytes"
        )),
    }
}

/// `count` characters drawn uniformly from `alphabet`.
fn random_string(args: &[Value], alphabet: &[u8]) -> Result<Value, String> {
    let Some(n) = count(args)? else {
        return Ok(Value::str(Vec::new()));
    };
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let i = below(alphabet.len() as u64)? as usize;
        out.push(alphabet[i]);
    }
    Ok(Value::str(out))
}

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";

fn rand_alpha_num(args: &[Value]) -> Result<Value, String> {
    random_string(args, &[DIGITS, UPPER, LOWER].concat())
}

fn rand_alpha(args: &[Value]) -> Result<Value, String> {
    random_string(args, &[UPPER, LOWER].concat())
}

fn rand_ascii(args: &[Value]) -> Result<Value, String> {
    let printable: Vec<u8> = (32u8..127).collect();
    random_string(args, &printable)
}

fn rand_numeric(args: &[Value]) -> Result<Value, String> {
    random_string(args, DIGITS)
}

/// Sprig's `randBytes`: `count` random bytes, base64-encoded.
fn rand_bytes(args: &[Value]) -> Result<Value, String> {
    let n = int(args, 0);
    let n =
        usize::try_from(n).map_err(|_| "runtime error: makeslice: len out of range".to_owned())?;
    if n > MAX_RESULT / 2 {
        return Err(format!(
            "result exceeds eso-render's limit of {MAX_RESULT} bytes"
        ));
    }
    let mut buf = zeroize::Zeroizing::new(vec![0u8; n]);
    os_random(&mut buf)?;
    Ok(Value::str(gocompat::base64::encode_std(&buf).into_bytes()))
}

/// Sprig's `randInt min max`: uniform in `min..max`; Go's `rand.Intn` panics unless
/// `max - min` (wrapping) is positive.
fn rand_int(args: &[Value]) -> Result<Value, String> {
    let (min, max) = (int(args, 0), int(args, 1));
    let n = max.wrapping_sub(min);
    if n <= 0 {
        return Err("invalid argument to Intn".into());
    }
    let r = below(n as u64)? as i64;
    Ok(Value::Int(r.wrapping_add(min)))
}

/// Sprig's `uuidv4`: a random (version 4, RFC 4122 variant) UUID in lower-case hex.
fn uuidv4(_args: &[Value]) -> Result<Value, String> {
    let mut b = [0u8; 16];
    os_random(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    let s = format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    );
    Ok(Value::str(s.into_bytes()))
}

/// Sprig's `shuffle`: xstrings `Shuffle`, the runes in random order (invalid UTF-8 becomes
/// U+FFFD).
fn shuffle(args: &[Value]) -> Result<Value, String> {
    let s = str_arg(args, 0);
    let mut chars: Vec<char> = runes(s).map(|(c, _)| c).collect();
    for i in (1..chars.len()).rev() {
        let j = below(i as u64 + 1)? as usize;
        chars.swap(i, j);
    }
    let out: String = chars.into_iter().collect();
    Ok(Value::str(out.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: Result<Value, String>) -> String {
        String::from_utf8(r.unwrap().as_bytes().unwrap().to_vec()).unwrap()
    }

    #[test]
    fn random_strings_have_the_right_shape() {
        let n = |v: i64| [Value::Int(v)];
        let s = text(rand_alpha_num(&n(64)));
        assert_eq!(s.len(), 64);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert!(
            text(rand_alpha(&n(64)))
                .bytes()
                .all(|b| b.is_ascii_alphabetic())
        );
        assert!(
            text(rand_numeric(&n(64)))
                .bytes()
                .all(|b| b.is_ascii_digit())
        );
        assert!(
            text(rand_ascii(&n(64)))
                .bytes()
                .all(|b| (32..127).contains(&b))
        );
        assert_eq!(text(rand_alpha(&n(0))), "");
        assert_eq!(text(rand_alpha(&n(-3))), "");
        // Two draws of 64 alphanumerics are (overwhelmingly likely) different: not a fixed value.
        assert_ne!(text(rand_alpha_num(&n(64))), text(rand_alpha_num(&n(64))));
    }

    #[test]
    fn bytes_ints_uuids_and_shuffles() {
        let b = text(rand_bytes(&[Value::Int(16)]));
        assert_eq!(
            gocompat::base64::decode_std(b.as_bytes()).unwrap().len(),
            16
        );
        assert_eq!(
            rand_bytes(&[Value::Int(-1)]).unwrap_err(),
            "runtime error: makeslice: len out of range"
        );
        for _ in 0..100 {
            let Ok(Value::Int(v)) = rand_int(&[Value::Int(-3), Value::Int(3)]) else {
                panic!("randInt");
            };
            assert!((-3..3).contains(&v));
        }
        assert_eq!(
            rand_int(&[Value::Int(5), Value::Int(5)]).unwrap_err(),
            "invalid argument to Intn"
        );
        let u = text(uuidv4(&[]));
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, text(uuidv4(&[])));
        let mut s: Vec<char> = text(shuffle(&[Value::str("héllo wörld")]))
            .chars()
            .collect();
        s.sort_unstable();
        let mut want: Vec<char> = "héllo wörld".chars().collect();
        want.sort_unstable();
        assert_eq!(s, want);
    }
}
