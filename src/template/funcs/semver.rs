//! Sprig's `semverCompare` (whether a version satisfies a constraint) and `semver` (the parsed
//! version as a Go `*semver.Version`), with Masterminds/semver v3.4.0's rules (`NewConstraint`,
//! `NewVersion` with coercion, `Constraints.Check`, `Version`'s methods).
//!
//! Mirrors `runtime/template/v2/sprig/semver.go` and the library's `constraints.go` /
//! `version.go`: ranges (`1.2 - 1.4`), `||` and `,`-separated groups, wildcards (`1.x`, `*`),
//! `~`, `^`, and prerelease versions matching only groups that mention a prerelease.
//!
//! `semver` returns a pointer, `*semver.Version`: it prints as `String()` (`v1.2` prints
//! `1.2.0`; `Original` keeps the input), compares with `eq` by identity, and has the methods
//! `Major Minor Patch` (`uint64`), `Prerelease Metadata Original String Value`, `IncMajor
//! IncMinor IncPatch SetPrerelease SetMetadata` (which return a `semver.Version` struct, whose
//! method set lacks the pointer methods, as in Go), `Compare Equal LessThan LessThanEqual
//! GreaterThan GreaterThanEqual` (taking a `*semver.Version`). `MarshalJSON`, `MarshalText`,
//! `UnmarshalJSON`, `UnmarshalText` and `Scan` are unsupported.
//!
//! One deliberate difference: Go's messages quote the constraint or the digits that failed to
//! parse; here they are left out, as either may come from secret data.
//!
//! Must not: put input bytes in an `Err` or in `Debug` output, or panic (the fixed patterns below
//! compile).

use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;

use super::{FuncDef, Imp, Ty};
use crate::template::value::{
    self, Field, HostKind, Method, MethodDef, MethodImp, Object, Value, bind_method,
};

pub static TABLE: &[FuncDef] = &[
    FuncDef {
        name: "semverCompare",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        imp: Imp::Plain(semver_compare),
    },
    FuncDef {
        name: "semver",
        params: &[Ty::Str],
        variadic: None,
        imp: Imp::Plain(semver),
    },
];

/// Go's `\s` (ASCII, without `\v`).
const SP: &str = r"[\t\n\f\r ]";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const LOOSE: &str = r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a fixed semver pattern compiles")
}

static LOOSE_RE: LazyLock<Regex> = LazyLock::new(|| re(LOOSE));
static CONSTRAINT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^{SP}*({OPS}){SP}*({CV}){SP}*$")));
static RANGE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"{SP}*({CV}){SP}+-{SP}+({CV}){SP}*")));
static FIND_RE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"({OPS}){SP}*({CV})")));
static VALID_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^({SP}*({OPS}){SP}*({CV}){SP}*)((?:{SP}+|,{SP}*)({OPS}){SP}*({CV}){SP}*)*$"
    ))
});

const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

fn contains_only(s: &str, set: &str) -> bool {
    s.chars().all(|c| set.contains(c))
}

/// Masterminds' `Version`. No `Debug`: the original text may be a secret.
#[derive(Clone, Default, PartialEq, Eq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    /// The text as parsed (`Original()`).
    original: String,
}

fn segment(s: &str) -> Result<u64, String> {
    s.parse::<u64>()
        .map_err(|_| "error parsing version segment: value out of range".to_owned())
}

fn validate_prerelease(p: &str) -> Result<(), String> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err("invalid prerelease string".into());
        } else if contains_only(part, "0123456789") {
            if part.len() > 1 && part.starts_with('0') {
                return Err("version segment starts with 0".into());
            }
        } else if !contains_only(part, ALLOWED) {
            return Err("invalid prerelease string".into());
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), String> {
    if m.split('.')
        .any(|p| p.is_empty() || !contains_only(p, ALLOWED))
    {
        return Err("invalid metadata string".into());
    }
    Ok(())
}

