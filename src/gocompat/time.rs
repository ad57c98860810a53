//! Go's `time.Time`: an instant with a location and, for `time.Now`, a monotonic clock reading.
//!
//! Sprig's date functions hand these to templates, which print them, format them and call their
//! methods, so the civil fields, `Format`, `ParseInLocation`, `String`, `GoString`,
//! `MarshalJSON`, the arithmetic and Go's `==` must all come out as Go's do. Mirrors Go's
//! `time/format.go` (`nextStdChunk`, `appendFormat`, `appendNano`, `parse`, `parseTimeZone`,
//! `parseNanoseconds`, `atoi`, `getnum`, `skip`), `time/format_rfc3339.go`
//! (`appendStrictRFC3339`) and `time/time.go` (`Date`, `Add`, `addSec`, `Sub`, `AddDate`,
//! `Truncate`, `Round`, `String`, `Duration.Round`).
//!
//! Locations, without a time zone database: `UTC`; `Local`, which is UTC with the abbreviation
//! `UTC` (ESO's image sets no zone, so Go's `Local` falls back to UTC and knows no other zone
//! name); and fixed zones, which parsing makes for a numeric offset (`+0200` prints as
//! `+0200 +0200`) or an unknown abbreviation (`PST` is kept with offset 0, as Go does). Like Go,
//! a location has an identity: [`Zone::same`] is Go's pointer comparison.
//!
//! Instants are limited to ±10^15 seconds around 1970 (about ±31 million years); operations that
//! would leave that range return `None`. The monotonic reading counts nanoseconds from the first
//! clock read of this process, as Go's counts from its process start.
//!
//! Parse errors: Go quotes the value, the layout and the pieces of both that failed. The value
//! may be a secret and the layout may come from data, so [`ParseError`] keeps only the failing
//! standard element (one of Go's fixed tokens, such as `"2006"`) and the range names.
//!
//! Must not: panic or overflow on any layout, value or operand, or keep value bytes in an error.

use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::LazyLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Largest distance from 1970, in seconds, of an instant this module represents.
pub const MAX_ABS_UNIX: i64 = 1_000_000_000_000_000;
/// Unix time of Go's zero `Time`, January 1 of year 1, UTC.
pub const ZERO_UNIX: i64 = -62_135_596_800;

const NANOS_PER_SEC: i64 = 1_000_000_000;
/// Unix time of January 1, 1885: Go packs monotonic times as 33-bit seconds since then.
const WALL_MIN_UNIX: i64 = days_from_civil(1885, 1, 1) * 86_400;
const WALL_MAX_UNIX: i64 = WALL_MIN_UNIX + (1 << 33) - 1;

/// Go's layout for `Time.String`.
const STRING_LAYOUT: &[u8] = b"2006-01-02 15:04:05.999999999 -0700 MST";
/// Go's `time.RFC3339Nano`.
const RFC3339_NANO: &[u8] = b"2006-01-02T15:04:05.999999999Z07:00";

pub const MONTHS: [&str; 12] = [
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
pub const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A fixed zone: a name (possibly empty) and an offset east of UTC in seconds.
#[derive(PartialEq, Eq)]
pub struct Fixed {
    name: String,
    offset: i32,
    /// Go hands out one shared `*Location` per unnamed whole-hour offset from -12h to +14h.
    shared: bool,
}

/// Go's `*time.Location`, as far as eso-render has locations.
#[derive(Clone)]
pub enum Zone {
    Utc,
    /// Go's `Local` in ESO's image: UTC, abbreviated `UTC`.
    Local,
    Fixed(Rc<Fixed>),
}

impl Zone {
    /// Go's `FixedZone`.
    pub fn fixed(name: String, offset: i32) -> Zone {
        let hour = offset / 3600;
        let shared = name.is_empty() && (-12..=14).contains(&hour) && hour * 3600 == offset;
        Zone::Fixed(Rc::new(Fixed {
            name,
            offset,
            shared,
        }))
    }

    /// The zone abbreviation `MST` prints (empty for an unnamed fixed zone).
    pub fn name(&self) -> &str {
        match self {
            Zone::Utc | Zone::Local => "UTC",
            Zone::Fixed(f) => &f.name,
        }
    }

    /// Seconds east of UTC.
    pub fn offset(&self) -> i64 {
        match self {
            Zone::Utc | Zone::Local => 0,
            Zone::Fixed(f) => i64::from(f.offset),
        }
    }

    /// Go's `==` on the `*Location` pointers.
    pub fn same(&self, other: &Zone) -> bool {
        match (self, other) {
            (Zone::Utc, Zone::Utc) | (Zone::Local, Zone::Local) => true,
            (Zone::Fixed(a), Zone::Fixed(b)) => {
                Rc::ptr_eq(a, b) || a.shared && b.shared && a.offset == b.offset
            }
            _ => false,
        }
    }

    /// Go's `reflect.DeepEqual` on the locations: equal contents.
    pub fn deep_eq(&self, other: &Zone) -> bool {
        match (self, other) {
            (Zone::Utc, Zone::Utc) | (Zone::Local, Zone::Local) => true,
            (Zone::Fixed(a), Zone::Fixed(b)) => a.name == b.name && a.offset == b.offset,
            _ => false,
        }
    }
}

/// The civil fields of an instant in its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1 to 12.
    pub month: i64,
    pub day: i64,
    /// 1 to 366.
    pub yday: i64,
    /// 0 (Sunday) to 6.
    pub weekday: i64,
    pub hour: i64,
    pub min: i64,
    pub sec: i64,
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm); `month` is
/// 1 to 12, `day` may be any count.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days before each month in a common year; index 12 is the whole year.
const DAYS_BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

fn days_in(month: i64, year: i64) -> i64 {
    if month == 2 && is_leap(year) {
        return 29;
    }
    let m = month.clamp(1, 12) as usize;
    DAYS_BEFORE[m] - DAYS_BEFORE[m - 1]
}

/// The civil fields of `secs` seconds after 1970-01-01T00:00:00 (local time).
fn civil(secs: i64) -> Civil {
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
    let before = DAYS_BEFORE[(month - 1).clamp(0, 11) as usize];
    Civil {
        year,
        month,
        day,
        yday: before + day + i64::from(is_leap(year) && month > 2),
        weekday: (days + 4).rem_euclid(7),
        hour: rem / 3600,
        min: rem % 3600 / 60,
        sec: rem % 60,
    }
}

