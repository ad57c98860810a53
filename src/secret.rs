//! The one type every secret value travels in.
//!
//! `SecretBytes` owns the bytes of a value fetched from a backend (or produced by a rewrite, a
//! decoding or a template). It has no `Display`, its `Debug` prints only the length, and its memory
//! is zeroed when dropped (`secrecy::SecretBox`). Code that needs the bytes calls
//! [`SecretBytes::expose`]; grep for it to audit every place a value is looked at.
//!
//! `DataMap` is the key → value map ESO calls `providerData` (`map[string][]byte`); a `BTreeMap`
//! keeps keys in byte order, which is the order ESO hashes and Kubernetes prints them in.

use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretBox};

/// Bytes of a secret value: redacted `Debug`, no `Display`, zeroized on drop.
pub struct SecretBytes(SecretBox<[u8]>);

impl SecretBytes {
    /// Takes ownership of `bytes`; the vector's buffer is the one zeroized later.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(SecretBox::new(bytes.into_boxed_slice()))
    }

    /// Copies `bytes` into a new secret buffer.
    pub fn from_slice(bytes: &[u8]) -> Self {
        Self::new(bytes.to_vec())
    }

    /// The raw bytes. Every caller is a place where a value can escape: keep them few.
    pub fn expose(&self) -> &[u8] {
        self.0.expose_secret()
    }

    pub fn len(&self) -> usize {
        self.expose().len()
    }

    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl Clone for SecretBytes {
    fn clone(&self) -> Self {
        Self::from_slice(self.expose())
    }
}

impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for SecretBytes {}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes([REDACTED; {} bytes])", self.len())
    }
}

impl From<&str> for SecretBytes {
    fn from(s: &str) -> Self {
        Self::from_slice(s.as_bytes())
    }
}

impl From<String> for SecretBytes {
    fn from(s: String) -> Self {
        Self::new(s.into_bytes())
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(v: Vec<u8>) -> Self {
        Self::new(v)
    }
}

/// ESO's `providerData`: Secret key → value, in byte order of the keys.
pub type DataMap = BTreeMap<String, SecretBytes>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = SecretBytes::from("hunter2-canary");
        let printed = format!("{s:?} {:?}", vec![s.clone()]);
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("14 bytes"), "{printed}");
    }

    #[test]
    fn clone_and_eq_compare_bytes() {
        let a = SecretBytes::from("x");
        assert_eq!(a, a.clone());
        assert_ne!(a, SecretBytes::from("y"));
    }
}
