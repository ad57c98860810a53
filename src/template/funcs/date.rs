//! Sprig's date formatting: `date`, `dateInZone` (`date_in_zone`), `htmlDate`,
//! `htmlDateInZone`, and `ago`.
//!
//! Mirrors `runtime/template/v2/sprig/date.go` (`dateInZone`, `dateAgo`) and Go's
//! `time.Time.Format` (`nextStdChunk`, `AppendFormat`, `formatNano`). eso-render has no Go
//! `time.Time` value (so no `now`, `toDate` or `unixEpoch` yet): the date argument is a Unix time
//! in seconds (`int` or `int64`), and anything else means "now", as in Sprig, read from the
//! system clock (so such output is not reproducible). Time zones: `Local` is UTC (ESO's image
//! sets no zone), `UTC` and `""` are UTC; other zone names need a time zone database and are
//! reported as unsupported. So are Unix times beyond ±10^15 seconds.
//!
//! Must not: panic, or put the date or zone in an `Err`.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{FuncDef, Imp, Ty};
use crate::template::value::Value;

const A: Ty = Ty::Any;
const S: Ty = Ty::Str;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("date", [S, A], None, date),
    f!("dateInZone", [S, A, S], None, date_in_zone),
    f!("date_in_zone", [S, A, S], None, date_in_zone),
    f!("htmlDate", [A], None, html_date),
    f!("htmlDateInZone", [A, S], None, html_date_in_zone),
    f!("ago", [A], None, ago),
];

/// Unix times handled: about ±31 million years, far inside the range where Go's calendar
/// arithmetic is exact.
const MAX_ABS_SECS: i64 = 1_000_000_000_000_000;

/// The current time as Unix seconds and nanoseconds.
fn now() -> (i64, u32) {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(_) => (0, 0),
    }
}

/// Sprig's reading of a date argument: Unix seconds from an int, else now.
fn instant(v: Option<&Value>) -> (i64, u32) {
    match v {
        Some(Value::Int(n) | Value::Int64(n)) => (*n, 0),
        _ => now(),
    }
}

/// A broken-down UTC time.
struct Civil {
    year: i64,
    month: usize,
    day: i64,
    yday: i64,
    weekday: usize,
    hour: i64,
    min: i64,
    sec: i64,
    nanos: u32,
}

