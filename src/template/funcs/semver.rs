//! Sprig's `semverCompare`: whether a version satisfies a constraint, with Masterminds/semver
//! v3.4.0's rules (`NewConstraint`, `NewVersion` with coercion, `Constraints.Check`).
//!
//! Mirrors `runtime/template/v2/sprig/semver.go` and the library's `constraints.go` /
//! `version.go`: ranges (`1.2 - 1.4`), `||` and `,`-separated groups, wildcards (`1.x`, `*`),
//! `~`, `^`, and prerelease versions matching only groups that mention a prerelease. `semver`
//! itself returns a Go object with methods, which eso-render's value model does not have, so it
//! stays unsupported.
//!
//! One deliberate difference: Go's messages quote the constraint or the digits that failed to
//! parse; here they are left out, as either may come from secret data.
//!
//! Must not: put input bytes in an `Err`, or panic (the fixed patterns below compile).

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use super::{FuncDef, Imp, Ty};
use crate::template::value::Value;

pub static TABLE: &[FuncDef] = &[FuncDef {
    name: "semverCompare",
    params: &[Ty::Str, Ty::Str],
    variadic: None,
    imp: Imp::Plain(semver_compare),
}];

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

#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
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
    };
    if !version.pre.is_empty() {
        validate_prerelease(&version.pre)?;
    }
    let metadata = g(8);
    if !metadata.is_empty() {
        validate_metadata(metadata)?;
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

#[derive(Debug)]
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
            con: Version {
                major: 0,
                minor: 0,
                patch: 0,
                pre: String::new(),
            },
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
    String::from_utf8_lossy(args.get(i).and_then(Value::as_bytes).unwrap_or_default()).into_owned()
}

fn semver_compare(args: &[Value]) -> Result<Value, String> {
    let groups = new_constraints(&text(args, 0))?;
    let v = new_version(&text(args, 1))?;
    Ok(Value::Bool(groups.iter().any(|(group, has_pre)| {
        group.iter().all(|c| c.check(&v, *has_pre))
    })))
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
}
