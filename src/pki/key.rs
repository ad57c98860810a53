//! Private and public keys as Go's `crypto/x509` parses and marshals them.
//!
//! Mirrors `x509.ParsePKCS1PrivateKey`, `ParsePKCS8PrivateKey`, `ParseECPrivateKey` (the
//! curve from the PKCS#8 parameters or the key's own, the scalar range check, the leading-zero
//! tolerance, the public point recomputed from the scalar), `MarshalPKCS8PrivateKey` and
//! `MarshalPKIXPublicKey`, with Go's error texts. Keys: RSA (two primes), ECDSA on P-256, P-384
//! and P-521, Ed25519.
//!
//! Differences from Go: an RSA key's consistency (n = p·q, the CRT values) is not checked, and
//! `asn1` structure errors are reported with a short text of eso-render's rather than Go's
//! `asn1: structure error: …` details; P-224 and X25519 keys are reported as unsupported.
//!
//! Must not: put key bytes in an error, or panic on any input. Key material lives in zeroizing
//! buffers.

use p256::elliptic_curve::sec1::ToSec1Point;
use zeroize::Zeroizing;

use super::der::{
    self, BIT_STRING, INTEGER, OCTET_STRING, SEQUENCE, Secret, bit_string, integer, octet_string,
    seq, small_integer,
};

pub const OID_RSA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
];
const NULL: &[u8] = &[0x05, 0x00];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
const OID_X25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x6e];
const OID_P224: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x21];

/// A NIST curve eso-render computes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The named-curve OID, encoded.
    pub fn oid(self) -> &'static [u8] {
        match self {
            Curve::P256 => &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
            Curve::P384 => &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
            Curve::P521 => &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23],
        }
    }

    fn from_oid(oid: &[u8]) -> Result<Curve, String> {
        [Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.oid() == oid)
            .ok_or_else(|| {
                if oid == OID_P224 {
                    "P-224 keys are not supported by eso-render".to_owned()
                } else {
                    "x509: unknown elliptic curve".to_owned()
                }
            })
    }

    /// Bytes of a scalar or coordinate.
    pub fn size(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The uncompressed public point of scalar `d` (`size()` bytes); `None` when `d` is zero or
    /// not below the group order.
    pub fn public_point(self, d: &[u8]) -> Option<Secret> {
        fn point<C>(d: &[u8]) -> Option<Secret>
        where
            C: p256::elliptic_curve::CurveArithmetic,
            p256::elliptic_curve::AffinePoint<C>:
                p256::elliptic_curve::sec1::FromSec1Point<C> + ToSec1Point<C>,
            p256::elliptic_curve::FieldBytesSize<C>: p256::elliptic_curve::sec1::ModulusSize,
        {
            let key = p256::elliptic_curve::SecretKey::<C>::from_slice(d).ok()?;
            Some(Zeroizing::new(
                key.public_key().to_sec1_point(false).as_bytes().to_vec(),
            ))
        }
        match self {
            Curve::P256 => point::<p256::NistP256>(d),
            Curve::P384 => point::<p384::NistP384>(d),
            Curve::P521 => point::<p521::NistP521>(d),
        }
    }
}

/// The integers of a two-prime RSA private key, big-endian magnitudes.
pub struct RsaPrivate {
    pub n: Secret,
    pub e: Secret,
    pub d: Secret,
    pub p: Secret,
    pub q: Secret,
    pub dp: Secret,
    pub dq: Secret,
    pub qi: Secret,
}

pub enum PrivateKey {
    Rsa(RsaPrivate),
    /// `d` is `curve.size()` bytes; `point` is the uncompressed public point.
    Ec {
        curve: Curve,
        d: Secret,
        point: Secret,
    },
    /// The 32-byte seed.
    Ed25519(Secret),
}

pub enum PublicKey {
    Rsa { n: Secret, e: Secret },
    Ec { curve: Curve, point: Secret },
    Ed25519(Secret),
}

