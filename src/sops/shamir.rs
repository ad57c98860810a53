//! Shamir secret sharing over GF(2^8) as sops uses it for key groups (a copy of HashiCorp
//! Vault's scheme): each part is the secret's length plus one byte, the last byte being the part's
//! x coordinate; the secret is the polynomial's value at 0, byte by byte.

use zeroize::Zeroizing;

use crate::sops::Error;

/// Multiplication in Rijndael's field, GF(2)[X] / (X^8 + X^4 + X^3 + X + 1).
fn mult(a: u8, b: u8) -> u8 {
    let mut acc = 0u8;
    for i in (0..8).rev() {
        let bit = (b >> i) & 1;
        // acc * X, reduced; then add a when b's bit is set. Branch-free like the original.
        let carry = acc >> 7;
        acc = (acc << 1) ^ (0x1b * carry);
        acc ^= a * bit;
    }
    acc
}

/// a^254 = a^-1 for non-zero a (Fermat's little theorem in the multiplicative group).
fn inverse(a: u8) -> u8 {
    let mut result = 1u8;
    let mut base = a;
    let mut e = 254u8;
    while e > 0 {
        if e & 1 == 1 {
            result = mult(result, base);
        }
        base = mult(base, base);
        e >>= 1;
    }
    result
}

/// Rebuilds the secret from at least two parts.
pub fn combine(parts: &[&[u8]]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let bad = |m: &str| Err(Error::Shamir(m.to_owned()));
    if parts.len() < 2 {
        return bad("fewer than two parts cannot rebuild the data key");
    }
    let len = parts[0].len();
    if len < 2 {
        return bad("a part is shorter than two bytes");
    }
    if parts.iter().any(|p| p.len() != len) {
        return bad("the parts differ in length");
    }
    let xs: Vec<u8> = parts.iter().map(|p| p[len - 1]).collect();
    for (i, x) in xs.iter().enumerate() {
        if xs[..i].contains(x) {
            return bad("two parts have the same x coordinate");
        }
    }
    let mut secret = Zeroizing::new(vec![0u8; len - 1]);
    for (idx, out) in secret.iter_mut().enumerate() {
        let mut value = 0u8;
        for (i, part) in parts.iter().enumerate() {
            let mut basis = 1u8;
            for (j, xj) in xs.iter().enumerate() {
                if i != j {
                    basis = mult(basis, mult(*xj, inverse(xs[i] ^ xj)));
                }
            }
            value ^= mult(part[idx], basis);
        }
        *out = value;
    }
    Ok(secret)
}

#[cfg(test)]
pub(crate) fn split(secret: &[u8], xs: &[u8], threshold: usize, coeffs_seed: u8) -> Vec<Vec<u8>> {
    // Test helper: a polynomial per byte with fixed coefficients, evaluated at each x.
    xs.iter()
        .map(|&x| {
            let mut part: Vec<u8> = secret
                .iter()
                .enumerate()
                .map(|(k, &s)| {
                    let mut y = 0u8;
                    let mut xp = 1u8;
                    for d in 0..threshold {
                        let c = if d == 0 {
                            s
                        } else {
                            coeffs_seed.wrapping_mul(d as u8).wrapping_add(k as u8)
                        };
                        y ^= mult(c, xp);
                        xp = mult(xp, x);
                    }
                    y
                })
                .collect();
            part.push(x);
            part
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_arithmetic() {
        // The AES test vector: {57} * {83} = {c1}.
        assert_eq!(mult(0x57, 0x83), 0xc1);
        for a in 1..=255u8 {
            assert_eq!(mult(a, inverse(a)), 1, "{a}");
        }
    }

    #[test]
    fn any_threshold_subset_rebuilds_the_secret() {
        let secret: Vec<u8> = (0..32).collect();
        let parts = split(&secret, &[1, 2, 3, 200], 3, 29);
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        for subset in [[0, 1, 2], [1, 2, 3], [0, 2, 3], [3, 0, 1]] {
            let pick: Vec<&[u8]> = subset.iter().map(|&i| refs[i]).collect();
            assert_eq!(&combine(&pick).unwrap()[..], &secret[..]);
        }
        // Too few parts give a different value, not an error: the MAC catches that.
        assert_ne!(&combine(&refs[..2]).unwrap()[..], &secret[..]);
    }

    #[test]
    fn malformed_parts_are_refused() {
        assert!(combine(&[&[1, 2]]).is_err());
        assert!(combine(&[&[1, 2], &[1, 2, 3]]).is_err());
        assert!(combine(&[&[1, 2], &[3, 2]]).is_err());
    }
}