/// Go's `Duration.Round`.
pub fn round_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let r = d % m;
    let less_than_half = |r: i64| r.unsigned_abs() * 2 < m.unsigned_abs();
    if d < 0 {
        let r = -r;
        if less_than_half(r) {
            return d + r;
        }
        return d.checked_sub(m - r).unwrap_or(i64::MIN);
    }
    if less_than_half(r) {
        return d - r;
    }
    d.checked_add(m - r).unwrap_or(i64::MAX)
}

/// Go's `Duration.Truncate`.
pub fn truncate_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    d - d % m
}

static PROCESS_START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Go's `time.Time`.
#[derive(Clone)]
pub struct Time {
    unix: i64,
    nsec: u32,
    zone: Zone,
    /// Go's monotonic clock reading in nanoseconds; only [`Time::now`] sets one.
    mono: Option<i64>,
}

impl Time {
    /// Go's zero `Time{}`: January 1, year 1, 00:00:00 UTC.
    pub fn zero() -> Time {
        Time {
            unix: ZERO_UNIX,
            nsec: 0,
            zone: Zone::Utc,
            mono: None,
        }
    }

    /// Go's `time.Unix(secs, nsec).In(zone)`; `None` beyond [`MAX_ABS_UNIX`].
    pub fn from_unix(secs: i64, nsec: u32, zone: Zone) -> Option<Time> {
        if secs.unsigned_abs() > MAX_ABS_UNIX.unsigned_abs() || nsec >= 1_000_000_000 {
            return None;
        }
        Some(Time {
            unix: secs,
            nsec,
            zone,
            mono: None,
        })
    }

    /// Go's `time.Now()`: the system clock in `Local`, with a monotonic reading.
    pub fn now() -> Time {
        let start = *PROCESS_START;
        let nanos: i128 = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
            Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        let limit = i128::from(MAX_ABS_UNIX) * i128::from(NANOS_PER_SEC);
        let nanos = nanos.clamp(-limit, limit);
        let unix = nanos.div_euclid(NANOS_PER_SEC.into()) as i64;
        let nsec = nanos.rem_euclid(NANOS_PER_SEC.into()) as u32;
        // Go subtracts a start time taken one nanosecond before its first reading.
        let mono = i64::try_from(start.elapsed().as_nanos())
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        Time {
            unix,
            nsec,
            zone: Zone::Local,
            mono: (WALL_MIN_UNIX..=WALL_MAX_UNIX)
                .contains(&unix)
                .then_some(mono),
        }
    }

