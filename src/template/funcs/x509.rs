//! ESO's `certSANs` (the subject alternative names of the first certificate in a PEM text) and
//! `filterCertChain` (the leaf, intermediates or root of a chain ordered by key identifiers).
//!
//! Mirrors `runtime/template/v2/pem.go` (`certSANs`, `trimJunk`, `filterCertChain`,
//! `isRootCertificate`), `pem_chain.go` (`fetchX509CertChains`), Go's `encoding/pem.Decode`,
//! and the parts of `crypto/x509.ParseCertificate` that decide the result: the certificate's
//! DER structure, its extensions (duplicates rejected), and the SAN extension with Go's checks
//! (IA5 strings, URIs parsed by `net/url` and printed back, IP addresses of 4 or 16 bytes printed
//! like `net.IP.String`), and the authority / subject key identifiers. The SAN order is Go's:
//! DNS names, IP addresses, e-mail addresses, URIs.
//!
//! Differences from Go: fields that do not affect the result (names, validity, public key, other
//! extensions) are checked for DER structure only, so some certificates Go rejects as malformed
//! are accepted; and error texts that would quote a URI leave it out.
//!
//! Must not: put certificate bytes in an `Err`, or panic on any input.

use super::{FuncDef, Imp, Ty, str_arg, url};
use crate::pki::der::{SEQUENCE, expect, read_tlv, skip_optional};
use crate::pki::pem;
use crate::template::value::{Elem, Value};

pub static TABLE: &[FuncDef] = &[
    FuncDef {
        name: "certSANs",
        params: &[Ty::Str],
        variadic: None,
        imp: Imp::Plain(cert_sans),
    },
    FuncDef {
        name: "filterCertChain",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        imp: Imp::Plain(filter_cert_chain),
    },
];

fn malformed(what: &str) -> String {
    format!("x509: malformed {what}")
}

/// What eso-render reads of a certificate, as Go's `x509.ParseCertificate` fills it.
pub(super) struct Cert<'a> {
    /// The whole DER, Go's `Raw`.
    pub raw: &'a [u8],
    /// The subject Name's whole DER element (Go's `RawSubject`).
    pub subject: &'a [u8],
    /// Go's `AuthorityKeyId` and `SubjectKeyId`; `None` is Go's nil.
    aki: Option<&'a [u8]>,
    pub ski: Option<&'a [u8]>,
    /// The SubjectPublicKeyInfo's whole DER element.
    pub spki: &'a [u8],
    /// Subject alternative names in Go's order: DNS, IP, e-mail, URI.
    sans: Vec<Vec<u8>>,
}

/// Bytes-equality as Go's `bytes.Equal` sees it: nil equals empty.
fn same(a: Option<&[u8]>, b: Option<&[u8]>) -> bool {
    a.unwrap_or_default() == b.unwrap_or_default()
}

