//! The deterministic part of Sprig (as vendored by ESO v2.9.0) and of ESO's own functions.
//!
//! Mirrors `runtime/template/v2/sprig/{strings,defaults,dict,list,numeric,regex,reflect}.go` and
//! `functions.go` in ESO's repository, plus `hexdec` and ESO's `toYaml`/`fromYaml`
//! (`runtime/template/v2/yaml.go`); Sprig's password and encryption functions are in `crypto`.
//! Each function keeps Sprig's argument order (subject last) and its error behaviour: some
//! return Go's error text as the value (`b64dec`), some return a zero value (`fromJson`), the
//! `must*` forms and panicking ones fail.
//! A Go panic becomes an `Err` with Go's runtime message, as `text/template`'s `safeCall` does.
//! Host objects (`time.Time`, `*semver.Version`) take the paths Go's types take: `String()` in
//! `toString` and its kin, `MarshalJSON` in `toJson`, cast's named integers in `int64`, and
//! copystructure's rules in `deepCopy` (exported fields only, so a version copies as `0.0.0`).
//!
//! Must not: put input bytes in an `Err` (values are secrets), allocate without bound (results
//! are capped at [`MAX_RESULT`]), or implement a non-deterministic function.

use std::collections::BTreeMap;

use sha2::Digest as _;

use super::{FuncDef, Imp, Ty};
use super::{MAX_RESULT, arg, bytes, int, ok_str};
use crate::gocompat;
use crate::gocompat::unicode::{to_lower, to_upper};
use crate::template::fmt::{self, runes};
use crate::template::parse::{parse_float, parse_int_base0};
use crate::template::value::{self, Elem, Value};

const A: Ty = Ty::Any;
const S: Ty = Ty::Str;
const I: Ty = Ty::Int;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("b64enc", [S], None, b64enc),
    f!("b64dec", [S], None, b64dec),
    f!("hexdec", [S], None, hexdec),
    f!("sha1sum", [S], None, sha1sum),
    f!("sha256sum", [S], None, sha256sum),
    f!("sha512sum", [S], None, sha512sum),
    f!("upper", [S], None, upper),
    f!("lower", [S], None, lower),
    f!("title", [S], None, title),
    f!("trim", [S], None, trim),
    f!("trimAll", [S, S], None, trim_all),
    f!("trimall", [S, S], None, trim_all),
    f!("trimPrefix", [S, S], None, trim_prefix),
    f!("trimSuffix", [S, S], None, trim_suffix),
    f!("nospace", [S], None, nospace),
    f!("trunc", [I, S], None, trunc),
    f!("substr", [I, I, S], None, substr),
    f!("repeat", [I, S], None, repeat),
    f!("replace", [S, S, S], None, replace),
    f!("contains", [S, S], None, contains),
    f!("hasPrefix", [S, S], None, has_prefix),
    f!("hasSuffix", [S, S], None, has_suffix),
    f!("quote", [], Some(A), quote),
    f!("squote", [], Some(A), squote),
    f!("cat", [], Some(A), cat),
    f!("indent", [I, S], None, indent),
    f!("nindent", [I, S], None, nindent),
    f!("toString", [A], None, to_string),
    f!("split", [S, S], None, split),
    f!("splitList", [S, S], None, split_list),
    f!("join", [S, A], None, join),
    f!("toStrings", [A], None, to_strings),
    f!("sortAlpha", [A], None, sort_alpha),
    f!("atoi", [S], None, atoi),
    f!("int", [A], None, to_int),
    f!("int64", [A], None, to_int64),
    f!("float64", [A], None, to_float64),
    f!("add", [], Some(A), add),
    f!("add1", [A], None, add1),
    f!("sub", [A, A], None, sub),
    f!("mul", [A], Some(A), mul),
    f!("div", [A, A], None, div),
    f!("mod", [A, A], None, modulo),
    f!("max", [A], Some(A), max),
    f!("biggest", [A], Some(A), max),
    f!("min", [A], Some(A), min),
    f!("ceil", [A], None, ceil),
    f!("floor", [A], None, floor),
    f!("round", [A, I], Some(Ty::Float64), round),
    f!("until", [I], None, until),
    f!("untilStep", [I, I, I], None, until_step),
    f!("default", [A], Some(A), default),
    f!("empty", [A], None, empty),
    f!("coalesce", [], Some(A), coalesce),
    f!("all", [], Some(A), all),
    f!("any", [], Some(A), any),
    f!("ternary", [A, A, Ty::Bool], None, ternary),
    f!("fail", [S], None, fail),
    f!("fromJson", [S], None, from_json),
    f!("mustFromJson", [S], None, must_from_json),
    f!("toJson", [A], None, to_json),
    f!("mustToJson", [A], None, must_to_json),
    f!("toRawJson", [A], None, to_raw_json),
    f!("mustToRawJson", [A], None, to_raw_json),
    f!("toPrettyJson", [A], None, to_pretty_json),
    f!("mustToPrettyJson", [A], None, must_to_pretty_json),
    f!("toYaml", [A], None, to_yaml),
    f!("fromYaml", [S], None, from_yaml),
    f!("list", [], Some(A), list),
    f!("tuple", [], Some(A), list),
    f!("dict", [], Some(A), dict),
    f!("get", [Ty::MapAny, S], None, get),
    f!("set", [Ty::MapAny, S, A], None, set),
    f!("unset", [Ty::MapAny, S], None, unset),
    f!("hasKey", [Ty::MapAny, S], None, has_key),
    f!("keys", [], Some(Ty::MapAny), keys),
    f!("pick", [Ty::MapAny], Some(S), pick),
    f!("omit", [Ty::MapAny], Some(S), omit),
    f!("append", [A, A], None, push),
    f!("push", [A, A], None, push),
    f!("first", [A], None, first),
    f!("last", [A], None, last),
    f!("rest", [A], None, rest),
    f!("initial", [A], None, initial),
    f!("reverse", [A], None, reverse),
    f!("has", [A, A], None, has),
    f!("slice", [A], Some(A), slice),
    f!("typeOf", [A], None, type_of),
    f!("kindOf", [A], None, kind_of),
    f!("base", [S], None, base),
    f!("dir", [S], None, dir),
    f!("clean", [S], None, clean),
    f!("ext", [S], None, ext),
    f!("isAbs", [S], None, is_abs),
    f!("regexMatch", [S, S], None, regex_match),
    f!("mustRegexMatch", [S, S], None, must_regex_match),
    f!("regexFind", [S, S], None, regex_find),
    f!("regexFindAll", [S, S, I], None, regex_find_all),
    f!("regexReplaceAll", [S, S, S], None, regex_replace_all),
    f!(
        "regexReplaceAllLiteral",
        [S, S, S],
        None,
        regex_replace_all_literal
    ),
    f!("regexQuoteMeta", [S], None, regex_quote_meta),
    f!("filterPEM", [S, S], None, filter_pem),
    f!("b32enc", [S], None, b32enc),
    f!("abbrev", [I, S], None, abbrev),
    f!("maxf", [A], Some(A), maxf),
    f!("minf", [A], Some(A), minf),
    f!("deepCopy", [A], None, deep_copy),
    f!("mustDeepCopy", [A], None, deep_copy),
    f!("hello", [], None, hello),
    f!("osBase", [S], None, base),
    f!("osDir", [S], None, dir),
    f!("osClean", [S], None, clean),
    f!("osExt", [S], None, ext),
    f!("osIsAbs", [S], None, is_abs),
    f!("adler32sum", [S], None, adler32sum),
    f!("toDecimal", [A], None, to_decimal),
    f!("plural", [S, S, I], None, plural),
    f!("splitn", [S, I, S], None, splitn),
    f!("concat", [], Some(A), concat),
    f!("compact", [A], None, compact),
    f!("mustCompact", [A], None, compact),
    f!("without", [A], Some(A), without),
    f!("mustWithout", [A], Some(A), without),
    f!("uniq", [A], None, uniq),
    f!("mustUniq", [A], None, uniq),
    f!("prepend", [A, A], None, prepend),
    f!("mustPrepend", [A, A], None, prepend),
    f!("mustAppend", [A, A], None, push),
    f!("mustPush", [A, A], None, push),
    f!("mustFirst", [A], None, first),
    f!("mustLast", [A], None, last),
    f!("mustRest", [A], None, rest),
    f!("mustInitial", [A], None, initial),
    f!("mustReverse", [A], None, reverse),
    f!("mustHas", [A, A], None, has),
    f!("mustSlice", [A], Some(A), slice),
    f!("values", [Ty::MapAny], None, values),
    f!("pluck", [S], Some(Ty::MapAny), pluck),
    f!("dig", [], Some(A), dig),
    f!("typeIs", [S, A], None, type_is),
    f!("kindIs", [S, A], None, kind_is),
    f!("deepEqual", [A, A], None, deep_equal_fn),
    f!("mustRegexFind", [S, S], None, regex_find),
    f!("mustRegexFindAll", [S, S, I], None, regex_find_all),
    f!("mustRegexReplaceAll", [S, S, S], None, regex_replace_all),
    f!(
        "mustRegexReplaceAllLiteral",
        [S, S, S],
        None,
        regex_replace_all_literal
    ),
];