    /// Go's `time.Date`: fields beyond their range carry into the next larger one.
    #[expect(clippy::too_many_arguments, reason = "mirrors Go's time.Date")]
    pub fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        zone: Zone,
    ) -> Option<Time> {
        let m0 = i128::from(month) - 1;
        let year = i128::from(year) + m0.div_euclid(12);
        let month = (m0.rem_euclid(12) + 1) as i64;
        let nsec = i128::from(nsec);
        let secs = i128::from(sec) + nsec.div_euclid(NANOS_PER_SEC.into());
        let nsec = nsec.rem_euclid(NANOS_PER_SEC.into()) as u32;
        let clock = i128::from(hour) * 3600 + i128::from(min) * 60 + secs;
        // Far beyond the supported range already; keeps days_from_civil's arithmetic small.
        if year.abs() > 100_000_000 {
            return None;
        }
        let days = i128::from(days_from_civil(year as i64, month, 1)) + i128::from(day) - 1;
        let unix = days * 86_400 + clock - i128::from(zone.offset());
        Time::from_unix(i64::try_from(unix).ok()?, nsec, zone)
    }

    pub fn unix(&self) -> i64 {
        self.unix
    }

    pub fn nanosecond(&self) -> u32 {
        self.nsec
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// The civil fields in the time's own zone.
    pub fn civil(&self) -> Civil {
        civil(self.unix + self.zone.offset())
    }

    /// Go's `UnixNano` (wrapping beyond 1678–2262, as Go's arithmetic does).
    pub fn unix_nano(&self) -> i64 {
        self.unix
            .wrapping_mul(NANOS_PER_SEC)
            .wrapping_add(i64::from(self.nsec))
    }

    pub fn unix_micro(&self) -> i64 {
        self.unix
            .wrapping_mul(1_000_000)
            .wrapping_add(i64::from(self.nsec / 1000))
    }

    pub fn unix_milli(&self) -> i64 {
        self.unix
            .wrapping_mul(1000)
            .wrapping_add(i64::from(self.nsec / 1_000_000))
    }

    /// Go's `IsZero`.
    pub fn is_zero(&self) -> bool {
        self.unix == ZERO_UNIX && self.nsec == 0
    }

    /// Go's `In` / `UTC` / `Local`: the same instant elsewhere, without a monotonic reading.
    pub fn in_zone(&self, zone: Zone) -> Time {
        Time {
            zone,
            mono: None,
            ..self.clone()
        }
    }

    /// Go's `Add`.
    pub fn add(&self, d: i64) -> Option<Time> {
        let mut dsec = d / NANOS_PER_SEC;
        let mut nsec = i64::from(self.nsec) + d % NANOS_PER_SEC;
        if nsec >= NANOS_PER_SEC {
            dsec += 1;
            nsec -= NANOS_PER_SEC;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += NANOS_PER_SEC;
        }
        let unix = self.unix.checked_add(dsec)?;
        let mut t = Time::from_unix(unix, u32::try_from(nsec).ok()?, self.zone.clone())?;
        if let Some(m) = self.mono
            && (WALL_MIN_UNIX..=WALL_MAX_UNIX).contains(&unix)
        {
            let te = m.wrapping_add(d);
            // A reading out of range degrades to wall time only, as in Go.
            if !(d < 0 && te > m || d > 0 && te < m) {
                t.mono = Some(te);
            }
        }
        Some(t)
    }

    /// Go's `Sub`: the duration `self - u`, saturated at the `int64` limits.
    pub fn sub(&self, u: &Time) -> i64 {
        if let (Some(t), Some(u)) = (self.mono, u.mono) {
            let d = t.wrapping_sub(u);
            return if d < 0 && t > u {
                i64::MAX
            } else if d > 0 && t < u {
                i64::MIN
            } else {
                d
            };
        }
        let d = i128::from(self.unix - u.unix) * i128::from(NANOS_PER_SEC) + i128::from(self.nsec)
            - i128::from(u.nsec);
        d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// Go's `Compare` (and so `Before`, `After`, `Equal`): by monotonic readings when both
    /// have one, else by instant.
    pub fn compare(&self, u: &Time) -> Ordering {
        if let (Some(t), Some(u)) = (self.mono, u.mono) {
            return t.cmp(&u);
        }
        (self.unix, self.nsec).cmp(&(u.unix, u.nsec))
    }

    /// Go's `AddDate`.
    pub fn add_date(&self, years: i64, months: i64, days: i64) -> Option<Time> {
        let c = self.civil();
        Time::date(
            c.year.checked_add(years)?,
            c.month.checked_add(months)?,
            c.day.checked_add(days)?,
            c.hour,
            c.min,
            c.sec,
            i64::from(self.nsec),
            self.zone.clone(),
        )
    }

    /// The time since Go's zero time modulo `d` (Go's `div`), for `d > 0`.
    fn rem(&self, d: i64) -> i64 {
        let since_zero =
            i128::from(self.unix - ZERO_UNIX) * i128::from(NANOS_PER_SEC) + i128::from(self.nsec);
        since_zero.rem_euclid(i128::from(d)) as i64
    }

    /// Go's `Truncate`: rounded down to a multiple of `d` since the zero time.
    pub fn truncate(&self, d: i64) -> Option<Time> {
        let t = Time {
            mono: None,
            ..self.clone()
        };
        if d <= 0 {
            return Some(t);
        }
        t.add(-t.rem(d))
    }

    /// Go's `Round`: to the nearest multiple of `d` since the zero time, halves up.
    pub fn round(&self, d: i64) -> Option<Time> {
        let t = Time {
            mono: None,
            ..self.clone()
        };
        if d <= 0 {
            return Some(t);
        }
        let r = t.rem(d);
        if r.unsigned_abs() * 2 < d.unsigned_abs() {
            t.add(-r)
        } else {
            t.add(d - r)
        }
    }

    /// Go's `==` on two `Time` values: instant, location pointer and monotonic reading.
    pub fn go_eq(&self, u: &Time) -> bool {
        self.unix == u.unix && self.nsec == u.nsec && self.mono == u.mono && self.zone.same(&u.zone)
    }

    /// Go's `reflect.DeepEqual` on two `Time` values.
    pub fn deep_eq(&self, u: &Time) -> bool {
        self.unix == u.unix
            && self.nsec == u.nsec
            && self.mono == u.mono
            && self.zone.deep_eq(&u.zone)
    }

    /// Go's `Format`.
    pub fn format(&self, layout: &[u8]) -> Vec<u8> {
        let c = self.civil();
        let offset = self.zone.offset();
        let mut out = Vec::with_capacity(layout.len() + 16);
        let mut rest = layout;
        loop {
            let (prefix, std, suffix) = next_chunk(rest);
            out.extend_from_slice(prefix);
            let Some(std) = std else { break };
            rest = suffix;
            let hour12 = if c.hour % 12 == 0 { 12 } else { c.hour % 12 };
            let month = MONTHS[(c.month - 1).clamp(0, 11) as usize];
            let weekday = DAYS[c.weekday.clamp(0, 6) as usize];
            match std {
                Std::Year => append_int(&mut out, c.year.abs() % 100, 2),
                Std::LongYear => append_int(&mut out, c.year, 4),
                Std::Month => out.extend_from_slice(&month.as_bytes()[..3]),
                Std::LongMonth => out.extend_from_slice(month.as_bytes()),
                Std::NumMonth => append_int(&mut out, c.month, 0),
                Std::ZeroMonth => append_int(&mut out, c.month, 2),
                Std::WeekDay => out.extend_from_slice(&weekday.as_bytes()[..3]),
                Std::LongWeekDay => out.extend_from_slice(weekday.as_bytes()),
                Std::Day => append_int(&mut out, c.day, 0),
                Std::UnderDay => {
                    if c.day < 10 {
                        out.push(b' ');
                    }
                    append_int(&mut out, c.day, 0);
                }
                Std::ZeroDay => append_int(&mut out, c.day, 2),
                Std::UnderYearDay => {
                    if c.yday < 100 {
                        out.push(b' ');
                        if c.yday < 10 {
                            out.push(b' ');
                        }
                    }
                    append_int(&mut out, c.yday, 0);
                }
                Std::ZeroYearDay => append_int(&mut out, c.yday, 3),
                Std::Hour => append_int(&mut out, c.hour, 2),
                Std::Hour12 => append_int(&mut out, hour12, 0),
                Std::ZeroHour12 => append_int(&mut out, hour12, 2),
                Std::Minute => append_int(&mut out, c.min, 0),
                Std::ZeroMinute => append_int(&mut out, c.min, 2),
                Std::Second => append_int(&mut out, c.sec, 0),
                Std::ZeroSecond => append_int(&mut out, c.sec, 2),
                Std::Pm => out.extend_from_slice(if c.hour >= 12 { b"PM" } else { b"AM" }),
                Std::PmLower => out.extend_from_slice(if c.hour >= 12 { b"pm" } else { b"am" }),
                Std::Tz => {
                    let name = self.zone.name();
                    if name.is_empty() {
                        append_offset(&mut out, offset, OffsetForm::HhMm);
                    } else {
                        out.extend_from_slice(name.as_bytes());
                    }
                }
                Std::Offset(form, iso) => {
                    if iso && offset == 0 {
                        out.push(b'Z');
                    } else {
                        append_offset(&mut out, offset, form);
                    }
                }
                Std::Frac { digits, trim, sep } => {
                    append_nano(&mut out, self.nsec, digits, trim, sep);
                }
            }
        }
        out
    }

    /// Go's `String`: `2006-01-02 15:04:05.999999999 -0700 MST`, then the monotonic reading as
    /// ` m=±seconds`.
    pub fn string(&self) -> Vec<u8> {
        let mut out = self.format(STRING_LAYOUT);
        if let Some(m) = self.mono {
            out.extend_from_slice(b" m=");
            out.push(if m < 0 { b'-' } else { b'+' });
            let m = m.unsigned_abs();
            let (m1, m2) = (m / 1_000_000_000, m % 1_000_000_000);
            let (m0, m1) = (m1 / 1_000_000_000, m1 % 1_000_000_000);
            let mut width = 0;
            if m0 != 0 {
                out.extend_from_slice(m0.to_string().as_bytes());
                width = 9;
            }
            out.extend_from_slice(format!("{m1:0width$}.{m2:09}").as_bytes());
        }
        out
    }

    /// Go's `GoString` (what `%#v` prints): `time.Date(2009, time.November, 10, 23, 0, 0, 0,
    /// time.UTC)`.
    pub fn go_string(&self) -> Vec<u8> {
        let c = self.civil();
        let month = MONTHS[(c.month - 1).clamp(0, 11) as usize];
        let zone = match &self.zone {
            Zone::Utc => "time.UTC".to_owned(),
            Zone::Local => "time.Local".to_owned(),
            Zone::Fixed(f) => format!("time.Location({})", super::duration::quote(&f.name)),
        };
        format!(
            "time.Date({}, time.{month}, {}, {}, {}, {}, {}, {zone})",
            c.year, c.day, c.hour, c.min, c.sec, self.nsec
        )
        .into_bytes()
    }

    /// Go's `MarshalJSON`, as the string it quotes: RFC 3339 with nanoseconds; Go's error when
    /// the year has more than four digits or the zone's hour is beyond 23.
    pub fn marshal_json(&self) -> Result<String, &'static str> {
        if !(0..=9999).contains(&self.civil().year) {
            return Err("Time.MarshalJSON: year outside of range [0,9999]");
        }
        let offset = self.zone.offset();
        if offset != 0 && (offset / 60).abs() / 60 >= 24 {
            return Err("Time.MarshalJSON: timezone hour outside of range [0,23]");
        }
        Ok(String::from_utf8_lossy(&self.format(RFC3339_NANO)).into_owned())
    }

    /// Go's `time.ParseInLocation(layout, value, time.Local)`.
    ///
    /// # Errors
    /// Where Go's `parse` fails, with its message minus the quoted value and layout.
    pub fn parse_in_local(layout: &[u8], value: &[u8]) -> Result<Time, ParseError> {
        Parsed::run(layout, value)?.into_time()
    }
}

