//! ESO's `ObjectHash` (SHA3-224 of Go's `%+v` text) for the `data-hash` annotation.
//!
//! Mirrors `runtime/esutils/utils.go` `ObjectHash`: `fmt.Sprintf("%+v", object)` hashed with
//! SHA3-224 and printed as lower-case hex. For ESO's `map[string][]byte` Go prints
//! `map[k1:[118 97 108] k2:[]]` — keys in byte order, each value as its bytes in decimal separated
//! by spaces; an empty map is `map[]`.
//!
//! That text contains every secret value, so it is never built as a buffer: the pieces are fed
//! straight into the hasher, and the only scratch space is a few stack bytes per byte value.
//!
//! Must not: return or log the hashed text.

use sha3::{Digest, Sha3_224};

use crate::secret::DataMap;

/// Lower-case hex SHA3-224 of Go's `%+v` of `map[string][]byte` with `data`'s entries.
pub fn object_hash_data(data: &DataMap) -> String {
    let mut hasher = Sha3_224::new();
    hasher.update(b"map[");
    for (i, (key, value)) in data.iter().enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        hasher.update(key.as_bytes());
        hasher.update(b":[");
        for (j, &byte) in value.expose().iter().enumerate() {
            if j > 0 {
                hasher.update(b" ");
            }
            let mut digits = [0u8; 3];
            let start = decimal(byte, &mut digits);
            hasher.update(&digits[start..]);
        }
        hasher.update(b"]");
    }
    hasher.update(b"]");
    hex::encode(hasher.finalize())
}

/// Writes `byte` in decimal at the end of `buf`; returns where the digits start.
fn decimal(mut byte: u8, buf: &mut [u8; 3]) -> usize {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + byte % 10;
        byte /= 10;
        if byte == 0 {
            return i;
        }
    }
}

/// Lower-case hex SHA3-224 of `text`; ESO's `ObjectHash` of a Go string (`%+v` prints it as is).
pub fn sha3_224_hex(text: &str) -> String {
    hex::encode(Sha3_224::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretBytes;

    // ESO utils_test.go TestObjectHash (TV29).

    #[test]
    fn map_also_works() {
        let mut data = DataMap::new();
        data.insert("foo".into(), SecretBytes::from("value1"));
        data.insert("bar".into(), SecretBytes::from("value2"));
        assert_eq!(
            object_hash_data(&data),
            "1bed8bcbcb4547ffe19a19cd47d9078e84aa6598266d86b99f992d64"
        );
        // The same digest as hashing the text Go prints for that map.
        assert_eq!(
            object_hash_data(&data),
            sha3_224_hex("map[bar:[118 97 108 117 101 50] foo:[118 97 108 117 101 49]]")
        );
    }

    #[test]
    fn we_accept_a_simple_scalar_value_i_e_string() {
        assert_eq!(
            sha3_224_hex("hello there"),
            "f78681ec611ebaeea0689bff6c7812a83ff98a7faba986d9af76c999"
        );
    }

    #[test]
    fn a_nil_should_be_still_working() {
        assert_eq!(
            sha3_224_hex("<nil>"),
            "c461202a18e99215f121936fb2452e03843828e448a00a53f285a6fc"
        );
    }

    #[test]
    fn empty_map() {
        assert_eq!(
            object_hash_data(&DataMap::new()),
            "74a974446e359fb3e6baff9bd0058950e6edd0f040888d9989b0a11b"
        );
        assert_eq!(object_hash_data(&DataMap::new()), sha3_224_hex("map[]"));
    }

    #[test]
    fn empty_values_and_all_byte_widths() {
        let mut data = DataMap::new();
        data.insert("e".into(), SecretBytes::from(""));
        data.insert("b".into(), SecretBytes::new(vec![0, 9, 10, 99, 100, 255]));
        assert_eq!(
            object_hash_data(&data),
            sha3_224_hex("map[b:[0 9 10 99 100 255] e:[]]")
        );
    }
}
