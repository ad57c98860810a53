//! Go `time.ParseDuration` and `time.Duration.String`.
//!
//! ESO's CRDs carry durations as Go duration strings (`refreshInterval: 1h30m`, generator and
//! store timeouts). This module parses them with Go's grammar and limits and prints them back the
//! way Go does, so messages and outputs read like ESO's. Mirrors Go's `time/format.go`
//! (`ParseDuration`, `leadingInt`, `leadingFraction`, `quote`) and `time/time.go`
//! (`Duration.String`).
//!
//! One deliberate difference: Go accepts negative durations (`-1s`); ESO never has a use for one,
//! so [`parse`] rejects them with [`Error::Negative`]. `-0` and `-0s` are zero and accepted.
//! [`parse_signed`] is Go's `ParseDuration` unchanged, for Sprig's `dateModify` (`-1h` is common).
//!
//! Must not: panic on any input, or accept anything Go rejects.

use std::time::Duration;

/// Largest magnitude Go's `int64` nanosecond count can hold, as Go's checks use it (`1<<63`).
const LIMIT: u64 = 1 << 63;

/// Why a duration string was rejected. Messages are Go's, with its `time: ` prefix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Bad syntax or a value beyond Go's range (about 292 years).
    #[error("time: invalid duration {}", quote(.0))]
    Invalid(String),
    /// A number without a unit (`10`).
    #[error("time: missing unit in duration {}", quote(.0))]
    MissingUnit(String),
    /// A unit Go does not know (`1d`).
    #[error("time: unknown unit {} in duration {}", quote(.unit), quote(.input))]
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The whole duration string.
        input: String,
    },
    /// Valid in Go but negative; eso-render accepts only non-negative durations.
    #[error("time: invalid duration {}: negative durations are not accepted here", quote(.0))]
    Negative(String),
}

/// Nanoseconds per unit, as in Go's `unitMap` (both micro signs are accepted).
fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60 * 1_000_000_000,
        "h" => 3_600 * 1_000_000_000,
        _ => return None,
    })
}

/// Parses a Go duration string (`300ms`, `1.5h`, `2h45m`, `0`).
///
/// # Errors
/// Anything `time.ParseDuration` rejects, with Go's message, and negative durations.
pub fn parse(input: &str) -> Result<Duration, Error> {
    let (negative, total) = parse_parts(input)?;
    if negative {
        return if total == 0 {
            Ok(Duration::ZERO)
        } else {
            Err(Error::Negative(input.to_owned()))
        };
    }
    if total > LIMIT - 1 {
        return Err(Error::Invalid(input.to_owned()));
    }
    Ok(Duration::from_nanos(total))
}

/// Go's `time.ParseDuration`: a signed nanosecond count (`-1.5h` included).
///
/// # Errors
/// Anything `time.ParseDuration` rejects, with Go's message.
pub fn parse_signed(input: &str) -> Result<i64, Error> {
    let (negative, total) = parse_parts(input)?;
    if negative {
        // `total` is at most 1<<63, so the negation fits (1<<63 is i64::MIN).
        return Ok(0i64.wrapping_sub_unsigned(total));
    }
    i64::try_from(total).map_err(|_| Error::Invalid(input.to_owned()))
}

