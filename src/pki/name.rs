//! X.509 distinguished names as Go prints them: `pkix.Name.String()` of a parsed certificate.
//!
//! Mirrors `crypto/x509`'s `parseName` and `parseASN1String` (the string types Go accepts) and
//! `crypto/x509/pkix`'s `FillFromRDNSequence`, `Name.String`, `ToRDNSequence` and
//! `RDNSequence.String`: attributes Go does not name come first (so they print last), then the
//! named ones regrouped in Go's order (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER),
//! printed in reverse, RFC 2253-style, with Go's escaping; unnamed attribute types print as
//! `OID=#hex` of the value re-marshalled the way `asn1.Marshal` marshals a Go string.
//!
//! Must not: panic on any input.

use super::der::{self, OID, SEQUENCE, SET};

/// One attribute: its type's full OID encoding and its value as a Go string.
struct Attr<'a> {
    oid: &'a [u8],
    value: String,
}

/// `2.5.4.n` encoded.
fn x520(n: u8) -> [u8; 5] {
    [OID, 3, 0x55, 0x04, n]
}

/// Go's `parseASN1String`.
fn asn1_string(tag: u8, v: &[u8]) -> Result<String, String> {
    let printable = |b: &u8| b.is_ascii_alphanumeric() || b" '()+,-./:=?*&".contains(b);
    match tag {
        // T61String: Go takes the bytes as they are.
        0x14 => Ok(String::from_utf8_lossy(v).into_owned()),
        0x13 if v.iter().all(printable) => Ok(String::from_utf8_lossy(v).into_owned()),
        0x13 => Err("invalid PrintableString".into()),
        0x0c => std::str::from_utf8(v)
            .map(str::to_owned)
            .map_err(|_| "invalid UTF-8 string".into()),
        der::BMP_STRING => der::decode_bmp(v).ok_or_else(|| "invalid BMPString".into()),
        0x16 if v.is_ascii() => Ok(String::from_utf8_lossy(v).into_owned()),
        0x16 => Err("invalid IA5String".into()),
        0x12 if v.iter().all(|b| b.is_ascii_digit() || *b == b' ') => {
            Ok(String::from_utf8_lossy(v).into_owned())
        }
        0x12 => Err("invalid NumericString".into()),
        other => Err(format!("unsupported string type: {other}")),
    }
}

/// Go's `parseName` followed by `FillFromRDNSequence`'s `Names`.
fn parse(name: &[u8]) -> Result<Vec<Attr<'_>>, String> {
    let invalid = |what: &str| format!("x509: invalid RDNSequence{what}");
    let mut rdns = der::expect_only(name, SEQUENCE).ok_or_else(|| invalid(""))?;
    let mut attrs = Vec::new();
    while !rdns.is_empty() {
        let (mut set, rest) = der::expect(rdns, SET).ok_or_else(|| invalid(""))?;
        rdns = rest;
        while !set.is_empty() {
            let (atv, rest) =
                der::expect(set, SEQUENCE).ok_or_else(|| invalid(": invalid attribute"))?;
            set = rest;
            let (oid, value) = der::raw_element(atv)
                .filter(|(o, _)| o.first() == Some(&OID))
                .ok_or_else(|| invalid(": invalid attribute type"))?;
            let (tag, body, _) =
                der::read_tlv(value).ok_or_else(|| invalid(": invalid attribute value"))?;
            let value = asn1_string(tag, body)
                .map_err(|e| invalid(&format!(": invalid attribute value: {e}")))?;
            attrs.push(Attr { oid, value });
        }
    }
    Ok(attrs)
}

/// Go's `attributeTypeNames`.
fn type_name(oid: &[u8]) -> Option<&'static str> {
    match oid {
        [OID, 3, 0x55, 0x04, n] => match n {
            6 => Some("C"),
            10 => Some("O"),
            11 => Some("OU"),
            3 => Some("CN"),
            5 => Some("SERIALNUMBER"),
            7 => Some("L"),
            8 => Some("ST"),
            9 => Some("STREET"),
            17 => Some("POSTALCODE"),
            _ => None,
        },
        _ => None,
    }
}

/// `asn1.Marshal` of a Go string: PrintableString when every byte allows it, else UTF8String.
fn marshal_go_string(s: &str) -> Vec<u8> {
    der::tlv(string_tag(s.as_bytes()), s.as_bytes()).to_vec()
}

/// The tag `asn1.Marshal` gives a Go string: PrintableString when every byte allows it, else
/// UTF8String.
fn string_tag(s: &[u8]) -> u8 {
    let printable = s
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(b));
    if printable { 0x13 } else { 0x0c }
}