impl PrivateKey {
    /// Go's type name, for `x509`'s messages.
    pub fn go_type(&self) -> &'static str {
        match self {
            PrivateKey::Rsa(_) => "*rsa.PrivateKey",
            PrivateKey::Ec { .. } => "*ecdsa.PrivateKey",
            PrivateKey::Ed25519(_) => "ed25519.PrivateKey",
        }
    }

    /// Go's `x509.MarshalPKCS8PrivateKey`.
    pub fn to_pkcs8(&self) -> Secret {
        let version = small_integer(0);
        match self {
            PrivateKey::Rsa(k) => seq(&[
                &version,
                &seq(&[OID_RSA, NULL]),
                &octet_string(&k.to_pkcs1()),
            ]),
            PrivateKey::Ec { curve, d, point } => {
                let ec = seq(&[
                    &small_integer(1),
                    &octet_string(d),
                    &der::tlv(der::explicit(1), &bit_string(point)),
                ]);
                seq(&[
                    &version,
                    &seq(&[OID_EC_PUBLIC_KEY, curve.oid()]),
                    &octet_string(&ec),
                ])
            }
            PrivateKey::Ed25519(seed) => seq(&[
                &version,
                &seq(&[OID_ED25519]),
                &octet_string(&octet_string(seed)),
            ]),
        }
    }
}

impl RsaPrivate {
    /// Go's `x509.MarshalPKCS1PrivateKey`.
    pub fn to_pkcs1(&self) -> Secret {
        seq(&[
            &small_integer(0),
            &integer(&self.n),
            &integer(&self.e),
            &integer(&self.d),
            &integer(&self.p),
            &integer(&self.q),
            &integer(&self.dp),
            &integer(&self.dq),
            &integer(&self.qi),
        ])
    }
}

impl PublicKey {
    pub fn go_type(&self) -> &'static str {
        match self {
            PublicKey::Rsa { .. } => "*rsa.PublicKey",
            PublicKey::Ec { .. } => "*ecdsa.PublicKey",
            PublicKey::Ed25519(_) => "ed25519.PublicKey",
        }
    }

    /// Go's `x509.MarshalPKIXPublicKey`.
    pub fn to_pkix(&self) -> Secret {
        match self {
            PublicKey::Rsa { n, e } => seq(&[
                &seq(&[OID_RSA, NULL]),
                &bit_string(&seq(&[&integer(n), &integer(e)])),
            ]),
            PublicKey::Ec { curve, point } => {
                seq(&[&seq(&[OID_EC_PUBLIC_KEY, curve.oid()]), &bit_string(point)])
            }
            PublicKey::Ed25519(x) => seq(&[&seq(&[OID_ED25519]), &bit_string(x)]),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// The fields of Go's `pkcs8` struct: algorithm OID, raw parameters, private key octets.
/// Trailing elements (attributes, a v2 public key) are allowed, as Go's `asn1` allows them.
fn pkcs8_fields(der: &[u8]) -> Option<(der::Algorithm<'_>, &[u8])> {
    let body = der::expect_only(der, SEQUENCE)?;
    let (_, rest) = der::read_small_uint(body)?;
    let (alg, rest) = der::read_algorithm(rest)?;
    let (key, _) = der::expect(rest, OCTET_STRING)?;
    Some((alg, key))
}

/// The fields of Go's `ecPrivateKey` that matter.
struct Sec1<'a> {
    version: u64,
    scalar: &'a [u8],
    curve: Option<&'a [u8]>,
}

/// Go's `ecPrivateKey`; the public key, when present, must be a BIT STRING but is not used.
fn sec1_fields(der: &[u8]) -> Option<Sec1<'_>> {
    let body = der::expect_only(der, SEQUENCE)?;
    let (version, rest) = der::read_small_uint(body)?;
    let (d, rest) = der::expect(rest, OCTET_STRING)?;
    let (params, rest) = der::optional(rest, der::explicit(0))?;
    let curve = match params {
        Some(p) => Some(der::raw_element(p).filter(|(_, t)| t.is_empty())?.0),
        None => None,
    };
    let (public, _) = der::optional(rest, der::explicit(1))?;
    if let Some(p) = public {
        der::expect_only(p, BIT_STRING)?;
    }
    Some(Sec1 {
        version,
        scalar: d,
        curve,
    })
}

