//! Sprig's date functions — `now`, `date`, `dateInZone` (`date_in_zone`), `htmlDate`,
//! `htmlDateInZone`, `ago`, `toDate`, `mustToDate`, `unixEpoch`, `dateModify` (`date_modify`),
//! `mustDateModify` (`must_date_modify`) — and the Go host objects they give templates:
//! `time.Time` and what its methods return, `time.Month`, `time.Weekday`, `time.Duration`.
//!
//! Mirrors `runtime/template/v2/sprig/date.go` and, through [`gocompat::time`], Go's `time`
//! package. A date argument is a `time.Time`, Unix seconds (`int`, `int64`), or anything else
//! for "now", as in Sprig. `now` reads the system clock (so such output is not reproducible);
//! like Go's, it carries a monotonic reading that `String()` prints (` m=+0.000012345`), counted
//! from eso-render's first clock read where ESO's counts from the controller's start. Time zones:
//! `Local` is UTC (ESO's image sets no zone), `UTC` and `""` are UTC; other zone names need a
//! time zone database and are reported as unsupported, as are times beyond ±10^15 seconds from
//! 1970.
//!
//! Methods, as in Go's method sets (a name Go lacks is Go's `can't evaluate field` error; one
//! eso-render lacks is reported as unsupported):
//! - `time.Time`: `Add AddDate After Before Compare Day Equal Format GoString Hour IsDST IsZero
//!   Local Minute Month Nanosecond Round Second String Sub Truncate UTC Unix UnixMicro UnixMilli
//!   UnixNano Weekday Year YearDay`; `Clock Date ISOWeek Zone ZoneBounds` fail as in Go (too
//!   many results); `In Location AppendFormat` and the `Marshal*`/`Append*`/`GobEncode` methods
//!   are unsupported (no `*time.Location` or byte slice values).
//! - `time.Duration`: `Abs Hours Microseconds Milliseconds Minutes Nanoseconds Round Seconds
//!   String Truncate`; `time.Month` and `time.Weekday`: `String`.
//!
//! Errors: `mustToDate` and `mustDateModify` fail with Go's message minus the quoted value and
//! layout, which may be secrets (`parsing time: month out of range`, `time: invalid duration`).
//!
//! Must not: panic, or put a date, layout, duration or zone in an `Err`.

use std::rc::Rc;

use super::{FuncDef, Imp, Ty, int, ok_str, str_arg};
use crate::gocompat;
use crate::gocompat::time::{Time, Zone};
use crate::template::value::{
    self, Field, HostKind, Method, MethodDef, MethodImp, Object, Value, bind_method,
};

const A: Ty = Ty::Any;
const S: Ty = Ty::Str;
const T: Ty = Ty::Time;
const D: Ty = Ty::Duration;

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
    f!("now", [], None, now),
    f!("toDate", [S, S], None, to_date),
    f!("mustToDate", [S, S], None, must_to_date),
    f!("unixEpoch", [T], None, unix_epoch),
    f!("dateModify", [S, T], None, date_modify),
    f!("date_modify", [S, T], None, date_modify),
    f!("mustDateModify", [S, T], None, must_date_modify),
    f!("must_date_modify", [S, T], None, must_date_modify),
];

const ERR_FAR: &str = "dates this far from 1970 are not supported by eso-render yet";
const NANOS_PER_SEC: i64 = 1_000_000_000;

/// Largest layout `Format` takes: the output is at most a few times longer.
const MAX_LAYOUT: usize = 1 << 20;

fn time_value(t: Time) -> Value {
    Value::Object(Rc::new(t))
}

/// The `time.Time` a value holds, if it holds one.
pub(super) fn as_time(v: &Value) -> Option<&Time> {
    match v {
        Value::Object(o) => value::downcast::<Time>(&**o),
        _ => None,
    }
}

/// Argument `i`, converted by the executor to a `time.Time` parameter.
fn time_arg(args: &[Value], i: usize) -> Result<&Time, String> {
    args.get(i)
        .and_then(as_time)
        .ok_or_else(|| "internal error: expected a time.Time argument".to_owned())
}

/// Argument `i` of a `time.Duration` parameter: a `time.Duration`, or an integer constant.
fn duration_arg(args: &[Value], i: usize) -> i64 {
    args.get(i).and_then(Value::as_int).unwrap_or(0)
}

/// Go's `Format`, with eso-render's bound on the layout.
fn format(t: &Time, layout: &[u8]) -> Result<Value, String> {
    if layout.len() > MAX_LAYOUT {
        return Err("date layout exceeds eso-render's limit of 1 MiB".into());
    }
    ok_str(t.format(layout))
}

