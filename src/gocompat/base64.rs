//! Go `encoding/base64` decoding with Go's leniency and Go's error offsets.
//!
//! Mirrors `base64.StdEncoding` / `base64.URLEncoding` (`DecodeString`, `EncodeToString`) from the
//! Go standard library, which ESO's `runtime/decoding/decoding.go` calls for the `Base64`,
//! `Base64URL` and `Auto` decoding strategies. The Rust `base64` engines differ from Go in three
//! ways that change results, so decoding is done here quantum by quantum the way Go's
//! `decodeQuantum` does it:
//!
//! * `\r` and `\n` are skipped wherever they appear (including between the two `=` of `==`);
//! * non-zero trailing bits are accepted (`YR==` decodes to `a`), as Go's encodings are not strict;
//! * the error carries Go's offset, counted in the original input including skipped newlines, and
//!   displays exactly as Go's `CorruptInputError`.
//!
//! Must not: put any input byte in an error (only the offset), or panic on any input.

use base64::Engine as _;
use zeroize::Zeroize as _;

/// Go's `base64.CorruptInputError`: the offset of the first byte Go rejects.
///
/// Displays exactly as Go does (`illegal base64 data at input byte 3`) so users can grep ESO's
/// messages. It never contains input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("illegal base64 data at input byte {0}")]
pub struct CorruptInput(pub usize);

/// The two alphabets ESO uses; both pad with `=`.
#[derive(Clone, Copy)]
enum Alphabet {
    Std,
    Url,
}

impl Alphabet {
    /// Value of `c` in this alphabet, or `None` for bytes outside it (including `=`).
    fn value(self, c: u8) -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' if matches!(self, Alphabet::Std) => Some(62),
            b'/' if matches!(self, Alphabet::Std) => Some(63),
            b'-' if matches!(self, Alphabet::Url) => Some(62),
            b'_' if matches!(self, Alphabet::Url) => Some(63),
            _ => None,
        }
    }
}

const PAD: u8 = b'=';

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Decodes like Go's `base64.StdEncoding.DecodeString` (alphabet `+/`, padding required).
///
/// # Errors
/// [`CorruptInput`] with the offset Go reports.
pub fn decode_std(input: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    decode(input, Alphabet::Std)
}

/// Decodes like Go's `base64.URLEncoding.DecodeString` (alphabet `-_`, padding required).
///
/// # Errors
/// [`CorruptInput`] with the offset Go reports.
pub fn decode_url(input: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    decode(input, Alphabet::Url)
}

/// Encodes like Go's `base64.StdEncoding.EncodeToString` (padded); identical to the Rust
/// standard engine, which is used.
pub fn encode_std(input: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(input)
}

fn decode(src: &[u8], alphabet: Alphabet) -> Result<Vec<u8>, CorruptInput> {
    // The capacity is an upper bound of the output, so the buffer never reallocates and leaves no
    // stray copy of decoded bytes behind; on failure the partial output is wiped.
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        match decode_quantum(src, si, alphabet, &mut out) {
            Ok(next) => si = next,
            Err(e) => {
                out.zeroize();
                return Err(e);
            }
        }
    }
    Ok(out)
}