/// `NewVersion` with `CoerceNewVersion` (the default): the loose pattern, missing parts 0.
fn new_version(v: &str) -> Result<Version, String> {
    let m = LOOSE_RE
        .captures(v)
        .ok_or_else(|| "invalid semantic version".to_owned())?;
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let part = |i: usize| -> Result<u64, String> {
        let s = g(i);
        if s.is_empty() {
            Ok(0)
        } else {
            segment(s.trim_start_matches('.'))
        }
    };
    let version = Version {
        major: segment(g(1))?,
        minor: part(2)?,
        patch: part(3)?,
        pre: g(5).to_owned(),
        metadata: g(8).to_owned(),
        original: v.to_owned(),
    };
    if !version.pre.is_empty() {
        validate_prerelease(&version.pre)?;
    }
    if !version.metadata.is_empty() {
        validate_metadata(&version.metadata)?;
    }
    Ok(version)
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (_, Err(_)) => Ordering::Less,
        (Err(_), _) => Ordering::Greater,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let s: Vec<&str> = v.split('.').collect();
    let t: Vec<&str> = o.split('.').collect();
    for i in 0..s.len().max(t.len()) {
        let d = compare_pre_part(
            s.get(i).copied().unwrap_or(""),
            t.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

impl Version {
    /// `String()`: the normalised form, without a `v` and with all three numbers.
    fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    /// `originalVPrefix() + String()`: the `original` of a derived version.
    fn with_original(mut self, from: &Version) -> Version {
        let v = if from.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        self.original = format!("{v}{}", self.string());
        self
    }

    fn inc_patch(&self) -> Version {
        let mut next = self.clone();
        next.metadata.clear();
        if self.pre.is_empty() {
            next.patch = self.patch.wrapping_add(1);
        }
        next.pre.clear();
        next.with_original(self)
    }

    fn inc_minor(&self) -> Version {
        Version {
            minor: self.minor.wrapping_add(1),
            patch: 0,
            pre: String::new(),
            metadata: String::new(),
            ..self.clone()
        }
        .with_original(self)
    }

    fn inc_major(&self) -> Version {
        Version {
            major: self.major.wrapping_add(1),
            minor: 0,
            patch: 0,
            pre: String::new(),
            metadata: String::new(),
            ..self.clone()
        }
        .with_original(self)
    }

    fn set_prerelease(&self, pre: &str) -> Result<Version, String> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        Ok(Version {
            pre: pre.to_owned(),
            ..self.clone()
        }
        .with_original(self))
    }

    fn set_metadata(&self, metadata: &str) -> Result<Version, String> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        Ok(Version {
            metadata: metadata.to_owned(),
            ..self.clone()
        }
        .with_original(self))
    }

    fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::default(),
            op: String::new(),
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let m = CONSTRAINT_RE
        .captures(c)
        .ok_or_else(|| "improper constraint".to_owned())?;
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(g(3)) || g(3).is_empty() {
        dirty = true;
        format!("0.0.0{}", g(6))
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{}.0.0{}", g(3), g(6))
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{}{}.0{}", g(3), g(4), g(6))
    } else {
        g(2).to_owned()
    };
    let con = new_version(&ver).map_err(|_| "constraint parser error".to_owned())?;
    Ok(Constraint {
        con,
        op: g(1).to_owned(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op.as_str() {
            "" | "=" => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            "!=" => self.not_equal(v),
            ">" => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    v.major > c.major
                } else if self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == Ordering::Greater
                }
            }
            "<" => v.compare(c) == Ordering::Less,
            ">=" | "=>" => v.compare(c) != Ordering::Less,
            "<=" | "=<" => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            "~" | "~>" => self.tilde(v),
            "^" => self.caret(v),
            _ => false,
        }
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if c.minor != v.minor && !self.minor_dirty {
                return true;
            } else if self.minor_dirty {
                return false;
            } else if c.patch != v.patch && !self.patch_dirty {
                return true;
            } else if self.patch_dirty {
                if !v.pre.is_empty() || !c.pre.is_empty() {
                    return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                }
                return false;
            }
        }
        v.compare(c) != Ordering::Equal
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        c.patch == v.patch
    }
}

/// The library's `rewriteRange`: `a - b` becomes `>= a, <= b`.
fn rewrite_range(input: &str) -> String {
    let mut out = input.to_owned();
    for m in RANGE_RE.captures_iter(input) {
        let whole = m.get(0).map_or("", |x| x.as_str());
        let a = m.get(1).map_or("", |x| x.as_str());
        let b = m.get(11).map_or("", |x| x.as_str());
        out = out.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    out
}

/// `NewConstraint`: OR-groups of AND-ed constraints, with whether each group names a
/// prerelease.
fn new_constraints(c: &str) -> Result<Vec<(Vec<Constraint>, bool)>, String> {
    let c = rewrite_range(c);
    let mut groups = Vec::new();
    for part in c.split("||") {
        if !VALID_RE.is_match(part) {
            return Err("improper constraint".into());
        }
        let mut found: Vec<&str> = FIND_RE.find_iter(part).map(|m| m.as_str()).collect();
        if found.is_empty() {
            found.push(part);
        }
        let mut group = Vec::with_capacity(found.len());
        let mut has_pre = false;
        for s in found {
            let pc = parse_constraint(s)?;
            has_pre |= !pc.con.pre.is_empty();
            group.push(pc);
        }
        groups.push((group, has_pre));
    }
    Ok(groups)
}

fn text(args: &[Value], i: usize) -> String {
    String::from_utf8_lossy(super::str_arg(args, i)).into_owned()
}

fn semver_compare(args: &[Value]) -> Result<Value, String> {
    let groups = new_constraints(&text(args, 0))?;
    let v = new_version(&text(args, 1))?;
    Ok(Value::Bool(groups.iter().any(|(group, has_pre)| {
        group.iter().all(|c| c.check(&v, *has_pre))
    })))
}

fn semver(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Object(Rc::new(VersionRef(new_version(&text(
        args, 0,
    ))?))))
}

// ---------------------------------------------------------------------------------------------
// Host objects

/// `*semver.Version`, what `semver` returns: a pointer, so `eq` compares identity.
struct VersionRef(Version);