fn civil(secs: i64, nanos: u32) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const BEFORE: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = BEFORE[(month - 1) as usize] + day + i64::from(leap && month > 2);
    Civil {
        year,
        month: month as usize,
        day,
        yday,
        weekday: (days + 4).rem_euclid(7) as usize,
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
        nanos,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    Pm,
    PmLower,
    Tz,
    /// A numeric zone offset; `true` for the ISO 8601 forms that print `Z` for UTC.
    Offset(&'static str, bool),
    /// Fractional seconds: digits, whether trailing zeros are trimmed, separator.
    Frac(usize, bool, u8),
}

/// Go's `nextStdChunk`: the literal prefix, the element, and the rest of the layout.
fn next_chunk(layout: &[u8]) -> (&[u8], Option<Std>, &[u8]) {
    let at = |i: usize, s: &[u8]| layout.len() >= i + s.len() && &layout[i..i + s.len()] == s;
    let lower_at = |i: usize| layout.get(i).is_some_and(u8::is_ascii_lowercase);
    for i in 0..layout.len() {
        let found = |std: Std, len: usize| Some((&layout[..i], Some(std), &layout[i + len..]));
        let r = match layout[i] {
            b'J' if at(i, b"Jan") => {
                if at(i, b"January") {
                    found(Std::LongMonth, 7)
                } else if !lower_at(i + 3) {
                    found(Std::Month, 3)
                } else {
                    None
                }
            }
            b'M' if at(i, b"Mon") => {
                if at(i, b"Monday") {
                    found(Std::LongWeekDay, 6)
                } else if !lower_at(i + 3) {
                    found(Std::WeekDay, 3)
                } else {
                    None
                }
            }
            b'M' if at(i, b"MST") => found(Std::Tz, 3),
            b'0' => match layout.get(i + 1) {
                Some(b'1') => found(Std::ZeroMonth, 2),
                Some(b'2') => found(Std::ZeroDay, 2),
                Some(b'3') => found(Std::ZeroHour12, 2),
                Some(b'4') => found(Std::ZeroMinute, 2),
                Some(b'5') => found(Std::ZeroSecond, 2),
                Some(b'6') => found(Std::Year, 2),
                Some(b'0') if layout.get(i + 2) == Some(&b'2') => found(Std::ZeroYearDay, 3),
                _ => None,
            },
            b'1' if layout.get(i + 1) == Some(&b'5') => found(Std::Hour, 2),
            b'1' => found(Std::NumMonth, 1),
            b'2' if at(i, b"2006") => found(Std::LongYear, 4),
            b'2' => found(Std::Day, 1),
            b'_' if layout.get(i + 1) == Some(&b'2') => {
                if at(i + 1, b"2006") {
                    Some((&layout[..=i], Some(Std::LongYear), &layout[i + 5..]))
                } else {
                    found(Std::UnderDay, 2)
                }
            }
            b'_' if at(i, b"__2") => found(Std::UnderYearDay, 3),
            b'3' => found(Std::Hour12, 1),
            b'4' => found(Std::Minute, 1),
            b'5' => found(Std::Second, 1),
            b'P' if layout.get(i + 1) == Some(&b'M') => found(Std::Pm, 2),
            b'p' if layout.get(i + 1) == Some(&b'm') => found(Std::PmLower, 2),
            b'-' | b'Z' => {
                let iso = layout[i] == b'Z';
                ["070000", "07:00:00", "0700", "07:00", "07"]
                    .into_iter()
                    .find(|form| at(i + 1, form.as_bytes()))
                    .and_then(|form| found(Std::Offset(form, iso), form.len() + 1))
            }
            c @ (b'.' | b',') => match layout.get(i + 1) {
                Some(&d @ (b'0' | b'9')) => {
                    let mut j = i + 1;
                    while layout.get(j) == Some(&d) {
                        j += 1;
                    }
                    if layout.get(j).is_some_and(u8::is_ascii_digit) {
                        None
                    } else {
                        found(Std::Frac(j - (i + 1), d == b'9', c), j - i)
                    }
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(r) = r {
            return r;
        }
    }
    (layout, None, &[])
}

/// Go's `appendInt`: a sign, then the magnitude zero-padded to `width`.
fn pad(out: &mut Vec<u8>, v: i64, width: usize) {
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(format!("{:0width$}", v.unsigned_abs()).as_bytes());
}

/// Go's `Time.Format` for a UTC time.
fn format(layout: &[u8], t: &Civil) -> Vec<u8> {
    let mut out = Vec::with_capacity(layout.len() + 16);
    let mut rest = layout;
    loop {
        let (prefix, std, suffix) = next_chunk(rest);
        out.extend_from_slice(prefix);
        let Some(std) = std else { break };
        rest = suffix;
        let hour12 = if t.hour % 12 == 0 { 12 } else { t.hour % 12 };
        match std {
            Std::Year => pad(&mut out, t.year.abs() % 100, 2),
            Std::LongYear => pad(&mut out, t.year, 4),
            Std::Month => out.extend_from_slice(&MONTHS[t.month - 1].as_bytes()[..3]),
            Std::LongMonth => out.extend_from_slice(MONTHS[t.month - 1].as_bytes()),
            Std::NumMonth => pad(&mut out, t.month as i64, 0),
            Std::ZeroMonth => pad(&mut out, t.month as i64, 2),
            Std::WeekDay => out.extend_from_slice(&DAYS[t.weekday].as_bytes()[..3]),
            Std::LongWeekDay => out.extend_from_slice(DAYS[t.weekday].as_bytes()),
            Std::Day => pad(&mut out, t.day, 0),
            Std::UnderDay => {
                if t.day < 10 {
                    out.push(b' ');
                }
                pad(&mut out, t.day, 0);
            }
            Std::ZeroDay => pad(&mut out, t.day, 2),
            Std::UnderYearDay => out.extend_from_slice(format!("{:>3}", t.yday).as_bytes()),
            Std::ZeroYearDay => pad(&mut out, t.yday, 3),
            Std::Hour => pad(&mut out, t.hour, 2),
            Std::Hour12 => pad(&mut out, hour12, 0),
            Std::ZeroHour12 => pad(&mut out, hour12, 2),
            Std::Minute => pad(&mut out, t.min, 0),
            Std::ZeroMinute => pad(&mut out, t.min, 2),
            Std::Second => pad(&mut out, t.sec, 0),
            Std::ZeroSecond => pad(&mut out, t.sec, 2),
            Std::Pm => out.extend_from_slice(if t.hour >= 12 { b"PM" } else { b"AM" }),
            Std::PmLower => out.extend_from_slice(if t.hour >= 12 { b"pm" } else { b"am" }),
            Std::Tz => out.extend_from_slice(b"UTC"),
            Std::Offset(_, true) => out.push(b'Z'),
            Std::Offset(form, false) => out.extend_from_slice(match form {
                "070000" => b"+000000".as_slice(),
                "07:00:00" => b"+00:00:00",
                "0700" => b"+0000",
                "07:00" => b"+00:00",
                _ => b"+00",
            }),
            Std::Frac(n, trim, sep) => {
                let digits = format!("{:09}", t.nanos);
                let mut n = n.min(9);
                if trim {
                    while n > 0 && digits.as_bytes()[n - 1] == b'0' {
                        n -= 1;
                    }
                    if n == 0 {
                        continue;
                    }
                }
                out.push(sep);
                out.extend_from_slice(&digits.as_bytes()[..n]);
            }
        }
    }
    out
}

fn bytes(args: &[Value], i: usize) -> &[u8] {
    args.get(i).and_then(Value::as_bytes).unwrap_or_default()
}

/// Sprig's `dateInZone`.
fn format_in_zone(layout: &[u8], date: Option<&Value>, zone: &[u8]) -> Result<Value, String> {
    if !matches!(zone, b"" | b"UTC" | b"Local") {
        return Err("time zones other than UTC are not supported by eso-render yet".into());
    }
    let (secs, nanos) = instant(date);
    if secs.unsigned_abs() > MAX_ABS_SECS.unsigned_abs() {
        return Err("dates this far from 1970 are not supported by eso-render yet".into());
    }
    if layout.len() > 1 << 20 {
        return Err("date layout exceeds eso-render's limit of 1 MiB".into());
    }
    Ok(Value::str(format(layout, &civil(secs, nanos))))
}

fn date(args: &[Value]) -> Result<Value, String> {
    format_in_zone(bytes(args, 0), args.get(1), b"Local")
}

fn date_in_zone(args: &[Value]) -> Result<Value, String> {
    format_in_zone(bytes(args, 0), args.get(1), bytes(args, 2))
}

fn html_date(args: &[Value]) -> Result<Value, String> {
    format_in_zone(b"2006-01-02", args.first(), b"Local")
}

fn html_date_in_zone(args: &[Value]) -> Result<Value, String> {
    format_in_zone(b"2006-01-02", args.first(), bytes(args, 1))
}

/// Go's `Duration.Round(time.Second)`.
fn round_second(d: i64) -> i64 {
    const M: i64 = 1_000_000_000;
    let r = d % M;
    if d < 0 {
        let r = -r;
        if r + r < M {
            return d + r;
        }
        return d.checked_sub(M - r).unwrap_or(i64::MIN);
    }
    if r + r < M {
        return d - r;
    }
    d.checked_add(M - r).unwrap_or(i64::MAX)
}

/// Sprig's `ago`: the time since the date, to the second.
fn ago(args: &[Value]) -> Result<Value, String> {
    let (now_s, now_n) = now();
    let then: i128 = match args.first() {
        Some(Value::Int(n) | Value::Int64(n)) => i128::from(*n) * 1_000_000_000,
        _ => i128::from(now_s) * 1_000_000_000 + i128::from(now_n),
    };
    let since = i128::from(now_s) * 1_000_000_000 + i128::from(now_n) - then;
    let since = since.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    Ok(Value::str(super::more::go_duration(round_second(since))))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::template::funcs::render_for_test as render;

    /// Outputs produced by Go 1.19 with ESO's vendored Sprig, `TZ=UTC`.
    #[test]
    fn matches_go() {
        crate::template::funcs::assert_matches_go(GO_CASES);
    }

    #[test]
    fn zones_and_clock() {
        assert!(render(r#"{{ dateInZone "2006" 0 "Europe/Berlin" }}"#).contains("not supported"));
        assert!(render(r#"{{ date "2006" (int64 1000000000000001) }}"#).contains("not supported"));
        // A non-integer date is "now", read from the system clock.
        let year: i64 = render(r#"{{ date "2006" "x" }}"#).parse().unwrap();
        assert!(year >= 2025);
        assert_eq!(render(r#"{{ ago "x" }}"#), "0s");
        let ago = render(r#"{{ ago (int64 0) }}"#);
        assert!(ago.ends_with('s') && ago.contains('h'), "{ago}");
    }

    #[test]
    fn duration_rounding_like_go() {
        assert_eq!(round_second(1_499_999_999), 1_000_000_000);
        assert_eq!(round_second(1_500_000_000), 2_000_000_000);
        assert_eq!(round_second(-1_500_000_000), -2_000_000_000);
        assert_eq!(round_second(-1_499_999_999), -1_000_000_000);
        assert_eq!(round_second(i64::MAX), i64::MAX);
        assert_eq!(round_second(i64::MIN), i64::MIN);
    }

    const GO_CASES: &[(&str, &str)] = &[
        (
            r#"{{ date "2006-01-02 15:04:05.000" (int64 4102444800) }}"#,
            r"2100-01-01 00:00:00.000",
        ),
        (
            r#"{{ date "-07:00:00 -070000 -0700 -07:00 -07" (int64 1704067199) }}"#,
            r"+00:00:00 +000000 +0000 +00:00 +00",
        ),
        (
            r#"{{ date "3:04:05 pm" (int64 951782400) }}"#,
            r"12:00:00 am",
        ),
        (r#"{{ date "no tokens" (int64 1) }}"#, r"no tokens"),
        (r#"{{ date "2006-13-45" (int64 1) }}"#, r"1970-112-01"),
        (r#"{{ date "January" (int64 -62135596800) }}"#, r"January"),
        (r#"{{ date "3:04PM" (int64 86400) }}"#, r"12:00AM"),
        (
            r#"{{ date "Monday, 02-Jan-06 15:04:05 MST" (int64 86399) }}"#,
            r"Thursday, 01-Jan-70 23:59:59 UTC",
        ),
        (
            r#"{{ date "2006-01-02T15:04:05Z07:00" (int64 0) }}"#,
            r"1970-01-01T00:00:00Z",
        ),
        (
            r#"{{ date "no tokens" (int64 -62135596800) }}"#,
            r"no tokens",
        ),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 86399 }}"#,
            r"Thu 1970-01-01 23:59:59 UTC 001   1",
        ),
        (r#"{{ date ".99,000" (int64 -1) }}"#, r",000"),
        (
            r#"{{ date "Monday, 02-Jan-06 15:04:05 MST" (int64 1) }}"#,
            r"Thursday, 01-Jan-70 00:00:01 UTC",
        ),
        (r#"{{ date "_2006" (int64 978307200) }}"#, r"_2001"),
        (r#"{{ date "JanMonMST" (int64 1234567890) }}"#, r"FebFriUTC"),
        (r"{{ htmlDate (int64 1) }}", r"1970-01-01"),
        (
            r#"{{ date "1.0000000000" (int64 -62135596800) }}"#,
            r"1.000000000",
        ),
        (r#"{{ date ".99,000" (int64 951782400) }}"#, r",000"),
        (
            r#"{{ date "Janet Monique" (int64 86400) }}"#,
            r"Janet Monique",
        ),
        (
            r#"{{ date "3:04:05 pm" (int64 1234567890) }}"#,
            r"11:31:30 pm",
        ),
        (
            r#"{{ date "2006-01-02 15:04:05.999999999" (int64 951868800) }}"#,
            r"2000-03-01 00:00:00",
        ),
        (
            r#"{{ date "002 __2 _2" (int64 978307200) }}"#,
            r"001   1  1",
        ),
        (
            r#"{{ date "2006-01-02T15:04:05Z07:00" (int64 -86401) }}"#,
            r"1969-12-30T23:59:59Z",
        ),
        (
            r#"{{ date "2006-01-02 15:04:05.999999999" (int64 1704067199) }}"#,
            r"2023-12-31 23:59:59",
        ),
        (
            r#"{{ date "2006-01-02 15:04:05.999999999" (int64 1) }}"#,
            r"1970-01-01 00:00:01",
        ),
        (r#"{{ date "Mondays" (int64 0) }}"#, r"Thursdays"),
        (
            r#"{{ date "Janet Monique" (int64 253402300799) }}"#,
            r"Janet Monique",
        ),
        (
            r#"{{ date "-07:00:00 -070000 -0700 -07:00 -07" (int64 1078012800) }}"#,
            r"+00:00:00 +000000 +0000 +00:00 +00",
        ),
        (r"{{ htmlDate (int64 1078012800) }}", r"2004-02-29"),
        (r#"{{ date "15:04:05,999" (int64 86400) }}"#, r"00:00:00"),
        (r#"{{ date "3:04PM" (int64 86399) }}"#, r"11:59PM"),
        (
            r#"{{ date "06 1 2 3 4 5 15" (int64 1) }}"#,
            r"70 1 1 12 0 1 00",
        ),
        (r#"{{ date "15:04:05,999" (int64 86399) }}"#, r"23:59:59"),
        (r#"{{ date "Jan2006" (int64 1) }}"#, r"Jan1970"),
        (
            r#"{{ date "2006-01-02 15:04:05.000" (int64 0) }}"#,
            r"1970-01-01 00:00:00.000",
        ),
        (r#"{{ date "Mondays" (int64 253402300799) }}"#, r"Fridays"),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 1078012800 }}"#,
            r"Sun 2004-02-29 00:00:00 UTC 060  60",
        ),
        (
            r#"{{ date "2006-13-45" (int64 4102444800) }}"#,
            r"2100-112-00",
        ),
        (r#"{{ date ".99,000" (int64 0) }}"#, r",000"),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 951782400 }}"#,
            r"Tue 2000-02-29 00:00:00 UTC 060  60",
        ),
        (
            r#"{{ date "-07:00:00 -070000 -0700 -07:00 -07" (int64 1700000000) }}"#,
            r"+00:00:00 +000000 +0000 +00:00 +00",
        ),
        (
            r#"{{ date "2006-01-02" (int64 -62135596800) }}"#,
            r"0001-01-01",
        ),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 951868800 }}"#,
            r"Wed 2000-03-01 00:00:00 UTC 061  61",
        ),
        (r"{{ htmlDate (int64 1700000000) }}", r"2023-11-14"),
        (r#"{{ date "JanMonMST" (int64 -1) }}"#, r"DecWedUTC"),
        (r"{{ htmlDate (int64 1709251199) }}", r"2024-02-29"),
        (r#"{{ date "" (int64 1704067199) }}"#, r""),
        (r#"{{ date "" (int64 951868800) }}"#, r""),
        (
            r#"{{ date "JanMonMST" (int64 253402300799) }}"#,
            r"DecFriUTC",
        ),
        (r#"{{ date "January" (int64 1700000000) }}"#, r"November"),
        (r#"{{ date "_2006" (int64 253402300799) }}"#, r"_9999"),
        (r#"{{ date "_2006" (int64 86399) }}"#, r"_1970"),
        (r#"{{ date "3:04PM" (int64 4102444800) }}"#, r"12:00AM"),
        (r#"{{ date "3:04:05 pm" (int64 -1) }}"#, r"11:59:59 pm"),
        (
            r#"{{ dateInZone "2006-01-02 15:04 MST" (int64 1700000000) "UTC" }}"#,
            r"2023-11-14 22:13 UTC",
        ),
        (
            r#"{{ date "Jan 2, 2006 at 3:04pm (MST)" (int64 -62135596800) }}"#,
            r"Jan 1, 0001 at 12:00am (UTC)",
        ),
        (r#"{{ date "no tokens" (int64 -86401) }}"#, r"no tokens"),
        (r"{{ htmlDate (int64 978307200) }}", r"2001-01-01"),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 978307200 }}"#,
            r"Mon 2001-01-01 00:00:00 UTC 001   1",
        ),
        (
            r#"{{ date "Mon Jan _2 15:04:05 MST 2006" (int64 86399) }}"#,
            r"Thu Jan  1 23:59:59 UTC 1970",
        ),
        (r#"{{ date "PMpm" (int64 253402300799) }}"#, r"PMpm"),
        (r#"{{ date "_2006" (int64 86400) }}"#, r"_1970"),
        (
            r#"{{ date "Z07:00:00 Z070000 Z0700 Z07:00 Z07" (int64 1700000000) }}"#,
            r"Z Z Z Z Z",
        ),
        (r#"{{ date "January" (int64 -1) }}"#, r"December"),
        (r"{{ htmlDate (int64 1234567890) }}", r"2009-02-13"),
        (
            r#"{{ date "2006-01-02 15:04:05.999999999" (int64 0) }}"#,
            r"1970-01-01 00:00:00",
        ),
        (
            r#"{{ date "Z07:00:00 Z070000 Z0700 Z07:00 Z07" (int64 -62135596800) }}"#,
            r"Z Z Z Z Z",
        ),
        (r#"{{ date "2006" (int64 253402300800) }}"#, r"10000"),
        (
            r#"{{ date "06 1 2 3 4 5 15" (int64 1234567890) }}"#,
            r"09 2 13 11 31 30 23",
        ),
        (
            r#"{{ date "Janet Monique" (int64 951782400) }}"#,
            r"Janet Monique",
        ),
        (
            r#"{{ date "Monday, 02-Jan-06 15:04:05 MST" (int64 -62135596800) }}"#,
            r"Monday, 01-Jan-01 00:00:00 UTC",
        ),
        (r"{{ htmlDate (int64 951782400) }}", r"2000-02-29"),
        (r#"{{ date "3:04:05 pm" (int64 86400) }}"#, r"12:00:00 am"),
        (
            r#"{{ date "2006-01-02T15:04:05Z07:00" (int64 1709251199) }}"#,
            r"2024-02-29T23:59:59Z",
        ),
        (
            r#"{{ date "002 __2 _2" (int64 1078012800) }}"#,
            r"060  60 29",
        ),
        (r#"{{ date "PMpm" (int64 978307200) }}"#, r"AMam"),
        (
            r#"{{ date "Z07:00:00 Z070000 Z0700 Z07:00 Z07" (int64 86399) }}"#,
            r"Z Z Z Z Z",
        ),
        (r#"{{ date "MST" (int64 86400) }}"#, r"UTC"),
        (r"{{ htmlDate (int64 4102444800) }}", r"2100-01-01"),
        (r#"{{ date "MST" (int64 1078012800) }}"#, r"UTC"),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 1704067199 }}"#,
            r"Sun 2023-12-31 23:59:59 UTC 365 365",
        ),
        (r"{{ htmlDate (int64 86399) }}", r"1970-01-01"),
        (
            r#"{{ date "2006-13-45" (int64 978307200) }}"#,
            r"2001-112-00",
        ),
        (
            r#"{{ date "-07:00:00 -070000 -0700 -07:00 -07" (int64 978307200) }}"#,
            r"+00:00:00 +000000 +0000 +00:00 +00",
        ),
        (
            r#"{{ date "Janet Monique" (int64 86399) }}"#,
            r"Janet Monique",
        ),
        (
            r#"{{ date "15:04:05,999" (int64 1704067199) }}"#,
            r"23:59:59",
        ),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 0 }}"#,
            r"Thu 1970-01-01 00:00:00 UTC 001   1",
        ),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 86400 }}"#,
            r"Fri 1970-01-02 00:00:00 UTC 002   2",
        ),
        (
            r#"{{ date "1.0000000000" (int64 951782400) }}"#,
            r"2.000000000",
        ),
        (
            r#"{{ date "Mon Jan _2 15:04:05 MST 2006" (int64 1234567890) }}"#,
            r"Fri Feb 13 23:31:30 UTC 2009",
        ),
        (
            r#"{{ date "2006-01-02T15:04:05Z07:00" (int64 1234567890) }}"#,
            r"2009-02-13T23:31:30Z",
        ),
        (r"{{ htmlDate (int64 253402300799) }}", r"9999-12-31"),
        (r"{{ htmlDate (int64 951868800) }}", r"2000-03-01"),
        (r#"{{ date "JanMonMST" (int64 1) }}"#, r"JanThuUTC"),
        (
            r#"{{ date "-07:00:00 -070000 -0700 -07:00 -07" (int64 1) }}"#,
            r"+00:00:00 +000000 +0000 +00:00 +00",
        ),
        (
            r#"{{ date "Jan 2, 2006 at 3:04pm (MST)" (int64 86399) }}"#,
            r"Jan 1, 1970 at 11:59pm (UTC)",
        ),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 4102444800 }}"#,
            r"Fri 2100-01-01 00:00:00 UTC 001   1",
        ),
        (
            r#"{{ date "Mon 2006-01-02 15:04:05 MST 002 __2" 1700000000 }}"#,
            r"Tue 2023-11-14 22:13:20 UTC 318 318",
        ),
        (r"{{ htmlDate (int64 0) }}", r"1970-01-01"),
        (r#"{{ date "January" (int64 -86401) }}"#, r"December"),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 -62135596801) }}"#,
            r"0000 00 12 31 366 Sun 23:59:59",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 253402300800) }}"#,
            r"10000 00 01 01 001 Sat 00:00:00",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 -62167219200) }}"#,
            r"0000 00 01 01 001 Sat 00:00:00",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 -62198755200) }}"#,
            r"-0001 01 01 01 001 Fri 00:00:00",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 -100000000000) }}"#,
            r"-1199 99 02 15 046 Thu 14:13:20",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 -1000000000000000) }}"#,
            r"-31686769 69 06 29 180 Sun 22:13:20",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 1000000000000000) }}"#,
            r"31690708 08 07 05 187 Sun 01:46:40",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 999999999999999) }}"#,
            r"31690708 08 07 05 187 Sun 01:46:39",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 -999999999999999) }}"#,
            r"-31686769 69 06 29 180 Sun 22:13:21",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 32503680000) }}"#,
            r"3000 00 01 01 001 Wed 00:00:00",
        ),
        (
            r#"{{ date "2006 06 01 02 002 Mon 15:04:05" (int64 -62170156800) }}"#,
            r"-0001 01 11 28 332 Sun 00:00:00",
        ),
    ];
}