/// Sprig's reading of a date argument: a `time.Time`, Unix seconds from an int, else now.
fn instant(v: Option<&Value>) -> Result<Time, String> {
    if let Some(t) = v.and_then(as_time) {
        return Ok(t.clone());
    }
    match v {
        Some(Value::Int(n) | Value::Int64(n)) => {
            Time::from_unix(*n, 0, Zone::Local).ok_or_else(|| ERR_FAR.to_owned())
        }
        _ => Ok(Time::now()),
    }
}

/// Sprig's `dateInZone`: the date in `zone`, formatted.
fn format_in_zone(layout: &[u8], date: Option<&Value>, zone: &[u8]) -> Result<Value, String> {
    let zone = match zone {
        b"" | b"UTC" => Zone::Utc,
        b"Local" => Zone::Local,
        _ => return Err("time zones other than UTC are not supported by eso-render yet".into()),
    };
    format(&instant(date)?.in_zone(zone), layout)
}

fn date(args: &[Value]) -> Result<Value, String> {
    format_in_zone(str_arg(args, 0), args.get(1), b"Local")
}

fn date_in_zone(args: &[Value]) -> Result<Value, String> {
    format_in_zone(str_arg(args, 0), args.get(1), str_arg(args, 2))
}

fn html_date(args: &[Value]) -> Result<Value, String> {
    format_in_zone(b"2006-01-02", args.first(), b"Local")
}

fn html_date_in_zone(args: &[Value]) -> Result<Value, String> {
    format_in_zone(b"2006-01-02", args.first(), str_arg(args, 1))
}

/// Go's `time.Since(t)` for Sprig's `ago` and `durationRound`.
pub(super) fn since(t: &Time) -> i64 {
    Time::now().sub(t)
}

/// Sprig's `ago`: the time since the date, to the second.
fn ago(args: &[Value]) -> Result<Value, String> {
    let since = match args.first() {
        Some(Value::Int(n) | Value::Int64(n)) => {
            // Any Unix time, even beyond the range of a `Time` here: Go saturates.
            let now = Time::now();
            let d = (i128::from(now.unix()) - i128::from(*n)) * i128::from(NANOS_PER_SEC)
                + i128::from(now.nanosecond());
            d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
        }
        Some(v) => as_time(v).map_or(0, since),
        // "Now" since now.
        None => 0,
    };
    let rounded = gocompat::time::round_duration(since, NANOS_PER_SEC);
    ok_str(super::more::go_duration(rounded).into_bytes())
}

fn now(_args: &[Value]) -> Result<Value, String> {
    Ok(time_value(Time::now()))
}

/// Sprig's `toDate`: Go's `time.ParseInLocation(layout, value, time.Local)`, the zero time on
/// error.
fn to_date(args: &[Value]) -> Result<Value, String> {
    let t =
        Time::parse_in_local(str_arg(args, 0), str_arg(args, 1)).unwrap_or_else(|_| Time::zero());
    Ok(time_value(t))
}

fn must_to_date(args: &[Value]) -> Result<Value, String> {
    Time::parse_in_local(str_arg(args, 0), str_arg(args, 1))
        .map(time_value)
        .map_err(|e| e.to_string())
}

fn unix_epoch(args: &[Value]) -> Result<Value, String> {
    ok_str(time_arg(args, 0)?.unix().to_string().into_bytes())
}

/// Go's `time.ParseDuration`, its error without the quoted text.
fn parse_duration(s: &[u8]) -> Result<i64, String> {
    use gocompat::duration::Error;
    gocompat::duration::parse_signed(&String::from_utf8_lossy(s)).map_err(|e| {
        match e {
            Error::Invalid(_) | Error::Negative(_) => "time: invalid duration",
            Error::MissingUnit(_) => "time: missing unit in duration",
            Error::UnknownUnit { .. } => "time: unknown unit in duration",
        }
        .to_owned()
    })
}

/// Sprig's `dateModify`: the date moved by a Go duration, unchanged if it does not parse.
fn date_modify(args: &[Value]) -> Result<Value, String> {
    let t = time_arg(args, 1)?;
    match parse_duration(str_arg(args, 0)) {
        Ok(d) => t.add(d).map(time_value).ok_or_else(|| ERR_FAR.to_owned()),
        Err(_) => Ok(time_value(t.clone())),
    }
}