fn b32enc(args: &[Value]) -> Result<Value, String> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let input = bytes(args, 0);
    let mut out = Vec::with_capacity(input.len().div_ceil(5) * 8);
    for chunk in input.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |a, b| a << 8 | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((n >> (35 - 5 * i)) & 31) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    ok_str(out)
}

fn adler32sum(args: &[Value]) -> Result<Value, String> {
    let (mut a, mut b) = (1u32, 0u32);
    for x in bytes(args, 0) {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    ok_str((b << 16 | a).to_string().into_bytes())
}

/// Sprig's `toDecimal`: the `%v` text parsed as octal, 0 on failure.
fn to_decimal(args: &[Value]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(&strval(&arg(args, 0))).into_owned();
    let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
    let n = if !digits.is_empty() && digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        i64::from_str_radix(&text, 8).unwrap_or(0)
    } else {
        0
    };
    Ok(Value::Int64(n))
}

fn plural(args: &[Value]) -> Result<Value, String> {
    ok_str(if int(args, 2) == 1 {
        bytes(args, 0)
    } else {
        bytes(args, 1)
    })
}

/// Go's `strings.SplitN`, keyed `_0`, `_1`… like Sprig's `split`.
fn splitn(args: &[Value]) -> Result<Value, String> {
    let (sep, n, s) = (bytes(args, 0), int(args, 1), bytes(args, 2));
    let mut parts = split_bytes(&s, &sep);
    if n == 0 {
        parts.clear();
    } else if n > 0 && parts.len() as i64 > n {
        let keep = n as usize - 1;
        let mut head: Vec<Vec<u8>> = parts[..keep].to_vec();
        head.push(parts[keep..].join(sep.as_slice()));
        parts = head;
    }
    let entries = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}").into_bytes(), Value::str(p)))
        .collect();
    Value::map(Elem::Str, entries)
}

fn concat(args: &[Value]) -> Result<Value, String> {
    let mut out = Vec::new();
    for a in args {
        match a {
            Value::List(l) => out.extend(l.items.iter().cloned()),
            other => return Err(format!("Cannot concat type {} as list", other.kind_name())),
        }
    }
    Value::list(Elem::Any, out)
}

fn compact(args: &[Value]) -> Result<Value, String> {
    let l = items(&arg(args, 0), "compact")?;
    Value::list(Elem::Any, l.into_iter().filter(|v| !is_empty(v)).collect())
}

fn without(args: &[Value]) -> Result<Value, String> {
    let l = items(&arg(args, 0), "find without")?;
    let omit = args.get(1..).unwrap_or(&[]);
    Value::list(
        Elem::Any,
        l.into_iter()
            .filter(|v| !omit.iter().any(|o| deep_equal(o, v)))
            .collect(),
    )
}

fn uniq(args: &[Value]) -> Result<Value, String> {
    let l = items(&arg(args, 0), "find uniq")?;
    let mut out: Vec<Value> = Vec::new();
    for v in l {
        if !out.iter().any(|o| deep_equal(o, &v)) {
            out.push(v);
        }
    }
    Value::list(Elem::Any, out)
}

fn prepend(args: &[Value]) -> Result<Value, String> {
    let mut l = items(&arg(args, 0), "prepend")?;
    l.insert(0, arg(args, 1));
    Value::list(Elem::Any, l)
}

/// Sprig's `values`. Go returns map order, which is random; key order is one of its outcomes.
fn values(args: &[Value]) -> Result<Value, String> {
    let out = match arg(args, 0) {
        Value::Map(m) => m.borrow().entries.values().cloned().collect(),
        _ => Vec::new(),
    };
    Value::list(Elem::Any, out)
}

fn pluck(args: &[Value]) -> Result<Value, String> {
    let key = bytes(args, 0);
    let mut out = Vec::new();
    for d in args.iter().skip(1) {
        if let Value::Map(m) = d
            && let Some(v) = m.borrow().entries.get(&key)
        {
            out.push(v.clone());
        }
    }
    Value::list(Elem::Any, out)
}

fn dig(args: &[Value]) -> Result<Value, String> {
    if args.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let conversion = |v: &Value, want: &str| {
        format!(
            "interface conversion: interface {{}} is {}, not {want}",
            v.type_name()
        )
    };
    let (keys, tail) = args.split_at(args.len() - 2);
    let default = tail[0].clone();
    let mut keys_b = Vec::with_capacity(keys.len());
    for k in keys {
        match k {
            Value::Str(s) => keys_b.push(s.to_vec()),
            other => return Err(conversion(other, "string")),
        }
    }
    let mut current = tail[1].clone();
    for (i, k) in keys_b.iter().enumerate() {
        let step = match &current {
            Value::Map(m) if m.borrow().elem == Elem::Any => m.borrow().entries.get(k).cloned(),
            other => return Err(conversion(other, "map[string]interface {}")),
        };
        match step {
            None => return Ok(default),
            Some(v) if i + 1 == keys_b.len() => return Ok(v),
            Some(v) => current = v,
        }
    }
    Ok(default)
}

fn type_is(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        bytes(args, 0) == arg(args, 1).type_name().as_bytes(),
    ))
}

fn kind_is(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        bytes(args, 0) == arg(args, 1).kind_name().as_bytes(),
    ))
}

fn deep_equal_fn(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(deep_equal(&arg(args, 0), &arg(args, 1))))
}

fn str_list(items: Vec<Vec<u8>>) -> Result<Value, String> {
    Value::list(Elem::Str, items.into_iter().map(Value::str).collect())
}

