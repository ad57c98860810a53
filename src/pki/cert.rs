//! X.509 v3 certificates as Go's `x509.CreateCertificate` (Go 1.26, ESO v2.9.0's toolchain)
//! writes them for the templates Sprig builds.
//!
//! Mirrors, for a template with a serial number, a subject, a validity, key usages, extended key
//! usages, basic constraints and DNS / IP subject alternative names: the TBSCertificate (version
//! 3; the signature algorithm Go picks for the signer's key, its NULL parameters for RSA only;
//! the issuer as the parent's raw subject; UTCTime for years 1950 to 2049, GeneralizedTime
//! otherwise, in seconds), the extensions in Go's order (key usage, critical; extended key usage;
//! basic constraints, critical; subject key identifier, for a CA without one, the first 160 bits
//! of SHA-256 of the public key bits since Go 1.25; authority key identifier, the parent's
//! subject key identifier unless the certificate is self-issued; subject alternative names,
//! critical when the subject is empty), Go's checks (the signer must match the parent's public
//! key; DNS names must be ASCII) with Go's error texts, and the signature with the signer's key.
//!
//! Keys, serial numbers and signatures are random, so certificates are Go's in structure, not in
//! bytes.
//!
//! Must not: put key bytes in an error, or panic on any input.

use sha2::Digest as _;

use super::der::{self, OID, bit_string, integer, octet_string, seq};
use super::key::{Curve, PrivateKey, PublicKey};

/// Go's `x509.KeyUsage` bits Sprig uses.
pub const KEY_USAGE_DIGITAL_SIGNATURE: u16 = 1;
pub const KEY_USAGE_KEY_ENCIPHERMENT: u16 = 1 << 2;
pub const KEY_USAGE_CERT_SIGN: u16 = 1 << 5;

const OID_KEY_USAGE: &[u8] = &[OID, 3, 0x55, 0x1d, 0x0f];
const OID_EXT_KEY_USAGE: &[u8] = &[OID, 3, 0x55, 0x1d, 0x25];
const OID_BASIC_CONSTRAINTS: &[u8] = &[OID, 3, 0x55, 0x1d, 0x13];
const OID_SUBJECT_KEY_ID: &[u8] = &[OID, 3, 0x55, 0x1d, 0x0e];
const OID_AUTHORITY_KEY_ID: &[u8] = &[OID, 3, 0x55, 0x1d, 0x23];
const OID_SUBJECT_ALT_NAME: &[u8] = &[OID, 3, 0x55, 0x1d, 0x11];
/// id-kp-serverAuth and id-kp-clientAuth (1.3.6.1.5.5.7.3.1 and .2).
const OID_SERVER_AUTH: &[u8] = &[OID, 8, 0x2b, 6, 1, 5, 5, 7, 3, 1];
const OID_CLIENT_AUTH: &[u8] = &[OID, 8, 0x2b, 6, 1, 5, 5, 7, 3, 2];
/// Public key algorithms Go's `ParseCertificate` knows: RSA, DSA, EC, Ed25519, X25519.
const KNOWN_KEY_ALGORITHMS: [&[u8]; 5] = [
    super::key::OID_RSA,
    &[OID, 7, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01],
    &[OID, 7, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
    &[OID, 3, 0x2b, 0x65, 0x70],
    &[OID, 3, 0x2b, 0x65, 0x6e],
];

/// The fields of Go's `x509.Certificate` template that Sprig sets.
pub struct Template {
    /// Big-endian magnitude.
    pub serial: Vec<u8>,
    /// The subject's common name, its only attribute (Go's `pkix.Name{CommonName: cn}`).
    pub common_name: Vec<u8>,
    /// Seconds since the Unix epoch, UTC (Go marshals whole seconds).
    pub not_before: i64,
    pub not_after: i64,
    pub key_usage: u16,
    /// `ExtKeyUsage: {ServerAuth, ClientAuth}` when set.
    pub server_and_client_auth: bool,
    pub basic_constraints_valid: bool,
    pub is_ca: bool,
    pub dns_names: Vec<Vec<u8>>,
    /// As `net.IP.To4` leaves them: 4 bytes for IPv4, 16 for IPv6.
    pub ip_addresses: Vec<Vec<u8>>,
}

/// The parent certificate, as Go's `ParseCertificate` fills the fields `CreateCertificate`
/// reads.
pub struct Parent<'a> {
    /// `RawSubject`.
    pub subject: &'a [u8],
    /// `SubjectKeyId`; `None` is Go's nil.
    pub subject_key_id: Option<&'a [u8]>,
    /// The SubjectPublicKeyInfo's DER, which Go parses into `PublicKey`.
    pub spki: &'a [u8],
}