/// `asn1.Marshal(pkix.Name{CommonName: cn}.ToRDNSequence())`: one RDN holding the common name,
/// or an empty sequence for an empty name. A name that is not UTF-8 (and so not printable) is
/// Go's marshalling error.
pub fn from_common_name(cn: &[u8]) -> Result<Vec<u8>, String> {
    if cn.is_empty() {
        return Ok(der::seq(&[]).to_vec());
    }
    let tag = string_tag(cn);
    if tag == 0x0c && std::str::from_utf8(cn).is_err() {
        return Err("asn1: string not valid UTF-8".into());
    }
    let atv = der::seq(&[&x520(3), &der::tlv(tag, cn)]);
    Ok(der::seq(&[&der::set_of(&[&atv])]).to_vec())
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (k, c) in value.char_indices() {
        let escape = match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => true,
            ' ' => k == 0 || k == value.len() - 1,
            '#' => k == 0,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `pkix.Name.String()` of a certificate's subject or issuer (the Name's whole DER element).
pub fn go_string(name: &[u8]) -> Result<String, String> {
    let attrs = parse(name)?;
    // RDNs as Go rebuilds them: each a list of (type OID, value).
    let mut rdns: Vec<Vec<(&[u8], &str)>> = Vec::new();
    let named = |a: &Attr<'_>| matches!(a.oid, [OID, 3, 0x55, 0x04, 3 | 5..=11 | 17]);
    for a in attrs.iter().filter(|a| !named(a)) {
        rdns.push(vec![(a.oid, a.value.as_str())]);
    }
    let last = |n: u8| {
        attrs
            .iter()
            .rev()
            .find(|a| a.oid == x520(n))
            .map(|a| a.value.as_str())
            .filter(|v| !v.is_empty())
    };
    for n in [6u8, 8, 7, 9, 17, 10, 11, 3, 5] {
        let oid = x520(n);
        let values: Vec<&str> = match n {
            3 | 5 => last(n).into_iter().collect(),
            _ => attrs
                .iter()
                .filter(|a| a.oid == oid)
                .map(|a| a.value.as_str())
                .collect(),
        };
        if values.is_empty() {
            continue;
        }
        let Some(oid) = attrs.iter().find(|a| a.oid == oid).map(|a| a.oid) else {
            continue;
        };
        rdns.push(values.into_iter().map(|v| (oid, v)).collect());
    }
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, (oid, value)) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match type_name(oid) {
                Some(t) => {
                    out.push_str(t);
                    out.push('=');
                    out.push_str(&escape(value));
                }
                None => {
                    out.push_str(&der::oid_string(oid));
                    out.push_str("=#");
                    out.push_str(&hex::encode(marshal_go_string(value)));
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atv(oid: &[u8], tag: u8, v: &str) -> Vec<u8> {
        der::seq(&[oid, &der::tlv(tag, v.as_bytes())]).to_vec()
    }

    fn name(rdns: &[Vec<Vec<u8>>]) -> Vec<u8> {
        let sets: Vec<Vec<u8>> = rdns
            .iter()
            .map(|atvs| {
                let parts: Vec<&[u8]> = atvs.iter().map(Vec::as_slice).collect();
                der::constructed(SET, &parts).to_vec()
            })
            .collect();
        let parts: Vec<&[u8]> = sets.iter().map(Vec::as_slice).collect();
        der::seq(&parts).to_vec()
    }

    #[test]
    fn go_order_reverse_and_escaping() {
        let email = [OID, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
        let n = name(&[
            vec![atv(&x520(3), 0x0c, "a, b")],
            vec![atv(&x520(10), 0x13, "Org")],
            vec![atv(&x520(6), 0x13, "DE")],
            vec![atv(&email, 0x16, "x@y")],
            vec![atv(&x520(10), 0x0c, "#Two ")],
        ]);
        // Unnamed first (printed last); then C, O (both values in one RDN), CN; reversed.
        assert_eq!(
            go_string(&n).unwrap(),
            r"CN=a\, b,O=Org+O=\#Two\ ,C=DE,1.2.840.113549.1.9.1=#0c03784079"
        );
    }

    #[test]
    fn common_names_marshal_as_go_does() {
        // Printable, UTF-8 and empty names, each read back by the parser.
        let n = from_common_name(b"my-ca.example").unwrap();
        assert_eq!(
            &n[..9],
            &[0x30, 0x18, 0x31, 0x16, 0x30, 0x14, 0x06, 0x03, 0x55]
        );
        assert_eq!(n[11], 0x13);
        assert_eq!(go_string(&n).unwrap(), "CN=my-ca.example");
        let n = from_common_name("a*b é".as_bytes()).unwrap();
        assert_eq!(n[11], 0x0c);
        assert_eq!(go_string(&n).unwrap(), "CN=a*b é");
        assert_eq!(from_common_name(b"").unwrap(), [0x30, 0x00]);
        assert_eq!(
            from_common_name(b"\xff").unwrap_err(),
            "asn1: string not valid UTF-8"
        );
    }

    #[test]
    fn bad_strings_are_errors() {
        let n = name(&[vec![atv(&x520(3), 0x13, "a@b")]]);
        assert_eq!(
            go_string(&n).unwrap_err(),
            "x509: invalid RDNSequence: invalid attribute value: invalid PrintableString"
        );
    }
}