/// The sign and the magnitude (at most 1<<63 nanoseconds) of a Go duration string.
fn parse_parts(input: &str) -> Result<(bool, u64), Error> {
    let invalid = || Error::Invalid(input.to_owned());
    let mut s = input.as_bytes();
    let mut negative = false;
    if let Some((&c, rest)) = s.split_first()
        && (c == b'-' || c == b'+')
    {
        negative = c == b'-';
        s = rest;
    }
    if s == b"0" {
        return Ok((negative, 0));
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let before = s.len();
        let (mut value, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let had_int = s.len() != before;

        let mut fraction = 0u64;
        let mut scale = 1f64;
        let mut had_fraction = false;
        if let Some((b'.', rest)) = s.split_first() {
            let before = rest.len();
            let (f, sc, rest) = leading_fraction(rest);
            fraction = f;
            scale = sc;
            s = rest;
            had_fraction = s.len() != before;
        }
        if !had_int && !had_fraction {
            return Err(invalid());
        }

        let unit_len = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(Error::MissingUnit(input.to_owned()));
        }
        let (unit, rest) = s.split_at(unit_len);
        s = rest;
        // The unit ends at an ASCII byte or at the end, so it is a whole UTF-8 substring.
        let unit = String::from_utf8_lossy(unit);
        let Some(nanos) = unit_nanos(&unit) else {
            return Err(Error::UnknownUnit {
                unit: unit.into_owned(),
                input: input.to_owned(),
            });
        };
        if value > LIMIT / nanos {
            return Err(invalid());
        }
        value *= nanos;
        if fraction > 0 {
            // Go adds the fraction through float64, truncating; it is exact to the nanosecond
            // for every unit up to hours, and matching Go matters more than exactness here.
            value += (fraction as f64 * (nanos as f64 / scale)) as u64;
            if value > LIMIT {
                return Err(invalid());
            }
        }
        total += value;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    Ok((negative, total))
}

/// Go's `leadingInt`: digits as an integer, `None` past `1<<63`.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut x: u64 = 0;
    for &c in &s[..digits] {
        if x > LIMIT / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > LIMIT {
            return None;
        }
    }
    Some((x, &s[digits..]))
}

/// Go's `leadingFraction`: digits after the point as `(numerator, 10^kept digits)`; digits past
/// the point of overflow are consumed but ignored.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut x: u64 = 0;
    let mut scale = 1f64;
    let mut overflow = false;
    for &c in &s[..digits] {
        if overflow {
            continue;
        }
        if x > (LIMIT - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > LIMIT {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[digits..])
}

/// Go's `time.quote`: double quotes, `"` and `\` escaped, bytes of non-ASCII or control
/// characters as `\xNN`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// Formats like Go's `Duration.String()`: `1h0m0s`, `1m30s`, `1.5s`, `500ms`, `1µs`, `0s`.
///
/// Durations beyond Go's `int64` range keep counting hours instead of wrapping.
pub fn format(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".to_owned();
    }
    if nanos < 1_000_000_000 {
        // Below a second Go switches to the largest unit that keeps an integer part.
        let (unit, prec) = if nanos < 1_000 {
            ("ns", 0)
        } else if nanos < 1_000_000 {
            ("\u{b5}s", 3)
        } else {
            ("ms", 6)
        };
        let (int, frac) = split_fraction(nanos, prec);
        return format!("{int}{frac}{unit}");
    }
    let (secs, frac) = split_fraction(nanos, 9);
    let mut out = String::new();
    let minutes = secs / 60;
    if minutes > 0 {
        let hours = minutes / 60;
        if hours > 0 {
            out.push_str(&format!("{hours}h"));
        }
        out.push_str(&format!("{}m", minutes % 60));
    }
    out.push_str(&format!("{}{frac}s", secs % 60));
    out
}

