//! PEM, as Go's `encoding/pem` reads and writes it.
//!
//! Mirrors `pem.Decode` (the block search, `getLine`, header skipping, the END-line checks, and
//! base64 decoding that skips spaces and tabs) and `pem.Encode` without headers (64-column
//! lines).
//!
//! Must not: panic on any input.

use zeroize::Zeroizing;

use super::der::Secret;
use crate::gocompat;

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_right_space_tab(mut s: &[u8]) -> &[u8] {
    while let Some((last, head)) = s.split_last() {
        if *last == b' ' || *last == b'\t' {
            s = head;
        } else {
            break;
        }
    }
    s
}

/// Go's `getLine`: the line without its `\r\n` / `\n` and trailing spaces, and the rest.
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut i, j) = match data.iter().position(|b| *b == b'\n') {
        None => (data.len(), data.len()),
        Some(i) => (i, i + 1),
    };
    if j > i && i > 0 && data[i - 1] == b'\r' {
        i -= 1;
    }
    (trim_right_space_tab(&data[..i]), &data[j..])
}

/// A decoded PEM block. Headers are skipped: no caller reads them.
pub struct Block<'a> {
    pub kind: &'a [u8],
    pub bytes: Secret,
}

/// Go's `pem.Decode`: the first block and what follows it; `None` where Go returns a nil block.
pub fn decode(data: &[u8]) -> Option<(Block<'_>, &[u8])> {
    const START: &[u8] = b"\n-----BEGIN ";
    const END: &[u8] = b"\n-----END ";
    const EOL: &[u8] = b"-----";
    let mut rest = data;
    loop {
        if rest.starts_with(&START[1..]) {
            rest = &rest[START.len() - 1..];
        } else if let Some(i) = find(rest, START) {
            rest = &rest[i + START.len()..];
        } else {
            return None;
        }
        let (type_line, after) = get_line(rest);
        rest = after;
        let Some(ty) = type_line.strip_suffix(EOL) else {
            continue;
        };
        let mut headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            if !line.contains(&b':') {
                break;
            }
            headers = true;
            rest = next;
        }
        let (end_index, trailer_index) = if !headers && rest.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(rest, END) {
                Some(i) => (i, i + END.len()),
                None => continue,
            }
        };
        let trailer = &rest[trailer_index..];
        let trailer_len = ty.len() + EOL.len();
        if trailer.len() < trailer_len {
            continue;
        }
        let (trailer, rest_of_line) = trailer.split_at(trailer_len);
        if !trailer.starts_with(ty) || !trailer.ends_with(EOL) {
            continue;
        }
        if !get_line(rest_of_line).0.is_empty() {
            continue;
        }
        let b64: Vec<u8> = rest[..end_index]
            .iter()
            .copied()
            .filter(|b| *b != b' ' && *b != b'\t')
            .collect();
        match gocompat::base64::decode_std(&b64) {
            Ok(der) => {
                let block = Block {
                    kind: ty,
                    bytes: Zeroizing::new(der),
                };
                return Some((block, get_line(&rest[end_index + END.len() - 1..]).1));
            }
            Err(_) => continue,
        }
    }
}

/// Go's `pem.EncodeToMemory` for a block without headers.
pub fn encode(kind: &str, der: &[u8]) -> Vec<u8> {
    let b64 = Zeroizing::new(gocompat::base64::encode_std(der));
    let mut out = Vec::with_capacity(b64.len() + b64.len() / 64 + 2 * kind.len() + 40);
    out.extend_from_slice(b"-----BEGIN ");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.extend_from_slice(b"-----END ");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"-----\n");
    out
}

/// Every block of `data` in order, as a loop over Go's `pem.Decode` sees them.
pub fn decode_all(mut data: &[u8]) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    while let Some((block, rest)) = decode(data) {
        blocks.push(block);
        data = rest;
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let der: Vec<u8> = (0..=200).collect();
        let text = encode("CERTIFICATE", &der);
        let mut input = b"junk before\n".to_vec();
        input.extend_from_slice(&text);
        input.extend_from_slice(b"after");
        let (block, rest) = decode(&input).expect("a block");
        assert_eq!(block.kind, b"CERTIFICATE");
        assert_eq!(&block.bytes[..], &der[..]);
        assert_eq!(rest, b"after");
    }

    #[test]
    fn mismatched_end_line_is_skipped() {
        let input = b"-----BEGIN A-----\nAAAA\n-----END B-----\n";
        assert!(decode(input).is_none());
    }
}