/// The nine integers of Go's `pkcs1PrivateKey` (`None` for a malformed or multi-prime key).
fn pkcs1_fields(der: &[u8]) -> Option<(u64, [&[u8]; 8], bool)> {
    let body = der::expect_only(der, SEQUENCE)?;
    let (version, mut rest) = der::read_small_uint(body)?;
    let mut ints: [&[u8]; 8] = [&[]; 8];
    let mut positive = true;
    for slot in &mut ints {
        let (b, r) = der::expect(rest, INTEGER)?;
        if b.is_empty() {
            return None;
        }
        // Zero or negative: Go parses it, then rejects the key.
        positive &= b[0] & 0x80 == 0 && b.iter().any(|x| *x != 0);
        let start = b.iter().take_while(|x| **x == 0).count();
        *slot = &b[start..];
        rest = r;
    }
    Some((version, ints, positive && rest.is_empty()))
}

fn secret(b: &[u8]) -> Secret {
    Zeroizing::new(b.to_vec())
}

/// Go's `x509.ParsePKCS1PrivateKey`.
pub fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey, String> {
    let Some((version, ints, ok)) = pkcs1_fields(der) else {
        if sec1_fields(der).is_some() {
            return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
        }
        if pkcs8_fields(der).is_some() {
            return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
        }
        return Err("x509: malformed PKCS#1 private key".into());
    };
    if version > 1 {
        return Err("x509: unsupported private key version".into());
    }
    if !ok {
        // A zero or negative value, or trailing other-prime infos.
        let body = der::expect_only(der, SEQUENCE).unwrap_or_default();
        let multi = der::read_small_uint(body)
            .map(|(_, mut rest)| {
                for _ in 0..8 {
                    match der::expect(rest, INTEGER) {
                        Some((_, r)) => rest = r,
                        None => return false,
                    }
                }
                !rest.is_empty()
            })
            .unwrap_or(false);
        return Err(if multi {
            "multi-prime RSA keys are not supported by eso-render".into()
        } else {
            "x509: private key contains zero or negative value".into()
        });
    }
    let [n, e, d, p, q, dp, dq, qi] = ints;
    Ok(PrivateKey::Rsa(RsaPrivate {
        n: secret(n),
        e: secret(e),
        d: secret(d),
        p: secret(p),
        q: secret(q),
        dp: secret(dp),
        dq: secret(dq),
        qi: secret(qi),
    }))
}

/// Go's `parseECPrivateKey`; `curve_oid` is the PKCS#8 parameter when there is one.
fn parse_ec(curve_oid: Option<&[u8]>, der: &[u8]) -> Result<PrivateKey, String> {
    let Some(Sec1 {
        version,
        scalar,
        curve: own_curve,
    }) = sec1_fields(der)
    else {
        if pkcs8_fields(der).is_some() {
            return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
        }
        if pkcs1_fields(der).is_some() {
            return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
        }
        return Err("x509: failed to parse EC private key: malformed ECPrivateKey".into());
    };
    if version != 1 {
        return Err(format!("x509: unknown EC private key version {version}"));
    }
    let curve = Curve::from_oid(curve_oid.or(own_curve).unwrap_or_default())?;
    let mut scalar = scalar;
    while scalar.len() > curve.size() {
        match scalar.split_first() {
            Some((0, rest)) => scalar = rest,
            _ => return Err("x509: invalid private key length".into()),
        }
    }
    let mut d = Zeroizing::new(vec![0u8; curve.size() - scalar.len()]);
    d.extend_from_slice(scalar);
    let point = curve
        .public_point(&d)
        .ok_or_else(|| "x509: invalid elliptic curve private key value".to_owned())?;
    Ok(PrivateKey::Ec { curve, d, point })
}

/// Go's `x509.ParseECPrivateKey` (SEC 1, `EC PRIVATE KEY`).
pub fn parse_sec1(der: &[u8]) -> Result<PrivateKey, String> {
    parse_ec(None, der)
}