/// `semver.Version`, what `IncMajor` and friends return: a struct value.
struct VersionVal(Version);

fn version_val(v: Version) -> Value {
    Value::Object(Rc::new(VersionVal(v)))
}

/// The version behind a `*semver.Version` parameter; Go's nil-pointer panic for nil.
fn version_arg(args: &[Value]) -> Result<&Version, String> {
    match args.first() {
        Some(Value::Object(o)) => value::downcast::<VersionRef>(&**o)
            .map(|r| &r.0)
            .ok_or_else(|| "internal error: expected a *semver.Version argument".to_owned()),
        _ => Err("runtime error: invalid memory address or nil pointer dereference".into()),
    }
}

fn str_arg(args: &[Value]) -> String {
    text(args, 0)
}

fn bool_value(b: bool) -> Result<Value, String> {
    Ok(Value::Bool(b))
}

macro_rules! call {
    ($name:literal, [$($p:expr),*], $imp:expr) => {
        MethodDef { name: $name, params: &[$($p),*], imp: MethodImp::Call($imp) }
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

const V: Ty = Ty::SemverVersion;

/// The methods `Version` has with a value receiver: the method set of `semver.Version`.
macro_rules! value_methods {
    ($t:ty) => {
        [
            call!("IncMajor", [], |v: &$t, _| Ok(version_val(v.0.inc_major()))),
            call!("IncMinor", [], |v: &$t, _| Ok(version_val(v.0.inc_minor()))),
            call!("IncPatch", [], |v: &$t, _| Ok(version_val(v.0.inc_patch()))),
            call!("Major", [], |v: &$t, _| Ok(Value::Uint(v.0.major))),
            call!("Metadata", [], |v: &$t, _| Ok(Value::str(
                v.0.metadata.clone()
            ))),
            call!("Minor", [], |v: &$t, _| Ok(Value::Uint(v.0.minor))),
            call!("Patch", [], |v: &$t, _| Ok(Value::Uint(v.0.patch))),
            call!("Prerelease", [], |v: &$t, _| Ok(Value::str(
                v.0.pre.clone()
            ))),
            call!("SetMetadata", [Ty::Str], |v: &$t, a| {
                v.0.set_metadata(&str_arg(a)).map(version_val)
            }),
            call!("SetPrerelease", [Ty::Str], |v: &$t, a| {
                v.0.set_prerelease(&str_arg(a)).map(version_val)
            }),
            call!("String", [], |v: &$t, _| Ok(Value::str(v.0.string()))),
            // `driver.Valuer`: the string, in an `interface {}`.
            call!("Value", [], |v: &$t, _| Ok(Value::str(v.0.string()))),
            unsupported!("MarshalJSON"),
            unsupported!("MarshalText"),
        ]
    };
}

static VALUE_METHODS: [MethodDef<VersionVal>; 14] = value_methods!(VersionVal);

static VALUE_METHODS_OF_REF: [MethodDef<VersionRef>; 14] = value_methods!(VersionRef);

/// The methods `Version` has with a pointer receiver, in `*semver.Version`'s method set only.
static POINTER_METHODS: &[MethodDef<VersionRef>] = &[
    call!("Compare", [V], |v, a| {
        Ok(Value::Int(v.0.compare(version_arg(a)?) as i64))
    }),
    // `Equal` alone checks for nil before comparing.
    call!("Equal", [V], |v, a| match a.first() {
        Some(Value::Nil) | None => bool_value(false),
        _ => bool_value(v.0.compare(version_arg(a)?).is_eq()),
    }),
    call!("GreaterThan", [V], |v, a| {
        bool_value(v.0.compare(version_arg(a)?).is_gt())
    }),
    call!("GreaterThanEqual", [V], |v, a| {
        bool_value(v.0.compare(version_arg(a)?).is_ge())
    }),
    call!("LessThan", [V], |v, a| {
        bool_value(v.0.compare(version_arg(a)?).is_lt())
    }),
    call!("LessThanEqual", [V], |v, a| {
        bool_value(v.0.compare(version_arg(a)?).is_le())
    }),
    call!("Original", [], |v, _| Ok(Value::str(v.0.original.clone()))),
    unsupported!("Scan"),
    unsupported!("UnmarshalJSON"),
    unsupported!("UnmarshalText"),
];

/// `Version`'s fields, all unexported.
fn version_field(name: &str) -> Option<Field> {
    matches!(
        name,
        "major" | "minor" | "patch" | "pre" | "metadata" | "original"
    )
    .then_some(Field::Unexported)
}

/// The fields in declaration order, for `%d` and other non-string verbs.
fn version_fields(v: &Version) -> Vec<Value> {
    vec![
        Value::Uint(v.major),
        Value::Uint(v.minor),
        Value::Uint(v.patch),
        Value::str(v.pre.clone()),
        Value::str(v.metadata.clone()),
        Value::str(v.original.clone()),
    ]
}

impl Object for VersionRef {
    fn type_name(&self) -> &'static str {
        "*semver.Version"
    }

    fn kind(&self) -> HostKind {
        HostKind::Ptr
    }

    fn string(&self) -> Option<Vec<u8>> {
        Some(self.0.string().into_bytes())
    }

    fn method(&self, name: &str) -> Option<Method<'_>> {
        bind_method(&VALUE_METHODS_OF_REF, self, name)
            .or_else(|| bind_method(POINTER_METHODS, self, name))
    }

    fn field(&self, name: &str) -> Option<Field> {
        version_field(name)
    }

    fn fields(&self) -> Option<Vec<Value>> {
        Some(version_fields(&self.0))
    }

    fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(serde_json::Value::String(self.0.string()))
    }

    /// Pointer identity: the same `semver` result.
    fn go_eq(&self, other: &dyn Object) -> bool {
        std::ptr::addr_eq(self, other)
    }

    fn deep_eq(&self, other: &dyn Object) -> bool {
        value::downcast::<VersionRef>(other).is_some_and(|o| o.0 == self.0)
    }

    /// copystructure copies only exported fields, and `Version` has none: a zero version.
    fn deep_copy(&self) -> Option<Value> {
        Some(Value::Object(Rc::new(VersionRef(Version::default()))))
    }
}

