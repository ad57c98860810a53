//! Rendering decoded JSON values as secret bytes: ESO's `GetByteValue`.
//!
//! Mirrors `runtime/esutils/utils.go` `GetByteValue` for the value kinds a JSON document can hold:
//! string → its text; float64 → `strconv.FormatFloat(f, 'f', -1, 64)` (never an exponent:
//! `1e21` → `1000000000000000000000`); an integer number (Go `json.Number` from decoders that keep
//! number text) → its digits; bool → `true`/`false`; null → empty; object or array →
//! `json.Marshal` (compact, sorted keys, HTML-escaped, floats in Go's JSON form).
//!
//! Also owns [`scrub`], which wipes the strings of a decoded value that held secret data.
//!
//! Must not: print a value anywhere but into the returned bytes.

use serde_json::Value;
use zeroize::Zeroize as _;

use crate::gocompat::json;
use crate::secret::SecretBytes;

/// ESO's `GetByteValue` for a JSON value.
pub fn byte_value(value: &Value) -> SecretBytes {
    match value {
        Value::String(s) => SecretBytes::from_slice(s.as_bytes()),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => SecretBytes::from(u.to_string()),
            (None, Some(i), _) => SecretBytes::from(i.to_string()),
            (None, None, Some(f)) => SecretBytes::from(json::format_float_f(f)),
            (None, None, None) => SecretBytes::new(Vec::new()),
        },
        Value::Bool(b) => SecretBytes::from(if *b { "true" } else { "false" }),
        Value::Null => SecretBytes::new(Vec::new()),
        Value::Array(_) | Value::Object(_) => SecretBytes::from(json::marshal(value, true)),
    }
}

/// Consumes a decoded value that held secret data, zeroing its strings (object keys included)
/// before their memory is freed. Numbers and booleans are not wiped.
pub fn scrub(value: Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(mut s) => s.zeroize(),
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => {
                for (mut k, v) in map {
                    k.zeroize();
                    stack.push(v);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(v: Value) -> String {
        String::from_utf8(byte_value(&v).expose().to_vec()).unwrap()
    }

    // ESO utils_test.go TestGetByteValue (the kinds a JSON document can produce).

    #[test]
    fn string() {
        assert_eq!(text(json!("value")), "value");
    }

    #[test]
    fn map_of_any() {
        assert_eq!(text(json!({"key": "value"})), r#"{"key":"value"}"#);
    }

    #[test]
    fn float64() {
        assert_eq!(text(json!(123.45)), "123.45");
        assert_eq!(text(json!(1e21)), "1000000000000000000000");
        assert_eq!(text(json!(123.0)), "123");
    }

    #[test]
    fn json_number() {
        assert_eq!(text(json!(12345678901234567u64)), "12345678901234567");
        assert_eq!(text(json!(-5)), "-5");
    }

    #[test]
    fn slice_of_any() {
        assert_eq!(text(json!(["value1", "value2"])), r#"["value1","value2"]"#);
    }

    #[test]
    fn boolean() {
        assert_eq!(text(json!(true)), "true");
    }

    #[test]
    fn nil() {
        assert_eq!(text(Value::Null), "");
    }

    #[test]
    fn nested_values_use_go_json() {
        assert_eq!(
            text(json!({"b": [1e21, 0.5], "a": "<x>"})),
            r#"{"a":"\u003cx\u003e","b":[1e+21,0.5]}"#
        );
    }

    #[test]
    fn scrub_consumes_deep_values() {
        // Built by hand: `json!` would serialize the inner value recursively.
        let mut v = Value::String("leaf".into());
        for _ in 0..100_000 {
            let mut m = serde_json::Map::new();
            m.insert("k".into(), Value::Array(vec![v]));
            v = Value::Object(m);
        }
        scrub(v);
    }
}