/// Go's `fmtFrac`: splits `v` into `v / 10^prec` and the fraction as `.ddd` without trailing
/// zeros (empty when the fraction is zero).
fn split_fraction(v: u128, prec: u32) -> (u128, String) {
    let pow = 10u128.pow(prec);
    let (int, frac) = (v / pow, v % pow);
    if frac == 0 {
        return (int, String::new());
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (int, format!(".{}", digits.trim_end_matches('0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(n: u64) -> Duration {
        Duration::from_nanos(n)
    }

    #[test]
    fn parses_go_examples() {
        let cases: &[(&str, u64)] = &[
            ("0", 0),
            ("5s", 5_000_000_000),
            ("30s", 30_000_000_000),
            ("1478s", 1_478_000_000_000),
            ("+5s", 5_000_000_000),
            ("-0", 0),
            ("-0s", 0),
            ("5.0s", 5_000_000_000),
            ("5.6s", 5_600_000_000),
            ("5.s", 5_000_000_000),
            (".5s", 500_000_000),
            ("1.0s", 1_000_000_000),
            ("1.00s", 1_000_000_000),
            ("1.004s", 1_004_000_000),
            ("100.00100s", 100_001_000_000),
            ("10ns", 10),
            ("11us", 11_000),
            ("12\u{b5}s", 12_000),
            ("12\u{3bc}s", 12_000),
            ("13ms", 13_000_000),
            ("14s", 14_000_000_000),
            ("15m", 900_000_000_000),
            ("16h", 57_600_000_000_000),
            ("3h30m", 12_600_000_000_000),
            ("10.5s4m", 250_500_000_000),
            ("1h30m", 5_400_000_000_000),
            ("39h9m14.425s", 140_954_425_000_000),
            ("52763797000ns", 52_763_797_000),
            ("0.3333333333333333333h", 1_200_000_000_000),
            ("9007199254.740993ms", 9_007_199_254_740_993),
            ("9223372036854775807ns", 9_223_372_036_854_775_807),
            ("9223372036854775.807us", 9_223_372_036_854_775_807),
            ("9223372036s854ms775us807ns", 9_223_372_036_854_775_807),
            ("0.100000000000000000000h", 360_000_000_000),
            ("0.830103483285477580700h", 2_988_372_539_827),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), Ok(ns(*want)), "{input}");
        }
    }

    #[test]
    fn rejects_like_go() {
        for input in [
            "",
            "3",
            "-",
            "s",
            ".",
            "-.",
            ".s",
            "+.s",
            "1d",
            "\u{85}",
            "\u{ff}",
            "hello \u{ff}",
            "9223372036854775808ns",
            "9223372036854775.808us",
            "9223372036854ms775us808ns",
        ] {
            assert!(parse(input).is_err(), "{input:?}");
        }
    }

    #[test]
    fn error_messages_match_go() {
        assert_eq!(
            parse("").unwrap_err().to_string(),
            r#"time: invalid duration """#
        );
        assert_eq!(
            parse("3").unwrap_err().to_string(),
            r#"time: missing unit in duration "3""#
        );
        assert_eq!(
            parse("1d").unwrap_err().to_string(),
            r#"time: unknown unit "d" in duration "1d""#
        );
        assert_eq!(
            parse("3\u{b5}x").unwrap_err().to_string(),
            r#"time: unknown unit "\xc2\xb5x" in duration "3\xc2\xb5x""#
        );
        assert_eq!(
            parse("hello \u{ff}").unwrap_err().to_string(),
            r#"time: invalid duration "hello \xc3\xbf""#
        );
        assert_eq!(
            parse("9223372036854775808ns").unwrap_err().to_string(),
            r#"time: invalid duration "9223372036854775808ns""#
        );
    }

    #[test]
    fn negative_durations_are_rejected() {
        assert_eq!(parse("-1s"), Err(Error::Negative("-1s".to_owned())));
        assert_eq!(
            parse("-1.5h").unwrap_err().to_string(),
            r#"time: invalid duration "-1.5h": negative durations are not accepted here"#
        );
    }

    #[test]
    fn signed_parse_is_go_parse_duration() {
        assert_eq!(parse_signed("-1.5h"), Ok(-5_400_000_000_000));
        assert_eq!(parse_signed("+2m"), Ok(120_000_000_000));
        assert_eq!(parse_signed("-0"), Ok(0));
        assert_eq!(parse_signed("-9223372036854775808ns"), Ok(i64::MIN));
        assert!(parse_signed("9223372036854775808ns").is_err());
        assert_eq!(
            parse_signed("1d").unwrap_err().to_string(),
            r#"time: unknown unit "d" in duration "1d""#
        );
    }

    #[test]
    fn formats_like_go() {
        let cases: &[(u64, &str)] = &[
            (0, "0s"),
            (1, "1ns"),
            (1_100, "1.1\u{b5}s"),
            (2_200_000, "2.2ms"),
            (500_000_000, "500ms"),
            (1_500_000_000, "1.5s"),
            (3_300_000_000, "3.3s"),
            (90_000_000_000, "1m30s"),
            (270_500_000_000, "4m30.5s"),
            (3_600_000_000_000, "1h0m0s"),
            (5_400_000_000_000, "1h30m0s"),
            (18_181_001_000_000, "5h3m1.001s"),
            (9_223_372_036_854_775_807, "2562047h47m16.854775807s"),
        ];
        for (nanos, want) in cases {
            assert_eq!(format(ns(*nanos)), *want, "{nanos}");
        }
    }

    #[test]
    fn format_parses_back() {
        for s in ["1h0m0s", "1m30s", "1.5s", "500ms", "1.1\u{b5}s", "7ns"] {
            assert_eq!(format(parse(s).unwrap()), s);
        }
    }
}
