//! Go's `unicode.IsLetter`, `IsNumber`, `IsDigit`, `IsPrint`, and `strconv.Quote` built on them.
//!
//! ESO decides which key characters survive conversion and validation with `unicode.IsLetter` /
//! `unicode.IsNumber` (`runtime/esutils/utils.go`), and Go's regexp template expansion reads group
//! names with `IsLetter` / `IsDigit`; `%q` in ESO's messages quotes with `strconv.Quote`. These are Unicode general-category tests (`L`, `N`, `Nd`).
//! Rust's `char::is_alphabetic` is the wider *Alphabetic* property (it includes combining marks
//! and letter-like symbols such as Ⓐ), so it is not used; the categories come from the `regex`
//! crate's Unicode tables instead, which avoids another dependency.
//!
//! The tables are the `regex` crate's Unicode version, which may be newer than Go's; characters
//! assigned in between are the only possible difference.
//!
//! Must not: panic (the fixed patterns below are known to compile).

use std::sync::LazyLock;

use regex::Regex;

fn class(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a fixed Unicode category pattern compiles")
}

static LETTER: LazyLock<Regex> = LazyLock::new(|| class(r"\A\p{gc=L}\z"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| class(r"\A\p{gc=N}\z"));
static DIGIT: LazyLock<Regex> = LazyLock::new(|| class(r"\A\p{gc=Nd}\z"));
static PRINT: LazyLock<Regex> =
    LazyLock::new(|| class(r"\A[\p{gc=L}\p{gc=M}\p{gc=N}\p{gc=P}\p{gc=S}]\z"));

fn matches(re: &Regex, c: char) -> bool {
    let mut buf = [0u8; 4];
    re.is_match(c.encode_utf8(&mut buf))
}

/// Go `unicode.IsLetter`: general category L (Lu, Ll, Lt, Lm, Lo).
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches(&LETTER, c)
}

/// Go `unicode.IsNumber`: general category N (Nd, Nl, No).
pub fn is_number(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    matches(&NUMBER, c)
}

/// Go `unicode.IsDigit`: general category Nd.
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    matches(&DIGIT, c)
}

/// Go `unicode.IsPrint` / `strconv.IsPrint`: categories L, M, N, P, S and the ASCII space.
pub fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    matches(&PRINT, c)
}

/// Go `strconv.Quote`: double-quoted, `"` and `\` escaped, non-printable characters as `\a \b
/// \f \n \r \t \v`, `\xNN` (other ASCII controls and DEL), `\uNNNN` or `\UNNNNNNNN`. This is
/// what Go's `%q` prints for a string.
pub fn quote(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if u32::from(c) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08x}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.ToUpper`: one character to one character.
pub fn to_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower`: one character to one character (`İ` becomes `i`).
pub fn to_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToTitle`: the upper-case mapping except for the Latin digraphs, which have
/// their own title-case forms, and Georgian Mkhedruli, which has none.
pub fn to_title(c: char) -> char {
    match c {
        '\u{1c4}'..='\u{1c6}' => '\u{1c5}',
        '\u{1c7}'..='\u{1c9}' => '\u{1c8}',
        '\u{1ca}'..='\u{1cc}' => '\u{1cb}',
        '\u{1f1}'..='\u{1f3}' => '\u{1f2}',
        '\u{10d0}'..='\u{10fa}' | '\u{10fd}'..='\u{10ff}' => c,
        _ => to_upper(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_category_l_only() {
        for c in ['a', 'Z', 'é', 'ß', 'Ω', 'ж', '中', 'ǅ', 'ʰ'] {
            assert!(is_letter(c), "{c}");
        }
        // Alphabetic in Rust but not letters in Go: a combining mark, a circled letter, a
        // letter number.
        for c in ['\u{345}', 'Ⓐ', 'Ⅻ', '1', '_', '-', '😀', ' '] {
            assert!(!is_letter(c), "{c:?}");
        }
        assert!('\u{345}'.is_alphabetic() && 'Ⓐ'.is_alphabetic());
    }

    #[test]
    fn numbers_are_category_n() {
        for c in ['0', '9', '٣', 'Ⅻ', '½', '²'] {
            assert!(is_number(c), "{c}");
        }
        for c in ['a', '.', '_'] {
            assert!(!is_number(c), "{c}");
        }
    }

    #[test]
    fn quote_matches_go_percent_q() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("é😀 x"), "\"é😀 x\"");
        assert_eq!(
            quote("\u{7}\u{8}\u{c}\n\r\t\u{b}\u{1}\u{7f}"),
            r#""\a\b\f\n\r\t\v\x01\x7f""#
        );
        assert_eq!(
            quote("\u{a0}\u{2028}\u{e0001}"),
            r#""\u00a0\u2028\U000e0001""#
        );
    }

    #[test]
    fn digits_are_category_nd() {
        assert!(is_digit('7') && is_digit('٣'));
        assert!(!is_digit('Ⅻ') && !is_digit('½') && !is_digit('x'));
    }
}
