//! Exploding a JSON object payload into secret keys (`dataFrom[].extract`).
//!
//! Mirrors ESO's `JSONToSecretDataMap` (`runtime/esutils/utils.go`) and the identical loops in
//! the AWS Secrets Manager, Parameter Store and fake providers: `json.Unmarshal` into
//! `map[string]json.RawMessage`, then each member that unmarshals into a Go `string` becomes that
//! string, and every other member keeps its raw JSON text byte for byte (`1.50` stays `1.50`,
//! `{ "x" : 1 }` keeps its spaces). `null` unmarshals into a string without error and leaves it
//! empty, so it becomes an empty value. A top-level `null` gives an empty map. Duplicate keys:
//! the last one wins.
//!
//! Must not: put payload bytes in an error (the JSON errors carry offsets only), or add ESO's
//! provider-specific prefix (`unable to unmarshal secret …`), which the caller knows.

use crate::gocompat::json;
use crate::secret::{DataMap, SecretBytes};

/// The payload is not a JSON object (or null); Go's `json.Unmarshal` error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct Error(#[from] pub json::Error);

/// Explodes a JSON object into key → value as ESO's providers do.
///
/// # Errors
/// The payload is not valid JSON, or its top level is not an object or `null`.
pub fn json_object_to_map(payload: &[u8]) -> Result<DataMap, Error> {
    let members = json::unmarshal_raw_map(payload)?;
    Ok(members
        .into_iter()
        .map(|(key, raw)| {
            let value = match json::unmarshal_string(raw) {
                Some(s) => SecretBytes::from(s),
                None => SecretBytes::from_slice(raw),
            };
            (key, value)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explode(payload: &str) -> Vec<(String, String)> {
        json_object_to_map(payload.as_bytes())
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, String::from_utf8(v.expose().to_vec()).unwrap()))
            .collect()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    // ESO utils_test.go TestJSONToSecretDataMap.

    #[test]
    fn string_values() {
        assert_eq!(explode(r#"{"foo":"bar"}"#), pairs(&[("foo", "bar")]));
    }

    #[test]
    fn nested_and_non_string_values() {
        assert_eq!(
            explode(r#"{"username":"my_user","port":5432,"nested":{"baz":"nestedval"}}"#),
            pairs(&[
                ("nested", r#"{"baz":"nestedval"}"#),
                ("port", "5432"),
                ("username", "my_user"),
            ])
        );
    }

    #[test]
    fn null_value() {
        assert_eq!(explode(r#"{"key":null}"#), pairs(&[("key", "")]));
    }

    #[test]
    fn invalid_json() {
        assert!(json_object_to_map(b"not-json").is_err());
    }

    // TV24 (AWS Secrets Manager GetSecretMap + RawMessage rule).

    #[test]
    fn tv24_get_secret_map_shapes() {
        assert_eq!(explode(r#"{"foo":"bar"}"#), pairs(&[("foo", "bar")]));
        assert_eq!(
            explode(r#"{"foobar":{"baz":"nestedval"}}"#),
            pairs(&[("foobar", r#"{"baz":"nestedval"}"#)])
        );
        assert_eq!(
            json_object_to_map(b"-----------------")
                .unwrap_err()
                .to_string(),
            "invalid character in numeric literal at input byte 1"
        );
        assert_eq!(
            explode(r#"{ "port" : 3306, "ratio": 1.50, "x": null, "o": { "k" : 1 } }"#),
            pairs(&[
                ("o", r#"{ "k" : 1 }"#),
                ("port", "3306"),
                ("ratio", "1.50"),
                ("x", ""),
            ])
        );
    }

    #[test]
    fn top_level_null_is_empty_and_other_kinds_fail() {
        assert!(json_object_to_map(b"null").unwrap().is_empty());
        assert_eq!(
            json_object_to_map(b"[1]").unwrap_err().to_string(),
            "json: cannot unmarshal array into Go value of type map[string]json.RawMessage"
        );
        assert!(json_object_to_map(br#""s""#).is_err());
    }

    #[test]
    fn strings_are_unescaped_and_duplicates_keep_the_last() {
        assert_eq!(
            explode(r#"{"a":"x\ny\u00e9","a":"last","b":true,"c":[1, "2"]}"#),
            pairs(&[("a", "last"), ("b", "true"), ("c", r#"[1, "2"]"#)])
        );
    }

    #[test]
    fn errors_never_carry_payload_bytes() {
        let err = json_object_to_map(br#"{"k": hunter2}"#).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("hunter2"));
        assert!(!format!("{err}").contains("'h'"));
    }
}