/// Go's numeric zone forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OffsetForm {
    /// `-070000`
    HhMmSs,
    /// `-07:00:00`
    HhMmSsColon,
    /// `-0700`
    HhMm,
    /// `-07:00`
    HhMmColon,
    /// `-07`
    Hh,
}

impl OffsetForm {
    fn colon(self) -> bool {
        matches!(self, OffsetForm::HhMmColon | OffsetForm::HhMmSsColon)
    }

    fn seconds(self) -> bool {
        matches!(self, OffsetForm::HhMmSs | OffsetForm::HhMmSsColon)
    }
}

/// A layout element (Go's `std` values).
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
    Offset(OffsetForm, bool),
    /// Fractional seconds: digit count (Go keeps it modulo 4096), whether trailing zeros are
    /// trimmed (`.999`), separator.
    Frac {
        digits: usize,
        trim: bool,
        sep: u8,
    },
}

/// Go's `nextStdChunk`: the literal prefix, the element, and the rest of the layout.
fn next_chunk(layout: &[u8]) -> (&[u8], Option<Std>, &[u8]) {
    let at = |i: usize, s: &[u8]| layout.get(i..i + s.len()) == Some(s);
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
                    // `_2006` is a literal `_` and then the year.
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
                [
                    ("070000", OffsetForm::HhMmSs),
                    ("07:00:00", OffsetForm::HhMmSsColon),
                    ("0700", OffsetForm::HhMm),
                    ("07:00", OffsetForm::HhMmColon),
                    ("07", OffsetForm::Hh),
                ]
                .into_iter()
                .find(|(text, _)| at(i + 1, text.as_bytes()))
                .and_then(|(text, form)| found(Std::Offset(form, iso), text.len() + 1))
            }
            sep @ (b'.' | b',') => match layout.get(i + 1) {
                Some(&d @ (b'0' | b'9')) => {
                    let mut j = i + 1;
                    while layout.get(j) == Some(&d) {
                        j += 1;
                    }
                    if layout.get(j).is_some_and(u8::is_ascii_digit) {
                        None
                    } else {
                        let std = Std::Frac {
                            digits: (j - (i + 1)) & 0xfff,
                            trim: d == b'9',
                            sep,
                        };
                        found(std, j - i)
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
fn append_int(out: &mut Vec<u8>, v: i64, width: usize) {
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(format!("{:0width$}", v.unsigned_abs()).as_bytes());
}

/// The numeric zone of `appendFormat` (Go's quirks kept: the sign comes from the minutes, the
/// seconds from the signed offset).
fn append_offset(out: &mut Vec<u8>, offset: i64, form: OffsetForm) {
    let mut zone = offset / 60;
    let mut abs = offset;
    if zone < 0 {
        out.push(b'-');
        zone = -zone;
        abs = -abs;
    } else {
        out.push(b'+');
    }
    append_int(out, zone / 60, 2);
    if form.colon() {
        out.push(b':');
    }
    if form != OffsetForm::Hh {
        append_int(out, zone % 60, 2);
    }
    if form.seconds() {
        if form.colon() {
            out.push(b':');
        }
        append_int(out, abs % 60, 2);
    }
}

/// Go's `appendNano`.
fn append_nano(out: &mut Vec<u8>, nsec: u32, digits: usize, trim: bool, sep: u8) {
    if trim && (digits == 0 || nsec == 0) {
        return;
    }
    let all = format!("{nsec:09}");
    let mut kept = &all[..digits.min(9)];
    if trim {
        kept = kept.trim_end_matches('0');
        if kept.is_empty() {
            return;
        }
    }
    out.push(sep);
    out.extend_from_slice(kept.as_bytes());
}

/// Why a value does not parse with a layout: Go's `ParseError` message without the quoted value
/// and layout (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The value does not match a standard layout element (`"2006"`, `"Jan"`, `".000"`).
    #[error("parsing time: cannot parse the value as \"{0}\"")]
    Element(String),
    /// The value does not match literal text of the layout.
    #[error("parsing time: cannot parse the value as the layout's literal text")]
    Literal,
    /// The value goes on after the layout ends.
    #[error("parsing time: extra text")]
    ExtraText,
    /// A field out of its range (`month`, `day`, `time zone offset hour`, …).
    #[error("parsing time: {0} out of range")]
    OutOfRange(&'static str),
    #[error("parsing time: day-of-year does not match month")]
    DayOfYearMonth,
    #[error("parsing time: day-of-year does not match day")]
    DayOfYearDay,
}

/// Go's `atoi`: an optional sign and digits, all of `s`.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let (x, rem) = leading_int(digits)?;
    if !rem.is_empty() {
        return None;
    }
    let x = i64::try_from(x).ok()?;
    Some(if neg { -x } else { x })
}

/// Go's `leadingInt`: leading digits up to 1<<63.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut x: u64 = 0;
    for &c in &s[..n] {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > 1 << 63 {
            return None;
        }
    }
    Some((x, &s[n..]))
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Go's `getnum`: one or two digits (two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !is_digit(s, 0) {
        return None;
    }
    let d = |i: usize| i64::from(s[i] - b'0');
    if !is_digit(s, 1) {
        if fixed {
            return None;
        }
        return Some((d(0), &s[1..]));
    }
    Some((d(0) * 10 + d(1), &s[2..]))
}

