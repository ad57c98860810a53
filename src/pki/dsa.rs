//! DSA private keys in the one format Sprig knows: its `DSAKeyFormat` (`DSA PRIVATE KEY` PEM),
//! the sequence `version, p, q, g, y, x` that OpenSSL also writes for DSA keys.
//!
//! Mirrors Sprig's `generatePrivateKey "dsa"` (Go's `dsa.GenerateParameters` with `L2048N256`,
//! then `dsa.GenerateKey`, marshalled with version 0) and the DSA branch of its
//! `parsePrivateKeyPEM` (`asn1.Unmarshal` into that struct: minimal INTEGERs of any sign, extra
//! elements after `x` and data after the sequence ignored). Go's `crypto/x509` can neither sign
//! with a DSA key nor certify one, so a parsed key is never used beyond that check; it is not
//! kept.
//!
//! Differences from Go: `asn1` errors carry a short text rather than Go's struct dump.
//!
//! Must not: put key bytes in an error, or panic on any input.

use dsa::{Components, KeySize, SigningKey};
use zeroize::Zeroizing;

use super::der::{self, INTEGER, SEQUENCE, Secret, integer, seq, small_integer};

fn magnitude(u: &dsa::BoxedUint) -> Secret {
    Zeroizing::new(u.to_be_bytes().to_vec())
}

/// A new DSA key (L = 2048, N = 256) as Sprig's `DSAKeyFormat` DER.
pub fn generate() -> Result<Secret, String> {
    let rng = &mut getrandom::SysRng;
    let params = Components::try_generate_from_rng_with_key_size(rng, KeySize::DSA_2048_256)
        .map_err(|_| "failed to generate dsa params: crypto/rand: failed to read random data")?;
    let key = SigningKey::try_generate_from_rng_with_components(rng, params).map_err(|_| {
        "failed to generate private key: crypto/rand: failed to read random data".to_owned()
    })?;
    let c = key.verifying_key().components();
    Ok(seq(&[
        &small_integer(0),
        &integer(&magnitude(c.p())),
        &integer(&magnitude(c.q())),
        &integer(&magnitude(c.g())),
        &integer(&magnitude(key.verifying_key().y())),
        &integer(&magnitude(key.x())),
    ]))
}

/// Go's `checkInteger`: a non-empty, minimally encoded INTEGER body.
fn minimal(b: &[u8]) -> bool {
    match b {
        [] => false,
        [0, next, ..] => next & 0x80 != 0,
        [0xff, next, ..] => next & 0x80 == 0,
        _ => true,
    }
}

/// `asn1.Unmarshal(der, &DSAKeyFormat{})`: whether Go accepts the structure.
pub fn check(der: &[u8]) -> Result<(), String> {
    let (tag, mut body, _) =
        der::read_tlv(der).ok_or("asn1: syntax error: truncated tag or length")?;
    if tag != SEQUENCE {
        return Err("asn1: structure error: tags don't match".into());
    }
    // Version (a Go int), then P, Q, G, Y, X (big integers of either sign).
    for field in 0..6 {
        if body.is_empty() {
            return Err("asn1: syntax error: sequence truncated".into());
        }
        let (tag, value, rest) = der::read_tlv(body).ok_or("asn1: syntax error: data truncated")?;
        if tag != INTEGER {
            return Err("asn1: structure error: tags don't match".into());
        }
        if !minimal(value) {
            return Err("asn1: structure error: integer not minimally-encoded".into());
        }
        if field == 0 && value.len() > 8 {
            return Err("asn1: structure error: integer too large".into());
        }
        body = rest;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_structure_checks() {
        let int = |b: &[u8]| der::tlv(INTEGER, b).to_vec();
        let key = |ints: &[Vec<u8>]| {
            let parts: Vec<&[u8]> = ints.iter().map(Vec::as_slice).collect();
            seq(&parts).to_vec()
        };
        let five = vec![int(&[0]), int(&[5]), int(&[0xff]), int(&[7]), int(&[8])];
        let mut six = five.clone();
        six.push(int(&[9]));
        assert!(check(&key(&six)).is_ok());
        // Negative values and trailing elements are Go's business, not the parser's.
        let mut more = six.clone();
        more.push(int(&[1]));
        assert!(check(&key(&more)).is_ok());
        let mut trailing = key(&six);
        trailing.extend_from_slice(b"junk");
        assert!(check(&trailing).is_ok());
        assert_eq!(
            check(&key(&five)).unwrap_err(),
            "asn1: syntax error: sequence truncated"
        );
        let mut padded = six.clone();
        padded[1] = int(&[0, 5]);
        assert_eq!(
            check(&key(&padded)).unwrap_err(),
            "asn1: structure error: integer not minimally-encoded"
        );
        let mut big_version = six;
        big_version[0] = int(&[1; 9]);
        assert_eq!(
            check(&key(&big_version)).unwrap_err(),
            "asn1: structure error: integer too large"
        );
        assert!(check(b"").is_err());
        assert!(check(&der::octet_string(b"x")).is_err());
    }
}