/// Go's `x509.ParsePKCS8PrivateKey`.
pub fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let Some((der::Algorithm { oid, params }, key)) = pkcs8_fields(der) else {
        if sec1_fields(der).is_some() {
            return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
        }
        if pkcs1_fields(der).is_some() {
            return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
        }
        return Err("x509: malformed PKCS#8 private key".into());
    };
    match oid {
        OID_RSA => parse_pkcs1(key)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}")),
        OID_EC_PUBLIC_KEY => {
            let curve = params.filter(|p| p.first() == Some(&der::OID));
            parse_ec(curve, key).map_err(|e| {
                format!("x509: failed to parse EC private key embedded in PKCS#8: {e}")
            })
        }
        OID_ED25519 => {
            if params.is_some() {
                return Err("x509: invalid Ed25519 private key parameters".into());
            }
            let seed = der::expect_only(key, OCTET_STRING).ok_or_else(|| {
                "x509: invalid Ed25519 private key: malformed octet string".to_owned()
            })?;
            if seed.len() != 32 {
                return Err(format!(
                    "x509: invalid Ed25519 private key length: {}",
                    seed.len()
                ));
            }
            Ok(PrivateKey::Ed25519(secret(seed)))
        }
        OID_X25519 => Err("X25519 keys are not supported by eso-render".into()),
        other => Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
            der::oid_string(other)
        )),
    }
}

/// ESO's `parsePrivateKey`: PKCS#1, then PKCS#8, then SEC 1; one error for all three.
pub fn parse_any(der: &[u8]) -> Result<PrivateKey, String> {
    parse_pkcs1(der)
        .or_else(|_| parse_pkcs8(der))
        .or_else(|_| parse_sec1(der))
        .map_err(|_| "unable to parse private key type".to_owned())
}

// ---------------------------------------------------------------------------------------------
// Generation and signing

/// A big-endian magnitude without leading zeros, as the parsers store them.
fn trimmed(u: &rsa::BoxedUint) -> Secret {
    let bytes = Zeroizing::new(u.to_be_bytes());
    let start = bytes.iter().take_while(|b| **b == 0).count();
    secret(&bytes[start..])
}

/// Go's `rsa.GenerateKey(rand.Reader, bits)`: two primes, public exponent 65537.
pub fn generate_rsa(bits: usize) -> Result<PrivateKey, String> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let failed = || "crypto/rsa: key generation failed".to_owned();
    let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits).map_err(|_| failed())?;
    let [p, q] = key.primes() else {
        return Err(failed());
    };
    let (Some(dp), Some(dq), Some(qi)) = (key.dp(), key.dq(), key.crt_coefficient()) else {
        return Err(failed());
    };
    Ok(PrivateKey::Rsa(RsaPrivate {
        n: trimmed(key.n()),
        e: trimmed(key.e()),
        d: trimmed(key.d()),
        p: trimmed(p),
        q: trimmed(q),
        dp: trimmed(dp),
        dq: trimmed(dq),
        qi: trimmed(&qi),
    }))
}

/// Go's `ecdsa.GenerateKey(elliptic.P256(), rand.Reader)`: a uniform scalar by rejection.
pub fn generate_p256() -> Result<PrivateKey, String> {
    let curve = Curve::P256;
    // A random 256-bit value is out of range with probability below 2^-32.
    for _ in 0..16 {
        let mut d = Zeroizing::new(vec![0u8; curve.size()]);
        super::os_random(&mut d)?;
        if let Some(point) = curve.public_point(&d) {
            return Ok(PrivateKey::Ec { curve, d, point });
        }
    }
    Err(super::ERR_RAND.into())
}

/// Go's `ed25519.GenerateKey(rand.Reader)`: a random 32-byte seed.
pub fn generate_ed25519() -> Result<PrivateKey, String> {
    let mut seed = Zeroizing::new(vec![0u8; 32]);
    super::os_random(&mut seed)?;
    Ok(PrivateKey::Ed25519(seed))
}

fn ed25519_signing_key(seed: &[u8]) -> Result<ed25519_dalek::SigningKey, String> {
    let seed = Zeroizing::new(
        <[u8; 32]>::try_from(seed)
            .map_err(|_| format!("x509: invalid Ed25519 private key length: {}", seed.len()))?,
    );
    Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
}