/// Go's `asn1` time marshalling of whole seconds since the epoch: `YYMMDDhhmmssZ` for years
/// 1950 to 2049, else `YYYYMMDDhhmmssZ` (callers keep years within 0 to 9999).
fn time(secs: i64) -> der::Secret {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Days to a civil date (proleptic Gregorian), after Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let clock = format!(
        "{month:02}{day:02}{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if (1950..2050).contains(&year) {
        der::tlv(0x17, format!("{:02}{clock}", year % 100).as_bytes())
    } else {
        der::tlv(0x18, format!("{year:04}{clock}").as_bytes())
    }
}

/// Go's `reverseBitsInAByte` over both bytes of a key usage, trimmed as `marshalKeyUsage` does.
fn key_usage(ku: u16) -> der::Secret {
    let [low, high] = ku.to_le_bytes();
    let bytes = if high == 0 {
        vec![low.reverse_bits()]
    } else {
        vec![low.reverse_bits(), high.reverse_bits()]
    };
    // `asn1BitLength`: the bits up to the last one set.
    let unused = bytes.last().map_or(0, |b| b.trailing_zeros().min(8));
    let unused = if unused == 8 { 0 } else { unused };
    let mut body = vec![u8::try_from(unused).unwrap_or(0)];
    body.extend_from_slice(&bytes);
    der::tlv(der::BIT_STRING, &body)
}

fn extension(oid: &[u8], critical: bool, value: &[u8]) -> der::Secret {
    if critical {
        seq(&[oid, &[0x01, 0x01, 0xff], &octet_string(value)])
    } else {
        seq(&[oid, &octet_string(value)])
    }
}

/// The AlgorithmIdentifier Go's `signingParamsForKey` picks for the signer.
fn signature_algorithm(signer: &PrivateKey) -> &'static [u8] {
    match signer {
        // sha256WithRSAEncryption, NULL parameters.
        PrivateKey::Rsa(_) => &[
            0x30, 0x0d, OID, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
        ],
        // ecdsa-with-SHA256 / SHA384 / SHA512, no parameters.
        PrivateKey::Ec { curve, .. } => match curve {
            Curve::P256 => &[
                0x30, 0x0a, OID, 8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
            ],
            Curve::P384 => &[
                0x30, 0x0a, OID, 8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03,
            ],
            Curve::P521 => &[
                0x30, 0x0a, OID, 8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04,
            ],
        },
        // id-Ed25519, no parameters.
        PrivateKey::Ed25519(_) => &[0x30, 0x05, OID, 3, 0x2b, 0x65, 0x70],
    }
}

/// The subjectPublicKey bits of a SubjectPublicKeyInfo (what Go's key identifiers hash).
fn public_key_bits(spki: &[u8]) -> &[u8] {
    der::expect_only(spki, der::SEQUENCE)
        .and_then(|body| der::expect(body, der::SEQUENCE))
        .and_then(|(_, rest)| der::expect(rest, der::BIT_STRING))
        .and_then(|(bits, _)| bits.split_first())
        .map_or(&[], |(_, bits)| bits)
}

/// Go's `isIA5String` check of a DNS name. The name is left out of the message (Go quotes it):
/// it may come from secret data.
fn check_ia5(name: &[u8]) -> Result<(), String> {
    if name.is_ascii() {
        Ok(())
    } else {
        Err("x509: a DNS name cannot be encoded as an IA5String".into())
    }
}

