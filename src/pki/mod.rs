//! Public-key infrastructure formats as Go's standard library and ESO's libraries see them:
//! DER, PEM, private and public keys (with generation and signing), Sprig's DSA key format, X.509
//! names and certificates, and PKCS#12 archives.
//!
//! Template functions (`pkcs12key`, `pemToPkcs12`, `jwkPrivateKeyPem`, `rsaDecrypt`, `genCA`, …)
//! are built on these; their output must be Go's byte for byte (or, where keys and signatures are
//! random, Go's in structure), so the encoders here follow Go's `encoding/asn1` choices (field
//! omission, SET ordering) rather than a general ASN.1 library's.
//!
//! Must not: panic on any input, or put key or certificate bytes in an error.

pub mod cert;
pub mod der;
pub mod dsa;
pub mod key;
pub mod name;
pub mod pem;
pub mod pkcs12;

/// A file of `testdata/pki/` (`eso/…` or `openssl/…`), for the tests here and of the template
/// functions built on this module.
#[cfg(test)]
pub(crate) fn test_vector(rel: &str) -> Vec<u8> {
    let path = format!("{}/testdata/pki/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Go's text when `crypto/rand` cannot read.
pub const ERR_RAND: &str = "crypto/rand: failed to read random data";

/// Fills `buf` from the operating system, as Go's `crypto/rand.Reader` does.
pub fn os_random(buf: &mut [u8]) -> Result<(), String> {
    getrandom::fill(buf).map_err(|_| ERR_RAND.to_owned())
}