/// Go's `runtime error` for a slice expression out of range.
fn bounds(lo: i64, hi: i64, len: usize) -> String {
    if hi < 0 || hi as u64 > len as u64 {
        format!("runtime error: slice bounds out of range [:{hi}] with length {len}")
    } else {
        format!("runtime error: slice bounds out of range [{lo}:{hi}]")
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding and hashes

fn b64enc(args: &[Value]) -> Result<Value, String> {
    ok_str(gocompat::base64::encode_std(&bytes(args, 0)).into_bytes())
}

fn b64dec(args: &[Value]) -> Result<Value, String> {
    match gocompat::base64::decode_std(&bytes(args, 0)) {
        Ok(b) => ok_str(b),
        Err(e) => ok_str(e.to_string().into_bytes()),
    }
}

fn hexdec(args: &[Value]) -> Result<Value, String> {
    fn nib(b: u8) -> Option<u8> {
        char::from(b).to_digit(16).map(|d| d as u8)
    }
    fn invalid(b: u8) -> Vec<u8> {
        let c = char::from(b);
        let shown = if crate::gocompat::unicode::is_print(c) {
            format!(" '{c}'")
        } else {
            String::new()
        };
        format!("encoding/hex: invalid byte: U+{:04X}{shown}", u32::from(b)).into_bytes()
    }
    let src = bytes(args, 0);
    let mut out = Vec::with_capacity(src.len() / 2);
    let mut j = 1;
    while j < src.len() {
        let (p, q) = (src[j - 1], src[j]);
        let Some(a) = nib(p) else {
            return ok_str(invalid(p));
        };
        let Some(b) = nib(q) else {
            return ok_str(invalid(q));
        };
        out.push(a << 4 | b);
        j += 2;
    }
    if src.len() % 2 == 1 {
        let last = src[j - 1];
        if nib(last).is_none() {
            return ok_str(invalid(last));
        }
        return ok_str(b"encoding/hex: odd length hex string".to_vec());
    }
    ok_str(out)
}

fn sha1sum(args: &[Value]) -> Result<Value, String> {
    ok_str(hex::encode(sha1::Sha1::digest(bytes(args, 0))).into_bytes())
}

fn sha256sum(args: &[Value]) -> Result<Value, String> {
    ok_str(hex::encode(sha2::Sha256::digest(bytes(args, 0))).into_bytes())
}

fn sha512sum(args: &[Value]) -> Result<Value, String> {
    ok_str(hex::encode(sha2::Sha512::digest(bytes(args, 0))).into_bytes())
}

// ---------------------------------------------------------------------------------------------
// Strings

/// Go's `strings.Map` over a case mapping: ASCII-only input keeps its bytes, otherwise every
/// invalid byte becomes U+FFFD.
fn map_runes(s: &[u8], f: impl Fn(char) -> char) -> Vec<u8> {
    if s.is_ascii() {
        return s.iter().map(|b| f(char::from(*b)) as u8).collect();
    }
    let mut out = Vec::with_capacity(s.len());
    for (c, _) in runes(s) {
        let m = f(c);
        let mut buf = [0u8; 4];
        out.extend_from_slice(m.encode_utf8(&mut buf).as_bytes());
    }
    out
}

fn upper(args: &[Value]) -> Result<Value, String> {
    ok_str(map_runes(&bytes(args, 0), to_upper))
}

fn lower(args: &[Value]) -> Result<Value, String> {
    ok_str(map_runes(&bytes(args, 0), to_lower))
}

fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (!c.is_ascii() && c != '\u{85}' && c != '\u{a0}' && c.is_whitespace())
}

fn title(args: &[Value]) -> Result<Value, String> {
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if gocompat::unicode::is_letter(c) || gocompat::unicode::is_digit(c) {
            return false;
        }
        is_go_space(c)
    }
    let s = bytes(args, 0);
    let mut prev = ' ';
    let mut out = Vec::with_capacity(s.len());
    for (c, _) in runes(&s) {
        let m = if is_separator(prev) { to_upper(c) } else { c };
        let mut buf = [0u8; 4];
        out.extend_from_slice(m.encode_utf8(&mut buf).as_bytes());
        prev = c;
    }
    ok_str(out)
}

/// Go's `strings.TrimFunc`-style trim over characters that satisfy `f`; invalid bytes are
/// never trimmed.
fn trim_runes(s: &[u8], f: impl Fn(char) -> bool) -> Vec<u8> {
    let rs: Vec<(char, &[u8])> = runes(s).collect();
    let keep = |(c, raw): &(char, &[u8])| !(f(*c) && !(*c == '\u{FFFD}' && raw.len() == 1));
    let start = rs.iter().position(keep).unwrap_or(rs.len());
    let end = rs.iter().rposition(keep).map_or(start, |e| e + 1);
    rs[start..end.max(start)]
        .iter()
        .flat_map(|(_, raw)| raw.to_vec())
        .collect()
}

fn trim(args: &[Value]) -> Result<Value, String> {
    ok_str(trim_runes(&bytes(args, 0), is_go_space))
}

fn trim_all(args: &[Value]) -> Result<Value, String> {
    let cutset: Vec<char> = runes(&bytes(args, 0)).map(|(c, _)| c).collect();
    ok_str(trim_runes(&bytes(args, 1), |c| cutset.contains(&c)))
}

fn trim_prefix(args: &[Value]) -> Result<Value, String> {
    let (p, s) = (bytes(args, 0), bytes(args, 1));
    ok_str(s.strip_prefix(p.as_slice()).unwrap_or(&s).to_vec())
}

fn trim_suffix(args: &[Value]) -> Result<Value, String> {
    let (p, s) = (bytes(args, 0), bytes(args, 1));
    ok_str(s.strip_suffix(p.as_slice()).unwrap_or(&s).to_vec())
}

/// goutils `DeleteWhiteSpace`: byte by byte, each byte taken as a Latin-1 character.
fn nospace(args: &[Value]) -> Result<Value, String> {
    let s = bytes(args, 0);
    let kept: Vec<char> = s
        .iter()
        .map(|b| char::from(*b))
        .filter(|c| !is_go_space(*c))
        .collect();
    if kept.len() == s.len() {
        return ok_str(s);
    }
    ok_str(kept.into_iter().collect::<String>().into_bytes())
}

fn trunc(args: &[Value]) -> Result<Value, String> {
    let (c, s) = (int(args, 0), bytes(args, 1));
    let n = s.len() as i64;
    if c < 0 && n + c > 0 {
        return ok_str(s[(n + c) as usize..].to_vec());
    }
    if c >= 0 && n > c {
        return ok_str(s[..c as usize].to_vec());
    }
    ok_str(s)
}

fn substr(args: &[Value]) -> Result<Value, String> {
    let (start, end, s) = (int(args, 0), int(args, 1), bytes(args, 2));
    let n = s.len();
    let slice = |lo: i64, hi: i64| -> Result<Value, String> {
        if lo < 0 || hi < 0 || hi as u64 > n as u64 || lo > hi {
            return Err(bounds(lo, hi, n));
        }
        ok_str(s[lo as usize..hi as usize].to_vec())
    };
    if start < 0 {
        return slice(0, end);
    }
    if end < 0 || end as u64 > n as u64 {
        return slice(start, n as i64);
    }
    slice(start, end)
}

fn repeat(args: &[Value]) -> Result<Value, String> {
    let (count, s) = (int(args, 0), bytes(args, 1));
    if count < 0 {
        return Err("strings: negative Repeat count".into());
    }
    if (s.len() as u128) * (count as u128) > MAX_RESULT as u128 {
        return Err(format!(
            "result exceeds eso-render's limit of {MAX_RESULT} bytes"
        ));
    }
    ok_str(s.repeat(count as usize))
}