/// Go's `getnum3`: one to three digits (three when `fixed`).
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0;
    let mut i = 0;
    while i < 3 && is_digit(s, i) {
        n = n * 10 + i64::from(s[i] - b'0');
        i += 1;
    }
    if i == 0 || fixed && i != 3 {
        return None;
    }
    Some((n, &s[i..]))
}

/// Go's `skip`: removes `prefix` from `value`, runs of spaces matching runs of spaces.
fn skip<'v>(mut value: &'v [u8], mut prefix: &[u8]) -> Option<&'v [u8]> {
    let cut = |s: &[u8]| -> usize { s.iter().take_while(|c| **c == b' ').count() };
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|c| *c != b' ') {
                return None;
            }
            prefix = &prefix[cut(prefix)..];
            value = &value[cut(value)..];
            continue;
        }
        if value.first() != Some(&p) {
            return None;
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Some(value)
}

/// Go's `lookup`: a case-insensitive name at the start of `value`.
fn lookup<'v>(names: &[&str], value: &'v [u8]) -> Option<(usize, &'v [u8])> {
    names.iter().enumerate().find_map(|(i, name)| {
        let head = value.get(..name.len())?;
        let matches = head.iter().zip(name.as_bytes()).all(|(a, b)| {
            a == b || {
                let (x, y) = (a | 0x20, b | 0x20);
                x == y && x.is_ascii_lowercase()
            }
        });
        matches.then(|| (i, &value[name.len()..]))
    })
}

/// Go's `parseSignedOffset`: the length of `+NN`/`-NN` (at most 23) at the start, or 0.
fn parse_signed_offset(value: &[u8]) -> usize {
    if !matches!(value.first(), Some(b'+' | b'-')) {
        return 0;
    }
    match leading_int(&value[1..]) {
        Some((x, rem)) if rem.len() < value.len() - 1 && x <= 23 => value.len() - rem.len(),
        _ => 0,
    }
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start of `value`.
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with(b"ChST") || value.starts_with(b"MeST") {
        return Some(4);
    }
    if value.starts_with(b"GMT") {
        return Some(3 + parse_signed_offset(&value[3..]));
    }
    if matches!(value[0], b'+' | b'-') {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = value
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        5 if value[4] == b'T' => Some(5),
        4 if value[3] == b'T' || value.starts_with(b"WITA") => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// Go's `parseNanoseconds`: `.ddd` of `nbytes` bytes as nanoseconds.
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, Failure> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(Failure::Bad);
    }
    let nbytes = nbytes.min(10);
    let mut ns = atoi(value.get(1..nbytes).ok_or(Failure::Bad)?).ok_or(Failure::Bad)?;
    if ns < 0 {
        return Err(Failure::Range("fractional second"));
    }
    for _ in nbytes..10 {
        ns *= 10;
    }
    Ok(ns)
}

/// How one layout element failed.
enum Failure {
    Bad,
    Range(&'static str),
}

/// The fields Go's `parse` collects before building the time.
struct Parsed {
    year: i64,
    month: i64,
    day: i64,
    yday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    utc: bool,
    /// Go's `zoneOffset`, with its `-1` meaning "none" (so an offset of -1s is ignored, as in
    /// Go).
    zone_offset: i64,
    zone_name: Vec<u8>,
}

impl Parsed {
    fn run(layout: &[u8], mut value: &[u8]) -> Result<Parsed, ParseError> {
        let mut p = Parsed {
            year: 0,
            month: -1,
            day: -1,
            yday: -1,
            hour: 0,
            min: 0,
            sec: 0,
            nsec: 0,
            utc: false,
            zone_offset: -1,
            zone_name: Vec::new(),
        };
        let (mut am, mut pm) = (false, false);
        let mut layout = layout;
        loop {
            let (prefix, std, suffix) = next_chunk(layout);
            let element = &layout[prefix.len()..layout.len() - suffix.len()];
            value = skip(value, prefix).ok_or(ParseError::Literal)?;
            let Some(std) = std else {
                if !value.is_empty() {
                    return Err(ParseError::ExtraText);
                }
                break;
            };
            layout = suffix;
            let r = p.element(std, &mut value, suffix, &mut am, &mut pm);
            match r {
                Ok(()) => {}
                Err(Failure::Range(what)) => return Err(ParseError::OutOfRange(what)),
                Err(Failure::Bad) => {
                    return Err(ParseError::Element(
                        String::from_utf8_lossy(element).into_owned(),
                    ));
                }
            }
        }
        if pm && p.hour < 12 {
            p.hour += 12;
        } else if am && p.hour == 12 {
            p.hour = 0;
        }
        p.resolve_day()?;
        Ok(p)
    }