fn must_date_modify(args: &[Value]) -> Result<Value, String> {
    let t = time_arg(args, 1)?;
    let d = parse_duration(str_arg(args, 0))?;
    t.add(d).map(time_value).ok_or_else(|| ERR_FAR.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Host objects

macro_rules! call {
    ($name:literal, [$($p:expr),*], $imp:expr) => {
        MethodDef { name: $name, params: &[$($p),*], imp: MethodImp::Call($imp) }
    };
}

macro_rules! refused {
    ($name:literal, $results:literal) => {
        MethodDef {
            name: $name,
            params: &[],
            imp: MethodImp::Refused { results: $results },
        }
    };
}

macro_rules! unsupported {
    ($name:literal) => {
        MethodDef {
            name: $name,
            params: &[],
            imp: MethodImp::Unsupported,
        }
    };
}

fn moved(t: Option<Time>) -> Result<Value, String> {
    t.map(time_value).ok_or_else(|| ERR_FAR.to_owned())
}

fn int_value(n: i64) -> Result<Value, String> {
    Ok(Value::Int(n))
}

/// `time.Time`'s method set.
static TIME_METHODS: &[MethodDef<Time>] = &[
    call!("Add", [D], |t, a| moved(t.add(duration_arg(a, 0)))),
    call!("AddDate", [Ty::Int, Ty::Int, Ty::Int], |t, a| {
        moved(t.add_date(int(a, 0), int(a, 1), int(a, 2)))
    }),
    call!("After", [T], |t, a| {
        Ok(Value::Bool(t.compare(time_arg(a, 0)?).is_gt()))
    }),
    call!("Before", [T], |t, a| {
        Ok(Value::Bool(t.compare(time_arg(a, 0)?).is_lt()))
    }),
    call!("Compare", [T], |t, a| int_value(
        t.compare(time_arg(a, 0)?) as i64
    )),
    call!("Day", [], |t, _| int_value(t.civil().day)),
    call!("Equal", [T], |t, a| {
        Ok(Value::Bool(t.compare(time_arg(a, 0)?).is_eq()))
    }),
    call!("Format", [S], |t, a| format(t, str_arg(a, 0))),
    call!("GoString", [], |t, _| ok_str(t.go_string())),
    call!("Hour", [], |t, _| int_value(t.civil().hour)),
    // No zone here has daylight saving time.
    call!("IsDST", [], |_, _| Ok(Value::Bool(false))),
    call!("IsZero", [], |t, _| Ok(Value::Bool(t.is_zero()))),
    call!("Local", [], |t, _| Ok(time_value(t.in_zone(Zone::Local)))),
    call!("Minute", [], |t, _| int_value(t.civil().min)),
    call!("Month", [], |t, _| {
        Ok(Value::Object(Rc::new(Month(t.civil().month))))
    }),
    call!("Nanosecond", [], |t, _| int_value(i64::from(
        t.nanosecond()
    ))),
    call!("Round", [D], |t, a| moved(t.round(duration_arg(a, 0)))),
    call!("Second", [], |t, _| int_value(t.civil().sec)),
    call!("String", [], |t, _| ok_str(t.string())),
    call!("Sub", [T], |t, a| Ok(duration_value(
        t.sub(time_arg(a, 0)?)
    ))),
    call!("Truncate", [D], |t, a| moved(
        t.truncate(duration_arg(a, 0))
    )),
    call!("UTC", [], |t, _| Ok(time_value(t.in_zone(Zone::Utc)))),
    call!("Unix", [], |t, _| Ok(Value::Int64(t.unix()))),
    call!("UnixMicro", [], |t, _| Ok(Value::Int64(t.unix_micro()))),
    call!("UnixMilli", [], |t, _| Ok(Value::Int64(t.unix_milli()))),
    call!("UnixNano", [], |t, _| Ok(Value::Int64(t.unix_nano()))),
    call!("Weekday", [], |t, _| {
        Ok(Value::Object(Rc::new(Weekday(t.civil().weekday))))
    }),
    call!("Year", [], |t, _| int_value(t.civil().year)),
    call!("YearDay", [], |t, _| int_value(t.civil().yday)),
    refused!("Clock", 3),
    refused!("Date", 3),
    refused!("ISOWeek", 2),
    refused!("Zone", 2),
    refused!("ZoneBounds", 2),
    unsupported!("AppendBinary"),
    unsupported!("AppendFormat"),
    unsupported!("AppendText"),
    unsupported!("GobEncode"),
    unsupported!("In"),
    unsupported!("Location"),
    unsupported!("MarshalBinary"),
    unsupported!("MarshalJSON"),
    unsupported!("MarshalText"),
];

impl Object for Time {
    fn type_name(&self) -> &'static str {
        "time.Time"
    }

    fn kind(&self) -> HostKind {
        HostKind::Struct
    }

    fn string(&self) -> Option<Vec<u8>> {
        Some(Time::string(self))
    }

    fn go_string(&self) -> Option<Vec<u8>> {
        Some(Time::go_string(self))
    }

    fn method(&self, name: &str) -> Option<Method<'_>> {
        bind_method(TIME_METHODS, self, name)
    }

    fn field(&self, name: &str) -> Option<Field> {
        matches!(name, "wall" | "ext" | "loc").then_some(Field::Unexported)
    }

    fn to_json(&self) -> Result<serde_json::Value, String> {
        self.marshal_json()
            .map(serde_json::Value::String)
            .map_err(|e| format!("json: error calling MarshalJSON for type time.Time: {e}"))
    }

    fn go_eq(&self, other: &dyn Object) -> bool {
        value::downcast::<Time>(other).is_some_and(|u| Time::go_eq(self, u))
    }

    fn deep_eq(&self, other: &dyn Object) -> bool {
        value::downcast::<Time>(other).is_some_and(|u| Time::deep_eq(self, u))
    }
}