/// Bit length of a big-endian magnitude without leading zeros.
fn bit_len(m: &[u8]) -> usize {
    match m.first() {
        None => 0,
        Some(b) => (m.len() - 1) * 8 + (8 - b.leading_zeros() as usize),
    }
}

impl RsaPrivate {
    /// Whether the key's size can be used: under 1024 bits Go (since 1.24) refuses it with this
    /// message; over 8192 bits (which Go accepts) eso-render does.
    pub fn check_size(&self) -> Result<(), String> {
        let bits = bit_len(&self.n);
        if bits < 1024 {
            return Err(format!(
                "crypto/rsa: {bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
            ));
        }
        if bits > 8192 {
            return Err(format!(
                "RSA keys over 8192 bits are not supported by eso-render (this one has {bits})"
            ));
        }
        Ok(())
    }

    /// The key as the `rsa` crate holds it, which checks its consistency (n = p·q, d, the CRT
    /// values) as Go's parser does since Go 1.24; its size is checked first ([`Self::check_size`]).
    pub fn to_rsa(&self) -> Result<rsa::PrivateKey, String> {
        self.check_size()?;
        let uint = |b: &[u8]| {
            let bits = u32::try_from(b.len().max(1) * 8).map_err(|_| "crypto/rsa: invalid key")?;
            rsa::BoxedUint::from_be_slice(b, bits)
                .ok()
                .ok_or("crypto/rsa: invalid key")
        };
        rsa::PrivateKey::from_components(
            uint(&self.n)?,
            uint(&self.e)?,
            uint(&self.d)?,
            vec![uint(&self.p)?, uint(&self.q)?],
        )
        .map_err(|_| "crypto/rsa: invalid key".to_owned())
    }
}