fn replace_bytes(s: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    if old.is_empty() {
        // Go inserts `new` before every character and at the end.
        let mut out = Vec::new();
        for (_, raw) in runes(s) {
            out.extend_from_slice(new);
            out.extend_from_slice(raw);
        }
        out.extend_from_slice(new);
        return out;
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(old) {
            out.extend_from_slice(new);
            i += old.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn replace(args: &[Value]) -> Result<Value, String> {
    let (old, new, s) = (bytes(args, 0), bytes(args, 1), bytes(args, 2));
    let out = replace_bytes(&s, &old, &new);
    ok_str(out)
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

fn contains(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(find(&bytes(args, 1), &bytes(args, 0))))
}

fn has_prefix(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(bytes(args, 1).starts_with(&bytes(args, 0))))
}

fn has_suffix(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(bytes(args, 1).ends_with(&bytes(args, 0))))
}

/// Sprig's `strval`: strings as is, anything else as Go's `%v`.
fn strval(v: &Value) -> Vec<u8> {
    match v {
        Value::Str(s) => s.to_vec(),
        v => {
            let mut out = Vec::new();
            fmt::write_value(&mut out, v);
            out
        }
    }
}

fn quote(args: &[Value]) -> Result<Value, String> {
    let parts: Vec<Vec<u8>> = args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(|a| fmt::quote_bytes(&strval(a), false))
        .collect();
    ok_str(parts.join(&b' '))
}

fn squote(args: &[Value]) -> Result<Value, String> {
    let parts: Vec<Vec<u8>> = args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(|a| [b"'".as_slice(), &strval(a), b"'"].concat())
        .collect();
    ok_str(parts.join(&b' '))
}

fn cat(args: &[Value]) -> Result<Value, String> {
    let parts: Vec<Vec<u8>> = args
        .iter()
        .filter(|a| !matches!(a, Value::Nil))
        .map(strval)
        .collect();
    ok_str(parts.join(&b' '))
}

fn indent_bytes(n: i64, s: &[u8]) -> Result<Vec<u8>, String> {
    let n = usize::try_from(n).unwrap_or(0);
    if n.saturating_mul(s.len() + 1) > MAX_RESULT {
        return Err(format!(
            "result exceeds eso-render's limit of {MAX_RESULT} bytes"
        ));
    }
    let pad = vec![b' '; n];
    let mut nl_pad = vec![b'\n'];
    nl_pad.extend_from_slice(&pad);
    let mut out = pad;
    out.extend(replace_bytes(s, b"\n", &nl_pad));
    Ok(out)
}

fn indent(args: &[Value]) -> Result<Value, String> {
    ok_str(indent_bytes(int(args, 0), &bytes(args, 1))?)
}

fn nindent(args: &[Value]) -> Result<Value, String> {
    let mut out = vec![b'\n'];
    out.extend(indent_bytes(int(args, 0), &bytes(args, 1))?);
    ok_str(out)
}

fn to_string(args: &[Value]) -> Result<Value, String> {
    ok_str(strval(&arg(args, 0)))
}

/// Go's `strings.Split`: an empty separator splits into characters.
fn split_bytes(s: &[u8], sep: &[u8]) -> Vec<Vec<u8>> {
    if sep.is_empty() {
        return runes(s).map(|(_, raw)| raw.to_vec()).collect();
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= s.len() {
        if &s[i..i + sep.len()] == sep {
            parts.push(s[start..i].to_vec());
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(s[start..].to_vec());
    parts
}

fn split(args: &[Value]) -> Result<Value, String> {
    let parts = split_bytes(&bytes(args, 1), &bytes(args, 0));
    let entries = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}").into_bytes(), Value::str(p)))
        .collect();
    Value::map(Elem::Str, entries)
}

fn split_list(args: &[Value]) -> Result<Value, String> {
    str_list(split_bytes(&bytes(args, 1), &bytes(args, 0)))
}

/// Sprig's `strslice`: list items without nils as strings, a scalar as a one-item list.
fn strslice(v: &Value) -> Vec<Vec<u8>> {
    match v {
        Value::List(l) => l
            .items
            .iter()
            .filter(|i| !matches!(i, Value::Nil))
            .map(strval)
            .collect(),
        Value::Nil => Vec::new(),
        v => vec![strval(v)],
    }
}

fn join(args: &[Value]) -> Result<Value, String> {
    ok_str(strslice(&arg(args, 1)).join(bytes(args, 0).as_slice()))
}

fn to_strings(args: &[Value]) -> Result<Value, String> {
    str_list(strslice(&arg(args, 0)))
}

fn sort_alpha(args: &[Value]) -> Result<Value, String> {
    let v = arg(args, 0);
    let mut items = match &v {
        Value::List(_) => strslice(&v),
        v => vec![strval(v)],
    };
    items.sort();
    str_list(items)
}

// ---------------------------------------------------------------------------------------------
// Numbers (spf13/cast rules)

/// Go's `strconv.Atoi`: decimal with an optional sign, 0 on failure.
fn atoi(args: &[Value]) -> Result<Value, String> {
    let s = String::from_utf8(bytes(args, 0)).unwrap_or_default();
    let digits = s.strip_prefix(['+', '-']).unwrap_or(&s);
    let n = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        s.parse::<i64>().unwrap_or(0)
    } else {
        0
    };
    Ok(Value::Int(n))
}

/// cast's `ToInt64`: numbers truncate (named integers such as `time.Month` included), strings
/// parse with base prefixes, else 0.
fn cast_int(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        // Go's `int64(u)`.
        Value::Uint(u) => *u as i64,
        Value::Object(_) => v.as_int().unwrap_or(0),
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => {
            let s = String::from_utf8_lossy(s);
            let t = s.trim();
            let trimmed = t
                .split_once('.')
                .filter(|(_, frac)| frac.bytes().all(|b| b == b'0'))
                .map_or(t, |(int, _)| int);
            parse_int_base0(trimmed)
                .or_else(|| parse_float(t).map(|f| f as i64))
                .unwrap_or(0)
        }
        _ => 0,
    }
}

/// cast's `ToFloat64` (Sprig's numbers and decimal math).
pub(super) fn cast_float(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Uint(u) => *u as f64,
        Value::Object(_) => v.as_int().map_or(0.0, |i| i as f64),
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => {
            let text = String::from_utf8_lossy(s);
            let text = text.trim();
            parse_float(text)
                .or_else(|| go_special_float(text))
                .unwrap_or(0.0)
        }
        _ => 0.0,
    }
}

/// The words Go's `strconv.ParseFloat` reads as NaN or an infinity (any case).
fn go_special_float(s: &str) -> Option<f64> {
    let (sign, word) = match s.strip_prefix('-') {
        Some(w) => (-1.0, w),
        None => (1.0, s.strip_prefix('+').unwrap_or(s)),
    };
    let word = word.to_ascii_lowercase();
    match word.as_str() {
        "inf" | "infinity" => Some(sign * f64::INFINITY),
        "nan" if s.len() == 3 => Some(f64::NAN),
        _ => None,
    }
}

fn to_int(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(cast_int(&arg(args, 0))))
}

fn to_int64(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(cast_int(&arg(args, 0))))
}

fn to_float64(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(cast_float(&arg(args, 0))))
}

fn add(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(
        args.iter().fold(0i64, |a, b| a.wrapping_add(cast_int(b))),
    ))
}

fn add1(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(cast_int(&arg(args, 0)).wrapping_add(1)))
}

fn sub(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(
        cast_int(&arg(args, 0)).wrapping_sub(cast_int(&arg(args, 1))),
    ))
}

fn mul(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(
        args.iter()
            .skip(1)
            .fold(cast_int(&arg(args, 0)), |a, b| a.wrapping_mul(cast_int(b))),
    ))
}

fn div(args: &[Value]) -> Result<Value, String> {
    let b = cast_int(&arg(args, 1));
    if b == 0 {
        return Err("runtime error: integer divide by zero".into());
    }
    Ok(Value::Int64(cast_int(&arg(args, 0)).wrapping_div(b)))
}

fn modulo(args: &[Value]) -> Result<Value, String> {
    let b = cast_int(&arg(args, 1));
    if b == 0 {
        return Err("runtime error: integer divide by zero".into());
    }
    Ok(Value::Int64(cast_int(&arg(args, 0)).wrapping_rem(b)))
}

fn max(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(args.iter().map(cast_int).max().unwrap_or(0)))
}

fn min(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(args.iter().map(cast_int).min().unwrap_or(0)))
}

fn ceil(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(cast_float(&arg(args, 0)).ceil()))
}

fn floor(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(cast_float(&arg(args, 0)).floor()))
}

/// Sprig's `round`: scale, then round up when the fraction reaches `roundOn` (0.5).
fn round(args: &[Value]) -> Result<Value, String> {
    let round_on = match args.get(2) {
        Some(Value::Float(f)) => *f,
        _ => 0.5,
    };
    let val = cast_float(&arg(args, 0));
    let pow = 10f64.powf(int(args, 1) as f64);
    let digit = pow * val;
    let r = if digit.fract() >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(r / pow))
}

