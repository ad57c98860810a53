//! gjson path lookups rendered as Go gjson's `Result.String()`.
//!
//! ESO selects `remoteRef.property` inside a JSON payload with `github.com/tidwall/gjson`
//! (AWS Secrets Manager / Parameter Store, fake, Vault and Kubernetes fall-backs). Path evaluation
//! is delegated to the `gjson` crate by gjson's own author; this module owns only the rendering
//! of the hit, which differs from the crate's `Value::str()` for numbers: Go returns the raw text
//! of an integer literal (so big integers survive) and `strconv.FormatFloat(f, 'f', -1, 64)` of
//! any other number (`1.50` → `1.5`, `1e3` → `1000`).
//!
//! Mirrors gjson's `Result.String()` (`gjson.go`) and its `Exists()`.
//!
//! Must not: add any path syntax of its own, or log the payload.

use super::json::format_float_f;

/// Looks `path` up in `json` and renders the hit as Go gjson does; `None` when nothing exists at
/// that path (Go: `!result.Exists()`).
///
/// Rendering: string → unescaped text; object or array → raw text as written; `true`/`false`;
/// `null` → empty; number → raw text if it is an optional `-` followed only by digits, else the
/// shortest `f`-format text of its float64 value.
pub fn get_string(json: &str, path: &str) -> Option<String> {
    let value = gjson::get(json, path);
    if !value.exists() {
        return None;
    }
    Some(match value.kind() {
        gjson::Kind::Number => render_number(value.json()),
        _ => value.str().to_owned(),
    })
}

/// Go gjson's number rendering from the raw literal.
fn render_number(raw: &str) -> String {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        return raw.to_owned();
    }
    // Go parses with `strconv.ParseFloat` and ignores the error, leaving 0 for text it cannot
    // read; Rust's parser reads the same decimal syntax with the same correct rounding.
    format_float_f(raw.parse::<f64>().unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
        "s": "a\"b\u00e9",
        "n": 1.50,
        "e": 1e3,
        "neg": -12,
        "big": 123456789012345678901234567890,
        "f": 0.1,
        "t": true,
        "fa": false,
        "nul": null,
        "obj": { "k" : 1 },
        "arr": [ "x", {"b": 2}, 3 ],
        "a": {"b": "nested"},
        "a.b": "literal-dotted"
    }"#;

    fn get(path: &str) -> Option<String> {
        get_string(DOC, path)
    }

    #[test]
    fn strings_are_unescaped() {
        assert_eq!(get("s").as_deref(), Some("a\"bé"));
    }

    #[test]
    fn numbers_render_like_go() {
        assert_eq!(get("n").as_deref(), Some("1.5"));
        assert_eq!(get("e").as_deref(), Some("1000"));
        assert_eq!(get("neg").as_deref(), Some("-12"));
        assert_eq!(
            get("big").as_deref(),
            Some("123456789012345678901234567890")
        );
        assert_eq!(get("f").as_deref(), Some("0.1"));
    }

    #[test]
    fn literals_and_containers() {
        assert_eq!(get("t").as_deref(), Some("true"));
        assert_eq!(get("fa").as_deref(), Some("false"));
        assert_eq!(get("nul").as_deref(), Some(""));
        assert_eq!(get("obj").as_deref(), Some(r#"{ "k" : 1 }"#));
        assert_eq!(get("arr").as_deref(), Some(r#"[ "x", {"b": 2}, 3 ]"#));
    }

    #[test]
    fn paths() {
        assert_eq!(get("a.b").as_deref(), Some("nested"));
        assert_eq!(get(r"a\.b").as_deref(), Some("literal-dotted"));
        assert_eq!(get("arr.0").as_deref(), Some("x"));
        assert_eq!(get("arr.1.b").as_deref(), Some("2"));
        assert_eq!(get("arr.#").as_deref(), Some("3"));
        assert_eq!(get("obj.k").as_deref(), Some("1"));
    }

    #[test]
    fn missing_paths_are_none() {
        assert_eq!(get("nope"), None);
        assert_eq!(get("a.c"), None);
        assert_eq!(get("arr.9"), None);
        assert_eq!(get_string("not json", "a"), None);
        assert_eq!(get_string("", "a"), None);
    }
}