impl PrivateKey {
    /// The consistency check Go's parsers make since Go 1.24 (an RSA key's n = p·q, d and CRT
    /// values); keys under 1024 bits, which Go refuses only when they are used, pass.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            PrivateKey::Rsa(k) if bit_len(&k.n) >= 1024 => k.to_rsa().map(|_| ()),
            _ => Ok(()),
        }
    }

    /// The public half, as Go's `Public()` returns it.
    pub fn public_key(&self) -> Result<PublicKey, String> {
        Ok(match self {
            PrivateKey::Rsa(k) => PublicKey::Rsa {
                n: secret(&k.n),
                e: secret(&k.e),
            },
            PrivateKey::Ec { curve, point, .. } => PublicKey::Ec {
                curve: *curve,
                point: secret(point),
            },
            PrivateKey::Ed25519(seed) => PublicKey::Ed25519(secret(
                &ed25519_signing_key(seed)?.verifying_key().to_bytes(),
            )),
        })
    }

    /// Go's `x509.MarshalECPrivateKey` (SEC 1 with the named curve and the public point);
    /// `None` for other keys.
    pub fn to_sec1(&self) -> Option<Secret> {
        match self {
            PrivateKey::Ec { curve, d, point } => Some(seq(&[
                &small_integer(1),
                &octet_string(d),
                &der::constructed(der::explicit(0), &[curve.oid()]),
                &der::constructed(der::explicit(1), &[&bit_string(point)]),
            ])),
            _ => None,
        }
    }

    /// Signs `message` the way `x509.CreateCertificate` signs with this key when the template
    /// names no algorithm: RSA PKCS#1 v1.5 over SHA-256, ECDSA over the curve's hash (SHA-256,
    /// SHA-384, SHA-512) as a DER `(r, s)` sequence, pure Ed25519. RSA uses blinding; ECDSA
    /// nonces are RFC 6979's (Go's are hedged random: both are valid signatures).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        use p256::ecdsa::signature::Signer as _;
        use sha2::Digest as _;
        let ec_failed = |_| "crypto/ecdsa: signing failed".to_owned();
        match self {
            PrivateKey::Rsa(k) => {
                let digest = sha2::Sha256::digest(message);
                k.to_rsa()?
                    .sign_with_rng(
                        &mut getrandom::SysRng,
                        rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                        &digest,
                    )
                    .map_err(|_| "crypto/rsa: signing failed".to_owned())
            }
            PrivateKey::Ec { curve, d, .. } => Ok(match curve {
                Curve::P256 => {
                    let key = p256::ecdsa::SigningKey::from_slice(d).map_err(ec_failed)?;
                    let sig: p256::ecdsa::DerSignature =
                        key.try_sign(message).map_err(ec_failed)?;
                    sig.as_bytes().to_vec()
                }
                Curve::P384 => {
                    let key = p384::ecdsa::SigningKey::from_slice(d).map_err(ec_failed)?;
                    let sig: p384::ecdsa::DerSignature =
                        key.try_sign(message).map_err(ec_failed)?;
                    sig.as_bytes().to_vec()
                }
                Curve::P521 => {
                    let key = p521::ecdsa::SigningKey::from_slice(d).map_err(ec_failed)?;
                    let sig: p521::ecdsa::DerSignature =
                        key.try_sign(message).map_err(ec_failed)?;
                    sig.as_bytes().to_vec()
                }
            }),
            PrivateKey::Ed25519(seed) => {
                Ok(ed25519_signing_key(seed)?.sign(message).to_bytes().to_vec())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key from `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`, as
    /// `openssl pkcs8 -topk8 -nocrypt -outform DER` writes it.
    const EC_P256_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDL8kGOcQF+bJb6oDtI6UrEq4iNNf1t7MJRMVJmDM3imhRANCAATsUEgnyO2elF26Bex556pXJTN1mpWtQFVtaYHOKJXM5uJRKOKhl/fuTpXMvEygnGmrv+cUTE26ozhfVtdSqU8i";
    /// The same key as `openssl ec -outform DER` writes it (SEC 1 with the curve parameters).
    const EC_P256_SEC1: &str = "MHcCAQEEIAy/JBjnEBfmyW+qA7SOlKxKuIjTX9bezCUTFSZgzN4poAoGCCqGSM49AwEHoUQDQgAE7FBIJ8jtnpRdugXseeeqVyUzdZqVrUBVbWmBziiVzObiUSjioZf37k6VzLxMoJxpq7/nFExNuqM4X1bXUqlPIg==";

    fn b64(s: &str) -> Vec<u8> {
        crate::gocompat::base64::decode_std(s.as_bytes()).unwrap()
    }

    #[test]
    fn ec_round_trips_and_recomputes_the_public_point() {
        let pkcs8 = b64(EC_P256_PKCS8);
        let key = parse_pkcs8(&pkcs8).unwrap();
        assert_eq!(key.go_type(), "*ecdsa.PrivateKey");
        // Go's marshalling drops the inner curve parameters, keeps the public key: the
        // same bytes OpenSSL writes.
        assert_eq!(&key.to_pkcs8()[..], &pkcs8[..]);
        let from_sec1 = parse_sec1(&b64(EC_P256_SEC1)).unwrap();
        assert_eq!(&from_sec1.to_pkcs8()[..], &pkcs8[..]);
    }

    #[test]
    fn format_confusion_gets_go_hints() {
        let sec1 = b64(EC_P256_SEC1);
        let pkcs8 = b64(EC_P256_PKCS8);
        assert_eq!(
            parse_pkcs8(&sec1).err().unwrap(),
            "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
        );
        assert_eq!(
            parse_pkcs1(&pkcs8).err().unwrap(),
            "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"
        );
        assert_eq!(
            parse_any(b"junk").err().unwrap(),
            "unable to parse private key type"
        );
    }

    #[test]
    fn ec_scalar_out_of_range_is_rejected() {
        let mut sec1 = b64(EC_P256_SEC1);
        // The scalar starts at offset 7 (30 77 02 01 01 04 20); make it all ones.
        sec1[7..39].fill(0xff);
        assert_eq!(
            parse_sec1(&sec1).err().unwrap(),
            "x509: invalid elliptic curve private key value"
        );
    }

    fn openssl_der(file: &str) -> Vec<u8> {
        let text = crate::pki::test_vector(&format!("openssl/{file}"));
        super::super::pem::decode(&text).unwrap().0.bytes.to_vec()
    }

    /// The public halves of OpenSSL's keys are OpenSSL's public keys.
    #[test]
    fn public_halves_match_openssl() {
        for kind in ["rsa", "ec", "ed25519"] {
            let key = parse_pkcs8(&openssl_der(&format!("{kind}.pkcs8.pem"))).unwrap();
            let public = openssl_der(&format!("{kind}.public.pem"));
            assert_eq!(
                key.public_key().unwrap().to_pkix()[..],
                public[..],
                "{kind}"
            );
        }
    }

    /// Signatures made with each kind of key verify with the public half.
    #[test]
    fn signatures_verify() {
        use p256::ecdsa::signature::Verifier as _;
        use sha2::Digest as _;
        let msg = b"to be signed";

        let ec = generate_p256().unwrap();
        assert_eq!(
            parse_sec1(&ec.to_sec1().unwrap()).unwrap().to_pkcs8(),
            ec.to_pkcs8()
        );
        let PublicKey::Ec { point, .. } = ec.public_key().unwrap() else {
            panic!("EC")
        };
        let sig = p256::ecdsa::Signature::from_der(&ec.sign(msg).unwrap()).unwrap();
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
        vk.verify(msg, &sig).unwrap();

        let ec = parse_pkcs8(&openssl_der("ec.pkcs8.pem")).unwrap();
        let PublicKey::Ec { curve, point } = ec.public_key().unwrap() else {
            panic!("EC")
        };
        assert_eq!(curve, Curve::P384);
        let sig = p384::ecdsa::Signature::from_der(&ec.sign(msg).unwrap()).unwrap();
        let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
        vk.verify(msg, &sig).unwrap();

        let ed = generate_ed25519().unwrap();
        assert!(ed.to_sec1().is_none());
        let PublicKey::Ed25519(public) = ed.public_key().unwrap() else {
            panic!("Ed25519")
        };
        let vk = ed25519_dalek::VerifyingKey::from_bytes(&public[..].try_into().unwrap()).unwrap();
        let sig = ed25519_dalek::Signature::from_slice(&ed.sign(msg).unwrap()).unwrap();
        vk.verify(msg, &sig).unwrap();

        let rsa = parse_pkcs8(&openssl_der("rsa.pkcs8.pem")).unwrap();
        rsa.validate().unwrap();
        let PrivateKey::Rsa(k) = &rsa else {
            panic!("RSA")
        };
        let vk = rsa::PublicKey::new(
            rsa::BoxedUint::from_be_slice_vartime(&k.n),
            rsa::BoxedUint::from_be_slice_vartime(&k.e),
        )
        .unwrap();
        let digest = sha2::Sha256::digest(msg);
        let scheme = rsa::Pkcs1v15Sign::new::<sha2::Sha256>();
        vk.verify(scheme, &digest, &rsa.sign(msg).unwrap()).unwrap();
    }

    #[test]
    fn rsa_keys_go_refuses_are_refused() {
        let PrivateKey::Rsa(mut k) = parse_pkcs8(&openssl_der("rsa.pkcs8.pem")).unwrap() else {
            panic!("RSA")
        };
        k.d[0] ^= 1;
        let broken = PrivateKey::Rsa(k);
        assert_eq!(broken.validate().unwrap_err(), "crypto/rsa: invalid key");
        let small = PrivateKey::Rsa(RsaPrivate {
            n: secret(&[0xc5; 64]),
            e: secret(&[1, 0, 1]),
            d: secret(&[3; 64]),
            p: secret(&[0xc5; 32]),
            q: secret(&[0xc5; 32]),
            dp: secret(&[1]),
            dq: secret(&[1]),
            qi: secret(&[1]),
        });
        // Go refuses a 512-bit key when it is used, not when it is parsed.
        assert!(small.validate().is_ok());
        assert_eq!(
            small.sign(b"x").unwrap_err(),
            "crypto/rsa: 512-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
        );
    }
}