/// Most items `until`/`untilStep` may produce; Go has no limit but would exhaust memory.
const MAX_ITEMS: i64 = 10_000_000;

fn int_range(start: i64, stop: i64, step: i64) -> Result<Value, String> {
    let mut v = Vec::new();
    let mut i = start;
    let go_on = |i: i64| if step < 0 { i > stop } else { i < stop };
    if step == 0 || (stop < start && step > 0) || (stop >= start && step < 0) {
        return Value::list(Elem::Int, v);
    }
    while go_on(i) {
        if v.len() as i64 >= MAX_ITEMS {
            return Err(format!(
                "result exceeds eso-render's limit of {MAX_ITEMS} items"
            ));
        }
        v.push(Value::Int(i));
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    Value::list(Elem::Int, v)
}

fn until(args: &[Value]) -> Result<Value, String> {
    let count = int(args, 0);
    int_range(0, count, if count < 0 { -1 } else { 1 })
}

fn until_step(args: &[Value]) -> Result<Value, String> {
    int_range(int(args, 0), int(args, 1), int(args, 2))
}

// ---------------------------------------------------------------------------------------------
// Defaults

/// Sprig's `empty`: like Go truthiness, inverted.
fn is_empty(v: &Value) -> bool {
    !v.truth()
}

fn default(args: &[Value]) -> Result<Value, String> {
    match args.get(1) {
        Some(given) if !is_empty(given) => Ok(given.clone()),
        _ => Ok(arg(args, 0)),
    }
}

fn empty(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(is_empty(&arg(args, 0))))
}

fn coalesce(args: &[Value]) -> Result<Value, String> {
    Ok(args
        .iter()
        .find(|v| !is_empty(v))
        .cloned()
        .unwrap_or(Value::Nil))
}

fn all(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(args.iter().all(|v| !is_empty(v))))
}

fn any(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(args.iter().any(|v| !is_empty(v))))
}

fn ternary(args: &[Value]) -> Result<Value, String> {
    Ok(if matches!(args.get(2), Some(Value::Bool(true))) {
        arg(args, 0)
    } else {
        arg(args, 1)
    })
}

fn fail(_args: &[Value]) -> Result<Value, String> {
    // The message is template text, but it often carries data; Go prints it, eso-render
    // redacts it.
    Err("fail called (message redacted)".into())
}

// ---------------------------------------------------------------------------------------------
// JSON

fn from_serde(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s.into_bytes()),
        serde_json::Value::Array(a) => {
            let items = a.into_iter().map(from_serde).collect();
            // JSON nesting is capped by gocompat below the value cap, so this cannot fail.
            Value::list(Elem::Any, items).unwrap_or(Value::Nil)
        }
        serde_json::Value::Object(m) => Value::map(
            Elem::Any,
            m.into_iter()
                .map(|(k, v)| (k.into_bytes(), from_serde(v)))
                .collect(),
        )
        .unwrap_or(Value::Nil),
    }
}

fn to_serde(v: &Value, depth: usize) -> Result<serde_json::Value, String> {
    if depth > crate::template::value::MAX_VALUE_DEPTH {
        return Err("json: unsupported value: encountered a cycle".into());
    }
    Ok(match v {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) | Value::Int64(i) => serde_json::Value::from(*i),
        Value::Uint(u) => serde_json::Value::from(*u),
        Value::Object(o) => o.to_json()?,
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => serde_json::Value::Number(n),
            None => {
                return Err(format!(
                    "json: unsupported value: {}",
                    fmt::format_float(*f, 'g', None)
                ));
            }
        },
        Value::Str(s) => serde_json::Value::String(gocompat::json::go_lossy_string(s)),
        Value::List(l) => serde_json::Value::Array(
            l.items
                .iter()
                .map(|i| to_serde(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let m = m.borrow();
            let mut out = serde_json::Map::new();
            for (k, v) in &m.entries {
                out.insert(gocompat::json::go_lossy_string(k), to_serde(v, depth + 1)?);
            }
            serde_json::Value::Object(out)
        }
    })
}

fn from_json(args: &[Value]) -> Result<Value, String> {
    Ok(gocompat::json::unmarshal_any(&bytes(args, 0))
        .map(from_serde)
        .unwrap_or(Value::Nil))
}

fn must_from_json(args: &[Value]) -> Result<Value, String> {
    gocompat::json::unmarshal_any(&bytes(args, 0))
        .map(from_serde)
        .map_err(|e| e.to_string())
}

fn to_json(args: &[Value]) -> Result<Value, String> {
    match to_serde(&arg(args, 0), 0) {
        Ok(v) => ok_str(gocompat::json::marshal(&v, true).into_bytes()),
        Err(_) => ok_str(Vec::new()),
    }
}

fn must_to_json(args: &[Value]) -> Result<Value, String> {
    let v = to_serde(&arg(args, 0), 0)?;
    ok_str(gocompat::json::marshal(&v, true).into_bytes())
}

fn to_raw_json(args: &[Value]) -> Result<Value, String> {
    let v = to_serde(&arg(args, 0), 0)?;
    ok_str(gocompat::json::marshal(&v, false).into_bytes())
}

/// Go's `json.MarshalIndent(v, "", "  ")`, by re-indenting the compact text as Go's `Indent`
/// does (empty objects and arrays stay `{}` / `[]`).
fn to_pretty_json(args: &[Value]) -> Result<Value, String> {
    must_to_pretty_json(args).or_else(|_| ok_str(Vec::new()))
}

fn must_to_pretty_json(args: &[Value]) -> Result<Value, String> {
    let v = to_serde(&arg(args, 0), 0)?;
    let compact = gocompat::json::marshal(&v, true);
    let b = compact.as_bytes();
    let mut out = Vec::with_capacity(b.len() * 2);
    let mut depth = 0usize;
    let mut in_str = false;
    let mut i = 0;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c);
            if c == b'\\' {
                if let Some(n) = b.get(i + 1) {
                    out.push(*n);
                }
                i += 1;
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                out.push(c);
            }
            b'{' | b'[' => {
                out.push(c);
                if matches!(b.get(i + 1), Some(b'}' | b']')) {
                    out.push(b[i + 1]);
                    i += 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            b',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            c => out.push(c),
        }
        i += 1;
    }
    ok_str(out)
}

// ---------------------------------------------------------------------------------------------
// YAML (ESO's toYaml and fromYaml, sigs.k8s.io/yaml)

/// ESO's `toYaml`: `sigs.k8s.io/yaml.Marshal` (Go's JSON, then go-yaml v2), the final newline
/// trimmed. ESO swallows marshal errors and returns `""`; so does this, except for the one
/// input `gocompat::goyaml` does not reproduce (U+0085 in a string), which is an error rather
/// than a silent difference.
fn to_yaml(args: &[Value]) -> Result<Value, String> {
    let Ok(json) = to_serde(&arg(args, 0), 0) else {
        return Ok(Value::str(""));
    };
    match gocompat::goyaml::marshal(&json) {
        Ok(text) => ok_str(text.strip_suffix('\n').unwrap_or(&text).as_bytes().to_vec()),
        Err(e) if e.contains("not supported") => {
            Err("toYaml of a string with U+0085 is not supported by eso-render yet".into())
        }
        Err(_) => Ok(Value::str("")),
    }
}