/// Go's `time.Month`.
struct Month(i64);

/// Go's `time.Weekday`.
struct Weekday(i64);

/// Go's `time.Duration`.
struct Duration(i64);

fn duration_value(d: i64) -> Value {
    Value::Object(Rc::new(Duration(d)))
}

/// Go's `String` of a named integer outside its names: `%!Month(13)`.
fn bad_name(type_name: &str, n: i64) -> Vec<u8> {
    // Go formats the number as a uint64.
    format!("%!{type_name}({})", n as u64).into_bytes()
}

static MONTH_METHODS: &[MethodDef<Month>] = &[call!("String", [], |m, _| ok_str(month_name(m.0)))];

fn month_name(m: i64) -> Vec<u8> {
    match usize::try_from(m - 1)
        .ok()
        .and_then(|i| gocompat::time::MONTHS.get(i))
    {
        Some(name) => name.as_bytes().to_vec(),
        None => bad_name("Month", m),
    }
}

impl Object for Month {
    fn type_name(&self) -> &'static str {
        "time.Month"
    }

    fn kind(&self) -> HostKind {
        HostKind::Int(self.0)
    }

    fn string(&self) -> Option<Vec<u8>> {
        Some(month_name(self.0))
    }

    fn method(&self, name: &str) -> Option<Method<'_>> {
        bind_method(MONTH_METHODS, self, name)
    }

    fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(self.0.into())
    }

    fn go_eq(&self, other: &dyn Object) -> bool {
        value::downcast::<Month>(other).is_some_and(|o| o.0 == self.0)
    }

    fn deep_eq(&self, other: &dyn Object) -> bool {
        self.go_eq(other)
    }
}

static WEEKDAY_METHODS: &[MethodDef<Weekday>] =
    &[call!("String", [], |d, _| ok_str(weekday_name(d.0)))];

fn weekday_name(d: i64) -> Vec<u8> {
    match usize::try_from(d)
        .ok()
        .and_then(|i| gocompat::time::DAYS.get(i))
    {
        Some(name) => name.as_bytes().to_vec(),
        None => bad_name("Weekday", d),
    }
}

impl Object for Weekday {
    fn type_name(&self) -> &'static str {
        "time.Weekday"
    }

    fn kind(&self) -> HostKind {
        HostKind::Int(self.0)
    }

    fn string(&self) -> Option<Vec<u8>> {
        Some(weekday_name(self.0))
    }

    fn method(&self, name: &str) -> Option<Method<'_>> {
        bind_method(WEEKDAY_METHODS, self, name)
    }

    fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(self.0.into())
    }

    fn go_eq(&self, other: &dyn Object) -> bool {
        value::downcast::<Weekday>(other).is_some_and(|o| o.0 == self.0)
    }

    fn deep_eq(&self, other: &dyn Object) -> bool {
        self.go_eq(other)
    }
}

/// Go's `Duration.Hours`, `Minutes`, `Seconds`: whole units plus the fraction, in float64.
fn duration_in(d: i64, unit: i64) -> Value {
    Value::Float((d / unit) as f64 + (d % unit) as f64 / unit as f64)
}

static DURATION_METHODS: &[MethodDef<Duration>] = &[
    call!("Abs", [], |d, _| {
        Ok(duration_value(match d.0 {
            i64::MIN => i64::MAX,
            n => n.abs(),
        }))
    }),
    call!("Hours", [], |d, _| Ok(duration_in(
        d.0,
        3600 * NANOS_PER_SEC
    ))),
    call!("Microseconds", [], |d, _| Ok(Value::Int64(d.0 / 1000))),
    call!("Milliseconds", [], |d, _| Ok(Value::Int64(d.0 / 1_000_000))),
    call!("Minutes", [], |d, _| Ok(duration_in(
        d.0,
        60 * NANOS_PER_SEC
    ))),
    call!("Nanoseconds", [], |d, _| Ok(Value::Int64(d.0))),
    call!("Round", [D], |d, a| {
        Ok(duration_value(gocompat::time::round_duration(
            d.0,
            duration_arg(a, 0),
        )))
    }),
    call!("Seconds", [], |d, _| Ok(duration_in(d.0, NANOS_PER_SEC))),
    call!("String", [], |d, _| {
        ok_str(super::more::go_duration(d.0).into_bytes())
    }),
    call!("Truncate", [D], |d, a| {
        Ok(duration_value(gocompat::time::truncate_duration(
            d.0,
            duration_arg(a, 0),
        )))
    }),
];