impl Object for VersionVal {
    fn type_name(&self) -> &'static str {
        "semver.Version"
    }

    fn kind(&self) -> HostKind {
        HostKind::Struct
    }

    fn string(&self) -> Option<Vec<u8>> {
        Some(self.0.string().into_bytes())
    }

    fn method(&self, name: &str) -> Option<Method<'_>> {
        bind_method(&VALUE_METHODS, self, name)
    }

    fn field(&self, name: &str) -> Option<Field> {
        version_field(name)
    }

    fn fields(&self) -> Option<Vec<Value>> {
        Some(version_fields(&self.0))
    }

    fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(serde_json::Value::String(self.0.string()))
    }

    fn go_eq(&self, other: &dyn Object) -> bool {
        value::downcast::<VersionVal>(other).is_some_and(|o| o.0 == self.0)
    }

    fn deep_eq(&self, other: &dyn Object) -> bool {
        self.go_eq(other)
    }

    fn deep_copy(&self) -> Option<Value> {
        Some(version_val(Version::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs produced by Go 1.19 with ESO's vendored Sprig and Masterminds/semver 3.4.0;
    /// in error texts the quoted constraint or digits Go prints are removed.
    #[test]
    fn matches_go() {
        crate::template::funcs::assert_matches_go(GO_CASES);
    }

    /// Go's behaviour for `semver` and the `*semver.Version` it returns, worked out from
    /// Masterminds/semver 3.4.0 and Go 1.26's `text/template` and `fmt` sources (there is no Go
    /// toolchain to run here).
    #[test]
    fn objects_match_go() {
        crate::template::funcs::assert_matches_go(GO_OBJECT_CASES);
    }

    #[test]
    fn errors_do_not_leak_values() {
        let e = semver_compare(&[Value::str(">=s3cr3t"), Value::str("1.0.0")]).unwrap_err();
        assert!(!e.contains("s3cr3t"), "{e}");
        let e =
            semver_compare(&[Value::str(">=1"), Value::str("123456789012345678901")]).unwrap_err();
        assert!(!e.contains("1234"), "{e}");
    }

    const GO_CASES: &[(&str, &str)] = &[
        (r#"{{ semverCompare ">=0.0.0-0" "0.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "=1.2.3,=1.2.3" "01.2.3" }}"#, r"true"),
        (r#"{{ semverCompare ">=0.0.0-0" "1.2.4" }}"#, r"true"),
        (r#"{{ semverCompare "  >=1.0  " "1.2.3-alpha" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.3" "1" }}"#, r"true"),
        (r#"{{ semverCompare ">1.2.3" "1.2.3" }}"#, r"false"),
        (r#"{{ semverCompare ">1.2.3" "0.0.4" }}"#, r"false"),
        (r#"{{ semverCompare "1.2.x" "0.0.3" }}"#, r"false"),
        (r#"{{ semverCompare "  >=1.0  " "1.2.2" }}"#, r"true"),
        (r#"{{ semverCompare "=<1.2" "0.2.5" }}"#, r"true"),
        (r#"{{ semverCompare "x" "1.2.3+build" }}"#, r"true"),
        (r#"{{ semverCompare "1.2.3+meta" "0.0.4" }}"#, r"false"),
        (
            r#"{{ semverCompare "~1.2.3-beta.2" "1.2.3-beta" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "=1.2.3,=1.2.3" "1.3.0" }}"#, r"false"),
        (r#"{{ semverCompare "^0" "1" }}"#, r"false"),
        (r#"{{ semverCompare "^0.2.3" "0.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "1.2.3 - 2" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare "~>1.2" "1" }}"#, r"false"),
        (r#"{{ semverCompare ">=0.0.0-0" "0.3.0" }}"#, r"true"),
        (r#"{{ semverCompare "1.2.3" "01.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "1.2 - 2.3.4" "1.0.0-0" }}"#, r"false"),
        (
            r#"{{ semverCompare "^1.2.3-rc.1 || >=2.0.0" "1.2.3-beta.2" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "<=1.2.3" "3.0.0" }}"#, r"false"),
        (r#"{{ semverCompare ">1.2.x" "1.2.4" }}"#, r"false"),
        (r#"{{ semverCompare ">=1.2.3-alpha" "0.3.0" }}"#, r"false"),
        (r#"{{ semverCompare "1.*" "1.2.3-alpha" }}"#, r"false"),
        (r#"{{ semverCompare "1.2.3+meta" "0.0.3" }}"#, r"false"),
        (r#"{{ semverCompare "v1.2.3" "0.0.4" }}"#, r"false"),
        (r#"{{ semverCompare "=1.2.3,=1.2.3" "2.0.0" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x" "1.2.3+build" }}"#, r"false"),
        (r#"{{ semverCompare "1.*" "1.2.3-beta.2" }}"#, r"false"),
        (r#"{{ semverCompare ">= 1.2, < 3.0" "1.3.0" }}"#, r"true"),
        (r#"{{ semverCompare "<=1.x" "1.2.3-beta" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x" "1" }}"#, r"true"),
        (r#"{{ semverCompare "^0.2.3" "3.0.0" }}"#, r"false"),
        (r#"{{ semverCompare "^1.x.x" "1.2.3-beta.11" }}"#, r"false"),
        (r#"{{ semverCompare ">=0.0.0-0" "2.0.0" }}"#, r"true"),
        (r#"{{ semverCompare ">=01.2" "0.0.4" }}"#, r"false"),
        (r#"{{ semverCompare "1.2.3" "0.2.3" }}"#, r"false"),
        (r#"{{ semverCompare "1.2.x" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare "<=1.2.x" "1.3.0" }}"#, r"false"),
        (r#"{{ semverCompare "^0" "1.2.4" }}"#, r"false"),
        (r#"{{ semverCompare "~1.x" "1.2.4" }}"#, r"true"),
        (r#"{{ semverCompare "1.*" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare ">1.2.x" "01.2.3" }}"#, r"false"),
        (r#"{{ semverCompare "^1.x.x" "v1.2" }}"#, r"true"),
        (r#"{{ semverCompare ">=01.2" "1.2.3-x.y" }}"#, r"false"),
        (
            r#"{{ semverCompare "!=1.2.x-beta" "1.2.3-rc.1" }}"#,
            r"true",
        ),
        (r#"{{ semverCompare "<=1.2.3" "1.2.3-alpha" }}"#, r"false"),
        (r#"{{ semverCompare ">= 1.2, < 3.0" "1" }}"#, r"false"),
        (r#"{{ semverCompare "=<1.2" "1.2.3-beta.2" }}"#, r"false"),
        (r#"{{ semverCompare "^1.2.3" "3.0.0" }}"#, r"false"),
        (r#"{{ semverCompare "^1.2.3" "1.2.4" }}"#, r"true"),
        (r#"{{ semverCompare "1.2.3" "1.2.3-alpha" }}"#, r"false"),
        (r#"{{ semverCompare "^1.x.x" "1.2.4" }}"#, r"true"),
        (r#"{{ semverCompare "~0" "0.0.3" }}"#, r"true"),
        (r#"{{ semverCompare "=<1.2" "v1.2" }}"#, r"true"),
        (r#"{{ semverCompare "=>1.2" "0.2.5" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x" "3.0.0" }}"#, r"true"),
        (r#"{{ semverCompare ">=01.2" "1.2.3-beta.11" }}"#, r"false"),
        (r#"{{ semverCompare ">=0.0.0-0" "v1.2" }}"#, r"true"),
        (r#"{{ semverCompare "!=1.2.x" "2.0.0" }}"#, r"true"),
        (
            r#"{{ semverCompare "^1.2.3-rc.1 || >=2.0.0" "v1.2" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "^1.x.x" "1.2.3+build" }}"#, r"true"),
        (r#"{{ semverCompare "=<1.2" "0.0.3" }}"#, r"true"),
        (r#"{{ semverCompare "<=1.x" "3.0.0" }}"#, r"false"),
        (r#"{{ semverCompare "1.2.3+meta" "1" }}"#, r"false"),
        (r#"{{ semverCompare ">1.2.x" "0.2.5" }}"#, r"false"),
        (r#"{{ semverCompare ">=0.0.0-0" "1.2.3-alpha" }}"#, r"true"),
        (
            r#"{{ semverCompare "!=1.2.x-beta" "1.2.3-beta.2" }}"#,
            r"true",
        ),
        (r#"{{ semverCompare ">1.2.3 <1.2" "0.3.0" }}"#, r"false"),
        (r#"{{ semverCompare "~1.x" "1.2.3-x.y" }}"#, r"false"),
        (r#"{{ semverCompare "1||2" "2.0.0-rc.1" }}"#, r"false"),
        (
            r#"{{ semverCompare "1.2 - 2.3.4" "1.2.3-alpha" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "1.x" "v1.2" }}"#, r"true"),
        (r#"{{ semverCompare "1.2.x" "1.2.3-x.y" }}"#, r"false"),
        (
            r#"{{ semverCompare "=1.2.3,=1.2.3" "1.2.3-beta.11" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "<=1.2.3" "0.0.4" }}"#, r"true"),
        (r#"{{ semverCompare "X.1" "1.2.3-alpha" }}"#, r"false"),
        (r#"{{ semverCompare ">1.x" "1.2.3+build" }}"#, r"false"),
        (r#"{{ semverCompare "v1.2.3" "1.2.03" }}"#, r"true"),
        (r#"{{ semverCompare "x" "1.2.03" }}"#, r"true"),
        (r#"{{ semverCompare "<=1.2.x" "1.2.3-beta.11" }}"#, r"false"),
        (r#"{{ semverCompare "~1.2.3-beta.2" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x-beta" "0.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "^0.2.3" "1.2.2" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.x" "1" }}"#, r"false"),
        (r#"{{ semverCompare "^0.0.3" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x" "1.2.2" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x" "0.0.4" }}"#, r"true"),
        (r#"{{ semverCompare ">=01.2" "1.2.3-beta" }}"#, r"false"),
        (r#"{{ semverCompare ">=0.0.0-0" "3.0.0" }}"#, r"true"),
        (r#"{{ semverCompare "  >=1.0  " "2.0.0" }}"#, r"true"),
        (r#"{{ semverCompare "~1.2.3-beta.2" "1.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "<=1.x" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare ">1.2.3+meta" "1.3.0" }}"#, r"true"),
        (r#"{{ semverCompare "1.x" "1.2.3-rc.1" }}"#, r"false"),
        (r#"{{ semverCompare ">=1.2 <3.0" "1.2.3+build" }}"#, r"true"),
        (r#"{{ semverCompare "x" "1.2.3-rc.1" }}"#, r"false"),
        (
            r#"{{ semverCompare ">= 1.2, < 3.0" "1.2.3-x.y" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "1.0-2.0" "1.2.2" }}"#, r"false"),
        (r#"{{ semverCompare "<=1.x" "1.2.3-alpha" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.x" "1.2.2" }}"#, r"false"),
        (r#"{{ semverCompare "~1.2.3-beta.2" "1.2.2" }}"#, r"false"),
        (r#"{{ semverCompare "~>1.2" "1.2.3-beta.2" }}"#, r"false"),
        (r#"{{ semverCompare "~1.x" "1.2.3-alpha" }}"#, r"false"),
        (r#"{{ semverCompare "<1.0 || >2.0" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare "=<1.2" "1.3.0" }}"#, r"false"),
        (r#"{{ semverCompare "1.2.3 - 2" "0.3.0" }}"#, r"false"),
        (r#"{{ semverCompare "1.0-2.0" "1.2.3-beta.2" }}"#, r"false"),
        (
            r#"{{ semverCompare ">1.2.3 <1.2" "1.2.3-alpha" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "!=1.x" "1.2.3-beta.11" }}"#, r"false"),
        (r#"{{ semverCompare "^0" "1.2.3-x.y" }}"#, r"false"),
        (r#"{{ semverCompare "^0.0" "0.0.3" }}"#, r"true"),
        (
            r#"{{ semverCompare "<1.0 || >2.0" "1.2.3-alpha" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "!=1.2.x" "v1.2" }}"#, r"false"),
        (r#"{{ semverCompare ">=1.2 <3.0" "2.0.0" }}"#, r"true"),
        (r#"{{ semverCompare "!=1.2.x" "1.2.03" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x" "1.2.3-beta" }}"#, r"false"),
        (r#"{{ semverCompare "~1.2.3-beta.2" "v1.2" }}"#, r"false"),
        (r#"{{ semverCompare "1||2" "1.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "1.2 - 2.3.4" "0.0.4" }}"#, r"false"),
        (r#"{{ semverCompare ">1.x" "3.0.0" }}"#, r"true"),
        (r#"{{ semverCompare "^0" "1.2.3-beta.2" }}"#, r"false"),
        (r#"{{ semverCompare "x" "1.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "~>1.2" "1.3.0" }}"#, r"false"),
        (r#"{{ semverCompare ">1.2.3+meta" "0.2.3" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x" "1.2.3-beta.2" }}"#, r"false"),
        (r#"{{ semverCompare "1.2.x" "1.2.3-alpha" }}"#, r"false"),
        (
            r#"{{ semverCompare "^1.2.3-rc.1 || >=2.0.0" "1.2.3+build" }}"#,
            r"true",
        ),
        (
            r#"{{ semverCompare ">=1.0.0-0" "1.2.3-beta.11" }}"#,
            r"true",
        ),
        (r#"{{ semverCompare ">1.2.3" "0.2.3" }}"#, r"false"),
        (r#"{{ semverCompare "1.x" "1.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "1.2.3+meta" "01.2.3" }}"#, r"true"),
        (r#"{{ semverCompare "*" "1.2.3-beta.2" }}"#, r"false"),
        (r#"{{ semverCompare "~1.2.3" "1.2.3-beta" }}"#, r"false"),
        (r#"{{ semverCompare "<1.2.3" "1.2.03" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.3" "1.2.03" }}"#, r"false"),
        (r#"{{ semverCompare ">=1.2 <3.0" "2.0.0-rc.1" }}"#, r"false"),
        (r#"{{ semverCompare "~1.2.3-beta.2" "1.2.03" }}"#, r"true"),
        (r#"{{ semverCompare "=1.2.3" "0.2.3" }}"#, r"false"),
        (r#"{{ semverCompare "^0.0.3" "1.2.3-rc.1" }}"#, r"false"),
        (
            r#"{{ semverCompare "1.2 - 2.3.4" "2.0.0-rc.1" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "~>1.2" "1.2.3-alpha" }}"#, r"false"),
        (
            r#"{{ semverCompare "^1.2.3-rc.1 || >=2.0.0" "1.0.0-0" }}"#,
            r"false",
        ),
        (r#"{{ semverCompare "X.1" "1.0.0-0" }}"#, r"false"),
        (r#"{{ semverCompare "!=1.2.x-beta" "1" }}"#, r"true"),
        (r#"{{ semverCompare ">=01.2" "2.0.0" }}"#, r"true"),
        (r#"{{ semverCompare "^0.2.3" "01.2.3" }}"#, r"false"),
        (r#"{{ semverCompare "^1.2.3" "1.2.3+build" }}"#, r"true"),
        (
            r#"{{ semverCompare "~0" "99999999999999999999.0.0" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "~0" "99999999999999999999.0.0">: error calling semverCompare: error parsing version segment: value out of range"#,
        ),
        (
            r#"{{ semverCompare "1.2.3" "" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "1.2.3" "">: error calling semverCompare: invalid semantic version"#,
        ),
        (
            r#"{{ semverCompare "junk" "1.3.0" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "junk" "1.3.0">: error calling semverCompare: improper constraint"#,
        ),
        (
            r#"{{ semverCompare "^1.x.x" "99999999999999999999.0.0" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "^1.x.x" "99999999999999999999.0.0">: error calling semverCompare: error parsing version segment: value out of range"#,
        ),
        (
            r#"{{ semverCompare "> 1.0 - 2.0" "1.2.2" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "> 1.0 - 2.0" "1.2.2">: error calling semverCompare: improper constraint"#,
        ),
        (
            r#"{{ semverCompare "" "v1.2" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "" "v1.2">: error calling semverCompare: improper constraint"#,
        ),
        (
            r#"{{ semverCompare "1.2.3" "junk" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "1.2.3" "junk">: error calling semverCompare: invalid semantic version"#,
        ),
        (
            r#"{{ semverCompare "<1.0 || >2.0" "1.2.3.4" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "<1.0 || >2.0" "1.2.3.4">: error calling semverCompare: invalid semantic version"#,
        ),
        (
            r#"{{ semverCompare "^0.0.3" "1.2.3.4" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "^0.0.3" "1.2.3.4">: error calling semverCompare: invalid semantic version"#,
        ),
        (
            r#"{{ semverCompare ">1.x" "1.2.3-01" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare ">1.x" "1.2.3-01">: error calling semverCompare: version segment starts with 0"#,
        ),
        (
            r#"{{ semverCompare "1|2" "1.2.3-" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "1|2" "1.2.3-">: error calling semverCompare: constraint parser error"#,
        ),
        (
            r#"{{ semverCompare "" "1.0.0-0" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semverCompare "" "1.0.0-0">: error calling semverCompare: improper constraint"#,
        ),
    ];

    const GO_OBJECT_CASES: &[(&str, &str)] = &[
        (
            r#"{{ semver "v1.2" }} {{ (semver "v1.2").Original }} {{ (semver "v1.2").String }}"#,
            r"1.2.0 v1.2 1.2.0",
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.Major }}.{{ $v.Minor }}.{{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ $v.Value }}"#,
            r"1.2.3 beta.1 b5 1.2.3-beta.1+b5",
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ typeOf $v }} {{ kindOf $v }} {{ typeOf $v.Major }} {{ kindOf $v.Major }} {{ typeOf $v.IncMajor }} {{ kindOf $v.IncMajor }} {{ typeIsLike "semver.Version" $v }}"#,
            r"*semver.Version ptr uint64 uint64 semver.Version struct true",
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.IncPatch }} {{ $v.IncMinor }} {{ $v.IncMajor }} {{ (semver "1.2.3").IncPatch }} {{ $v.IncMajor.IncMinor.IncPatch }}"#,
            r"1.2.3 1.3.0 2.0.0 1.2.4 2.1.1",
        ),
        (
            r#"{{ printf "%d" (semver "v1.2.3").IncMajor }} {{ printf "%d" (semver "1.2.3") }}"#,
            r"{2 0 0 %!d(string=) %!d(string=) %!d(string=v2.0.0)} &{1 2 3 %!d(string=) %!d(string=) %!d(string=1.2.3)}",
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.SetPrerelease "rc.1" }} {{ $v.SetPrerelease "" }} {{ $v.SetMetadata "m.1" }}"#,
            r"1.2.3-rc.1+b5 1.2.3+b5 1.2.3-beta.1+m.1",
        ),
        (
            r#"{{ $a := semver "1.2.3" }}{{ $b := semver "1.10.0" }}{{ $a.LessThan $b }} {{ $a.LessThanEqual $a }} {{ $a.GreaterThan $b }} {{ $a.GreaterThanEqual $b }} {{ $a.Equal (semver "v1.2.3+x") }} {{ $a.Equal nil }} {{ $a.Compare $b }} {{ $b.Compare $a }} {{ (semver "1.0.0-rc.2").Compare (semver "1.0.0-rc.10") }}"#,
            r"true true false false true false -1 1 -1",
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ eq $v $v }} {{ eq $v (semver "1.2.3-beta.1+b5") }} {{ deepEqual $v (semver "1.2.3-beta.1+b5") }} {{ deepEqual $v (semver "v1.2.3-beta.1+b5") }} {{ eq $v.IncMajor $v.IncMajor }}"#,
            r"true false true false true",
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ eq $v.Major 1 }} {{ gt $v.Major 0 }} {{ lt $v.Minor -1 }} {{ add $v.Patch 1 }} {{ printf "%d %v %#v %x" $v.Major $v.Major $v.Major $v.Minor }} {{ index (list "a" "b") $v.Major }}"#,
            r"true true false 4 1 1 0x1 2 b",
        ),
        (
            r#"{{ range (semver "3.0.0").Major }}{{ . }}{{ typeOf . }} {{ end }}"#,
            r"0uint64 1uint64 2uint64 ",
        ),
        (
            r#"{{ toJson (list (semver "v1.2") (semver "v1.2").IncMinor) }} {{ toString (semver "v1") }}"#,
            r#"["1.2.0","1.3.0"] 1.0.0"#,
        ),
        (
            r#"{{ deepCopy (semver "1.2.3") }} {{ (deepCopy (semver "v1.2.3")).Original }}|"#,
            r"0.0.0 |",
        ),
        (
            r#"{{ if semver "0.0.0" }}t{{ end }} {{ empty (semver "0.0.0") }} {{ default "d" (semver "0.0.0") }}"#,
            r"t false 0.0.0",
        ),
        (
            r#"{{ semver "junk" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semver "junk">: error calling semver: invalid semantic version"#,
        ),
        (
            r#"{{ semver "1.2.3-01" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semver "1.2.3-01">: error calling semver: version segment starts with 0"#,
        ),
        (
            r#"{{ semver "99999999999999999999" }}"#,
            r#"ERR: template: t:1:3: executing "t" at <semver "99999999999999999999">: error calling semver: error parsing version segment: value out of range"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.SetPrerelease "01" }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.SetPrerelease>: error calling SetPrerelease: version segment starts with 0"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.SetMetadata "a..b" }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.SetMetadata>: error calling SetMetadata: invalid metadata string"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.LessThan nil }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.LessThan>: error calling LessThan: runtime error: invalid memory address or nil pointer dereference"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.major }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.major>: major is an unexported field of struct type *semver.Version"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.Foo }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.Foo>: can't evaluate field Foo in type *semver.Version"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.IncMajor.Original }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.IncMajor.Original>: can't evaluate field Original in type semver.Version"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.IncMajor.LessThan }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.IncMajor.LessThan>: can't evaluate field LessThan in type semver.Version"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.IncMajor.pre }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.IncMajor.pre>: pre is an unexported field of struct type semver.Version"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.MarshalJSON }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.MarshalJSON>: method MarshalJSON of type *semver.Version is not supported by eso-render yet"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.Major 1 }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.Major>: wrong number of args for Major: want 0 got 1"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.LessThan }}"#,
            r#"ERR: template: t:1:41: executing "t" at <$v.LessThan>: wrong number of args for LessThan: want 1 got 0"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.LessThan "1.0.0" }}"#,
            r#"ERR: template: t:1:51: executing "t" at <"1.0.0">: can't handle "1.0.0" for arg of type *semver.Version"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.LessThan $v.IncMajor }}"#,
            r#"ERR: template: t:1:53: executing "t" at <$v.IncMajor>: wrong type for value; expected *semver.Version; got semver.Version"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.LessThan (toDate "2006" "2024") }}"#,
            r#"ERR: template: t:1:66: executing "t" at <"2024">: wrong type for value; expected *semver.Version; got time.Time"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ lt $v.Major $v }}"#,
            r#"ERR: template: t:1:39: executing "t" at <lt $v.Major $v>: error calling lt: invalid type for comparison"#,
        ),
        (
            r#"{{ $v := semver "1.2.3-beta.1+b5" }}{{ eq $v "1.2.3" }}"#,
            r#"ERR: template: t:1:39: executing "t" at <eq $v "1.2.3">: error calling eq: incompatible types for comparison"#,
        ),
    ];
}