/// ESO's `fromYaml`: `sigs.k8s.io/yaml.Unmarshal` into a `map[string]interface{}`. The
/// document is read with the manifest reader, which follows the same library's rules (go-yaml
/// v2 scalars, keys made strings), then goes through JSON as there (numbers become float64).
/// Like ESO, a failure is not a template error: the map gets an `Error` entry. The message has
/// Go's prefixes, but the parser's own text is eso-render's (it never quotes the document).
fn from_yaml(args: &[Value]) -> Result<Value, String> {
    let mut entries = BTreeMap::new();
    let error = match std::str::from_utf8(
        args.first().and_then(Value::as_bytes).unwrap_or_default(),
    ) {
        Err(_) => Some("error converting YAML to JSON: yaml: invalid UTF-8".to_owned()),
        Ok(text) => match crate::manifest::yaml::parse_documents(text) {
            Err(e) => Some(format!(
                "error converting YAML to JSON: yaml: line {}: {e}",
                e.pos().line
            )),
            Ok(docs) => match docs.first().map(|d| crate::output::json(&d.node)) {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::Object(m)) => {
                    entries.extend(m.into_iter().map(|(k, v)| (k.into_bytes(), from_serde(v))));
                    None
                }
                Some(other) => {
                    let kind = match other {
                        serde_json::Value::Array(_) => "array",
                        serde_json::Value::String(_) => "string",
                        serde_json::Value::Bool(_) => "bool",
                        _ => "number",
                    };
                    Some(format!(
                        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
                    ))
                }
            },
        },
    };
    if let Some(e) = error {
        entries.insert(b"Error".to_vec(), Value::str(e));
    }
    Value::map(Elem::Any, entries)
}

// ---------------------------------------------------------------------------------------------
// Lists and dicts

fn list(args: &[Value]) -> Result<Value, String> {
    Value::list(Elem::Any, args.to_vec())
}

fn dict(args: &[Value]) -> Result<Value, String> {
    let mut m = BTreeMap::new();
    for pair in args.chunks(2) {
        let key = strval(&pair[0]);
        let v = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        m.insert(key, v);
    }
    Value::map(Elem::Any, m)
}

fn get(args: &[Value]) -> Result<Value, String> {
    if let Value::Map(m) = arg(args, 0)
        && let Some(v) = m.borrow().entries.get(&bytes(args, 1))
    {
        return Ok(v.clone());
    }
    Ok(Value::str(""))
}

fn set(args: &[Value]) -> Result<Value, String> {
    let d = arg(args, 0);
    let Value::Map(m) = &d else {
        return Err("assignment to entry in nil map".into());
    };
    Value::map_insert(m, bytes(args, 1), arg(args, 2))?;
    Ok(d)
}

fn unset(args: &[Value]) -> Result<Value, String> {
    let d = arg(args, 0);
    if let Value::Map(m) = &d {
        m.borrow_mut().entries.remove(&bytes(args, 1));
    }
    Ok(d)
}

fn has_key(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(match arg(args, 0) {
        Value::Map(m) => m.borrow().entries.contains_key(&bytes(args, 1)),
        _ => false,
    }))
}

/// Sprig's `keys`. Go returns map order, which is random; sorted order is one of its outcomes.
fn keys(args: &[Value]) -> Result<Value, String> {
    let mut out = Vec::new();
    for d in args {
        if let Value::Map(m) = d {
            out.extend(m.borrow().entries.keys().cloned());
        }
    }
    str_list(out)
}

