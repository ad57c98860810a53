//! DER, as Go's `encoding/asn1` and `cryptobyte` read and write it.
//!
//! Reading is strict DER where Go is (minimal lengths, no indefinite lengths, single-byte tags);
//! writing produces what `asn1.Marshal` produces for the structures eso-render builds. Writers
//! return [`Secret`] buffers because most of what they encode is key material.
//!
//! Must not: panic on any input, or index past a slice (every read is checked).

use zeroize::Zeroizing;

/// A buffer zeroized on drop.
pub type Secret = Zeroizing<Vec<u8>>;

pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL_TAG: u8 = 0x05;
pub const OID: u8 = 0x06;
pub const BMP_STRING: u8 = 0x1e;
pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;

/// Context-specific constructed tag `[n]`.
pub const fn explicit(n: u8) -> u8 {
    0xa0 | n
}

/// Context-specific primitive tag `[n] IMPLICIT`.
pub const fn implicit(n: u8) -> u8 {
    0x80 | n
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Reads one element: its tag, contents, and what follows. Lengths must be minimal, as Go's
/// `cryptobyte` requires.
pub fn read_tlv(s: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = s.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n || rest[0] == 0 {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 0x80 {
            return None;
        }
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// Reads an element with the expected tag: its contents and what follows.
pub fn expect(s: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    match read_tlv(s)? {
        (t, body, rest) if t == tag => Some((body, rest)),
        _ => None,
    }
}

/// Reads an element with the expected tag that must be the whole of `s`.
pub fn expect_only(s: &[u8], tag: u8) -> Option<&[u8]> {
    match expect(s, tag)? {
        (body, []) => Some(body),
        _ => None,
    }
}

/// Reads an optional element with the given tag.
pub fn optional(s: &[u8], tag: u8) -> Option<(Option<&[u8]>, &[u8])> {
    match s.first() {
        Some(t) if *t == tag => expect(s, tag).map(|(body, rest)| (Some(body), rest)),
        _ => Some((None, s)),
    }
}

/// Skips an optional element with the given tag.
pub fn skip_optional(s: &[u8], tag: u8) -> Option<&[u8]> {
    optional(s, tag).map(|(_, rest)| rest)
}

/// The whole encoding (tag, length, contents) of the first element, and what follows.
pub fn raw_element(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, _, rest) = read_tlv(s)?;
    Some((&s[..s.len() - rest.len()], rest))
}

/// A small non-negative INTEGER (Go's `int` fields: versions, iteration counts). Go rejects
/// non-minimal encodings and values that overflow; so does this.
pub fn read_small_uint(s: &[u8]) -> Option<(u64, &[u8])> {
    let (body, rest) = expect(s, INTEGER)?;
    let (first, _) = body.split_first()?;
    if first & 0x80 != 0 {
        return None;
    }
    if body.len() > 1 && body[0] == 0 && body[1] & 0x80 == 0 {
        return None;
    }
    let digits = if body[0] == 0 { &body[1..] } else { body };
    if digits.len() > 8 {
        return None;
    }
    let v = digits
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    Some((v, rest))
}

/// An INTEGER's magnitude (big-endian, leading zero dropped); `None` for negative values.
pub fn read_unsigned(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let (body, rest) = expect(s, INTEGER)?;
    let (first, _) = body.split_first()?;
    if first & 0x80 != 0 {
        return None;
    }
    if body.len() > 1 && body[0] == 0 && body[1] & 0x80 == 0 {
        return None;
    }
    let start = body.iter().take_while(|b| **b == 0).count();
    Some((&body[start..], rest))
}

/// An AlgorithmIdentifier as read: the OID's full encoding and the raw parameters, if any.
#[derive(Debug, Clone, Copy)]
pub struct Algorithm<'a> {
    pub oid: &'a [u8],
    pub params: Option<&'a [u8]>,
}

/// Reads an AlgorithmIdentifier and what follows it.
pub fn read_algorithm(s: &[u8]) -> Option<(Algorithm<'_>, &[u8])> {
    let (body, rest) = expect(s, SEQUENCE)?;
    let (oid, params) = raw_element(body)?;
    if oid.first() != Some(&OID) {
        return None;
    }
    let params = match params {
        [] => None,
        p => {
            let (el, tail) = raw_element(p)?;
            if !tail.is_empty() {
                return None;
            }
            Some(el)
        }
    };
    Some((Algorithm { oid, params }, rest))
}

/// Go's `asn1.ObjectIdentifier.String()` of an OID's full encoding (`1.2.840.113549`).
pub fn oid_string(encoded: &[u8]) -> String {
    let Some(body) = expect_only(encoded, OID) else {
        return String::new();
    };
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc = 0u64;
    for b in body {
        acc = (acc << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (acc / 40).min(2);
                arcs.push(first);
                arcs.push(acc - first * 40);
            } else {
                arcs.push(acc);
            }
            acc = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A BMPString's UTF-16BE contents as text, one trailing NUL dropped, as Go decodes them
/// (`x509`'s `parseASN1String`, go-pkcs12's `decodeBMPString`); `None` for an odd length.
/// Unpaired surrogates become U+FFFD.
pub fn decode_bmp(b: &[u8]) -> Option<String> {
    if !b.len().is_multiple_of(2) {
        return None;
    }
    let b = match b {
        [head @ .., 0, 0] => head,
        all => all,
    };
    let units = b.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Writing

/// One element from its tag and contents.
pub fn tlv(tag: u8, body: &[u8]) -> Secret {
    let mut out = Zeroizing::new(Vec::with_capacity(body.len() + 6));
    out.push(tag);
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let len = n.to_be_bytes();
        let skip = len.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (len.len() - skip) as u8);
        out.extend_from_slice(&len[skip..]);
    }
    out.extend_from_slice(body);
    out
}

/// Concatenates encoded elements under one tag.
pub fn constructed(tag: u8, parts: &[&[u8]]) -> Secret {
    let mut body = Zeroizing::new(Vec::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for p in parts {
        body.extend_from_slice(p);
    }
    tlv(tag, &body)
}

pub fn seq(parts: &[&[u8]]) -> Secret {
    constructed(SEQUENCE, parts)
}

/// A SET OF in DER order, as Go's `asn1.Marshal` sorts it: by the elements' encodings.
pub fn set_of(parts: &[&[u8]]) -> Secret {
    let mut sorted = parts.to_vec();
    sorted.sort_unstable();
    constructed(SET, &sorted)
}

/// A non-negative INTEGER from big-endian magnitude bytes.
pub fn integer(magnitude: &[u8]) -> Secret {
    let start = magnitude.iter().take_while(|b| **b == 0).count();
    let m = &magnitude[start..];
    let mut body = Zeroizing::new(Vec::with_capacity(m.len() + 1));
    if m.first().is_none_or(|b| *b & 0x80 != 0) {
        body.push(0);
    }
    body.extend_from_slice(m);
    tlv(INTEGER, &body)
}

pub fn small_integer(v: u64) -> Secret {
    integer(&v.to_be_bytes())
}

pub fn bit_string(bits: &[u8]) -> Secret {
    let mut body = Zeroizing::new(Vec::with_capacity(bits.len() + 1));
    body.push(0);
    body.extend_from_slice(bits);
    tlv(BIT_STRING, &body)
}

pub fn octet_string(b: &[u8]) -> Secret {
    tlv(OCTET_STRING, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip_and_must_be_minimal() {
        for n in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let body = vec![7u8; n];
            let enc = tlv(OCTET_STRING, &body);
            assert_eq!(expect_only(&enc, OCTET_STRING), Some(&body[..]));
        }
        // 0x81 0x05: a long form for a length that fits the short form.
        assert!(read_tlv(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5]).is_none());
        assert!(read_tlv(&[0x04, 0x80]).is_none(), "indefinite length");
        assert!(read_tlv(&[0x04, 0x05, 1]).is_none(), "truncated");
    }

    #[test]
    fn integers() {
        assert_eq!(&small_integer(0)[..], &[2, 1, 0]);
        assert_eq!(&small_integer(2048)[..], &[2, 2, 8, 0]);
        assert_eq!(&small_integer(128)[..], &[2, 2, 0, 128]);
        assert_eq!(read_small_uint(&[2, 2, 8, 0]), Some((2048, &[][..])));
        assert_eq!(read_small_uint(&[2, 2, 0, 1]), None, "non-minimal");
        assert_eq!(read_small_uint(&[2, 1, 0xff]), None, "negative");
        assert_eq!(
            read_unsigned(&[2, 2, 0, 0x80]),
            Some((&[0x80][..], &[][..]))
        );
    }

    #[test]
    fn oid_strings() {
        let rsa = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
        ];
        assert_eq!(oid_string(&rsa), "1.2.840.113549.1.1.1");
        assert_eq!(oid_string(&[0x06, 0x03, 0x55, 0x1d, 0x25]), "2.5.29.37");
    }

    #[test]
    fn sets_are_sorted_by_encoding() {
        let a = tlv(OCTET_STRING, &[2]);
        let b = tlv(OCTET_STRING, &[1, 1]);
        let s = set_of(&[&b, &a]);
        assert_eq!(&s[..], &[0x31, 7, 4, 1, 2, 4, 2, 1, 1]);
    }
}
