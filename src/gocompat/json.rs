//! Go `encoding/json` and `strconv` float formatting, as ESO's outputs depend on them.
//!
//! Owns three things ESO gets from Go's standard library:
//!
//! * **Encoding** ([`marshal`]): Go's `json.Marshal` / `json.Encoder` output for a
//!   `serde_json::Value` — compact, object keys sorted byte-wise, Go's string escaping (with or
//!   without HTML escaping), floats printed with Go's JSON rule. Mirrors Go's
//!   `encoding/json/encode.go` (`appendString`, `floatEncoder`) as of Go 1.22+ (`\b` and `\f`
//!   short escapes).
//! * **Decoding** ([`unmarshal_any`], [`unmarshal_map`], [`unmarshal_raw_map`],
//!   [`unmarshal_string`]): Go's `json.Unmarshal` into `any`, `map[string]any`,
//!   `map[string]json.RawMessage` and `string`, which ESO uses to merge and explode secret
//!   payloads. serde_json differs from Go in ways that change results, so Go's grammar is parsed
//!   here: numbers in `any` become float64 with correct rounding (serde_json's default float
//!   parsing may be one ulp off), invalid UTF-8 and lone surrogates in strings become U+FFFD
//!   instead of failing, nesting is checked against Go's 10000 levels (serde_json stops at 128),
//!   raw member text is kept byte for byte even when it is not UTF-8, duplicate keys keep the
//!   last value. One limit is ours: values are built only up to [`MAX_VALUE_DEPTH`] levels,
//!   because serde_json drops values recursively. Mirrors `scanner.go` (syntax and its error
//!   texts) and `decode.go` (`unquote`, `convertNumber`, type errors).
//! * **Float text** ([`format_float_f`], [`format_float_g`], [`format_float_json`]): Go's
//!   `strconv.FormatFloat` with precision -1 (shortest round-trip digits) in `f` and `g` formats,
//!   and the JSON encoder's choice between them.
//!
//! Error texts are Go's, except that Go quotes the offending character (`invalid character 'x'
//! looking for beginning of value`) and the number text of an out-of-range number; those are
//! bytes of a secret value, so they are left out and the byte offset is given instead.
//!
//! Must not: put any byte of the decoded input in an error, recurse on input nesting (the parser
//! keeps its own stack), or panic on any input.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

/// Go's `maxNestingDepth` for `encoding/json`.
const MAX_DEPTH: usize = 10_000;

/// Deepest nesting turned into a `serde_json::Value`. serde_json drops, clones and compares values
/// recursively, and a value nested thousands of levels deep overflows a 2 MiB thread stack; Go
/// has no such limit below its 10000, so deeper documents are refused with
/// [`Error::NestingUnsupported`] (syntax is still checked up to Go's limit first).
pub const MAX_VALUE_DEPTH: usize = 512;

/// A `json.Unmarshal` failure, with Go's wording minus any input bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Go's `SyntaxError` for a byte the grammar does not allow at that point. `context` is Go's
    /// phrase (`looking for beginning of value`); `offset` is the 0-based index of that byte.
    #[error("invalid character {context} at input byte {offset}")]
    InvalidCharacter {
        /// Go's phrase for where the byte was found.
        context: &'static str,
        /// 0-based index of the byte.
        offset: usize,
    },
    /// Go's `SyntaxError` when the input stops inside a value.
    #[error("unexpected end of JSON input")]
    UnexpectedEnd,
    /// Go's `SyntaxError` when the input stops where Go's end-of-input check (which feeds the
    /// scanner one space) finds the space itself invalid, e.g. after `tru` or `1.`. The space is
    /// Go's, not the input's, so the message is Go's verbatim.
    #[error("invalid character ' ' {context}")]
    EndInside {
        /// Go's phrase for where the input ended.
        context: &'static str,
    },
    /// Go's `SyntaxError` for nesting beyond 10000 levels.
    #[error("exceeded max depth")]
    TooDeep,
    /// Valid for Go, but nested deeper than [`MAX_VALUE_DEPTH`], which eso-render does not build.
    #[error("JSON nested deeper than {0} levels is not supported")]
    NestingUnsupported(usize),
    /// Go's `UnmarshalTypeError`: `what` is Go's JSON kind (`array`, `string`, `number`, `bool`)
    /// and `target` Go's type name.
    #[error("json: cannot unmarshal {what} into Go value of type {target}")]
    Type {
        /// Go's word for the JSON kind found.
        what: &'static str,
        /// Go's name of the type it should have filled.
        target: &'static str,
    },
}

/// Go's name for `map[string]any`, as printed in its type errors.
const MAP_ANY: &str = "map[string]interface {}";
/// Go's name for `map[string]json.RawMessage`.
const MAP_RAW: &str = "map[string]json.RawMessage";

// ---------------------------------------------------------------------------------------------
// Float formatting

/// Shortest decimal digits that round-trip to `f` (finite, sign ignored), and the position of the
/// decimal point relative to them (`digits = "15", point = 1` is 1.5). Zero is `"0"`, point 1.
fn shortest_digits(f: f64) -> (Vec<u8>, i32) {
    // Rust's `{:e}` prints the shortest round-trip digits (the same digits Go's Ryū-based
    // shortest mode picks) as `d.ddde±x`; only the layout is redone here.
    let text = format!("{:e}", f.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    prefer_even_on_tie(f.abs(), &mut digits, exponent);
    (digits, exponent + 1)
}

/// When `f` lies exactly halfway between two shortest candidates, Go's shortest formatting
/// rounds the last digit half to even, while Rust's picks the upper one
/// (`1958182951947437.25` prints `…437.2` in Go). Rust's pick is replaced by the even lower
/// candidate when the tie is exact and that candidate still round-trips.
fn prefer_even_on_tie(f: f64, digits: &mut Vec<u8>, exponent: i32) {
    let Some(&last) = digits.last() else { return };
    if (last - b'0').is_multiple_of(2) {
        return;
    }
    // A double's exact decimal expansion has at most 767 significant digits.
    let exact = format!("{f:.800e}");
    let exact_digits: Vec<u8> = exact
        .split('e')
        .next()
        .unwrap_or_default()
        .bytes()
        .filter(u8::is_ascii_digit)
        .collect();
    let n = digits.len();
    let mut lower = digits.clone();
    lower[n - 1] = last - 1;
    let tie = exact_digits.len() > n
        && exact_digits[..n] == lower[..]
        && exact_digits[n] == b'5'
        && exact_digits[n + 1..].iter().all(|&d| d == b'0');
    if !tie {
        return;
    }
    let text = format!(
        "{}e{}",
        String::from_utf8_lossy(&lower),
        exponent - (n as i32 - 1)
    );
    if text.parse::<f64>() == Ok(f) {
        while lower.len() > 1 && lower.last() == Some(&b'0') {
            lower.pop();
        }
        *digits = lower;
    }
}

/// Special values as Go prints them; `None` for finite numbers.
fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".to_owned())
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned())
    } else {
        None
    }
}