fn pick_omit(args: &[Value], keep: bool) -> Result<Value, String> {
    let wanted: Vec<Vec<u8>> = args.iter().skip(1).map(strval).collect();
    let mut out = BTreeMap::new();
    if let Value::Map(m) = arg(args, 0) {
        for (k, v) in &m.borrow().entries {
            if wanted.contains(k) == keep {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::map(Elem::Any, out)
}

fn pick(args: &[Value]) -> Result<Value, String> {
    pick_omit(args, true)
}

fn omit(args: &[Value]) -> Result<Value, String> {
    pick_omit(args, false)
}

/// The items of a list argument, or Sprig's error for other kinds (`Cannot <op> on type …`).
fn items(v: &Value, op: &str) -> Result<Vec<Value>, String> {
    match v {
        Value::List(l) => Ok(l.items.clone()),
        Value::Nil => {
            Err("runtime error: invalid memory address or nil pointer dereference".into())
        }
        v => Err(format!("Cannot {op} on type {}", v.kind_name())),
    }
}

fn push(args: &[Value]) -> Result<Value, String> {
    let mut l = items(&arg(args, 0), "push")?;
    l.push(arg(args, 1));
    Value::list(Elem::Any, l)
}

fn first(args: &[Value]) -> Result<Value, String> {
    Ok(items(&arg(args, 0), "find first")?
        .into_iter()
        .next()
        .unwrap_or(Value::Nil))
}

fn last(args: &[Value]) -> Result<Value, String> {
    Ok(items(&arg(args, 0), "find last")?
        .pop()
        .unwrap_or(Value::Nil))
}

fn rest(args: &[Value]) -> Result<Value, String> {
    let l = items(&arg(args, 0), "find rest")?;
    if l.is_empty() {
        return Ok(Value::Nil);
    }
    Value::list(Elem::Any, l[1..].to_vec())
}

fn initial(args: &[Value]) -> Result<Value, String> {
    let l = items(&arg(args, 0), "find initial")?;
    if l.is_empty() {
        return Ok(Value::Nil);
    }
    Value::list(Elem::Any, l[..l.len() - 1].to_vec())
}

fn reverse(args: &[Value]) -> Result<Value, String> {
    let mut l = items(&arg(args, 0), "find reverse")?;
    if l.is_empty() {
        return Ok(Value::Nil);
    }
    l.reverse();
    Value::list(Elem::Any, l)
}

/// Go's `reflect.DeepEqual` over template values.
fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_at(a, b, 0)
}

fn deep_equal_at(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > crate::template::value::MAX_VALUE_DEPTH {
        return false;
    }
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::Object(x), Value::Object(y)) => value::objects_deep_eq(&**x, &**y),
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => **x == **y,
        (Value::List(x), Value::List(y)) => {
            x.elem == y.elem
                && x.items.len() == y.items.len()
                && x.items
                    .iter()
                    .zip(&y.items)
                    .all(|(p, q)| deep_equal_at(p, q, depth + 1))
        }
        (Value::Map(x), Value::Map(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.elem == y.elem
                && x.entries.len() == y.entries.len()
                && x.entries.iter().all(|(k, v)| {
                    y.entries
                        .get(k)
                        .is_some_and(|w| deep_equal_at(v, w, depth + 1))
                })
        }
        _ => false,
    }
}

fn has(args: &[Value]) -> Result<Value, String> {
    let needle = arg(args, 0);
    match arg(args, 1) {
        Value::Nil => Ok(Value::Bool(false)),
        Value::List(l) => Ok(Value::Bool(l.items.iter().any(|i| deep_equal(&needle, i)))),
        v => Err(format!("Cannot find has on type {}", v.kind_name())),
    }
}

fn slice(args: &[Value]) -> Result<Value, String> {
    let v = arg(args, 0);
    let l = match &v {
        Value::List(l) => l,
        Value::Nil => {
            return Err("runtime error: invalid memory address or nil pointer dereference".into());
        }
        v => {
            return Err(format!(
                "list should be type of slice or array but {}",
                v.kind_name()
            ));
        }
    };
    let n = l.items.len();
    if n == 0 {
        return Ok(Value::Nil);
    }
    let start = args.get(1).map_or(0, cast_int);
    let end = args.get(2).map_or(n as i64, cast_int);
    if start < 0 || end < start || end as u64 > n as u64 {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    Value::list(l.elem, l.items[start as usize..end as usize].to_vec())
}

fn type_of(args: &[Value]) -> Result<Value, String> {
    ok_str(arg(args, 0).type_name().into_bytes())
}

fn kind_of(args: &[Value]) -> Result<Value, String> {
    ok_str(arg(args, 0).kind_name().as_bytes().to_vec())
}

// ---------------------------------------------------------------------------------------------
// Paths (Go's `path` package)

/// Go's `path.Clean`.
fn clean_path(p: &[u8]) -> Vec<u8> {
    if p.is_empty() {
        return b".".to_vec();
    }
    let rooted = p[0] == b'/';
    let mut parts: Vec<&[u8]> = Vec::new();
    for seg in p.split(|b| *b == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                if parts.last().is_some_and(|l| *l != b"..") {
                    parts.pop();
                } else if !rooted {
                    parts.push(seg);
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join(&b'/');
    match (rooted, body.is_empty()) {
        (true, _) => [b"/".as_slice(), &body].concat(),
        (false, true) => b".".to_vec(),
        (false, false) => body,
    }
}

fn base(args: &[Value]) -> Result<Value, String> {
    let p = bytes(args, 0);
    if p.is_empty() {
        return ok_str(b".".to_vec());
    }
    let t: &[u8] = {
        let mut end = p.len();
        while end > 0 && p[end - 1] == b'/' {
            end -= 1;
        }
        &p[..end]
    };
    if t.is_empty() {
        return ok_str(b"/".to_vec());
    }
    let start = t.iter().rposition(|b| *b == b'/').map_or(0, |i| i + 1);
    ok_str(t[start..].to_vec())
}

fn dir(args: &[Value]) -> Result<Value, String> {
    let p = bytes(args, 0);
    let cut = p.iter().rposition(|b| *b == b'/').map_or(0, |i| i + 1);
    ok_str(clean_path(&p[..cut]))
}

fn clean(args: &[Value]) -> Result<Value, String> {
    ok_str(clean_path(&bytes(args, 0)))
}

fn ext(args: &[Value]) -> Result<Value, String> {
    let p = bytes(args, 0);
    for i in (0..p.len()).rev() {
        match p[i] {
            b'/' => break,
            b'.' => return ok_str(p[i..].to_vec()),
            _ => {}
        }
    }
    ok_str(Vec::new())
}

fn is_abs(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(bytes(args, 0).first() == Some(&b'/')))
}

// ---------------------------------------------------------------------------------------------
// Regular expressions (Go RE2 via gocompat)

fn compile(args: &[Value]) -> Result<gocompat::regexp::Regexp, String> {
    let pattern = String::from_utf8_lossy(&bytes(args, 0)).into_owned();
    // A pattern may come from data (`regexMatch .re .s`), so the offending fragment Go quotes
    // is left out.
    gocompat::regexp::compile(&pattern).map_err(|e| match e {
        gocompat::regexp::Error::Syntax { code, .. } => format!("error parsing regexp: {code}"),
        gocompat::regexp::Error::Unsupported(_) => {
            "error parsing regexp: pattern not supported by eso-render's regex engine".into()
        }
    })
}

fn text(args: &[Value], i: usize) -> String {
    String::from_utf8_lossy(&bytes(args, i)).into_owned()
}

fn regex_match(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(
        compile(args).is_ok_and(|re| re.is_match(&text(args, 1))),
    ))
}

fn must_regex_match(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(compile(args)?.is_match(&text(args, 1))))
}

fn regex_find(args: &[Value]) -> Result<Value, String> {
    let re = compile(args)?;
    let s = text(args, 1);
    ok_str(
        re.as_regex()
            .find(&s)
            .map(|m| m.as_str().as_bytes().to_vec())
            .unwrap_or_default(),
    )
}

fn regex_find_all(args: &[Value]) -> Result<Value, String> {
    let re = compile(args)?;
    let s = text(args, 1);
    let n = int(args, 2);
    let it = re
        .as_regex()
        .find_iter(&s)
        .map(|m| m.as_str().as_bytes().to_vec());
    let found: Vec<Vec<u8>> = if n < 0 {
        it.collect()
    } else {
        it.take(n as usize).collect()
    };
    if found.is_empty() {
        return Ok(Value::Nil);
    }
    str_list(found)
}

fn regex_replace_all(args: &[Value]) -> Result<Value, String> {
    let re = compile(args)?;
    ok_str(gocompat::regexp::replace_all(&re, &text(args, 1), &text(args, 2)).into_bytes())
}

fn regex_replace_all_literal(args: &[Value]) -> Result<Value, String> {
    let re = compile(args)?;
    let repl = text(args, 2);
    ok_str(
        re.as_regex()
            .replace_all(&text(args, 1), regex::NoExpand(&repl))
            .into_owned()
            .into_bytes(),
    )
}

fn regex_quote_meta(args: &[Value]) -> Result<Value, String> {
    let s = bytes(args, 0);
    let mut out = Vec::with_capacity(s.len());
    for b in s {
        if br"\.+*?()|[]{}^$".contains(&b) {
            out.push(b'\\');
        }
        out.push(b);
    }
    ok_str(out)
}

// ---------------------------------------------------------------------------------------------
// PEM (ESO's filterPEM)

/// ESO's `filterPEM`: keeps the PEM blocks of the given type (case-insensitive), re-encoded
/// with 64-column base64, dropping text before the first block.
fn filter_pem(args: &[Value]) -> Result<Value, String> {
    let want = String::from_utf8_lossy(&bytes(args, 0)).to_lowercase();
    let input = bytes(args, 1);
    let text = String::from_utf8_lossy(&input).into_owned();
    let mut rest = match text.find("-----BEGIN") {
        Some(i) => &text[i..],
        None => "",
    };
    let mut out = String::new();
    let mut matched = false;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let Some(type_end) = after.find("-----") else {
            break;
        };
        let ty = &after[..type_end];
        let body_start = &after[type_end + 5..];
        let end_marker = format!("-----END {ty}-----");
        let Some(end) = body_start.find(&end_marker) else {
            break;
        };
        let body = &body_start[..end];
        if body.contains(':') {
            return Err("PEM headers are not supported by eso-render yet".into());
        }
        let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let Ok(der) = gocompat::base64::decode_std(b64.as_bytes()) else {
            break;
        };
        if ty.to_lowercase() == want {
            matched = true;
            out.push_str(&format!("-----BEGIN {ty}-----\n"));
            let enc = gocompat::base64::encode_std(&der);
            for chunk in enc.as_bytes().chunks(64) {
                out.push_str(&String::from_utf8_lossy(chunk));
                out.push('\n');
            }
            out.push_str(&format!("-----END {ty}-----\n"));
        }
        rest = &body_start[end + end_marker.len()..];
    }
    if !matched && !rest.trim().is_empty() {
        return Err("error filtering pem: found junk".into());
    }
    ok_str(out.into_bytes())
}

/// Sprig's `abbrev` (goutils `Abbreviate` with offset 0).
fn abbrev(args: &[Value]) -> Result<Value, String> {
    let (width, s) = (int(args, 0), bytes(args, 1));
    if width < 4 || s.len() as u64 <= width as u64 {
        return ok_str(s);
    }
    let mut out = s[..(width - 3) as usize].to_vec();
    out.extend_from_slice(b"...");
    ok_str(out)
}

fn maxf(args: &[Value]) -> Result<Value, String> {
    let mut it = args.iter().map(cast_float);
    let first = it.next().unwrap_or(0.0);
    Ok(Value::Float(it.fold(first, go_max)))
}

fn minf(args: &[Value]) -> Result<Value, String> {
    let mut it = args.iter().map(cast_float);
    let first = it.next().unwrap_or(0.0);
    Ok(Value::Float(it.fold(first, go_min)))
}

/// Go's `math.Max`: NaN wins, +0 beats -0.
fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() { b } else { a };
    }
    a.max(b)
}

/// Go's `math.Min`: NaN wins, -0 beats +0.
fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() { a } else { b };
    }
    a.min(b)
}