/// Go's `x509.CreateCertificate(rand, template, parent, public, signer)`, with `parent` `None`
/// for a self-signed certificate (Go's `parent == template`). Returns the certificate's DER.
pub fn create(
    template: &Template,
    parent: Option<&Parent<'_>>,
    public: &PublicKey,
    signer: &PrivateKey,
) -> Result<Vec<u8>, String> {
    let alg = signature_algorithm(signer);
    let spki = public.to_pkix();
    let subject = super::name::from_common_name(&template.common_name)?;
    let issuer = parent.map_or(&subject[..], |p| p.subject);
    let self_issued = issuer == &subject[..];
    let authority_key_id = match parent {
        Some(p) if !self_issued => p.subject_key_id.filter(|id| !id.is_empty()),
        _ => None,
    };
    let subject_key_id = template.is_ca.then(|| {
        let digest = sha2::Sha256::digest(public_key_bits(&spki));
        digest[..20].to_vec()
    });
    if let Some(p) = parent {
        let known = der::expect_only(p.spki, der::SEQUENCE)
            .and_then(der::read_algorithm)
            .is_some_and(|(a, _)| KNOWN_KEY_ALGORITHMS.contains(&a.oid));
        if known && signer.public_key()?.to_pkix()[..] != *p.spki {
            return Err("x509: provided PrivateKey doesn't match parent's PublicKey".into());
        }
    }

    let mut extensions: Vec<der::Secret> = Vec::new();
    if template.key_usage != 0 {
        extensions.push(extension(
            OID_KEY_USAGE,
            true,
            &key_usage(template.key_usage),
        ));
    }
    if template.server_and_client_auth {
        let value = seq(&[OID_SERVER_AUTH, OID_CLIENT_AUTH]);
        extensions.push(extension(OID_EXT_KEY_USAGE, false, &value));
    }
    if template.basic_constraints_valid {
        let value = if template.is_ca {
            seq(&[&[0x01, 0x01, 0xff]])
        } else {
            seq(&[])
        };
        extensions.push(extension(OID_BASIC_CONSTRAINTS, true, &value));
    }
    if let Some(id) = &subject_key_id {
        extensions.push(extension(OID_SUBJECT_KEY_ID, false, &octet_string(id)));
    }
    if let Some(id) = authority_key_id {
        let value = seq(&[&der::tlv(der::implicit(0), id)]);
        extensions.push(extension(OID_AUTHORITY_KEY_ID, false, &value));
    }
    if !template.dns_names.is_empty() || !template.ip_addresses.is_empty() {
        let mut names: Vec<der::Secret> = Vec::new();
        for dns in &template.dns_names {
            check_ia5(dns)?;
            names.push(der::tlv(der::implicit(2), dns));
        }
        for ip in &template.ip_addresses {
            names.push(der::tlv(der::implicit(7), ip));
        }
        let parts: Vec<&[u8]> = names.iter().map(|n| &n[..]).collect();
        let subject_is_empty = subject == [0x30, 0x00];
        extensions.push(extension(
            OID_SUBJECT_ALT_NAME,
            subject_is_empty,
            &seq(&parts),
        ));
    }
    let extensions: Vec<&[u8]> = extensions.iter().map(|e| &e[..]).collect();

    let tbs = seq(&[
        &der::constructed(der::explicit(0), &[&der::small_integer(2)]),
        &integer(&template.serial),
        alg,
        issuer,
        &seq(&[&time(template.not_before), &time(template.not_after)]),
        &subject,
        &spki,
        &der::constructed(der::explicit(3), &[&seq(&extensions)]),
    ]);
    let signature = signer.sign(&tbs)?;
    Ok(seq(&[&tbs, alg, &bit_string(&signature)]).to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(der: &[u8]) -> String {
        let (tag, body, _) = der::read_tlv(der).unwrap();
        format!("{tag:02x}:{}", String::from_utf8(body.to_vec()).unwrap())
    }

    #[test]
    fn times_switch_to_generalized_outside_1950_to_2049() {
        assert_eq!(text(&time(0)), "17:700101000000Z");
        assert_eq!(text(&time(1_700_000_000)), "17:231114221320Z");
        // 2049-12-31T23:59:59Z and a second later.
        assert_eq!(text(&time(2_524_607_999)), "17:491231235959Z");
        assert_eq!(text(&time(2_524_608_000)), "18:20500101000000Z");
        // 1950-01-01T00:00:00Z and a second earlier.
        assert_eq!(text(&time(-631_152_000)), "17:500101000000Z");
        assert_eq!(text(&time(-631_152_001)), "18:19491231235959Z");
        // 2000-02-29 (a leap day of a century year).
        assert_eq!(text(&time(951_782_400)), "17:000229000000Z");
    }

    #[test]
    fn key_usages_encode_as_go_does() {
        // KeyEncipherment | DigitalSignature: Sprig's leaf; with CertSign: its CA.
        assert_eq!(&key_usage(5)[..], &[0x03, 0x02, 0x05, 0xa0]);
        assert_eq!(&key_usage(37)[..], &[0x03, 0x02, 0x02, 0xa4]);
        // DecipherOnly is the first bit of the second byte.
        assert_eq!(&key_usage(256 | 1)[..], &[0x03, 0x03, 0x07, 0x80, 0x80]);
    }
}