    /// One element of Go's parse loop; consumes its text from `value`.
    fn element(
        &mut self,
        std: Std,
        value: &mut &[u8],
        layout_rest: &[u8],
        am: &mut bool,
        pm: &mut bool,
    ) -> Result<(), Failure> {
        use Failure::{Bad, Range};
        let v = *value;
        match std {
            Std::Year => {
                let p = v.get(..2).ok_or(Bad)?;
                *value = &v[2..];
                let y = atoi(p).ok_or(Bad)?;
                self.year = if y >= 69 { y + 1900 } else { y + 2000 };
            }
            Std::LongYear => {
                if v.len() < 4 || !is_digit(v, 0) {
                    return Err(Bad);
                }
                *value = &v[4..];
                self.year = atoi(&v[..4]).ok_or(Bad)?;
            }
            Std::Month | Std::LongMonth => {
                let names: Vec<&str> = if std == Std::Month {
                    MONTHS.iter().map(|m| &m[..3]).collect()
                } else {
                    MONTHS.to_vec()
                };
                let (i, rest) = lookup(&names, v).ok_or(Bad)?;
                self.month = i as i64 + 1;
                *value = rest;
            }
            Std::NumMonth | Std::ZeroMonth => {
                let (m, rest) = getnum(v, std == Std::ZeroMonth).ok_or(Bad)?;
                self.month = m;
                *value = rest;
                if !(1..=12).contains(&m) {
                    return Err(Range("month"));
                }
            }
            Std::WeekDay | Std::LongWeekDay => {
                let names: Vec<&str> = if std == Std::WeekDay {
                    DAYS.iter().map(|d| &d[..3]).collect()
                } else {
                    DAYS.to_vec()
                };
                *value = lookup(&names, v).ok_or(Bad)?.1;
            }
            Std::Day | Std::UnderDay | Std::ZeroDay => {
                let v = match v.split_first() {
                    Some((b' ', rest)) if std == Std::UnderDay => rest,
                    _ => v,
                };
                let (d, rest) = getnum(v, std == Std::ZeroDay).ok_or(Bad)?;
                self.day = d;
                *value = rest;
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                let mut v = v;
                for _ in 0..2 {
                    if std == Std::UnderYearDay
                        && let Some((b' ', rest)) = v.split_first()
                    {
                        v = rest;
                    }
                }
                let (d, rest) = getnum3(v, std == Std::ZeroYearDay).ok_or(Bad)?;
                self.yday = d;
                *value = rest;
            }
            Std::Hour => {
                let (h, rest) = getnum(v, false).ok_or(Bad)?;
                self.hour = h;
                *value = rest;
                if h >= 24 {
                    return Err(Range("hour"));
                }
            }
            Std::Hour12 | Std::ZeroHour12 => {
                let (h, rest) = getnum(v, std == Std::ZeroHour12).ok_or(Bad)?;
                self.hour = h;
                *value = rest;
                if h > 12 {
                    return Err(Range("hour"));
                }
            }
            Std::Minute | Std::ZeroMinute => {
                let (m, rest) = getnum(v, std == Std::ZeroMinute).ok_or(Bad)?;
                self.min = m;
                *value = rest;
                if m >= 60 {
                    return Err(Range("minute"));
                }
            }
            Std::Second | Std::ZeroSecond => {
                let (s, rest) = getnum(v, std == Std::ZeroSecond).ok_or(Bad)?;
                self.sec = s;
                *value = rest;
                if s >= 60 {
                    return Err(Range("second"));
                }
                // A fractional second in the value that the layout does not mention.
                if rest.len() >= 2 && matches!(rest[0], b'.' | b',') && is_digit(rest, 1) {
                    if let (_, Some(Std::Frac { .. }), _) = next_chunk(layout_rest) {
                        return Ok(());
                    }
                    let n = 2 + rest[2..].iter().take_while(|c| c.is_ascii_digit()).count();
                    self.nsec = parse_nanoseconds(rest, n)?;
                    *value = &rest[n..];
                }
            }
            Std::Pm | Std::PmLower => {
                let p = v.get(..2).ok_or(Bad)?;
                *value = &v[2..];
                let (pm_text, am_text): (&[u8], &[u8]) = if std == Std::Pm {
                    (b"PM", b"AM")
                } else {
                    (b"pm", b"am")
                };
                if p == pm_text {
                    *pm = true;
                } else if p == am_text {
                    *am = true;
                } else {
                    return Err(Bad);
                }
            }
            Std::Offset(form, iso) => {
                let z_allowed = iso && !form.seconds();
                if z_allowed && v.first() == Some(&b'Z') {
                    *value = &v[1..];
                    self.utc = true;
                    return Ok(());
                }
                let (hh, mm, ss, len): (&[u8], &[u8], &[u8], usize) = match form {
                    OffsetForm::HhMmColon => {
                        if v.len() < 6 || v[3] != b':' {
                            return Err(Bad);
                        }
                        (&v[1..3], &v[4..6], b"00", 6)
                    }
                    OffsetForm::Hh => {
                        if v.len() < 3 {
                            return Err(Bad);
                        }
                        (&v[1..3], b"00", b"00", 3)
                    }
                    OffsetForm::HhMmSsColon => {
                        if v.len() < 9 || v[3] != b':' || v[6] != b':' {
                            return Err(Bad);
                        }
                        (&v[1..3], &v[4..6], &v[7..9], 9)
                    }
                    OffsetForm::HhMmSs => {
                        if v.len() < 7 {
                            return Err(Bad);
                        }
                        (&v[1..3], &v[3..5], &v[5..7], 7)
                    }
                    OffsetForm::HhMm => {
                        if v.len() < 5 {
                            return Err(Bad);
                        }
                        (&v[1..3], &v[3..5], b"00", 5)
                    }
                };
                let sign = v[0];
                *value = &v[len..];
                let num = |s: &[u8]| getnum(s, true).map(|(n, _)| n);
                let (hr, min, sec) = match num(hh) {
                    None => (0, 0, 0),
                    Some(hr) => match num(mm) {
                        None => (hr, 0, 0),
                        Some(min) => (hr, min, num(ss).unwrap_or(0)),
                    },
                };
                let parsed = num(hh).is_some() && num(mm).is_some() && num(ss).is_some();
                // Go tests `>` rather than `>=`: offsets of 24 hours or 60 minutes are written.
                let mut range = None;
                if hr > 24 {
                    range = Some("time zone offset hour");
                }
                if min > 60 {
                    range = Some("time zone offset minute");
                }
                if sec > 60 {
                    range = Some("time zone offset second");
                }
                self.zone_offset = (hr * 60 + min) * 60 + sec;
                let sign_ok = match sign {
                    b'+' => true,
                    b'-' => {
                        self.zone_offset = -self.zone_offset;
                        true
                    }
                    _ => false,
                };
                if let Some(what) = range {
                    return Err(Range(what));
                }
                if !parsed || !sign_ok {
                    return Err(Bad);
                }
            }
            Std::Tz => {
                if v.starts_with(b"UTC") {
                    self.utc = true;
                    *value = &v[3..];
                    return Ok(());
                }
                let n = parse_time_zone(v).ok_or(Bad)?;
                self.zone_name = v[..n].to_vec();
                *value = &v[n..];
            }
            Std::Frac { digits, trim, .. } => {
                if trim {
                    if v.len() < 2 || !matches!(v[0], b'.' | b',') || !is_digit(v, 1) {
                        // The fractional second is optional.
                        return Ok(());
                    }
                    let n = 1 + v[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    self.nsec = parse_nanoseconds(v, n)?;
                    *value = &v[n..];
                } else {
                    let n = 1 + digits;
                    if v.len() < n {
                        return Err(Bad);
                    }
                    self.nsec = parse_nanoseconds(v, n)?;
                    *value = &v[n..];
                }
            }
        }
        Ok(())
    }

    /// Go's day-of-year conversion and day-of-month check.
    fn resolve_day(&mut self) -> Result<(), ParseError> {
        if self.yday >= 0 {
            let (mut d, mut m) = (0, 0);
            let mut yday = self.yday;
            if is_leap(self.year) {
                if yday == 31 + 29 {
                    m = 2;
                    d = 29;
                } else if yday > 31 + 29 {
                    yday -= 1;
                }
            }
            if !(1..=365).contains(&yday) {
                return Err(ParseError::OutOfRange("day-of-year"));
            }
            if m == 0 {
                m = (yday - 1) / 31 + 1;
                if DAYS_BEFORE[m as usize] < yday {
                    m += 1;
                }
                d = yday - DAYS_BEFORE[(m - 1) as usize];
            }
            if self.month >= 0 && self.month != m {
                return Err(ParseError::DayOfYearMonth);
            }
            self.month = m;
            if self.day >= 0 && self.day != d {
                return Err(ParseError::DayOfYearDay);
            }
            self.day = d;
        } else {
            if self.month < 0 {
                self.month = 1;
            }
            if self.day < 0 {
                self.day = 1;
            }
        }
        if self.day < 1 || self.day > days_in(self.month, self.year) {
            return Err(ParseError::OutOfRange("day"));
        }
        Ok(())
    }

    /// The end of Go's `parse`: the location from what the value said about its zone.
    fn into_time(self) -> Result<Time, ParseError> {
        let at = |zone: Zone| {
            Time::date(
                self.year, self.month, self.day, self.hour, self.min, self.sec, self.nsec, zone,
            )
            .ok_or(ParseError::OutOfRange("year"))
        };
        if self.utc {
            return at(Zone::Utc);
        }
        let name = String::from_utf8_lossy(&self.zone_name).into_owned();
        if self.zone_offset != -1 {
            let t = at(Zone::Utc)?;
            let t = t
                .add(-self.zone_offset * NANOS_PER_SEC)
                .ok_or(ParseError::OutOfRange("year"))?;
            // `Local` (UTC, named "UTC") takes the offset if it matches.
            let zone = if self.zone_offset == 0 && (name.is_empty() || name == "UTC") {
                Zone::Local
            } else {
                Zone::fixed(name, i32::try_from(self.zone_offset).unwrap_or(0))
            };
            return Ok(t.in_zone(zone));
        }
        if !name.is_empty() {
            // An abbreviation `Local` does not know: kept, with offset 0 (GMT±h excepted), and
            // the clock reading taken as UTC, as Go does.
            let offset = match name.strip_prefix("GMT") {
                Some(hours) if !hours.is_empty() => atoi(hours.as_bytes()).unwrap_or(0) * 3600,
                _ => 0,
            };
            let t = at(Zone::Utc)?;
            return Ok(t.in_zone(Zone::fixed(name, i32::try_from(offset).unwrap_or(0))));
        }
        at(Zone::Local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(layout: &str, value: &str) -> Result<Time, ParseError> {
        Time::parse_in_local(layout.as_bytes(), value.as_bytes())
    }

    fn s(t: &Time) -> String {
        String::from_utf8(t.string()).unwrap()
    }

    #[test]
    fn wall_range_constants() {
        assert_eq!(WALL_MIN_UNIX, -2_682_288_000);
        assert_eq!(days_from_civil(1, 1, 1) * 86_400, ZERO_UNIX);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn parses_like_go() {
        let cases: &[(&str, &str, &str)] = &[
            ("2006-01-02", "2024-02-03", "2024-02-03 00:00:00 +0000 UTC"),
            (
                "2006-01-02T15:04:05Z07:00",
                "2024-02-29T23:59:59.123456789Z",
                "2024-02-29 23:59:59.123456789 +0000 UTC",
            ),
            (
                "2006-01-02 15:04:05 -0700",
                "2024-01-01 10:00:00 +0200",
                "2024-01-01 10:00:00 +0200 +0200",
            ),
            (
                "2006-01-02 15:04:05 -0700",
                "2024-01-01 10:00:00 +0000",
                "2024-01-01 10:00:00 +0000 UTC",
            ),
            (
                "Jan _2 15:04:05 MST 2006",
                "feb  3 04:05:06 PST 2024",
                "2024-02-03 04:05:06 +0000 PST",
            ),
            ("3:04PM", "11:30PM", "0000-01-01 23:30:00 +0000 UTC"),
            ("3:04PM", "12:05AM", "0000-01-01 00:05:00 +0000 UTC"),
            ("06 002", "24 060", "2024-02-29 00:00:00 +0000 UTC"),
            ("2006 __2", "2023 365", "2023-12-31 00:00:00 +0000 UTC"),
            ("15:04:05", "01:02:03,5", "0000-01-01 01:02:03.5 +0000 UTC"),
            (
                "2006-01-02 MST",
                "2024-01-01 GMT+5",
                "2024-01-01 05:00:00 +0500 GMT+5",
            ),
            (
                "2006-01-02T15:04:05.000Z0700",
                "2024-01-01T00:00:00.250-0130",
                "2024-01-01 00:00:00.25 -0130 -0130",
            ),
            (
                "Monday 2006",
                "wednesday 1999",
                "1999-01-01 00:00:00 +0000 UTC",
            ),
            (
                "2006-01-02 -07",
                "2024-01-01 +14",
                "2024-01-01 00:00:00 +1400 +1400",
            ),
        ];
        for (layout, value, want) in cases {
            match parse(layout, value) {
                Ok(t) => assert_eq!(s(&t), *want, "{layout} {value}"),
                Err(e) => panic!("{layout} {value}: {e}"),
            }
        }
    }

    #[test]
    fn parse_errors_like_go_without_the_value() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "2006-01-02",
                "2024-13-01",
                "parsing time: month out of range",
            ),
            ("2006-01-02", "2023-02-29", "parsing time: day out of range"),
            (
                "2006-01-02",
                "x",
                "parsing time: cannot parse the value as \"2006\"",
            ),
            (
                "2006-01-02",
                "2024/01/02",
                "parsing time: cannot parse the value as the layout's literal text",
            ),
            ("2006", "2024 ", "parsing time: extra text"),
            ("15:04", "24:00", "parsing time: hour out of range"),
            (
                "002 01",
                "032 01",
                "parsing time: day-of-year does not match month",
            ),
            (
                "2006 002",
                "2023 366",
                "parsing time: day-of-year out of range",
            ),
            (
                "3:04PM",
                "11:30pm",
                "parsing time: cannot parse the value as \"PM\"",
            ),
            (
                "-0700",
                "+2500",
                "parsing time: time zone offset hour out of range",
            ),
            (
                "-0700",
                "x0100",
                "parsing time: cannot parse the value as \"-0700\"",
            ),
            (
                ".000",
                ".-12",
                "parsing time: fractional second out of range",
            ),
            (
                "Z07:00:00",
                "Z",
                "parsing time: cannot parse the value as \"Z07:00:00\"",
            ),
        ];
        for (layout, value, want) in cases {
            match parse(layout, value) {
                Ok(t) => panic!("{layout} {value}: parsed as {}", s(&t)),
                Err(e) => assert_eq!(e.to_string(), *want, "{layout} {value}"),
            }
        }
    }

    #[test]
    fn formats_zones_like_go() {
        let t = parse(
            "2006-01-02 15:04:05 -07:00:00",
            "2024-01-01 10:00:00 -00:00:30",
        )
        .unwrap();
        // The sign comes from the minutes, the seconds from the signed offset.
        assert_eq!(
            String::from_utf8(t.format(b"-07:00:00 Z070000 -07 MST")).unwrap(),
            "+00:00:-30 +0000-30 +00 +0000"
        );
        assert_eq!(
            String::from_utf8(t.go_string()).unwrap(),
            "time.Date(2024, time.January, 1, 10, 0, 0, 0, time.Location(\"\"))"
        );
    }

    #[test]
    fn monotonic_reading_prints_and_follows_add() {
        let t = Time {
            mono: Some(-1_500_000_000),
            ..Time::from_unix(0, 0, Zone::Local).unwrap()
        };
        assert_eq!(s(&t), "1970-01-01 00:00:00 +0000 UTC m=-1.500000000");
        let t = t.add(3_000_000_000_000_000_000).unwrap();
        assert_eq!(
            s(&t),
            "2065-01-24 05:20:00 +0000 UTC m=+2999999998.500000000"
        );
        // Beyond 2157 Go has no room for the reading and drops it.
        assert!(t.add(4_000_000_000_000_000_000).unwrap().mono.is_none());
        assert!(s(&t.in_zone(Zone::Utc)).ends_with("UTC"));
    }

    #[test]
    fn arithmetic_like_go() {
        let t = parse("2006-01-02", "2024-01-31").unwrap();
        let d = |t: &Time| String::from_utf8(t.format(b"2006-01-02 15:04:05.999")).unwrap();
        assert_eq!(d(&t.add_date(0, 1, 0).unwrap()), "2024-03-02 00:00:00");
        assert_eq!(d(&t.add_date(-2025, 0, 0).unwrap()), "-0001-01-31 00:00:00");
        assert!(t.add_date(i64::MAX, 0, 0).is_none());
        let u = t.add(-1).unwrap();
        assert_eq!(d(&u), "2024-01-30 23:59:59.999");
        assert_eq!(t.sub(&u), 1);
        assert_eq!(
            d(&u.truncate(3_600_000_000_000).unwrap()),
            "2024-01-30 23:00:00"
        );
        assert_eq!(
            d(&u.round(3_600_000_000_000).unwrap()),
            "2024-01-31 00:00:00"
        );
        // Weeks count from Monday, January 1 of year 1.
        assert_eq!(
            d(&t.truncate(7 * 86_400_000_000_000).unwrap()),
            "2024-01-29 00:00:00"
        );
        assert_eq!(Time::zero().sub(&t.add_date(300, 0, 0).unwrap()), i64::MIN);
        assert!(Time::zero().is_zero());
        assert_eq!(
            round_duration(-1_500_000_000, 1_000_000_000),
            -2_000_000_000
        );
        assert_eq!(round_duration(i64::MAX, 1_000_000_000), i64::MAX);
        assert_eq!(
            truncate_duration(-1_500_000_000, 1_000_000_000),
            -1_000_000_000
        );
    }

    #[test]
    fn equality_like_go() {
        let a = parse("2006 -0700", "2024 +0200").unwrap();
        let b = parse("2006 -0700", "2024 +0200").unwrap();
        // Unnamed whole-hour zones are shared in Go; others are new locations each time.
        assert!(a.go_eq(&b));
        let c = parse("2006 -0700", "2024 +0230").unwrap();
        let d = parse("2006 -0700", "2024 +0230").unwrap();
        assert!(!c.go_eq(&d) && c.deep_eq(&d) && c.go_eq(&c.clone()));
        assert!(!a.go_eq(&a.in_zone(Zone::Utc)));
    }

    #[test]
    fn json_like_go() {
        let t = parse(
            "2006-01-02T15:04:05.999Z07:00",
            "2024-01-02T03:04:05.5+01:00",
        )
        .unwrap();
        assert_eq!(
            t.marshal_json(),
            Ok("2024-01-02T03:04:05.5+01:00".to_owned())
        );
        let far = t.add_date(8000, 0, 0).unwrap();
        assert_eq!(
            far.marshal_json(),
            Err("Time.MarshalJSON: year outside of range [0,9999]")
        );
        let z = parse("-0700", "+2400").unwrap();
        assert_eq!(
            z.marshal_json(),
            Err("Time.MarshalJSON: timezone hour outside of range [0,23]")
        );
    }
}