/// Sprig's `deepCopy`: a copy that shares no map with the original.
fn copy_value(v: &Value, depth: usize) -> Result<Value, String> {
    if depth > crate::template::value::MAX_VALUE_DEPTH {
        return Err("value nesting exceeds eso-render's limit".into());
    }
    match v {
        Value::List(l) => Value::list(
            l.elem,
            l.items
                .iter()
                .map(|i| copy_value(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let m = m.borrow();
            let entries = m
                .entries
                .iter()
                .map(|(k, v)| Ok((k.clone(), copy_value(v, depth + 1)?)))
                .collect::<Result<_, String>>()?;
            Value::map(m.elem, entries)
        }
        Value::Object(o) => Ok(o.deep_copy().unwrap_or_else(|| v.clone())),
        v => Ok(v.clone()),
    }
}

fn deep_copy(args: &[Value]) -> Result<Value, String> {
    copy_value(&arg(args, 0), 0)
}

fn hello(_args: &[Value]) -> Result<Value, String> {
    ok_str(b"Hello!".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    fn out(r: Result<Value, String>) -> Vec<u8> {
        match r {
            Ok(Value::Str(b)) => b.to_vec(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn string_functions_like_sprig() {
        assert_eq!(out(upper(&[s("a\u{ff}ß")])), "A\u{178}ß".as_bytes());
        assert_eq!(
            out(upper(&[Value::str(b"a\xffb".to_vec())])),
            "A\u{FFFD}B".as_bytes()
        );
        assert_eq!(out(lower(&[s("İX")])), b"ix");
        assert_eq!(out(title(&[s("hello wORLD")])), b"Hello WORLD");
        assert_eq!(out(trunc(&[Value::Int(2), s("héllo")])), b"h\xc3");
        assert_eq!(out(nospace(&[s("é b")])), "Ã©b".as_bytes());
        assert_eq!(
            out(quote(&[s("a"), Value::Nil, Value::Int(1)])),
            b"\"a\" \"1\""
        );
        assert_eq!(out(indent(&[Value::Int(2), s("a\nb")])), b"  a\n  b");
        assert_eq!(out(replace(&[s("-"), s("_"), s("a-b-c")])), b"a_b_c");
        assert_eq!(out(trim_all(&[s("$"), s("$$5$")])), b"5");
        assert!(substr(&[Value::Int(0), Value::Int(9), s("abc")]).is_ok());
        assert!(substr(&[Value::Int(-1), Value::Int(9), s("abc")]).is_err());
    }

    #[test]
    fn hashes_and_encodings() {
        assert_eq!(
            out(sha1sum(&[s("abc")])),
            b"a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            out(hexdec(&[s("4g")])),
            b"encoding/hex: invalid byte: U+0067 'g'"
        );
        assert_eq!(
            out(hexdec(&[s("414")])),
            b"encoding/hex: odd length hex string"
        );
        assert_eq!(
            out(b64dec(&[s("iam_no_base64")])),
            b"illegal base64 data at input byte 3"
        );
    }

    #[test]
    fn numbers_cast_like_go() {
        assert!(matches!(to_int(&[s("0x1F")]), Ok(Value::Int(31))));
        assert!(matches!(to_int(&[s("010")]), Ok(Value::Int(8))));
        assert!(matches!(to_int(&[s("3.7")]), Ok(Value::Int(3))));
        assert!(matches!(to_int(&[s("x")]), Ok(Value::Int(0))));
        assert!(matches!(atoi(&[s("1_0")]), Ok(Value::Int(0))));
        assert_eq!(
            div(&[Value::Int(1), Value::Int(0)]).err().as_deref(),
            Some("runtime error: integer divide by zero")
        );
    }

    #[test]
    fn pretty_json() {
        let d = dict(&[s("a"), Value::Int(1), s("b"), list(&[]).unwrap()]).unwrap();
        assert_eq!(out(to_pretty_json(&[d])), b"{\n  \"a\": 1,\n  \"b\": []\n}");
    }

    /// ESO's `toYaml` over `gocompat::goyaml` (checked there against go-yaml v2): the template
    /// side, Go's JSON step included (host objects, numbers, strings that must be quoted).
    #[test]
    fn to_yaml_like_sigs_yaml() {
        super::super::assert_matches_go(&[
            (
                r#"{{ dict "name" "db" "port" 5432 "tls" true "hosts" (list "a" "b") "x" (dict) | toYaml }}"#,
                "hosts:\n- a\n- b\nname: db\nport: 5432\ntls: true\nx: {}",
            ),
            (r#"{{ toYaml "yes" }}"#, r#""yes""#),
            (r#"{{ toYaml nil }}"#, "null"),
            (r#"{{ toYaml 1.5 }}"#, "1.5"),
            (
                r#"{{ `{"b":[1,null,"x: y"]}` | fromJson | toYaml }}"#,
                "b:\n- 1\n- null\n- 'x: y'",
            ),
            (r#"{{ toYaml (semver "1.2.3") }}"#, "1.2.3"),
            (
                r#"{{ toYaml (list "1.5" "on" "") }}"#,
                "- \"1.5\"\n- \"on\"\n- \"\"",
            ),
            (
                r#"{{ "a: |\n  two\n  lines\n" | fromYaml | toYaml }}"#,
                "a: |\n  two\n  lines",
            ),
        ]);
    }

    #[test]
    fn from_yaml_like_sigs_yaml() {
        let json = |yaml: &str| out(to_json(&[from_yaml(&[s(yaml)]).unwrap()]));
        assert_eq!(
            json("# c\na: b c\nnum: 1.20\nyes_key: on\nz:\n"),
            br#"{"a":"b c","num":1.2,"yes_key":true,"z":null}"#
        );
        // Nested shapes, flow style, YAML 1.1 keys made strings (`on` and `n` are booleans),
        // ints become float64.
        assert_eq!(
            json("a: [1, {b: c}]\non: x\n1: one\nm:\n  k: |\n    line\n  n: 2\n"),
            br#"{"1":"one","a":[1,{"b":"c"}],"m":{"false":2,"k":"line\n"},"true":"x"}"#
        );
        assert_eq!(json(""), b"{}");
        assert_eq!(
            json("- 1\n"),
            br#"{"Error":"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"}"#
        );
        let broken = String::from_utf8(json("a: b\n c: [\n")).unwrap();
        assert!(
            broken.starts_with(r#"{"Error":"error converting YAML to JSON: yaml: line "#),
            "{broken}"
        );
    }

    #[test]
    fn more_list_and_string_functions() {
        assert_eq!(out(b32enc(&[s("hello")])), b"NBSWY3DP");
        assert_eq!(out(b32enc(&[s("a")])), b"ME======");
        assert_eq!(out(adler32sum(&[s("hello")])), b"103547413");
        assert!(matches!(to_decimal(&[s("0777")]), Ok(Value::Int64(511))));
        let l = list(&[Value::Int(1), s(""), Value::Int(1), Value::Nil]).unwrap();
        let c = compact(std::slice::from_ref(&l)).unwrap();
        assert_eq!(out(to_json(&[c])), b"[1,1]");
        let u = uniq(&[l]).unwrap();
        assert_eq!(out(to_json(&[u])), br#"[1,"",null]"#);
        let m = from_json(&[s(r#"{"a":{"b":1}}"#)]).unwrap();
        let d = dig(&[s("a"), s("b"), s("d"), m.clone()]).unwrap();
        assert_eq!(out(to_json(&[d])), b"1");
        let d = dig(&[s("a"), s("x"), s("d"), m]).unwrap();
        assert_eq!(out(Ok(d)), b"d");
        let sp = splitn(&[s("$"), Value::Int(2), s("a$b$c")]).unwrap();
        assert_eq!(out(to_json(&[sp])), br#"{"_0":"a","_1":"b$c"}"#);
    }

    #[test]
    fn paths() {
        assert_eq!(out(ext(&[s("foo/bar/baz.exe")])), b".exe");
        assert_eq!(out(base(&[s("/a/b/")])), b"b");
        assert_eq!(out(dir(&[s("a/b/c")])), b"a/b");
        assert_eq!(out(clean(&[s("/../a/./b/..")])), b"/a");
    }
}