/// Go's `x509.ParseCertificate`, as far as described in the module documentation. Errors are
/// Go's `x509: …` texts.
pub(super) fn parse_cert(der: &[u8]) -> Result<Cert<'_>, String> {
    let (cert, trailing) = expect(der, SEQUENCE).ok_or_else(|| malformed("certificate"))?;
    if !trailing.is_empty() {
        return Err("x509: trailing data".into());
    }
    let (tbs, rest) = expect(cert, SEQUENCE).ok_or_else(|| malformed("tbs certificate"))?;
    let (outer_alg, rest) =
        expect(rest, SEQUENCE).ok_or_else(|| malformed("algorithm identifier"))?;
    expect(rest, 0x03).ok_or_else(|| malformed("signature"))?;

    // Version: [0] EXPLICIT INTEGER, default v1.
    let mut version = 1;
    let mut t = tbs;
    if t.first() == Some(&0xa0) {
        let (inner, rest) = expect(t, 0xa0).ok_or_else(|| malformed("version"))?;
        let (v, _) = expect(inner, 0x02).ok_or_else(|| malformed("version"))?;
        version = match v {
            [0] => 1,
            [1] => 2,
            [2] => 3,
            [b] if *b < 0x80 => return Err("x509: invalid version".into()),
            _ => return Err(malformed("version")),
        };
        t = rest;
    }
    let (serial, rest) = expect(t, 0x02).ok_or_else(|| malformed("serial number"))?;
    if serial.is_empty() {
        return Err(malformed("serial number"));
    }
    if serial[0] & 0x80 != 0 {
        return Err("x509: negative serial number".into());
    }
    let (inner_alg, rest) =
        expect(rest, SEQUENCE).ok_or_else(|| malformed("signature algorithm identifier"))?;
    let (_, rest) = expect(rest, SEQUENCE).ok_or_else(|| malformed("issuer"))?;
    let (_, rest) = expect(rest, SEQUENCE).ok_or_else(|| malformed("validity"))?;
    let subject_and_rest = rest;
    let (_, rest) = expect(rest, SEQUENCE).ok_or_else(|| malformed("subject"))?;
    let subject = &subject_and_rest[..subject_and_rest.len() - rest.len()];
    let spki_and_rest = rest;
    let (_, mut rest) = expect(rest, SEQUENCE).ok_or_else(|| malformed("spki"))?;
    let spki = &spki_and_rest[..spki_and_rest.len() - rest.len()];
    if inner_alg != outer_alg {
        return Err("x509: inner and outer signature algorithm identifiers don't match".into());
    }
    let mut out = Cert {
        raw: der,
        subject,
        spki,
        aki: None,
        ski: None,
        sans: Vec::new(),
    };
    if version < 2 {
        return Ok(out);
    }
    rest = skip_optional(rest, 0x81).ok_or_else(|| malformed("issuerUniqueID"))?;
    rest = skip_optional(rest, 0x82).ok_or_else(|| malformed("subjectUniqueID"))?;
    if version < 3 || rest.first() != Some(&0xa3) {
        return Ok(out);
    }
    let (exts, _) = expect(rest, 0xa3).ok_or_else(|| malformed("extensions"))?;
    let (mut exts, _) = expect(exts, SEQUENCE).ok_or_else(|| malformed("extensions"))?;
    let mut seen: Vec<&[u8]> = Vec::new();
    let mut found = Vec::new();
    while !exts.is_empty() {
        let (ext, next) = expect(exts, SEQUENCE).ok_or_else(|| malformed("extension"))?;
        exts = next;
        let (oid, rest) = expect(ext, 0x06).ok_or_else(|| malformed("extension OID field"))?;
        let rest = match rest.first() {
            Some(0x01) => {
                let (b, rest) =
                    expect(rest, 0x01).ok_or_else(|| malformed("extension critical field"))?;
                if b != [0x00] && b != [0xff] {
                    return Err(malformed("extension critical field"));
                }
                rest
            }
            _ => rest,
        };
        let (value, _) = expect(rest, 0x04).ok_or_else(|| malformed("extension value field"))?;
        if seen.contains(&oid) {
            return Err("x509: certificate contains duplicate extensions".into());
        }
        seen.push(oid);
        found.push((oid, value));
    }
    for (oid, value) in found {
        match oid {
            // id-ce-subjectAltName, 2.5.29.17
            [0x55, 0x1d, 0x11] => out.sans = parse_sans(value)?,
            // id-ce-authorityKeyIdentifier, 2.5.29.35
            [0x55, 0x1d, 0x23] => {
                let invalid = || "x509: invalid authority key identifier".to_owned();
                let (akid, _) = expect(value, SEQUENCE).ok_or_else(invalid)?;
                if akid.first() == Some(&0x80) {
                    let (id, _) = expect(akid, 0x80).ok_or_else(invalid)?;
                    out.aki = Some(id);
                }
            }
            // id-ce-subjectKeyIdentifier, 2.5.29.14
            [0x55, 0x1d, 0x0e] => {
                let (id, _) = expect(value, 0x04)
                    .ok_or_else(|| "x509: invalid subject key identifier".to_owned())?;
                out.ski = Some(id);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Go's `net.IP.String` for 4 or 16 bytes.
fn ip_string(ip: &[u8]) -> String {
    let v4 = match ip.len() {
        4 => Some(ip),
        16 if ip[..10].iter().all(|b| *b == 0) && ip[10] == 0xff && ip[11] == 0xff => {
            Some(&ip[12..])
        }
        _ => None,
    };
    if let Some(b) = v4 {
        return format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
    }
    let groups: Vec<u16> = ip
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    let (mut zs, mut ze) = (usize::MAX, usize::MAX);
    let mut i = 0;
    while i < 8 {
        let mut j = i;
        while j < 8 && groups[j] == 0 {
            j += 1;
        }
        let best = if zs == usize::MAX { 0 } else { ze - zs };
        if j - i >= 2 && j - i > best {
            zs = i;
            ze = j;
        }
        i += 1;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if i == zs {
            out.push_str("::");
            i = ze;
            continue;
        }
        if i > 0 && !out.ends_with(':') {
            out.push(':');
        }
        out.push_str(&format!("{:x}", groups[i]));
        i += 1;
    }
    out
}

/// Go's `domainToReverseLabels` validity check.
fn valid_domain(domain: &[u8]) -> bool {
    if domain.last() == Some(&b'.') {
        return false;
    }
    domain
        .split(|b| *b == b'.')
        .all(|label| !label.is_empty() && label.iter().all(|c| (33..=126).contains(c)))
}

/// Go's `parseSANExtension`, in Go's output order.
fn parse_sans(ext: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let fail = |m: &str| format!("x509: {m}");
    let (mut names, _) =
        expect(ext, SEQUENCE).ok_or_else(|| fail("invalid subject alternative names"))?;
    let (mut dns, mut ips, mut emails, mut uris) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    while !names.is_empty() {
        let (tag, data, next) =
            read_tlv(names).ok_or_else(|| fail("invalid subject alternative name"))?;
        names = next;
        match tag ^ 0x80 {
            1 => {
                if !data.is_ascii() {
                    return Err(fail("SAN rfc822Name is malformed"));
                }
                emails.push(data.to_vec());
            }
            2 => {
                if !data.is_ascii() {
                    return Err(fail("SAN dNSName is malformed"));
                }
                dns.push(data.to_vec());
            }
            6 => {
                if !data.is_ascii() {
                    return Err(fail("SAN uniformResourceIdentifier is malformed"));
                }
                let (host, text) = url::parse_and_format(data)
                    .map_err(|e| fail(&format!("cannot parse URI: {e}")))?;
                if !host.is_empty() && !valid_domain(&host) {
                    return Err(fail("cannot parse URI: invalid domain"));
                }
                uris.push(text);
            }
            7 => match data.len() {
                4 | 16 => ips.push(ip_string(data).into_bytes()),
                n => return Err(fail(&format!("cannot parse IP address of length {n}"))),
            },
            _ => {}
        }
    }
    let mut out = dns;
    out.extend(ips);
    out.extend(emails);
    out.extend(uris);
    Ok(out)
}

/// ESO's `certSANs`.
fn sans(input: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let start = input
        .windows(10)
        .position(|w| w == b"-----BEGIN")
        .unwrap_or(0);
    let (block, _) =
        pem::decode(&input[start..]).ok_or_else(|| "failed to decode PEM block".to_owned())?;
    let cert = parse_cert(&block.bytes).map_err(|e| format!("failed to parse certificate: {e}"))?;
    Ok(cert.sans)
}

pub(super) fn pem_certificate(der: &[u8]) -> Vec<u8> {
    pem::encode("CERTIFICATE", der)
}

/// ESO's `fetchX509CertChains`: the certificates ordered leaf first, each followed by the one
/// whose subject key identifier is its authority key identifier.
pub(super) fn ordered_chain<D: AsRef<[u8]>>(ders: &[D]) -> Result<Vec<Cert<'_>>, String> {
    let certs = ders
        .iter()
        .map(|d| parse_cert(d.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let n = certs.len();
    let mut parent = vec![None; n];
    let mut is_parent = vec![false; n];
    for i in 0..n {
        if let Some(j) = (0..n).find(|&j| j != i && same(certs[i].aki, certs[j].ski)) {
            is_parent[j] = true;
            parent[i] = Some(j);
        }
    }
    let mut leaf = None;
    for (i, p) in is_parent.iter().enumerate() {
        if !p {
            if leaf.is_some() {
                return Err("found multiple leaf or disjunct certificates".into());
            }
            leaf = Some(i);
        }
    }
    let mut next = Some(leaf.ok_or_else(|| "no leaf certificate found".to_owned())?);
    let mut order = Vec::new();
    while let Some(i) = next {
        if order.len() >= n {
            return Err("constructing chain resulted in cycle".into());
        }
        order.push(i);
        next = parent[i];
    }
    let mut slots: Vec<Option<Cert<'_>>> = certs.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

fn is_root(c: &Cert<'_>) -> bool {
    c.aki.is_none() || same(c.aki, c.ski)
}

/// ESO's `filterCertChain`: the leaf, the intermediates or the root of a chain, as PEM.
fn filter_cert_chain(args: &[Value]) -> Result<Value, String> {
    let kind = str_arg(args, 0);
    let data = str_arg(args, 1);
    let ders: Vec<_> = pem::decode_all(data).into_iter().map(|b| b.bytes).collect();
    let chain = ordered_chain(&ders)?;
    let mut out = Vec::new();
    match kind {
        b"leaf" => {
            if let Some(c) = chain.first()
                && c.aki.is_some()
                && !same(c.aki, c.ski)
            {
                out = pem_certificate(c.raw);
            }
        }
        b"intermediate" => {
            for c in chain.iter().skip(1) {
                if is_root(c) {
                    break;
                }
                out.extend(pem_certificate(c.raw));
            }
        }
        b"root" => {
            if let Some(c) = chain.last()
                && is_root(c)
            {
                out = pem_certificate(c.raw);
            }
        }
        _ => {}
    }
    Ok(Value::str(out))
}

fn cert_sans(args: &[Value]) -> Result<Value, String> {
    let input = str_arg(args, 0);
    let list = sans(input)?;
    Value::list(Elem::Str, list.into_iter().map(Value::str).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Result<Vec<String>, String> {
        sans(input.as_bytes()).map(|l| {
            l.into_iter()
                .map(|b| String::from_utf8(b).unwrap())
                .collect()
        })
    }

    /// ESO's `TestCertSANs` (`runtime/template/v2/pem_test.go`, `_testdata/sans.crt`).
    #[test]
    fn eso_vectors() {
        assert_eq!(run(ESO_CERT_DATA).unwrap(), ["gooble.com"]);
        assert_eq!(
            run(&format!("some junk\n{ESO_CERT_DATA}")).unwrap(),
            ["gooble.com"]
        );
        assert_eq!(
            run(ESO_SANS_CRT).unwrap(),
            [
                "example.com",
                "www.example.com",
                "192.168.1.10",
                "10.0.0.1",
                "admin@example.com",
                "https://example.com"
            ]
        );
        assert!(run("not a pem").is_err());
        assert!(run("").is_err());
    }

    /// Certificates made and parsed by Go 1.19's `crypto/x509`; in errors, the URI Go quotes
    /// is left out.
    #[test]
    fn matches_go() {
        for (pem, want) in GO_CASES {
            let want = want.map(|l| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
            assert_eq!(run(pem), want.map_err(str::to_owned), "{pem}");
        }
    }

    #[test]
    fn template_call_and_hygiene() {
        let v = cert_sans(&[Value::str(ESO_SANS_CRT)]).unwrap();
        assert_eq!(v.type_name(), "[]string");
        let e = cert_sans(&[Value::str("s3cr3t")]).unwrap_err();
        assert!(!e.contains("s3cr3t"));
        assert_eq!(ip_string(&[0u8; 16]), "::");
        assert_eq!(
            ip_string(&[0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
            "2001:db8::1:0:0:1"
        );
    }

    type Expected = Result<&'static [&'static str], &'static str>;

    const GO_CASES: &[(&str, Expected)] = &[
        (
            r"-----BEGIN CERTIFICATE-----
MIHDMHegAwIBAgIBKjAFBgMrZXAwDDEKMAgGA1UEAxMBeDAeFw03MDAxMDEwMDAw
MDBaFw0zMzA1MTgwMzMzMjBaMAwxCjAIBgNVBAMTAXgwKjAFBgMrZXADIQA7aie8
zrakLWKjqNAqbw1zZTIVdx3iQ6Y6wEihi1naKTAFBgMrZXADQQBe01ONPiRIQUwg
y8xq6IPrLyp94dHdncRfG0lettCj+U3BKRkxnI80vL5wD+JM3GK9j2F3jv5toBr0
P99y9TEO
-----END CERTIFICATE-----
",
            Ok(&[]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHuMIGhoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjKDAmMCQGA1UdEQQdMBuCCWEu
ZXhhbXBsZYILKi5iLmV4YW1wbGWCAWMwBQYDK2VwA0EAeUeFDJEKunu6KsGhh1Q6
bRwRSKWNXk05neIkPpXCFZeJTfw1u2Qi4z6zhNV89XAxW9gLSamrUqn1Lk8PexyB
Aw==
-----END CERTIFICATE-----
",
            Ok(&[r"a.example", r"*.b.example", r"c"]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIIBVjCCAQigAwIBAgIBKjAFBgMrZXAwDDEKMAgGA1UEAxMBeDAeFw03MDAxMDEw
MDAwMDBaFw0zMzA1MTgwMzMzMjBaMAwxCjAIBgNVBAMTAXgwKjAFBgMrZXADIQA7
aie8zrakLWKjqNAqbw1zZTIVdx3iQ6Y6wEihi1naKaOBjjCBizCBiAYDVR0RBIGA
MH6HBAoBAgOHEAAAAAAAAAAAAAAAAAAAAAGHECABDbgAAAAAAAEAAAAAAAGHBAEC
AwSHEP6AAAAAAAAAAAAAAAAAAACHEAABAAAAAAACAAAAAAAAAAOHEAABAAAAAgAA
AAMAAAAEAACHBAoAAAGHEAAAAAAAAAAAAAAAAAAAAAAwBQYDK2VwA0EAcV1231Ba
kGunmgqGy6MIfQ4rzG9Z/TZxhgAw1ndOfdqRupZnarmDh2+5xca5+jZr3Pd8hKh6
q/tRgmI671otAA==
-----END CERTIFICATE-----
",
            Ok(&[
                r"10.1.2.3",
                r"::1",
                r"2001:db8::1:0:0:1",
                r"1.2.3.4",
                r"fe80::",
                r"1:0:0:2::3",
                r"1:0:2:0:3:0:4:0",
                r"10.0.0.1",
                r"::",
            ]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIIBQTCB9KADAgECAgEqMAUGAytlcDAMMQowCAYDVQQDEwF4MB4XDTcwMDEwMTAw
MDAwMFoXDTMzMDUxODAzMzMyMFowDDEKMAgGA1UEAxMBeDAqMAUGAytlcAMhADtq
J7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdopo3sweTB3BgNVHREEcDBuggFk
gQVhQGIuY4EDeEB5hwQBAgMEhh1odHRwczovL2guZXhhbXBsZS9wJTIwcT94PTEj
ZoYQc3BpZmZlOi8vdGQvbnMveIYNdXJuOnV1aWQ6MTIzNIYXaHR0cHM6Ly91c2Vy
OnB3QGg6ODQ0My8wBQYDK2VwA0EAXoeSgBpKTY4SPxPxL3CU1zi+PNnCz2Whpw1o
3YqnzpDOdqQTCkVVvl58rDndM6Ho+liOTk75rrNT8mu9Wdp/CQ==
-----END CERTIFICATE-----
",
            Ok(&[
                r"d",
                r"1.2.3.4",
                r"a@b.c",
                r"x@y",
                r"https://h.example/p%20q?x=1#f",
                r"spiffe://td/ns/x",
                r"urn:uuid:1234",
                r"https://user:pw@h:8443/",
            ]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHWMIGJoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjEDAOMAwGA1UdEQQFMAOCAXow
BQYDK2VwA0EAmK95rO7wXOHaGuZhnbOASb88eSEaxB/vWai1CSJv2O+u+tw+tPdw
TvI2xAOUPkPYIKHgg+89L6KUH29dONjfAw==
-----END CERTIFICATE-----

-----BEGIN CERTIFICATE-----
MIHbMIGOoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjFTATMBEGA1UdEQQKMAiCBnNl
Y29uZDAFBgMrZXADQQDEcOFi6N/2wBTnd8SkuoZkKZ5Z+L1pRA+eY3urjB1m+6ov
alClkXCMSlf056tpeqYvaPcA1zNawL2xCfGsM1UB
-----END CERTIFICATE-----
",
            Ok(&[r"z"]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHaMIGNoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjFDASMBAGA1UdEQQJMAeHBQEC
AwQFMAUGAytlcANBAONzCuTST4rGiI9UxTodboiflHLsOQCWs+nLRX5L9gc7q0cq
XI7MOaD1825qbdo51ygq516Mm4fADShtSHjl7wU=
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: cannot parse IP address of length 5"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHXMIGKoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjETAPMA0GA1UdEQQGMASCAsOp
MAUGAytlcANBAKxiXkuIwwiwjmYmQ9dyFv1TA8luGV+lA9vJevItKfb4Ec8i4F1Y
LRpOfgQEsePk1cfYFHXiPWIRKQ5FAVwbggQ=
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: SAN dNSName is malformed"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHXMIGKoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjETAPMA0GA1UdEQQGMASBAsOp
MAUGAytlcANBAIMY0tW2fhQGHyXxGqVFQoX5UcSTo+BTYhtQ3FWRecUzsGx3v+01
0PCdXL5c3pdIFYw5nErmJPBJG23mbXZArgA=
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: SAN rfc822Name is malformed"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHYMIGLoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjEjAQMA4GA1UdEQQHMAWGAyV6
ejAFBgMrZXADQQCf1RB5HFl+UV+VvhKrZTmikbjxrzATf95h7JP9ESO1Nr/0A73a
7O5JbNVi04JIdrThr8a+sCrqI68K3mpz+CkC
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: cannot parse URI: invalid URL escape"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHhMIGUoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjGzAZMBcGA1UdEQQQMA6GDGh0
dHBzOi8vYS4uYjAFBgMrZXADQQA3DxxaXeuWBw9nFFsjS+Fb+xdrGnpXe9sWRd/8
n7/1+c8IQtLjnzIJHRm40Sl2y6ZtlvPQhYK17Si/7UL+510D
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: cannot parse URI: invalid domain"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHgMIGToAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjGjAYMBYGA1UdEQQPMA2GC2h0
dHBzOi8vYWIuMAUGAytlcANBAANp7TKqJwBO20kyQYkgF55yMWloxACGmva7sCHi
UEdKoC0RCnREAw8o0bxeY2NgA7/2o9coR5MWHUfV6cp0/Ak=
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: cannot parse URI: invalid domain"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHdMIGQoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjFzAVMBMGA1UdEQQMMAqGCG1h
aWx0bzp4MAUGAytlcANBAEV9gqnHlN0Z82CXH8ryG/PAVU+iLpzMpTCd1cM0ELjI
YmJlp9HMsP2Jo8DZLH+ChReF6GFFsxjwYzxX6RN2gQI=
-----END CERTIFICATE-----
",
            Ok(&[r"mailto:x"]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHbMIGOoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjFTATMBEGA1UdEQQKMAigAwYB
KoIBcTAFBgMrZXADQQBPtUlvUDxp3zEne/EIdqXSyVY644n6HnDNeAsW3ibVSvd4
B3fUR5w1Qqa6ajcmaUsFdvaKlsOYLkvgCpU32qgG
-----END CERTIFICATE-----
",
            Ok(&[r"q"]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHkMIGXoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjHjAcMAwGA1UdEQQFMAOCAWEw
DAYDVR0RBAUwA4IBYjAFBgMrZXADQQCn9EqTyhncYkTKQrZK+2FH12XlfaiLrm8W
xHAdys2utNLPb0wwCZ2PBZk4a5gLfxpR5j1IgxZcqM7MTUpHp30G
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: certificate contains duplicate extensions"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHXMIGKoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjETAPMA0GA1UdEQQGMASCgQFh
MAUGAytlcANBAJPt2X4DyC3oUHG2T3/7ELsdhzLy26O8pKWLTzgwQsS2N6S5YY/i
JPYCXerTHOXSLaUDs1fivG9G2+0MB9hWPA0=
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: invalid subject alternative name"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHTMIGGoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjDTALMAkGA1UdEQQCMQAwBQYD
K2VwA0EA48BQvmUWWAVWjIF2rMBR5ig8uV0ySOPxXO1G67H/O00ZiU7eE/0RmaPC
5Z1JgQk8PAXodzinAjmLj52nO0KUDg==
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: invalid subject alternative names"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
MIHlMIGYoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjHzAdMBsGA1UdEQQUMBKHEAAA
AAAAAAAAAAD//wkIBwYwBQYDK2VwA0EACyCF1GbfAIsCcPNsy3NCethi14uAx6+L
ToRm8TqUC9ckOExLPE/kVLPX1ZSc7nhdLXu/dPiyahYbhwP8oeSUCQ==
-----END CERTIFICATE-----
",
            Ok(&[r"9.8.7.6"]),
        ),
        (
            r"junk before
-----BEGIN CERTIFICATE-----
MIHfMIGSoAMCAQICASowBQYDK2VwMAwxCjAIBgNVBAMTAXgwHhcNNzAwMTAxMDAw
MDAwWhcNMzMwNTE4MDMzMzIwWjAMMQowCAYDVQQDEwF4MCowBQYDK2VwAyEAO2on
vM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2imjGTAXMBUGA1UdEQQOMAyCCmFm
dGVyLWp1bmswBQYDK2VwA0EA/jobC9LdDox0o34/7gFcn2+Ay1wFU7y9ufNV0RsG
pwHBKn/QvFXocEupeRhdasJhay08BC5HNM4DTNICKMe/Cg==
-----END CERTIFICATE-----
",
            Ok(&[r"after-junk"]),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
not base64!
-----END CERTIFICATE-----
",
            Err(r"failed to decode PEM block"),
        ),
        (
            r"-----BEGIN CERTIFICATE-----
AAAA
-----END CERTIFICATE-----
",
            Err(r"failed to parse certificate: x509: malformed certificate"),
        ),
        (r"no pem here", Err(r"failed to decode PEM block")),
    ];

    const ESO_CERT_DATA: &str = r"-----BEGIN CERTIFICATE-----
MIIDHTCCAgWgAwIBAgIRAKC4yxy9QGocND+6avTf7BgwDQYJKoZIhvcNAQELBQAw
EjEQMA4GA1UEChMHQWNtZSBDbzAeFw0yMTAzMjAyMDA4MDhaFw0yMTAzMjAyMDM4
MDhaMBIxEDAOBgNVBAoTB0FjbWUgQ28wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw
ggEKAoIBAQC3o6/JdZEqNbqNRkopHhJtJG5c4qS5d0tQ/kZYpfD/v/izAYum4Nzj
aG15owr92/11W0pxPUliRLti3y6iScTs+ofm2D7p4UXj/Fnho/2xoWSOoWAodgvW
Y8jh8A0LQALZiV/9QsrJdXZdS47DYZLsQ3z9yFC/CdXkg1l7AQ3fIVGKdrQBr9kE
1gEDqnKfRxXI8DEQKXr+CKPUwCAytegmy0SHp53zNAvY+kopHytzmJpXLoEhxq4e
ugHe52vXHdh/HJ9VjNp0xOH1waAgAGxHlltCW0PVd5AJ0SXROBS/a3V9sZCbCrJa
YOOonQSEswveSv6PcG9AHvpNPot2Xs6hAgMBAAGjbjBsMA4GA1UdDwEB/wQEAwIC
pDATBgNVHSUEDDAKBggrBgEFBQcDATAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQW
BBR00805mrpoonp95RmC3B6oLl+cGTAVBgNVHREEDjAMggpnb29ibGUuY29tMA0G
CSqGSIb3DQEBCwUAA4IBAQAipc1b6JrEDayPjpz5GM5krcI8dCWVd8re0a9bGjjN
ioWGlu/eTr5El0ffwCNZ2WLmL9rewfHf/bMvYz3ioFZJ2OTxfazqYXNggQz6cMfa
lbedDCdt5XLVX2TyerGvFram+9Uyvk3l0uM7rZnwAmdirG4Tv94QRaD3q4xTj/c0
mv+AggtK0aRFb9o47z/BypLdk5mhbf3Mmr88C8XBzEnfdYyf4JpTlZrYLBmDCu5d
9RLLsjXxhag8xqMtd1uLUM8XOTGzVWacw8iGY+CTtBKqyA+AE6/bDwZvEwVtsKtC
QJ85ioEpy00NioqcF0WyMZH80uMsPycfpnl5uF7RkW8u
-----END CERTIFICATE-----
";

    const ESO_SANS_CRT: &str = r"-----BEGIN CERTIFICATE-----
MIIEJjCCAw6gAwIBAgIUVNaRTjph7AlbIJD6VaK3mJR2n5YwDQYJKoZIhvcNAQEL
BQAwezELMAkGA1UEBhMCVVMxEzARBgNVBAgMCkNhbGlmb3JuaWExFjAUBgNVBAcM
DVNhbiBGcmFuY2lzY28xEjAQBgNVBAoMCU15Q29tcGFueTEVMBMGA1UECwwMSVRE
ZXBhcnRtZW50MRQwEgYDVQQDDAtleGFtcGxlLmNvbTAeFw0yNjAzMTAxMzMwMjda
Fw0yNzAzMTAxMzMwMjdaMHsxCzAJBgNVBAYTAlVTMRMwEQYDVQQIDApDYWxpZm9y
bmlhMRYwFAYDVQQHDA1TYW4gRnJhbmNpc2NvMRIwEAYDVQQKDAlNeUNvbXBhbnkx
FTATBgNVBAsMDElURGVwYXJ0bWVudDEUMBIGA1UEAwwLZXhhbXBsZS5jb20wggEi
MA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCnU5CmUW12axeW8nWC1mW7jUtZ
AwnmI/g+RK/nRyG01qhGqmyYpmz5T5YZXyMYfBkRK0tCCEw4y5i4f6b0KkiDX04d
jEaoihmS7CDZtxZSVOWiddK1InEuTpDZ/ZLrIDzVMdNjDZrn49jEcxGVYt8jcsy+
R2qn3hJLFtbKfqvv1hSIhEoVaEXwjj2RB0loyclUoQ7cxEOQ00h/pP6uOeCjGxlp
/FvjNK6uFxYESts29RY1bwsld7mEn02LCUp8draVdkeFq5Dca0wYU8VfzUK5RweN
n1zd1I6dKBWCsIgjctD4bujcrr/wO1kw5RXwnn/1PJihCqYvudMpKfa754kRAgMB
AAGjgaEwgZ4wCwYDVR0PBAQDAgQwMBMGA1UdJQQMMAoGCCsGAQUFBwMBMFsGA1Ud
EQRUMFKCC2V4YW1wbGUuY29tgg93d3cuZXhhbXBsZS5jb22HBMCoAQqHBAoAAAGB
EWFkbWluQGV4YW1wbGUuY29thhNodHRwczovL2V4YW1wbGUuY29tMB0GA1UdDgQW
BBQcczGlyquoe8zN4oiWzSiZr9uNFjANBgkqhkiG9w0BAQsFAAOCAQEAevRS6y8q
foWhr7SXKKNxwD1Ujm3RTdu7lwGaW77pU6NynghyKxDFndLrKebGZ9cmizvxlNxa
WA5m/qmh6U3kXBfqSS2HNuq+MQBYtmEVOtB73EuAtka2PKRVD6uFU6EToTkhydfM
BJgujrQvBFWWPDm2Rbz2tb2gK8Q3ByXpeIgA57CQ67wpKd8WWmDWIxLb41Z5nCMK
iHbYTSKpbGZ/l3LfGGaKxPIFTnhn5VM1GbdWSDxnCj3AF0RrC4WtXNy+PVFehluf
fS0QVVUKXObJkJpWm+9YriyEWKxOfos4pXh6+r8u/4cFBeZErXmlDIgCfiy1dX7z
Fm5RuPY4PPrt/w==
-----END CERTIFICATE-----
";

    fn chain(kind: &str, parts: &[&str]) -> Result<String, String> {
        let v = filter_cert_chain(&[Value::str(kind), Value::str(parts.concat())])?;
        Ok(String::from_utf8(v.as_bytes().unwrap().to_vec()).unwrap())
    }

    /// ESO's `TestFilterCertChain` (`runtime/template/v2/pem_test.go`, `_testdata/*.crt`).
    #[test]
    fn eso_filter_cert_chain() {
        let (leaf, mid, root) = (ESO_FOO_CRT, ESO_INTERMEDIATE_CRT, ESO_ROOT_CRT);
        assert!(chain("leaf", &[]).is_err());
        // A private key where a certificate should be (a minimal PKCS#1 structure).
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMAMCAQA=\n-----END RSA PRIVATE KEY-----\n";
        assert!(chain("leaf", &[leaf, key]).is_err());
        assert_eq!(chain("leaf", &[leaf]).unwrap(), leaf);
        assert_eq!(chain("leaf", &[leaf, mid]).unwrap(), leaf);
        assert_eq!(chain("leaf", &[root]).unwrap(), "");
        assert_eq!(chain("leaf", &[leaf, mid, root]).unwrap(), leaf);
        assert_eq!(chain("intermediate", &[leaf]).unwrap(), "");
        assert_eq!(chain("intermediate", &[leaf, mid]).unwrap(), mid);
        assert_eq!(chain("intermediate", &[leaf, mid, root]).unwrap(), mid);
        assert_eq!(chain("root", &[leaf]).unwrap(), "");
        assert_eq!(chain("root", &[root]).unwrap(), root);
        assert_eq!(chain("root", &[leaf, mid, root]).unwrap(), root);
    }

    #[test]
    fn chain_order_and_errors() {
        let (leaf, mid, root) = (ESO_FOO_CRT, ESO_INTERMEDIATE_CRT, ESO_ROOT_CRT);
        // Input order does not matter: the chain is rebuilt from the key identifiers.
        assert_eq!(chain("leaf", &[root, mid, leaf]).unwrap(), leaf);
        assert_eq!(chain("intermediate", &[root, leaf, mid]).unwrap(), mid);
        assert_eq!(chain("root", &[mid, root, leaf]).unwrap(), root);
        assert_eq!(chain("other", &[leaf, mid, root]).unwrap(), "");
        assert_eq!(
            chain("leaf", &[leaf, ESO_DISJUNCT_ROOT_CRT]).unwrap_err(),
            "found multiple leaf or disjunct certificates"
        );
        assert_eq!(
            chain("root", &[leaf, leaf]).unwrap_err(),
            "found multiple leaf or disjunct certificates"
        );
        assert_eq!(chain("root", &[]).unwrap_err(), "no leaf certificate found");
        assert_eq!(
            chain(
                "root",
                &["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
            )
            .unwrap_err(),
            "x509: malformed certificate"
        );
        assert_eq!(chain("leaf", &[ESO_CHAIN_PEM]).unwrap(), leaf);
    }

    const ESO_FOO_CRT: &str = r"-----BEGIN CERTIFICATE-----
MIIBqjCCAU+gAwIBAgIRAPnGGsBUMbZhmh5QdnYdBmUwCgYIKoZIzj0EAwIwGjEY
MBYGA1UEAxMPaW50ZXJtZWRpYXRlLWNhMB4XDTIyMDIwOTEwMjUzMVoXDTIyMDIx
MDEwMjUzMVowDjEMMAoGA1UEAxMDZm9vMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAEqnxdeInykx8JZsLi13rZLekoG2cosQ3F+2InVNy7hCQ7soMqdaJsGQ6LFtov
ogUFtOOTRWrunblqNWGZsowHbKOBgTB/MA4GA1UdDwEB/wQEAwIHgDAdBgNVHSUE
FjAUBggrBgEFBQcDAQYIKwYBBQUHAwIwHQYDVR0OBBYEFLtundVbuKd73OWzo6SY
by0Ajeb2MB8GA1UdIwQYMBaAFCLg80J/bZBbOd+Y8+V94l5xM2zEMA4GA1UdEQQH
MAWCA2ZvbzAKBggqhkjOPQQDAgNJADBGAiEA4K4SbVNqrEtl7RfwBfJFMnWI+X8D
zMPMc4Xqzp2qTxcCIQDsySgtiakypZfWakpB49zJph0kLwGK8xhWvGMUw1N1/w==
-----END CERTIFICATE-----
";

    const ESO_INTERMEDIATE_CRT: &str = r"-----BEGIN CERTIFICATE-----
MIIBgDCCATKgAwIBAgIRAOzjpCdp42oW5MoccLpRXpAwBQYDK2VwMBIxEDAOBgNV
BAMTB3Jvb3QtY2EwHhcNMjIwMjA5MTAyNTMxWhcNMzIwMjA3MTAyNTMxWjAaMRgw
FgYDVQQDEw9pbnRlcm1lZGlhdGUtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATekdyX6cZe0Ajmme363TQoWnrQwXnARzeWEf4FRQE8BGWgf8z7wljjpb4M4S4f
+CJAYYY/6x38UnlsxXEeBTofo2YwZDAOBgNVHQ8BAf8EBAMCAQYwEgYDVR0TAQH/
BAgwBgEB/wIBADAdBgNVHQ4EFgQUIuDzQn9tkFs535jz5X3iXnEzbMQwHwYDVR0j
BBgwFoAUa2fUac2OZ3pzE6EydVq7UvwiQa0wBQYDK2VwA0EA4gntaGs/3ME6q1y9
gO4ntri2qwoC25l3q7q9BiFBmeBmvS6I1w9HCZHtB3JnVC/IYDTCYDNTbpGWEOjl
aCKLCA==
-----END CERTIFICATE-----
";

    const ESO_ROOT_CRT: &str = r"-----BEGIN CERTIFICATE-----
MIIBJzCB2qADAgECAhEArvunrLoYXTmwMROkmbAlBTAFBgMrZXAwEjEQMA4GA1UE
AxMHcm9vdC1jYTAeFw0yMjAyMDkxMDI1MzBaFw0zMjAyMDcxMDI1MzBaMBIxEDAO
BgNVBAMTB3Jvb3QtY2EwKjAFBgMrZXADIQDSw5uQ1io+jcKevCH0sl+tGTB6/BQs
Bu84ibw13QoP36NFMEMwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8C
AQEwHQYDVR0OBBYEFGtn1GnNjmd6cxOhMnVau1L8IkGtMAUGAytlcANBAOHSAS4z
/6ctcvRwlGr9Hyt7vVLROImD2t3rFdDDHLLL1znikK3JZvVbETyMFOMbOMQS33C/
4FtLGenZFXySjQw=
-----END CERTIFICATE-----
";

    const ESO_DISJUNCT_ROOT_CRT: &str = r"-----BEGIN CERTIFICATE-----
MIIBOTCB7KADAgECAhEA0cArEY0s5JoP8JfqIDv2BTAFBgMrZXAwGzEZMBcGA1UE
AxMQZGlzanVuY3Qtcm9vdC1jYTAeFw0yMjAyMDkxMDI1MzBaFw0zMjAyMDcxMDI1
MzBaMBsxGTAXBgNVBAMTEGRpc2p1bmN0LXJvb3QtY2EwKjAFBgMrZXADIQAJER3w
QFZH1DBmxZm9IkaZ5noangcg/CYNP+GtcyQPL6NFMEMwDgYDVR0PAQH/BAQDAgEG
MBIGA1UdEwEB/wQIMAYBAf8CAQEwHQYDVR0OBBYEFMddJG4lWXTN/x9InsiJUTxu
d4+HMAUGAytlcANBABcyLV4om9LPV0TGDf0jiM+JxH1R+ATvAE8FHDtd8L66BrzA
Id656nPz3fz9ZMB9VZr7iGcghXYlTHxu6NkQEgA=
-----END CERTIFICATE-----
";

    const ESO_CHAIN_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBqjCCAU+gAwIBAgIRAPnGGsBUMbZhmh5QdnYdBmUwCgYIKoZIzj0EAwIwGjEY
MBYGA1UEAxMPaW50ZXJtZWRpYXRlLWNhMB4XDTIyMDIwOTEwMjUzMVoXDTIyMDIx
MDEwMjUzMVowDjEMMAoGA1UEAxMDZm9vMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAEqnxdeInykx8JZsLi13rZLekoG2cosQ3F+2InVNy7hCQ7soMqdaJsGQ6LFtov
ogUFtOOTRWrunblqNWGZsowHbKOBgTB/MA4GA1UdDwEB/wQEAwIHgDAdBgNVHSUE
FjAUBggrBgEFBQcDAQYIKwYBBQUHAwIwHQYDVR0OBBYEFLtundVbuKd73OWzo6SY
by0Ajeb2MB8GA1UdIwQYMBaAFCLg80J/bZBbOd+Y8+V94l5xM2zEMA4GA1UdEQQH
MAWCA2ZvbzAKBggqhkjOPQQDAgNJADBGAiEA4K4SbVNqrEtl7RfwBfJFMnWI+X8D
zMPMc4Xqzp2qTxcCIQDsySgtiakypZfWakpB49zJph0kLwGK8xhWvGMUw1N1/w==
-----END CERTIFICATE-----
-----BEGIN CERTIFICATE-----
MIIBJzCB2qADAgECAhEArvunrLoYXTmwMROkmbAlBTAFBgMrZXAwEjEQMA4GA1UE
AxMHcm9vdC1jYTAeFw0yMjAyMDkxMDI1MzBaFw0zMjAyMDcxMDI1MzBaMBIxEDAO
BgNVBAMTB3Jvb3QtY2EwKjAFBgMrZXADIQDSw5uQ1io+jcKevCH0sl+tGTB6/BQs
Bu84ibw13QoP36NFMEMwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8C
AQEwHQYDVR0OBBYEFGtn1GnNjmd6cxOhMnVau1L8IkGtMAUGAytlcANBAOHSAS4z
/6ctcvRwlGr9Hyt7vVLROImD2t3rFdDDHLLL1znikK3JZvVbETyMFOMbOMQS33C/
4FtLGenZFXySjQw=
-----END CERTIFICATE-----
-----BEGIN CERTIFICATE-----
MIIBgDCCATKgAwIBAgIRAOzjpCdp42oW5MoccLpRXpAwBQYDK2VwMBIxEDAOBgNV
BAMTB3Jvb3QtY2EwHhcNMjIwMjA5MTAyNTMxWhcNMzIwMjA3MTAyNTMxWjAaMRgw
FgYDVQQDEw9pbnRlcm1lZGlhdGUtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATekdyX6cZe0Ajmme363TQoWnrQwXnARzeWEf4FRQE8BGWgf8z7wljjpb4M4S4f
+CJAYYY/6x38UnlsxXEeBTofo2YwZDAOBgNVHQ8BAf8EBAMCAQYwEgYDVR0TAQH/
BAgwBgEB/wIBADAdBgNVHQ4EFgQUIuDzQn9tkFs535jz5X3iXnEzbMQwHwYDVR0j
BBgwFoAUa2fUac2OZ3pzE6EydVq7UvwiQa0wBQYDK2VwA0EA4gntaGs/3ME6q1y9
gO4ntri2qwoC25l3q7q9BiFBmeBmvS6I1w9HCZHtB3JnVC/IYDTCYDNTbpGWEOjl
aCKLCA==
-----END CERTIFICATE-----
";
}