/// Go's `fmtF`: digits laid out without exponent, `frac` digits after the point.
fn layout_f(negative: bool, digits: &[u8], point: i32, frac: i32) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if point > 0 {
        for i in 0..point {
            out.push(char::from(*digits.get(i as usize).unwrap_or(&b'0')));
        }
    } else {
        out.push('0');
    }
    if frac > 0 {
        out.push('.');
        for i in 0..frac {
            let j = point + i;
            let d = if j >= 0 {
                digits.get(j as usize).copied().unwrap_or(b'0')
            } else {
                b'0'
            };
            out.push(char::from(d));
        }
    }
    out
}

/// Go's `fmtE` with all digits kept: `d.ddde±xx`, at least two exponent digits.
fn layout_e(negative: bool, digits: &[u8], point: i32) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push(char::from(digits[0]));
    if digits.len() > 1 {
        out.push('.');
        out.extend(digits[1..].iter().map(|&d| char::from(d)));
    }
    let exp = if digits == b"0" { 0 } else { point - 1 };
    let _ = write!(
        out,
        "e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.unsigned_abs()
    );
    out
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest digits, never an exponent
/// (`1e21` prints as `1000000000000000000000`, `1e-7` as `0.0000001`).
pub fn format_float_f(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (digits, point) = shortest_digits(f);
    let frac = (digits.len() as i32 - point).max(0);
    layout_f(f.is_sign_negative(), &digits, point, frac)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`: shortest digits, exponent form when the decimal
/// exponent is below -4 or at least 6 (`1e+06`, `1.234567e+06`, `1e-05`, `999999`, `0.0001`).
/// Go's `fmt` `%v` and text/template print floats this way.
pub fn format_float_g(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (digits, point) = shortest_digits(f);
    let exp = point - 1;
    // With shortest precision Go fixes the exponent threshold at 6 (`eprec = 6` in ftoa.go).
    if !(-4..6).contains(&exp) {
        layout_e(f.is_sign_negative(), &digits, point)
    } else {
        let frac = (digits.len() as i32 - point).max(0);
        layout_f(f.is_sign_negative(), &digits, point, frac)
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`: like [`format_float_g`] with the shortest digits
/// that round-trip through a float32. `sigs.k8s.io/yaml` formats YAML floats this way when it
/// converts them to a string field (`3.14159265358979` becomes `3.1415927`).
pub fn format_float_g32(f: f64) -> String {
    // Go converts to float32 first (rounding to nearest), then formats those bits.
    let narrow = f as f32;
    if let Some(s) = special(f64::from(narrow)) {
        return s;
    }
    let text = format!("{:e}", narrow.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let point = exponent.parse::<i32>().unwrap_or(0) + 1;
    let exp = point - 1;
    if !(-4..6).contains(&exp) {
        layout_e(narrow.is_sign_negative(), &digits, point)
    } else {
        let frac = (digits.len() as i32 - point).max(0);
        layout_f(narrow.is_sign_negative(), &digits, point, frac)
    }
}

/// How Go's JSON encoder prints a float64: `f` format when `1e-6 <= |f| < 1e21` (or zero), else
/// `e` format with a one-digit negative exponent shortened (`1e-7`, `1e+21`).
///
/// Returns `None` for NaN and infinities, which Go refuses to encode.
pub fn format_float_json(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let (digits, point) = shortest_digits(f);
        let mut s = layout_e(f.is_sign_negative(), &digits, point);
        // Go's cleanup: `e-07` becomes `e-7`; positive exponents keep two digits.
        let n = s.len();
        if n >= 4 && &s[n - 4..n - 1] == "e-0" {
            s.remove(n - 2);
        }
        return Some(s);
    }
    Some(format_float_f(f))
}

// ---------------------------------------------------------------------------------------------
// Encoding

/// Go's JSON text of `v`: compact, object keys sorted byte-wise, Go's string escapes.
///
/// `html_escape` chooses between `json.Marshal` (true: `<`, `>`, `&` become `\u003c`, `\u003e`,
/// `\u0026`) and an `Encoder` with `SetEscapeHTML(false)` such as ESO's `esutils.JSONMarshal`.
/// U+2028 and U+2029 are escaped either way, as Go does. Integer numbers print as integers;
/// float numbers as Go prints float64 ([`format_float_json`]).
pub fn marshal(v: &Value, html_escape: bool) -> String {
    let mut out = String::new();
    // An explicit stack keeps deep values from exhausting the call stack.
    enum Item<'a> {
        Value(&'a Value),
        Text(&'static str),
        Key(&'a str),
    }
    let mut stack = vec![Item::Value(v)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Text(t) => out.push_str(t),
            Item::Key(k) => {
                write_string(&mut out, k, html_escape);
                out.push(':');
            }
            Item::Value(v) => match v {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => write_number(&mut out, n),
                Value::String(s) => write_string(&mut out, s, html_escape),
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Item::Text("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push(Item::Value(item));
                        if i > 0 {
                            stack.push(Item::Text(","));
                        }
                    }
                }
                Value::Object(map) => {
                    out.push('{');
                    stack.push(Item::Text("}"));
                    let mut members: Vec<(&String, &Value)> = map.iter().collect();
                    members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                    for (i, (k, v)) in members.into_iter().enumerate().rev() {
                        stack.push(Item::Value(v));
                        stack.push(Item::Key(k));
                        if i > 0 {
                            stack.push(Item::Text(","));
                        }
                    }
                }
            },
        }
    }
    out
}

fn write_number(out: &mut String, n: &Number) {
    if let Some(i) = n.as_u64() {
        let _ = write!(out, "{i}");
    } else if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(s) = n.as_f64().and_then(format_float_json) {
        out.push_str(&s);
    } else {
        // serde_json numbers are always finite; `null` is what serde_json itself would print.
        out.push_str("null");
    }
}

/// Go's `appendString`: quotes `s`, escaping `"`, `\`, control characters (`\b \f \n \r \t`
/// by name, others as `\u00xx`), U+2028/U+2029 and, if asked, `<`, `>`, `&`.
pub fn write_string(out: &mut String, s: &str, html_escape: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html_escape => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Decoding: Go's scanner (syntax check over the whole input, as `checkValid` does first)

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// Checks `input` against Go's JSON grammar and limits, reporting the first error as Go's
/// scanner would (minus the offending character).
fn validate(input: &[u8]) -> Result<(), Error> {
    // Open containers: true for an object.
    let mut stack: Vec<bool> = Vec::new();
    let mut i = skip_space(input, 0);
    // What the scanner expects next inside the innermost container.
    #[derive(Clone, Copy)]
    enum Expect {
        Value,
        ValueOrClose,
        Key,
        KeyOrClose,
        AfterValue,
    }
    let mut expect = Expect::Value;
    let bad = |context: &'static str, offset: usize| Error::InvalidCharacter { context, offset };
    loop {
        i = skip_space(input, i);
        let Some(&c) = input.get(i) else {
            return if stack.is_empty() && matches!(expect, Expect::AfterValue) {
                Ok(())
            } else {
                Err(Error::UnexpectedEnd)
            };
        };
        match expect {
            Expect::Value | Expect::ValueOrClose => {
                if c == b']' && matches!(expect, Expect::ValueOrClose) {
                    stack.pop();
                    i += 1;
                    expect = Expect::AfterValue;
                    continue;
                }
                match c {
                    b'{' | b'[' => {
                        if stack.len() >= MAX_DEPTH {
                            return Err(Error::TooDeep);
                        }
                        stack.push(c == b'{');
                        i += 1;
                        expect = if c == b'{' {
                            Expect::KeyOrClose
                        } else {
                            Expect::ValueOrClose
                        };
                        continue;
                    }
                    b'"' => i = scan_string(input, i)?,
                    b'-' | b'0'..=b'9' => i = scan_number(input, i)?,
                    b't' => i = scan_literal(input, i, b"true", LITERAL_TRUE)?,
                    b'f' => i = scan_literal(input, i, b"false", LITERAL_FALSE)?,
                    b'n' => i = scan_literal(input, i, b"null", LITERAL_NULL)?,
                    _ => return Err(bad("looking for beginning of value", i)),
                }
                expect = Expect::AfterValue;
            }
            Expect::Key | Expect::KeyOrClose => {
                if c == b'}' && matches!(expect, Expect::KeyOrClose) {
                    stack.pop();
                    i += 1;
                    expect = Expect::AfterValue;
                    continue;
                }
                if c != b'"' {
                    return Err(bad("looking for beginning of object key string", i));
                }
                i = scan_string(input, i)?;
                i = skip_space(input, i);
                match input.get(i) {
                    None => return Err(Error::UnexpectedEnd),
                    Some(b':') => {}
                    Some(_) => return Err(bad("after object key", i)),
                }
                i += 1;
                expect = Expect::Value;
            }
            Expect::AfterValue => match stack.last() {
                None => return Err(bad("after top-level value", i)),
                Some(&true) => {
                    match c {
                        b',' => expect = Expect::Key,
                        b'}' => {
                            stack.pop();
                        }
                        _ => return Err(bad("after object key:value pair", i)),
                    }
                    i += 1;
                }
                Some(&false) => {
                    match c {
                        b',' => expect = Expect::Value,
                        b']' => {
                            stack.pop();
                        }
                        _ => return Err(bad("after array element", i)),
                    }
                    i += 1;
                }
            },
        }
    }
}

fn skip_space(input: &[u8], mut i: usize) -> usize {
    while input.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    i
}

const LITERAL_TRUE: [&str; 3] = [
    "in literal true (expecting 'r')",
    "in literal true (expecting 'u')",
    "in literal true (expecting 'e')",
];
const LITERAL_FALSE: [&str; 4] = [
    "in literal false (expecting 'a')",
    "in literal false (expecting 'l')",
    "in literal false (expecting 's')",
    "in literal false (expecting 'e')",
];
const LITERAL_NULL: [&str; 3] = [
    "in literal null (expecting 'u')",
    "in literal null (expecting 'l')",
    "in literal null (expecting 'l')",
];

/// Scans `true`/`false`/`null` starting at `i`; returns the index after it.
fn scan_literal(
    input: &[u8],
    i: usize,
    word: &[u8],
    contexts: impl AsRef<[&'static str]>,
) -> Result<usize, Error> {
    for (k, &expected) in word.iter().enumerate().skip(1) {
        match input.get(i + k) {
            None => {
                return Err(Error::EndInside {
                    context: contexts.as_ref()[k - 1],
                });
            }
            Some(&c) if c == expected => {}
            Some(_) => {
                return Err(Error::InvalidCharacter {
                    context: contexts.as_ref()[k - 1],
                    offset: i + k,
                });
            }
        }
    }
    Ok(i + word.len())
}

/// Scans a string starting at the `"` at `i`; returns the index after the closing quote.
fn scan_string(input: &[u8], i: usize) -> Result<usize, Error> {
    let mut j = i + 1;
    loop {
        let Some(&c) = input.get(j) else {
            return Err(Error::UnexpectedEnd);
        };
        match c {
            b'"' => return Ok(j + 1),
            b'\\' => {
                let Some(&e) = input.get(j + 1) else {
                    return Err(Error::EndInside {
                        context: "in string escape code",
                    });
                };
                match e {
                    b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => j += 2,
                    b'u' => {
                        for k in 0..4 {
                            match input.get(j + 2 + k) {
                                None => {
                                    return Err(Error::EndInside {
                                        context: "in \\u hexadecimal character escape",
                                    });
                                }
                                Some(h) if h.is_ascii_hexdigit() => {}
                                Some(_) => {
                                    return Err(Error::InvalidCharacter {
                                        context: "in \\u hexadecimal character escape",
                                        offset: j + 2 + k,
                                    });
                                }
                            }
                        }
                        j += 6;
                    }
                    _ => {
                        return Err(Error::InvalidCharacter {
                            context: "in string escape code",
                            offset: j + 1,
                        });
                    }
                }
            }
            c if c < 0x20 => {
                return Err(Error::InvalidCharacter {
                    context: "in string literal",
                    offset: j,
                });
            }
            // Any other byte, including bytes that are not UTF-8, is accepted like Go does.
            _ => j += 1,
        }
    }
}

/// Scans a number starting at `i` (Go's `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`);
/// returns the index after it. What follows is checked by the caller, as in Go's scanner.
fn scan_number(input: &[u8], i: usize) -> Result<usize, Error> {
    let at = |j: usize| input.get(j).copied();
    let digits_from = |mut j: usize| {
        while at(j).is_some_and(|c| c.is_ascii_digit()) {
            j += 1;
        }
        j
    };
    let mut j = i;
    if at(j) == Some(b'-') {
        j += 1;
    }
    match at(j) {
        Some(b'0') => j += 1,
        Some(b'1'..=b'9') => j = digits_from(j + 1),
        None => {
            return Err(Error::EndInside {
                context: "in numeric literal",
            });
        }
        Some(_) => {
            return Err(Error::InvalidCharacter {
                context: "in numeric literal",
                offset: j,
            });
        }
    }
    if at(j) == Some(b'.') {
        j += 1;
        match at(j) {
            Some(c) if c.is_ascii_digit() => j = digits_from(j),
            None => {
                return Err(Error::EndInside {
                    context: "after decimal point in numeric literal",
                });
            }
            Some(_) => {
                return Err(Error::InvalidCharacter {
                    context: "after decimal point in numeric literal",
                    offset: j,
                });
            }
        }
    }
    if matches!(at(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(at(j), Some(b'+' | b'-')) {
            j += 1;
        }
        match at(j) {
            Some(c) if c.is_ascii_digit() => j = digits_from(j),
            None => {
                return Err(Error::EndInside {
                    context: "in exponent of numeric literal",
                });
            }
            Some(_) => {
                return Err(Error::InvalidCharacter {
                    context: "in exponent of numeric literal",
                    offset: j,
                });
            }
        }
    }
    Ok(j)
}

// ---------------------------------------------------------------------------------------------
// Decoding: building values from input already validated

/// End index of the value starting at `i` in validated input.
fn value_end(input: &[u8], i: usize) -> usize {
    match input[i] {
        b'"' => string_end(input, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < input.len() {
                match input[j] {
                    b'"' => {
                        j = string_end(input, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => {
            let mut j = i;
            while j < input.len() && !matches!(input[j], b',' | b']' | b'}') && !is_space(input[j])
            {
                j += 1;
            }
            j
        }
    }
}

/// End index of the string starting at the `"` at `i` in validated input.
fn string_end(input: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < input.len() {
        match input[j] {
            b'"' => return j + 1,
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    j
}

/// Go's `unquote` on a validated string literal (quotes included): escapes resolved, surrogate
/// pairs joined, lone surrogates and invalid UTF-8 bytes replaced by U+FFFD one byte at a time.
fn unquote(lit: &[u8]) -> String {
    let body = &lit[1..lit.len().saturating_sub(1).max(1)];
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if c == b'\\' {
            let e = body.get(i + 1).copied().unwrap_or(b'\\');
            i += 2;
            match e {
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let first = hex4(body, i);
                    i += 4;
                    let Some(first) = first else {
                        out.push(char::REPLACEMENT_CHARACTER);
                        continue;
                    };
                    if (0xD800..0xE000).contains(&first) {
                        // Go joins a valid pair; otherwise only the first escape is replaced and
                        // the next one is decoded on its own.
                        if first < 0xDC00
                            && body.get(i) == Some(&b'\\')
                            && body.get(i + 1) == Some(&b'u')
                            && let Some(second) = hex4(body, i + 2)
                            && (0xDC00..0xE000).contains(&second)
                        {
                            let joined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                            out.push(char::from_u32(joined).unwrap_or(char::REPLACEMENT_CHARACTER));
                            i += 6;
                        } else {
                            out.push(char::REPLACEMENT_CHARACTER);
                        }
                    } else {
                        out.push(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                }
                other => out.push(char::from(other)),
            }
            continue;
        }
        // Copy the longest valid UTF-8 run, then replace one invalid byte, as Go's
        // `utf8.DecodeRune` reports every invalid sequence with width 1.
        let end = body[i..]
            .iter()
            .position(|&b| b == b'\\')
            .map_or(body.len(), |p| i + p);
        let (valid, rest) = match std::str::from_utf8(&body[i..end]) {
            Ok(s) => (s, false),
            Err(e) => (
                std::str::from_utf8(&body[i..i + e.valid_up_to()]).unwrap_or_default(),
                true,
            ),
        };
        out.push_str(valid);
        i += valid.len();
        if rest {
            out.push(char::REPLACEMENT_CHARACTER);
            i += 1;
        }
    }
    out
}

fn hex4(body: &[u8], i: usize) -> Option<u32> {
    let digits = body.get(i..i + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    u32::from_str_radix(text, 16).ok()
}

/// Builds Go's `any` for the validated value at `i`: objects, arrays, strings, bools, nil, and
/// float64 for every number. Out-of-range numbers are Go type errors; like Go, the first one is
/// reported after the whole value was walked.
fn build_any(input: &[u8], i: usize) -> Result<Value, Error> {
    enum Frame {
        Array(Vec<Value>),
        Object(Map<String, Value>, String),
    }
    let mut type_error = None;
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = skip_space(input, i);
    loop {
        // Parse one value start (containers push a frame and continue).
        if matches!(input[i], b'{' | b'[') && stack.len() >= MAX_VALUE_DEPTH {
            return Err(Error::NestingUnsupported(MAX_VALUE_DEPTH));
        }
        let mut value = match input[i] {
            b'{' => {
                i = skip_space(input, i + 1);
                if input[i] == b'}' {
                    i += 1;
                    Value::Object(Map::new())
                } else {
                    let end = string_end(input, i);
                    let key = unquote(&input[i..end]);
                    i = skip_space(input, end) + 1;
                    i = skip_space(input, i);
                    stack.push(Frame::Object(Map::new(), key));
                    continue;
                }
            }
            b'[' => {
                i = skip_space(input, i + 1);
                if input[i] == b']' {
                    i += 1;
                    Value::Array(Vec::new())
                } else {
                    stack.push(Frame::Array(Vec::new()));
                    continue;
                }
            }
            b'"' => {
                let end = string_end(input, i);
                let s = unquote(&input[i..end]);
                i = end;
                Value::String(s)
            }
            b't' => {
                i += 4;
                Value::Bool(true)
            }
            b'f' => {
                i += 5;
                Value::Bool(false)
            }
            b'n' => {
                i += 4;
                Value::Null
            }
            _ => {
                let end = value_end(input, i);
                let text = std::str::from_utf8(&input[i..end]).unwrap_or("0");
                i = end;
                match text.parse::<f64>().ok().and_then(Number::from_f64) {
                    Some(n) => Value::Number(n),
                    None => {
                        type_error.get_or_insert(Error::Type {
                            what: "number",
                            target: "float64",
                        });
                        Value::Null
                    }
                }
            }
        };
        // Attach the finished value to its parent, closing as many containers as end here.
        loop {
            i = skip_space(input, i);
            let Some(frame) = stack.last_mut() else {
                return match type_error {
                    Some(e) => Err(e),
                    None => Ok(value),
                };
            };
            let sep = input[i];
            i += 1;
            match frame {
                Frame::Array(items) => {
                    items.push(value);
                    if sep == b',' {
                        i = skip_space(input, i);
                        break;
                    }
                }
                Frame::Object(map, key) => {
                    map.insert(std::mem::take(key), value);
                    if sep == b',' {
                        i = skip_space(input, i);
                        let end = string_end(input, i);
                        *key = unquote(&input[i..end]);
                        i = skip_space(input, skip_space(input, end) + 1);
                        break;
                    }
                }
            }
            value = match stack.pop() {
                Some(Frame::Array(items)) => Value::Array(items),
                Some(Frame::Object(map, _)) => Value::Object(map),
                None => Value::Null,
            };
        }
    }
}

/// Go's kind word for the value starting with `c`, as used in its type errors.
fn kind_word(c: u8) -> &'static str {
    match c {
        b'[' => "array",
        b'"' => "string",
        b't' | b'f' => "bool",
        _ => "number",
    }
}

/// Go's `json.Unmarshal(input, &m)` with `m map[string]any`.
///
/// `Ok(None)` is Go's nil map for a top-level `null`; every number inside is a float64
/// (serde `f64`).
///
/// # Errors
/// Syntax errors, numbers beyond float64, and a top level that is not an object or null
/// (`json: cannot unmarshal array into Go value of type map[string]interface {}`).
pub fn unmarshal_map(input: &[u8]) -> Result<Option<Map<String, Value>>, Error> {
    validate(input)?;
    let start = skip_space(input, 0);
    match input[start] {
        b'n' => Ok(None),
        b'{' => match build_any(input, start)? {
            Value::Object(map) => Ok(Some(map)),
            _ => Ok(Some(Map::new())),
        },
        c => Err(Error::Type {
            what: kind_word(c),
            target: MAP_ANY,
        }),
    }
}

/// Go's `json.Unmarshal(input, &v)` with `v any`: the whole value, numbers as float64.
///
/// # Errors
/// Syntax errors and numbers beyond float64.
pub fn unmarshal_any(input: &[u8]) -> Result<Value, Error> {
    validate(input)?;
    build_any(input, skip_space(input, 0))
}

/// Go's `json.Unmarshal(input, &m)` with `m map[string]json.RawMessage`: each member's text
/// exactly as written (no surrounding whitespace, inner whitespace kept, bytes kept even when
/// they are not UTF-8); later duplicates replace earlier ones. A top-level `null` gives an empty
/// map, as Go leaves the map nil.
///
/// # Errors
/// Syntax errors, and a top level that is not an object or null.
pub fn unmarshal_raw_map(input: &[u8]) -> Result<BTreeMap<String, &[u8]>, Error> {
    validate(input)?;
    let mut out = BTreeMap::new();
    let mut i = skip_space(input, 0);
    match input[i] {
        b'n' => return Ok(out),
        b'{' => {}
        c => {
            return Err(Error::Type {
                what: kind_word(c),
                target: MAP_RAW,
            });
        }
    }
    i = skip_space(input, i + 1);
    while input[i] != b'}' {
        let key_end = string_end(input, i);
        let key = unquote(&input[i..key_end]);
        let value_start = skip_space(input, skip_space(input, key_end) + 1);
        let value_stop = value_end(input, value_start);
        out.insert(key, &input[value_start..value_stop]);
        i = skip_space(input, value_stop);
        if input[i] == b',' {
            i = skip_space(input, i + 1);
        }
    }
    Ok(out)
}

/// Go's `json.Marshal` of what a decoder with `UseNumber` made of `input` (how Vault's Go client
/// decodes responses): compact, object keys sorted byte-wise with later duplicates winning,
/// strings re-escaped (`html_escape` as in [`marshal`]), and every number kept as its original
/// text (`1.50` stays `1.50`, big integers keep every digit).
///
/// # Errors
/// Syntax errors, and nesting deeper than [`MAX_VALUE_DEPTH`].
pub fn marshal_use_number(input: &[u8], html_escape: bool) -> Result<String, Error> {
    validate(input)?;
    let mut out = String::with_capacity(input.len());
    remarshal(input, skip_space(input, 0), html_escape, 0, &mut out)?;
    Ok(out)
}

/// Writes the validated value at `i` as [`marshal_use_number`] does.
fn remarshal(
    input: &[u8],
    i: usize,
    html_escape: bool,
    depth: usize,
    out: &mut String,
) -> Result<(), Error> {
    if depth > MAX_VALUE_DEPTH {
        return Err(Error::NestingUnsupported(MAX_VALUE_DEPTH));
    }
    match input[i] {
        b'{' => {
            let mut members = BTreeMap::new();
            let mut j = skip_space(input, i + 1);
            while input[j] != b'}' {
                let key_end = string_end(input, j);
                let key = unquote(&input[j..key_end]);
                let value = skip_space(input, skip_space(input, key_end) + 1);
                members.insert(key, value);
                j = skip_space(input, value_end(input, value));
                if input[j] == b',' {
                    j = skip_space(input, j + 1);
                }
            }
            out.push('{');
            for (n, (key, value)) in members.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_string(out, &key, html_escape);
                out.push(':');
                remarshal(input, value, html_escape, depth + 1, out)?;
            }
            out.push('}');
        }
        b'[' => {
            out.push('[');
            let mut j = skip_space(input, i + 1);
            let mut first = true;
            while input[j] != b']' {
                if !first {
                    out.push(',');
                }
                first = false;
                remarshal(input, j, html_escape, depth + 1, out)?;
                j = skip_space(input, value_end(input, j));
                if input[j] == b',' {
                    j = skip_space(input, j + 1);
                }
            }
            out.push(']');
        }
        b'"' => write_string(out, &unquote(&input[i..string_end(input, i)]), html_escape),
        // Numbers and literals are ASCII once validated.
        _ => out.push_str(&String::from_utf8_lossy(&input[i..value_end(input, i)])),
    }
    Ok(())
}

/// Go's `json.Unmarshal(raw, &s)` with `s string`, for one already-validated value: the
/// unquoted text for a JSON string, `Some("")` for `null` (Go leaves the string untouched),
/// `None` for any other kind (Go's type error).
pub fn unmarshal_string(raw: &[u8]) -> Option<String> {
    match raw.first() {
        Some(b'"') if validate(raw).is_ok() => Some(unquote(raw)),
        Some(b'n') if raw == b"null" => Some(String::new()),
        _ => None,
    }
}

/// Go's conversion of bytes to text where each invalid UTF-8 byte becomes one U+FFFD, as
/// `encoding/json` does when it encodes a Go string holding such bytes (Rust's
/// `from_utf8_lossy` replaces a whole invalid sequence with a single U+FFFD instead).
pub fn go_lossy_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (valid, tail) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                rest = &tail[1..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_float_f_matches_go() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (123.45, "123.45"),
            (1e21, "1000000000000000000000"),
            (1e-7, "0.0000001"),
            (123456789012.0, "123456789012"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-2.5, "-2.5"),
            (9007199254740993.0, "9007199254740992"),
            // Exact ties between two shortest candidates round half to even, as in Go.
            (-1958182951947437.2, "-1958182951947437.2"),
            (571776743331273.2, "571776743331273.2"),
            (87104130914337.12, "87104130914337.12"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float_f(*f), *want, "{f:e}");
        }
        assert_eq!(
            format_float_f(f64::MAX),
            format!("17976931348623157{}", "0".repeat(292))
        );
        assert_eq!(format_float_f(5e-324), format!("0.{}5", "0".repeat(323)));
    }

    #[test]
    fn format_float_g_matches_go() {
        let cases: &[(f64, &str)] = &[
            (8080.0, "8080"),
            (999999.0, "999999"),
            (1000000.0, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (12345678.0, "1.2345678e+07"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.5, "0.5"),
            (100000.0, "100000"),
            (123456789012.0, "1.23456789012e+11"),
            (0.0, "0"),
            (-0.0, "-0"),
            (-1500000.0, "-1.5e+06"),
            (1e100, "1e+100"),
            (1.5e-300, "1.5e-300"),
            (0.000123, "0.000123"),
            (123456.7, "123456.7"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float_g(*f), *want, "{f:e}");
        }
    }

    #[test]
    fn format_float_json_matches_go() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (1e-10, "1e-10"),
            (1e100, "1e+100"),
            (123.0, "123"),
            (-1e-300, "-1e-300"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float_json(*f).as_deref(), Some(*want), "{f:e}");
        }
        assert_eq!(format_float_json(f64::NAN), None);
    }

    #[test]
    fn marshal_sorts_keys_and_escapes_like_go() {
        let v = json!({"b": 1, "a": [true, null, "x"], "B": {"z": 2.5, "y": "<&>"}});
        assert_eq!(
            marshal(&v, true),
            r#"{"B":{"y":"\u003c\u0026\u003e","z":2.5},"a":[true,null,"x"],"b":1}"#
        );
        assert_eq!(
            marshal(&v, false),
            r#"{"B":{"y":"<&>","z":2.5},"a":[true,null,"x"],"b":1}"#
        );
    }

    #[test]
    fn marshal_escapes_control_and_separators() {
        let v = json!("q\"b\\s\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}\u{2028}\u{2029}é😀");
        assert_eq!(
            marshal(&v, false),
            "\"q\\\"b\\\\s\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}\\u2028\\u2029é😀\""
        );
    }

    #[test]
    fn marshal_prints_floats_like_go() {
        let v = json!([1e21, 1e-7, 0.5, -0.0, 3, -4, 1e20]);
        assert_eq!(
            marshal(&v, true),
            "[1e+21,1e-7,0.5,-0,3,-4,100000000000000000000]"
        );
    }

    #[test]
    fn marshal_survives_deep_nesting() {
        let mut v = json!(1);
        for _ in 0..100_000 {
            v = Value::Array(vec![v]);
        }
        let out = marshal(&v, true);
        assert_eq!(out.len(), 200_001);
        // Drop iteratively so the test itself does not overflow the stack.
        let mut cur = v;
        while let Value::Array(mut items) = cur {
            cur = items.pop().unwrap_or(Value::Null);
        }
    }

    fn err(input: &str) -> String {
        unmarshal_any(input.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn syntax_errors_read_like_go_without_the_character() {
        assert_eq!(
            err("not-json"),
            "invalid character in literal null (expecting 'u') at input byte 1"
        );
        assert_eq!(
            err("-----------------"),
            "invalid character in numeric literal at input byte 1"
        );
        assert_eq!(
            err("x"),
            "invalid character looking for beginning of value at input byte 0"
        );
        assert_eq!(
            err(r#"{"a" 1}"#),
            "invalid character after object key at input byte 5"
        );
        assert_eq!(
            err(r#"{"a":1 "b"}"#),
            "invalid character after object key:value pair at input byte 7"
        );
        assert_eq!(
            err("[1 2]"),
            "invalid character after array element at input byte 3"
        );
        assert_eq!(
            err("{1:2}"),
            "invalid character looking for beginning of object key string at input byte 1"
        );
        assert_eq!(
            err("1 2"),
            "invalid character after top-level value at input byte 2"
        );
        assert_eq!(
            err("\"a\nb\""),
            "invalid character in string literal at input byte 2"
        );
        assert_eq!(
            err(r#""\x""#),
            "invalid character in string escape code at input byte 2"
        );
        assert_eq!(
            err(r#""\u12x4""#),
            "invalid character in \\u hexadecimal character escape at input byte 5"
        );
        assert_eq!(
            err("1.x"),
            "invalid character after decimal point in numeric literal at input byte 2"
        );
        assert_eq!(
            err("1ex"),
            "invalid character in exponent of numeric literal at input byte 2"
        );
        assert_eq!(
            err("01"),
            "invalid character after top-level value at input byte 1"
        );
        assert_eq!(err(""), "unexpected end of JSON input");
        assert_eq!(err("   "), "unexpected end of JSON input");
        assert_eq!(
            err(r#"{"username": "foz", "password": "baz""#),
            "unexpected end of JSON input"
        );
        assert_eq!(err("[1,"), "unexpected end of JSON input");
        assert_eq!(
            err("tru"),
            "invalid character ' ' in literal true (expecting 'e')"
        );
        assert_eq!(
            err("1."),
            "invalid character ' ' after decimal point in numeric literal"
        );
        assert_eq!(err("-"), "invalid character ' ' in numeric literal");
        assert_eq!(
            err("1e+"),
            "invalid character ' ' in exponent of numeric literal"
        );
        assert_eq!(err("\"\\"), "invalid character ' ' in string escape code");
        assert_eq!(
            err("\"\\u1"),
            "invalid character ' ' in \\u hexadecimal character escape"
        );
        assert_eq!(err("\"abc"), "unexpected end of JSON input");
        assert_eq!(
            err("[1,]"),
            "invalid character looking for beginning of value at input byte 3"
        );
        assert_eq!(
            err("\u{feff}{}"),
            "invalid character looking for beginning of value at input byte 0"
        );
    }

    #[test]
    fn syntax_errors_never_contain_input_bytes() {
        let e = err("{\"k\": secretvalue}");
        assert!(!e.contains('s') || !e.contains("secret"), "{e}");
        assert!(!e.contains("'s'"), "{e}");
    }

    #[test]
    fn depth_limit_is_gos() {
        let ok = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(validate(ok.as_bytes()).is_ok());
        let deep = "[".repeat(10_001) + &"]".repeat(10_001);
        assert_eq!(validate(deep.as_bytes()), Err(Error::TooDeep));
    }

    #[test]
    fn values_deeper_than_the_build_limit_are_refused() {
        let ok = "[".repeat(MAX_VALUE_DEPTH) + &"]".repeat(MAX_VALUE_DEPTH);
        assert!(unmarshal_any(ok.as_bytes()).is_ok());
        let deep = "[".repeat(MAX_VALUE_DEPTH + 1) + &"]".repeat(MAX_VALUE_DEPTH + 1);
        assert_eq!(
            unmarshal_any(deep.as_bytes()),
            Err(Error::NestingUnsupported(MAX_VALUE_DEPTH))
        );
        let deep = format!("{{\"a\":{deep}}}");
        assert!(unmarshal_map(deep.as_bytes()).is_err());
        // The raw map never builds values, so it keeps Go's limit.
        assert!(unmarshal_raw_map(deep.as_bytes()).is_ok());
    }

    #[test]
    fn any_numbers_are_float64() {
        let v = unmarshal_any(br#"{"a": 123, "b": 1.50, "c": -0, "d": 1e400}"#);
        assert_eq!(
            v.unwrap_err().to_string(),
            "json: cannot unmarshal number into Go value of type float64"
        );
        let v =
            unmarshal_any(br#"{"a": 123, "b": 1.50, "c": 1e-400, "e": [1, {"x": 2}]}"#).unwrap();
        assert!(v["a"].is_f64());
        assert_eq!(v["a"].as_f64(), Some(123.0));
        assert_eq!(v["b"].as_f64(), Some(1.5));
        assert_eq!(v["c"].as_f64(), Some(0.0));
        assert_eq!(v["e"][1]["x"].as_f64(), Some(2.0));
    }

    #[test]
    fn floats_parse_with_correct_rounding() {
        // Go's ParseFloat rounds correctly; these decimals sit on rounding boundaries.
        for text in [
            "2.2250738585072011e-308",
            "0.1",
            "9007199254740993",
            "1.7976931348623157e308",
        ] {
            let v = unmarshal_any(text.as_bytes()).unwrap();
            assert_eq!(v.as_f64(), text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn strings_decode_like_go() {
        let v = unmarshal_any(
            br#"["\ud83d\ude00", "\ud800", "\ud800\u0041", "\udc00x", "\u00e9\/\b"]"#,
        )
        .unwrap();
        assert_eq!(v[0], "😀");
        assert_eq!(v[1], "\u{fffd}");
        assert_eq!(v[2], "\u{fffd}A");
        assert_eq!(v[3], "\u{fffd}x");
        assert_eq!(v[4], "é/\u{8}");
        // Invalid UTF-8: one replacement character per bad byte.
        let v = unmarshal_any(b"\"a\xe2\x82b\xff\"").unwrap();
        assert_eq!(v, "a\u{fffd}\u{fffd}b\u{fffd}");
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let m = unmarshal_map(br#"{"a": 1, "a": "two"}"#).unwrap().unwrap();
        assert_eq!(m["a"], "two");
        let raw = unmarshal_raw_map(br#"{"a": 1, "a": "two"}"#).unwrap();
        assert_eq!(raw["a"], br#""two""#);
    }

    #[test]
    fn unmarshal_map_kinds() {
        assert_eq!(unmarshal_map(b" null ").unwrap(), None);
        assert_eq!(unmarshal_map(b"{}").unwrap(), Some(Map::new()));
        assert_eq!(
            unmarshal_map(b"[1]").unwrap_err().to_string(),
            "json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
        assert_eq!(
            unmarshal_map(b"\"s\"").unwrap_err().to_string(),
            "json: cannot unmarshal string into Go value of type map[string]interface {}"
        );
        assert_eq!(
            unmarshal_map(b"12").unwrap_err().to_string(),
            "json: cannot unmarshal number into Go value of type map[string]interface {}"
        );
        assert_eq!(
            unmarshal_map(b"true").unwrap_err().to_string(),
            "json: cannot unmarshal bool into Go value of type map[string]interface {}"
        );
    }

    #[test]
    fn raw_map_keeps_member_text() {
        let raw = unmarshal_raw_map(
            br#" { "port" : 3306, "ratio": 1.50, "x": null, "o": { "k" : 1 }, "s": "a\"b", "l": [ 1 , 2 ] } "#,
        )
        .unwrap();
        assert_eq!(raw["port"], b"3306");
        assert_eq!(raw["ratio"], b"1.50");
        assert_eq!(raw["x"], b"null");
        assert_eq!(raw["o"], br#"{ "k" : 1 }"#);
        assert_eq!(raw["s"], br#""a\"b""#);
        assert_eq!(raw["l"], b"[ 1 , 2 ]");
        assert!(unmarshal_raw_map(b"null").unwrap().is_empty());
        assert_eq!(
            unmarshal_raw_map(b"[]").unwrap_err().to_string(),
            "json: cannot unmarshal array into Go value of type map[string]json.RawMessage"
        );
    }

    #[test]
    fn raw_map_keeps_non_utf8_bytes() {
        let raw = unmarshal_raw_map(b"{\"k\xff\": {\"v\": \"\xfe\"}}").unwrap();
        assert_eq!(raw["k\u{fffd}"], b"{\"v\": \"\xfe\"}");
    }

    #[test]
    fn unmarshal_string_kinds() {
        assert_eq!(unmarshal_string(br#""a\nb""#).as_deref(), Some("a\nb"));
        assert_eq!(unmarshal_string(b"null").as_deref(), Some(""));
        assert_eq!(unmarshal_string(b"1"), None);
        assert_eq!(unmarshal_string(b"{}"), None);
        assert_eq!(unmarshal_string(b"true"), None);
    }

    #[test]
    fn lossy_replaces_each_bad_byte() {
        assert_eq!(go_lossy_string(b"a\xe2\x82b"), "a\u{fffd}\u{fffd}b");
        assert_eq!(go_lossy_string("é".as_bytes()), "é");
    }

    #[test]
    fn no_panic_on_truncated_or_odd_input() {
        let samples: &[&[u8]] = &[
            b"",
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b"\"\\",
            b"\"\\u",
            b"\"\\u12",
            b"-",
            b"-0.",
            b"1e",
            b"1e+",
            b"{\"a\"",
            b"{\"a\":",
            b"{\"a\":1,",
            b"[1,",
            b"nul",
            b"\xff",
            b"{\"\xff\":1}",
        ];
        for s in samples {
            let _ = unmarshal_any(s);
            let _ = unmarshal_map(s);
            let _ = unmarshal_raw_map(s);
            let _ = unmarshal_string(s);
        }
    }

    #[test]
    fn format_float_g32_uses_float32_shortest_digits() {
        assert_eq!(format_float_g32(std::f64::consts::PI), "3.1415927");
        assert_eq!(format_float_g32(0.1), "0.1");
        assert_eq!(format_float_g32(1000.0), "1000");
        assert_eq!(format_float_g32(1234567.0), "1.234567e+06");
        assert_eq!(format_float_g32(-2.5), "-2.5");
        assert_eq!(format_float_g32(1e-5), "1e-05");
    }
    #[test]
    fn marshal_use_number_keeps_number_text_and_sorts() {
        let m = |s: &str| marshal_use_number(s.as_bytes(), true).unwrap();
        assert_eq!(
            m(r#" { "b" : [1.50, 12345678901234567890, -0, 1e3], "a": "<&>", "a": "last" } "#),
            r#"{"a":"last","b":[1.50,12345678901234567890,-0,1e3]}"#
        );
        assert_eq!(
            m(r#"{"x":{"z":null,"y":true}}"#),
            r#"{"x":{"y":true,"z":null}}"#
        );
        assert_eq!(m(r#""\u003c""#), r#""\u003c""#);
        assert_eq!(
            marshal_use_number(br#"{"k":"<"}"#, false).unwrap(),
            r#"{"k":"<"}"#
        );
        assert!(marshal_use_number(b"{", true).is_err());
        let deep = "[".repeat(600) + &"]".repeat(600);
        assert_eq!(
            marshal_use_number(deep.as_bytes(), true),
            Err(Error::NestingUnsupported(MAX_VALUE_DEPTH))
        );
    }
}