/// Decodes one 4-character quantum starting at `si`, appending its bytes to `out`, and returns
/// where the next quantum starts. Follows Go's `decodeQuantum` step by step, because the error
/// offsets depend on the exact order of its checks.
fn decode_quantum(
    src: &[u8],
    mut si: usize,
    alphabet: Alphabet,
    out: &mut Vec<u8>,
) -> Result<usize, CorruptInput> {
    let mut sextets = [0u8; 4];
    // Number of data characters in this quantum (4 unless padding or the end came first).
    let mut len = 4;
    let mut j = 0;
    while j < 4 {
        let Some(&c) = src.get(si) else {
            if j == 0 {
                // Only newlines were left: nothing more to decode.
                return Ok(si);
            }
            // Input ended inside a quantum: with a padded encoding every short ending is an
            // error, reported at the start of the quantum (Go's `si - j`).
            return Err(CorruptInput(si - j));
        };
        si += 1;
        if let Some(v) = alphabet.value(c) {
            sextets[j] = v;
            j += 1;
            continue;
        }
        if is_newline(c) {
            continue;
        }
        if c != PAD {
            return Err(CorruptInput(si - 1));
        }
        // Padding: only valid after two or three data characters.
        match j {
            0 | 1 => return Err(CorruptInput(si - 1)),
            2 => {
                // A second `=` must follow, possibly after newlines.
                while si < src.len() && is_newline(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(CorruptInput(src.len()));
                }
                if src[si] != PAD {
                    return Err(CorruptInput(si - 1));
                }
                si += 1;
            }
            _ => {}
        }
        while si < src.len() && is_newline(src[si]) {
            si += 1;
        }
        if si < src.len() {
            // Data after the padding.
            return Err(CorruptInput(si));
        }
        len = j;
        break;
    }
    let val = u32::from(sextets[0]) << 18
        | u32::from(sextets[1]) << 12
        | u32::from(sextets[2]) << 6
        | u32::from(sextets[3]);
    let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
    // Go is not strict: the bits below the last full byte are dropped, whatever they are.
    out.extend_from_slice(&bytes[..len - 1]);
    Ok(si)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> String {
        decode_std(input.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn decodes_plain_padded_input() {
        assert_eq!(decode_std(b"YmFy").unwrap(), b"bar");
        assert_eq!(decode_std(b"Zm9vJV8/YmFy").unwrap(), b"foo%_?bar");
        assert_eq!(decode_url(b"Zm9vJV8_YmFy").unwrap(), b"foo%_?bar");
        assert_eq!(decode_std(b"YQ==").unwrap(), b"a");
        assert_eq!(decode_std(b"YWI=").unwrap(), b"ab");
        assert_eq!(decode_std(b"").unwrap(), b"");
    }

    #[test]
    fn newlines_anywhere_are_ignored() {
        assert_eq!(decode_std(b"YWJj\nZGVm").unwrap(), b"abcdef");
        assert_eq!(decode_std(b"\r\nY\nW\rJ\nj\n").unwrap(), b"abc");
        assert_eq!(decode_std(b"YQ=\n=\n").unwrap(), b"a");
        assert_eq!(decode_std(b"\n\n").unwrap(), b"");
    }

    #[test]
    fn non_canonical_trailing_bits_are_accepted() {
        assert_eq!(decode_std(b"YR==").unwrap(), b"a");
        assert_eq!(decode_std(b"YWJ=").unwrap(), b"ab");
    }

    #[test]
    fn auto_style_digits_decode() {
        assert_eq!(decode_std(b"1234").unwrap(), [0xd7, 0x6d, 0xf8]);
    }

    #[test]
    fn error_offsets_match_go() {
        // ESO test vector (providers' "iam_no_base64" cases).
        assert_eq!(err("iam_no_base64"), "illegal base64 data at input byte 3");
        // Short final quantum: Go reports si - j, the start of that quantum.
        assert_eq!(err("foo"), "illegal base64 data at input byte 0");
        assert_eq!(err("YmFyY"), "illegal base64 data at input byte 4");
        assert_eq!(err("YW\nJ"), "illegal base64 data at input byte 1");
        // Padding too early.
        assert_eq!(err("Y==="), "illegal base64 data at input byte 1");
        assert_eq!(err("===="), "illegal base64 data at input byte 0");
        // Only one `=` where two are needed.
        assert_eq!(err("YQ="), "illegal base64 data at input byte 3");
        assert_eq!(err("YQ=a"), "illegal base64 data at input byte 2");
        // Trailing garbage after padding.
        assert_eq!(err("YQ==YQ=="), "illegal base64 data at input byte 4");
        assert_eq!(err("YWI=\nx"), "illegal base64 data at input byte 5");
        // Alphabet mix-ups.
        assert_eq!(err("Zm9vJV8_YmFy"), "illegal base64 data at input byte 7");
        assert_eq!(
            decode_url(b"Zm9vJV8/YmFy").unwrap_err().to_string(),
            "illegal base64 data at input byte 7"
        );
        assert_eq!(
            decode_url(b"iam_no_base64").unwrap_err().to_string(),
            "illegal base64 data at input byte 12"
        );
        assert_eq!(err(" YQ=="), "illegal base64 data at input byte 0");
    }

    #[test]
    fn encodes_padded() {
        assert_eq!(encode_std(b"a"), "YQ==");
        assert_eq!(encode_std(b"foo%_?bar"), "Zm9vJV8/YmFy");
        assert_eq!(encode_std(b""), "");
    }
}