impl Object for Duration {
    fn type_name(&self) -> &'static str {
        "time.Duration"
    }

    fn kind(&self) -> HostKind {
        HostKind::Int64(self.0)
    }

    fn string(&self) -> Option<Vec<u8>> {
        Some(super::more::go_duration(self.0).into_bytes())
    }

    fn method(&self, name: &str) -> Option<Method<'_>> {
        bind_method(DURATION_METHODS, self, name)
    }

    fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(self.0.into())
    }

    fn go_eq(&self, other: &dyn Object) -> bool {
        value::downcast::<Duration>(other).is_some_and(|o| o.0 == self.0)
    }

    fn deep_eq(&self, other: &dyn Object) -> bool {
        self.go_eq(other)
    }
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

    /// Go's behaviour for the `time` host objects and the functions that make them, worked
    /// out from Go 1.26's `time` and `text/template` sources and ESO's Sprig (there is no Go
    /// toolchain to run here); parse and duration errors leave out the quoted value.
    #[test]
    fn objects_match_go() {
        crate::template::funcs::assert_matches_go(GO_OBJECT_CASES);
    }

    #[test]
    fn now_reads_the_clock() {
        let out = render("{{ now }}|{{ now.UTC }}|{{ typeOf now }}|{{ now | date \"2006\" }}");
        let parts: Vec<&str> = out.split('|').collect();
        let [local, utc, ty, year] = parts[..] else {
            panic!("{out}");
        };
        // Go's `String()` of `time.Now()`, monotonic reading included; `UTC` drops it.
        let re = regex::Regex::new(
            r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC( m=\+\d+\.\d{9})?$",
        )
        .unwrap();
        assert!(re.is_match(local) && local.contains(" m=+"), "{local}");
        assert!(re.is_match(utc) && !utc.contains(" m="), "{utc}");
        assert_eq!(ty, "time.Time");
        assert!(year.parse::<i64>().unwrap() >= 2025);
        let epoch: i64 = render("{{ now | unixEpoch }}").parse().unwrap();
        let sys = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((sys - epoch).abs() < 60);
        assert_eq!(render("{{ ago now }} {{ durationRound now }}"), "0s 0s");
        assert_eq!(render("{{ now | dateModify \"-48h\" | ago }}"), "48h0m0s");
        // The monotonic reading follows `Add`, and `Sub` of two readings uses it.
        assert!(render("{{ now | dateModify \"-1h\" }}").contains(" m=-"));
        assert_eq!(render("{{ $t := now }}{{ ($t.Add 5).Sub $t }}"), "5ns");
        assert_eq!(
            render("{{ $t := now }}{{ eq $t $t }} {{ eq $t now }}"),
            "true false"
        );
    }

    #[test]
    fn errors_do_not_leak_values() {
        use crate::secret::{DataMap, SecretBytes};
        use crate::template::{Options, Template};
        let data = DataMap::from([
            ("d".to_owned(), SecretBytes::from("s3cr3t-2024")),
            ("l".to_owned(), SecretBytes::from("l4y0ut 2006")),
        ]);
        for tpl in [
            "{{ mustToDate \"2006\" .d }}",
            "{{ mustToDate .l .d }}",
            "{{ mustToDate \"2006-01-02\" .d }}",
            "{{ toDate \"2006\" \"2024\" | mustDateModify .d }}",
        ] {
            let t = Template::parse("t", tpl, &Options::default()).unwrap();
            let e = t.execute(&data).unwrap_err().to_string();
            assert!(!e.contains("s3cr3t") && !e.contains("l4y0ut"), "{e}");
        }
    }

    #[test]
    fn duration_rounding_like_go() {
        let round = |d| gocompat::time::round_duration(d, NANOS_PER_SEC);
        assert_eq!(round(1_499_999_999), 1_000_000_000);
        assert_eq!(round(1_500_000_000), 2_000_000_000);
        assert_eq!(round(-1_500_000_000), -2_000_000_000);
        assert_eq!(round(-1_499_999_999), -1_000_000_000);
        assert_eq!(round(i64::MAX), i64::MAX);
        assert_eq!(round(i64::MIN), i64::MIN);
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

    const GO_OBJECT_CASES: &[(&str, &str)] = &[
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" }}"#,
            r"2024-02-03 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-13-03" }}"#,
            r"0001-01-01 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate "2006-01-02 15:04:05 -0700" "2024-02-03 04:05:06 +0200" }}"#,
            r"2024-02-03 04:05:06 +0200 +0200",
        ),
        (
            r#"{{ toDate "2006-01-02 15:04:05 -0700" "2024-02-03 04:05:06 +0000" }}"#,
            r"2024-02-03 04:05:06 +0000 UTC",
        ),
        (
            r#"{{ toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T23:59:59.5Z" }}"#,
            r"2024-02-29 23:59:59.5 +0000 UTC",
        ),
        (
            r#"{{ toDate "Jan _2 15:04:05 MST 2006" "feb  3 04:05:06 PST 2024" }}"#,
            r"2024-02-03 04:05:06 +0000 PST",
        ),
        (
            r#"{{ toDate "3:04PM" "11:30PM" }}"#,
            r"0000-01-01 23:30:00 +0000 UTC",
        ),
        (
            r#"{{ toDate "06 002" "24 060" }}"#,
            r"2024-02-29 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate "15:04:05" "01:02:03,25" }}"#,
            r"0000-01-01 01:02:03.25 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02 -0700" "2024-02-03 +0200").UTC }}"#,
            r"2024-02-02 22:00:00 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02" "2024-02-03").UTC.Year }}"#,
            r"2024",
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | unixEpoch }}"#,
            r"1706918400",
        ),
        (r#"{{ unixEpoch (toDate "2006" "x") }}"#, r"-62135596800"),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ $n.Year }} {{ $n.Month }} {{ $n.Day }} {{ $n.Hour }} {{ $n.Minute }} {{ $n.Second }} {{ $n.Nanosecond }} {{ $n.YearDay }} {{ $n.Weekday }}"#,
            r"2024 February 29 13 14 15 123456789 60 Thursday",
        ),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ $n.Unix }} {{ $n.UnixMilli }} {{ $n.UnixMicro }} {{ $n.UnixNano }}"#,
            r"1709212455 1709212455123 1709212455123456 1709212455123456789",
        ),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ typeOf $n }} {{ kindOf $n }} {{ typeOf $n.Month }} {{ kindOf $n.Month }} {{ typeOf $n.Weekday }} {{ typeOf $n.Unix }} {{ typeOf $n.Year }} {{ typeOf ($n.Sub $n) }} {{ kindOf ($n.Sub $n) }}"#,
            r"time.Time struct time.Month int time.Weekday int64 int time.Duration int64",
        ),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ $n.Format "Monday, 02-Jan-06 3:04:05.000PM MST" }}"#,
            r"Thursday, 29-Feb-24 1:14:15.123PM UTC",
        ),
        (
            r#"{{ $z := toDate "2006-01-02 15:04 -07:00" "2024-02-03 00:00 -03:30" }}{{ $z.Format "15:04 -0700 Z07:00 MST" }} {{ $z }}"#,
            r"00:00 -0330 -03:30 -0330 2024-02-03 00:00:00 -0330 -0330",
        ),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ $n.String }} {{ $n.GoString }}"#,
            r"2024-02-29 13:14:15.123456789 +0000 UTC time.Date(2024, time.February, 29, 13, 14, 15, 123456789, time.UTC)",
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ printf "%v|%s|%#v|%T" $t $t $t $t }}"#,
            r"2024-01-01 00:00:00 +0000 UTC|2024-01-01 00:00:00 +0000 UTC|time.Date(2024, time.January, 1, 0, 0, 0, 0, time.Local)|time.Time",
        ),
        (
            r#"{{ (toDate "2006-01-02" "2024-01-31").AddDate 0 1 0 }}"#,
            r"2024-03-02 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02" "2024-01-31").AddDate -2025 0 0 }}"#,
            r"-0001-01-31 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02" "2024-01-31").Add 90000000000 }}"#,
            r"2024-01-31 00:01:30 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02" "2024-01-31").Add -1 }}"#,
            r"2024-01-30 23:59:59.999999999 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02 15:04" "2024-02-03 10:30").Round 3600000000000 }}"#,
            r"2024-02-03 11:00:00 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02 15:04" "2024-02-03 10:30").Truncate 3600000000000 }}"#,
            r"2024-02-03 10:00:00 +0000 UTC",
        ),
        (
            r#"{{ (toDate "2006-01-02" "2024-01-31").Truncate 604800000000000 }}"#,
            r"2024-01-29 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ $a := toDate "2006" "2023" }}{{ $b := toDate "2006" "2024" }}{{ $a.Before $b }} {{ $a.After $b }} {{ $a.Equal $a.UTC }} {{ $a.Compare $b }} {{ $b.Compare $a }} {{ $a.Sub $b }} {{ ($b.Sub $a).Hours }} {{ ($b.Sub $a).Minutes }} {{ ($b.Sub $a).Seconds }} {{ ($b.Sub $a).Milliseconds }} {{ ($a.Sub $b).Abs }} {{ ($b.Sub $a).Round 86400000000000 }} {{ ($b.Sub $a).Round 86400000000000000 }}"#,
            r"true false true -1 1 -8760h0m0s 8760 525600 3.1536e+07 31536000000 8760h0m0s 8760h0m0s 0s",
        ),
        (
            r#"{{ (toDate "2006" "x").IsZero }} {{ (toDate "2006" "2024").IsZero }} {{ (toDate "2006" "2024").IsDST }}"#,
            r"true false false",
        ),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ $m := $n.Month }}{{ printf "%d %v %s %q %x %T %05d %t" $m $m $m $m $m $m $m $m }}"#,
            r#"2 February February "February" 4665627275617279 time.Month 00002 %!t(time.Month=February)"#,
        ),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ eq $n.Month 2 }} {{ lt $n.Weekday 5 }} {{ add $n.Month 1 }} {{ toString $n.Month }} {{ $n.Month.String }} {{ toJson (dict "m" $n.Month "w" $n.Weekday "d" ($n.Sub $n)) }}"#,
            r#"true true 3 February February {"d":0,"m":2,"w":4}"#,
        ),
        (
            r#"{{ $n := toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:14:15.123456789Z" }}{{ durationRound ($n.Sub $n) }} {{ int64 (($n.Add 1000000000).Sub $n) }} {{ float64 ($n.Sub ($n.Add 1500)) }}"#,
            r"0s 1000000000 -1500",
        ),
        (
            r#"{{ toJson (toDate "2006-01-02T15:04:05.999Z07:00" "2024-01-02T03:04:05.5+01:00") }}"#,
            r#""2024-01-02T03:04:05.5+01:00""#,
        ),
        (
            r#"{{ toJson ((toDate "2006" "9999").AddDate 1 0 0) }}"#,
            r"",
        ),
        (
            r#"{{ toYaml (list (semver "1.2.3") ((toDate "2006" "2024").Sub (toDate "2006" "2023"))) }}"#,
            r"- 1.2.3
- 31536000000000000",
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | dateModify "-1.5h" }}"#,
            r"2024-02-02 22:30:00 +0000 UTC",
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | date_modify "1h30m0.5s" }}"#,
            r"2024-02-03 01:30:00.5 +0000 UTC",
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | dateModify "1d" }}"#,
            r"2024-02-03 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | must_date_modify "+2m" }}"#,
            r"2024-02-03 00:02:00 +0000 UTC",
        ),
        (
            r#"{{ toDate "2006-01-02 15:04 -0700" "2024-02-03 01:00 +0200" | date "2006-01-02 15:04 MST" }}"#,
            r"2024-02-02 23:00 UTC",
        ),
        (
            r#"{{ htmlDate (toDate "2006-01-02 -0700" "2024-02-03 +0200") }} {{ dateInZone "15:04 MST" (toDate "15:04" "12:34") "UTC" }} {{ htmlDateInZone (toDate "2006" "2024") "" }}"#,
            r"2024-02-02 12:34 UTC 2024-01-01",
        ),
        (
            r#"{{ list (toDate "2006" "2024") (semver "v1.2") }} {{ print (toDate "2006" "2024") 1 }}"#,
            r"[2024-01-01 00:00:00 +0000 UTC 1.2.0] 2024-01-01 00:00:00 +0000 UTC 1",
        ),
        (
            r#"{{ if toDate "2006" "x" }}t{{ end }} {{ empty (toDate "2006" "x") }} {{ eq (toDate "2006" "2024") (toDate "2006" "2024") }} {{ eq (toDate "2006" "2024") (toDate "2006" "2024").UTC }} {{ eq (toDate "2006 -0700" "2024 +0100") (toDate "2006 -0700" "2024 +0100") }} {{ eq (toDate "2006 -0700" "2024 +0130") (toDate "2006 -0700" "2024 +0130") }} {{ deepEqual (toDate "2006 -0700" "2024 +0130") (toDate "2006 -0700" "2024 +0130") }}"#,
            r"t false true false true false true",
        ),
        (
            r#"{{ $d := dict "t" (toDate "2006" "2024") }}{{ $d.t.Year }} {{ (deepCopy $d).t }}"#,
            r"2024 2024-01-01 00:00:00 +0000 UTC",
        ),
        (
            r#"{{ mustToDate "2006-01-02" "2024-13-03" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <mustToDate "2006-01-02" "2024-13-03">: error calling mustToDate: parsing time: month out of range"#,
        ),
        (
            r#"{{ mustToDate "2006-01-02" "2023-02-29" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <mustToDate "2006-01-02" "2023-02-29">: error calling mustToDate: parsing time: day out of range"#,
        ),
        (
            r#"{{ mustToDate "2006-01-02" "24-01-02" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <mustToDate "2006-01-02" "24-01-02">: error calling mustToDate: parsing time: cannot parse the value as "2006""#,
        ),
        (
            r#"{{ mustToDate "2006-01-02" "2024/01/02" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <mustToDate "2006-01-02" "2024/01/02">: error calling mustToDate: parsing time: cannot parse the value as the layout's literal text"#,
        ),
        (
            r#"{{ mustToDate "2006" "2024x" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <mustToDate "2006" "2024x">: error calling mustToDate: parsing time: extra text"#,
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | mustDateModify "1d" }}"#,
            r#"ERR: template: t:1:38: executing "t" at <mustDateModify "1d">: error calling mustDateModify: time: unknown unit in duration"#,
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | mustDateModify "3" }}"#,
            r#"ERR: template: t:1:38: executing "t" at <mustDateModify "3">: error calling mustDateModify: time: missing unit in duration"#,
        ),
        (
            r#"{{ toDate "2006-01-02" "2024-02-03" | mustDateModify "x" }}"#,
            r#"ERR: template: t:1:38: executing "t" at <mustDateModify "x">: error calling mustDateModify: time: invalid duration"#,
        ),
        (
            r#"{{ unixEpoch "x" }}"#,
            r#"ERR: template: t:1:13: executing "t" at <"x">: can't handle "x" for arg of type time.Time"#,
        ),
        (
            r#"{{ "x" | unixEpoch }}"#,
            r#"ERR: template: t:1:9: executing "t" at <unixEpoch>: wrong type for value; expected time.Time; got string"#,
        ),
        (
            r"{{ unixEpoch nil }}",
            r#"ERR: template: t:1:13: executing "t" at <nil>: cannot assign nil to time.Time"#,
        ),
        (
            r#"{{ mustToJson ((toDate "2006" "9999").AddDate 1 0 0) }}"#,
            r#"ERR: template: t:1:3: executing "t" at <mustToJson ((toDate "2006" "9999").AddDate 1 0 0)>: error calling mustToJson: json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Format }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Format>: wrong number of args for Format: want 1 got 0"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Format "a" "b" }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Format>: wrong number of args for Format: want 1 got 2"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Year 1 }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Year>: wrong number of args for Year: want 0 got 1"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Date }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Date>: can't call method/function "Date" with 3 results"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Zone }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Zone>: can't call method/function "Zone" with 2 results"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.wall }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.wall>: wall is an unexported field of struct type time.Time"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Foo }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Foo>: can't evaluate field Foo in type time.Time"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.UnmarshalJSON }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.UnmarshalJSON>: can't evaluate field UnmarshalJSON in type time.Time"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.In }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.In>: method In of type time.Time is not supported by eso-render yet"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Year.Foo }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Year.Foo>: can't evaluate field Foo in type int"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Month.Foo }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.Month.Foo>: can't evaluate field Foo in type time.Month"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Add "1h" }}"#,
            r#"ERR: template: t:1:42: executing "t" at <"1h">: expected integer; found "1h""#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Add (int64 5) }}"#,
            r#"ERR: template: t:1:49: executing "t" at <5>: wrong type for value; expected time.Duration; got int64"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Sub 5 }}"#,
            r#"ERR: template: t:1:42: executing "t" at <5>: can't handle 5 for arg of type time.Time"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.Sub nil }}"#,
            r#"ERR: template: t:1:42: executing "t" at <nil>: cannot assign nil to time.Time"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.AddDate 1 2 }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.AddDate>: wrong number of args for AddDate: want 3 got 2"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $t.AddDate 9223372036854775807 0 0 }}"#,
            r#"ERR: template: t:1:37: executing "t" at <$t.AddDate>: error calling AddDate: dates this far from 1970 are not supported by eso-render yet"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ range $t.Month }}x{{ end }}"#,
            r#"ERR: template: t:1:43: executing "t" at <$t.Month>: range over a value of type time.Month is not supported by eso-render yet"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ range $t }}x{{ end }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$t>: range can't iterate over value of type time.Time"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ lt $t $t }}"#,
            r#"ERR: template: t:1:35: executing "t" at <lt $t $t>: error calling lt: invalid type for comparison"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ eq $t "x" }}"#,
            r#"ERR: template: t:1:35: executing "t" at <eq $t "x">: error calling eq: incompatible types for comparison"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ eq $t (semver "1.0.0") }}"#,
            r#"ERR: template: t:1:35: executing "t" at <eq $t (semver "1.0.0")>: error calling eq: non-comparable types time.Time, *semver.Version"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ $d := dict "t" $t }}{{ $d.t.Foo }}"#,
            r#"ERR: template: t:1:60: executing "t" at <$d.t.Foo>: can't evaluate field Foo in type interface {}"#,
        ),
        (
            r#"{{ $t := toDate "2006" "2024" }}{{ len $t }}"#,
            r#"ERR: template: t:1:35: executing "t" at <len $t>: error calling len: len of type time.Time"#,
        ),
    ];
}
