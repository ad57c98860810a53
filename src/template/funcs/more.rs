//! More deterministic Sprig functions: case conversion (xstrings 1.5.0 and goutils 1.1.1),
//! wrapping and abbreviation, `b32dec`, `seq`, `chunk`, `regexSplit`, the `merge` family (mergo
//! 1.0.2 over `map[string]interface{}`), `typeIsLike`, `duration` and `durationRound` (which,
//! given a `time.Time`, reads the clock: the time since it).
//!
//! Mirrors ESO's vendored `runtime/template/v2/sprig/{strings,list,dict,numeric,regex,reflect,
//! date}.go` and the libraries they call. Strings are Go byte strings: where the Go code decodes
//! runes and writes them back, invalid UTF-8 becomes U+FFFD; where it copies bytes, they are kept.
//!
//! Must not: put input bytes in an `Err`, or panic (Go's panics become `Err` with Go's runtime
//! text, as `text/template`'s `safeCall` reports them).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;

use super::{FuncDef, Imp, Ty};
use super::{MAX_RESULT, arg, bytes, int, ok_str};
use crate::gocompat;
use crate::gocompat::unicode::{to_lower, to_title, to_upper};
use crate::template::fmt::{decode_rune, runes};
use crate::template::value::{Elem, MapData, Value};

const A: Ty = Ty::Any;
const S: Ty = Ty::Str;
const I: Ty = Ty::Int;
const M: Ty = Ty::MapAny;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("b32dec", [S], None, b32dec),
    f!("camelcase", [S], None, camelcase),
    f!("snakecase", [S], None, snakecase),
    f!("kebabcase", [S], None, kebabcase),
    f!("swapcase", [S], None, swapcase),
    f!("untitle", [S], None, untitle),
    f!("initials", [S], None, initials),
    f!("wrap", [I, S], None, wrap),
    f!("wrapWith", [I, S, S], None, wrap_with),
    f!("abbrevboth", [I, I, S], None, abbrevboth),
    f!("seq", [], Some(I), seq),
    f!("chunk", [I, A], None, chunk),
    f!("mustChunk", [I, A], None, chunk),
    f!("regexSplit", [S, S, I], None, regex_split),
    f!("mustRegexSplit", [S, S, I], None, must_regex_split),
    f!("merge", [M], Some(M), merge),
    f!("mustMerge", [M], Some(M), must_merge),
    f!("mergeOverwrite", [M], Some(M), merge_overwrite),
    f!("mustMergeOverwrite", [M], Some(M), must_merge_overwrite),
    f!("typeIsLike", [S, A], None, type_is_like),
    f!("duration", [A], None, duration),
    f!("durationRound", [A], None, duration_round),
];

// ---------------------------------------------------------------------------------------------
// Helpers

fn push_rune(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn class(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a fixed Unicode category pattern compiles")
}

static UPPER: LazyLock<Regex> = LazyLock::new(|| class(r"\A\p{gc=Lu}\z"));
static LOWER: LazyLock<Regex> = LazyLock::new(|| class(r"\A\p{gc=Ll}\z"));
static TITLE: LazyLock<Regex> = LazyLock::new(|| class(r"\A\p{gc=Lt}\z"));
static PUNCT: LazyLock<Regex> = LazyLock::new(|| class(r"\A\p{gc=P}\z"));

fn in_class(re: &Regex, c: char) -> bool {
    let mut buf = [0u8; 4];
    re.is_match(c.encode_utf8(&mut buf))
}

/// Go's `unicode.IsUpper` (category Lu).
fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    in_class(&UPPER, c)
}

/// Go's `unicode.IsLower` (category Ll).
fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    in_class(&LOWER, c)
}

/// Go's `unicode.IsTitle` (category Lt).
fn is_title(c: char) -> bool {
    !c.is_ascii() && in_class(&TITLE, c)
}

/// Go's `unicode.IsPunct` (category P).
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c);
    }
    in_class(&PUNCT, c)
}

/// Go's `unicode.IsSpace`.
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (!c.is_ascii() && c.is_whitespace())
}

/// Go's `utf8.DecodeRuneInString`: invalid input is U+FFFD of width 1; empty input width 0.
fn decode(s: &[u8]) -> (char, usize) {
    if s.is_empty() {
        return ('\u{FFFD}', 0);
    }
    decode_rune(s)
}

// ---------------------------------------------------------------------------------------------
// Encoding

/// Sprig's `b32dec`: Go's `base32.StdEncoding.DecodeString`, with the error text as the value.
fn b32dec(args: &[Value]) -> Result<Value, String> {
    let input: Vec<u8> = bytes(args, 0)
        .into_iter()
        .filter(|b| *b != b'\r' && *b != b'\n')
        .collect();
    match base32_decode(&input) {
        Ok(v) => ok_str(v),
        Err(at) => ok_str(format!("illegal base32 data at input byte {at}").into_bytes()),
    }
}

fn base32_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'2'..=b'7' => Some(b - b'2' + 26),
        _ => None,
    }
}

/// Go's `base32.Encoding.decode` for the standard alphabet with `=` padding; the error is the
/// offset Go's `CorruptInputError` reports.
fn base32_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let olen = src.len();
    let mut rest = src;
    let mut out = Vec::with_capacity(olen / 8 * 5 + 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                return Err(olen - j);
            };
            rest = tail;
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(olen);
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            match base32_value(c) {
                Some(v) => dbuf[j] = v,
                None => return Err(olen - rest.len() - 1),
            }
            j += 1;
        }
        let d = dbuf;
        let quantum = [
            d[0] << 3 | d[1] >> 2,
            d[1] << 6 | d[2] << 1 | d[3] >> 4,
            d[3] << 4 | d[4] >> 1,
            d[4] << 7 | d[5] << 2 | d[6] >> 3,
            d[6] << 5 | d[7],
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&quantum[..n]);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Case conversion (xstrings 1.5.0)

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// xstrings' `isAlphabet`: a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !gocompat::unicode::is_letter(c) {
        return false;
    }
    !matches!(c, '\u{4e00}'..='\u{9fcc}' | '\u{3400}'..='\u{4d85}' | '\u{20000}'..='\u{2b81d}')
}

/// Sprig's `camelcase`: xstrings `ToPascalCase`.
fn camelcase(args: &[Value]) -> Result<Value, String> {
    let s = bytes(args, 0);
    let mut str = s.as_slice();
    if str.is_empty() {
        return ok_str(Vec::new());
    }
    let mut out = Vec::with_capacity(s.len());
    let mut first_upper = false;
    let (mut r0, mut size) = ('\u{FFFD}', 0);
    while !str.is_empty() {
        (r0, size) = decode(str);
        str = &str[size..];
        if !is_connector(r0) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
            break;
        }
        push_rune(&mut out, r0);
    }
    if str.is_empty() {
        if size != 0 {
            push_rune(&mut out, r0);
        }
        return ok_str(out);
    }
    while !str.is_empty() {
        let r1 = r0;
        (r0, size) = decode(str);
        str = &str[size..];
        if is_connector(r0) && is_connector(r1) {
            push_rune(&mut out, r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            push_rune(&mut out, r1);
        }
    }
    push_rune(&mut out, r0);
    ok_str(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextValidRune`: the first valid rune, and the bytes up to and including it; if
/// there is none, `prev` and the whole length.
fn next_valid_rune(s: &[u8], prev: char) -> (char, usize) {
    let mut size = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let (r, sz) = decode(rest);
        size += sz;
        if r != '\u{FFFD}' {
            return (r, size);
        }
        rest = &rest[sz..];
    }
    (prev, size)
}

/// xstrings' `nextWord`: the kind of the next word, the word, and what follows it.
fn next_word(s: &[u8]) -> (Word, &[u8], &[u8]) {
    if s.is_empty() {
        return (Word::Invalid, s, s);
    }
    let mut rest = s;
    let (mut r, mut size) = next_valid_rune(rest, '\u{FFFD}');
    let mut offset = size;
    if r == '\u{FFFD}' {
        return (Word::Invalid, &s[..offset], &s[offset..]);
    }
    // Consumes runes while `keep` holds.
    let run = |rest: &mut &[u8], offset: &mut usize, mut r: char, keep: &dyn Fn(char) -> bool| {
        while !rest.is_empty() {
            let (r2, size) = next_valid_rune(rest, r);
            r = r2;
            if !keep(r) {
                break;
            }
            *offset += size;
            *rest = &rest[size..];
        }
    };
    let wt;
    if is_connector(r) {
        wt = Word::Connector;
        rest = &rest[size..];
        run(&mut rest, &mut offset, r, &is_connector);
    } else if is_punct(r) {
        wt = Word::Punct;
        rest = &rest[size..];
        run(&mut rest, &mut offset, r, &is_punct);
    } else if is_upper(r) {
        wt = Word::Upper;
        rest = &rest[size..];
        if !rest.is_empty() {
            (r, size) = next_valid_rune(rest, r);
            if is_upper(r) {
                let mut prev_size = size;
                offset += size;
                rest = &rest[size..];
                while !rest.is_empty() {
                    (r, size) = next_valid_rune(rest, r);
                    if !is_upper(r) {
                        break;
                    }
                    prev_size = size;
                    offset += size;
                    rest = &rest[size..];
                }
                if !rest.is_empty() && is_alphabet(r) {
                    offset -= prev_size;
                    rest = &s[offset..];
                }
            } else if is_alphabet(r) {
                offset += size;
                rest = &rest[size..];
                run(&mut rest, &mut offset, r, &|c| {
                    is_alphabet(c) && !is_upper(c)
                });
            }
        }
    } else if is_alphabet(r) {
        wt = Word::Alphabet;
        rest = &rest[size..];
        run(&mut rest, &mut offset, r, &|c| {
            is_alphabet(c) && !is_upper(c)
        });
    } else if gocompat::unicode::is_number(r) {
        wt = Word::Number;
        rest = &rest[size..];
        run(&mut rest, &mut offset, r, &gocompat::unicode::is_number);
    } else {
        wt = Word::Other;
        rest = &rest[size..];
        while !rest.is_empty() {
            (r, size) = next_valid_rune(rest, r);
            if size == 0
                || is_connector(r)
                || is_alphabet(r)
                || gocompat::unicode::is_number(r)
                || is_punct(r)
            {
                break;
            }
            offset += size;
            rest = &rest[size..];
        }
    }
    (wt, &s[..offset], rest)
}

/// xstrings' `toLower`: upper-case and connector words are lowered rune by rune, others copied.
fn word_lower(out: &mut Vec<u8>, wt: Word, word: &[u8], connector: char) {
    if wt != Word::Upper && wt != Word::Connector {
        out.extend_from_slice(word);
        return;
    }
    for (c, _) in runes(word) {
        if is_connector(c) {
            push_rune(out, connector);
        } else if is_upper(c) {
            push_rune(out, to_lower(c));
        } else {
            push_rune(out, c);
        }
    }
}

/// xstrings' `camelCaseToLowerCase` (`ToSnakeCase`, `ToKebabCase`).
fn to_lower_case(s: &[u8], connector: char) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + s.len() / 2);
    if s.is_empty() {
        return out;
    }
    let (mut wt, mut word, mut rest) = next_word(s);
    while !rest.is_empty() {
        if wt != Word::Connector {
            word_lower(&mut out, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, rest) = next_word(rest);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    word_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    push_rune(&mut out, connector);
                }
            }
            Word::Connector => word_lower(&mut out, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        push_rune(&mut out, connector);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, rest) = next_word(rest);
                if wt != Word::Alphabet {
                    word_lower(&mut out, Word::Number, last, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        push_rune(&mut out, connector);
                    }
                    continue;
                }
                push_rune(&mut out, connector);
                word_lower(&mut out, Word::Number, last, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    word_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    push_rune(&mut out, connector);
                }
            }
        }
    }
    word_lower(&mut out, wt, word, connector);
    out
}

fn snakecase(args: &[Value]) -> Result<Value, String> {
    ok_str(to_lower_case(&bytes(args, 0), '_'))
}

fn kebabcase(args: &[Value]) -> Result<Value, String> {
    ok_str(to_lower_case(&bytes(args, 0), '-'))
}

// ---------------------------------------------------------------------------------------------
// goutils 1.1.1

/// Sprig's `swapcase`: goutils `SwapCase` (a lower-case letter after white space becomes title
/// case).
fn swapcase(args: &[Value]) -> Result<Value, String> {
    let s = bytes(args, 0);
    let mut out = Vec::with_capacity(s.len());
    let mut whitespace = true;
    for (c, _) in runes(&s) {
        let m = if is_upper(c) || is_title(c) {
            whitespace = false;
            to_lower(c)
        } else if is_lower(c) {
            let m = if whitespace { to_title(c) } else { to_upper(c) };
            whitespace = false;
            m
        } else {
            whitespace = is_space(c);
            c
        };
        push_rune(&mut out, m);
    }
    ok_str(out)
}

/// Sprig's `untitle`: goutils `Uncapitalize`, the first rune of each space-separated word
/// lowered.
fn untitle(args: &[Value]) -> Result<Value, String> {
    let s = bytes(args, 0);
    let mut out = Vec::with_capacity(s.len());
    let mut next = true;
    for (c, _) in runes(&s) {
        if is_space(c) {
            next = true;
            push_rune(&mut out, c);
        } else if next {
            push_rune(&mut out, to_lower(c));
            next = false;
        } else {
            push_rune(&mut out, c);
        }
    }
    ok_str(out)
}

/// Sprig's `initials`: goutils `Initials`, byte by byte (a byte is taken as the rune of its
/// value, so a non-ASCII first byte comes out as a two-byte Latin-1 character).
fn initials(args: &[Value]) -> Result<Value, String> {
    let s = bytes(args, 0);
    let mut out = Vec::new();
    let mut gap = true;
    for &b in &s {
        let c = char::from(b);
        if is_space(c) {
            gap = true;
        } else if gap {
            push_rune(&mut out, c);
            gap = false;
        }
    }
    ok_str(out)
}

fn last_index(hay: &[u8], needle: u8) -> Option<usize> {
    hay.iter().rposition(|b| *b == needle)
}

/// goutils `WrapCustom`, over bytes.
fn wrap_custom(s: &[u8], width: i64, newline: &[u8], long_words: bool) -> Vec<u8> {
    if s.is_empty() {
        return Vec::new();
    }
    let newline: &[u8] = if newline.is_empty() { b"\n" } else { newline };
    let width = usize::try_from(width.max(1)).unwrap_or(usize::MAX);
    let len = s.len();
    let mut offset = 0usize;
    let mut out = Vec::with_capacity(len);
    while len - offset > width {
        if s[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        match last_index(&s[offset..end], b' ') {
            Some(i) => {
                let at = offset + i;
                out.extend_from_slice(&s[offset..at]);
                out.extend_from_slice(newline);
                offset = at + 1;
            }
            None if long_words => {
                let end = width + offset;
                out.extend_from_slice(&s[offset..end]);
                out.extend_from_slice(newline);
                offset += width;
            }
            None => {
                let end = width + offset;
                match s[end..].iter().position(|b| *b == b' ') {
                    None => {
                        out.extend_from_slice(&s[offset..]);
                        offset = len;
                    }
                    Some(i) => {
                        let at = i + end;
                        out.extend_from_slice(&s[offset..at]);
                        out.extend_from_slice(newline);
                        offset = at + 1;
                    }
                }
            }
        }
        if out.len() > MAX_RESULT {
            break;
        }
    }
    out.extend_from_slice(&s[offset..]);
    out
}

fn wrap(args: &[Value]) -> Result<Value, String> {
    ok_str(wrap_custom(&bytes(args, 1), int(args, 0), b"", false))
}

fn wrap_with(args: &[Value]) -> Result<Value, String> {
    ok_str(wrap_custom(
        &bytes(args, 2),
        int(args, 0),
        &bytes(args, 1),
        true,
    ))
}

/// goutils `Abbreviate` (offset 0) on a width of at least 4.
fn abbreviate(s: &[u8], width: usize) -> Vec<u8> {
    if s.len() <= width {
        return s.to_vec();
    }
    let mut out = s[..width - 3].to_vec();
    out.extend_from_slice(b"...");
    out
}

/// Sprig's `abbrevboth left right s`: goutils `AbbreviateFull(s, left, right)`, `""` on its
/// errors.
fn abbrevboth(args: &[Value]) -> Result<Value, String> {
    let (left, right, s) = (int(args, 0), int(args, 1), bytes(args, 2));
    if right < 4 || (left > 0 && right < 7) {
        return ok_str(s);
    }
    if s.is_empty() {
        return ok_str(s);
    }
    let len = s.len() as i64;
    if len <= right {
        return ok_str(s);
    }
    // right < len here, so the arithmetic below stays in range.
    let mut offset = left.min(len);
    if len - offset < right - 3 {
        offset = len - (right - 3);
    }
    if offset <= 4 {
        let mut out = s[..(right - 3) as usize].to_vec();
        out.extend_from_slice(b"...");
        return ok_str(out);
    }
    // right >= 7 here: a smaller width returned above (left > 0 because offset > 4).
    let mut out = b"...".to_vec();
    if offset + right - 3 < len {
        out.extend_from_slice(&abbreviate(&s[offset as usize..], (right - 3) as usize));
    } else {
        out.extend_from_slice(&s[(len - (right - 3)) as usize..]);
    }
    ok_str(out)
}

// ---------------------------------------------------------------------------------------------
// Lists and numbers

/// Sprig's `untilStep` as a sequence of integers.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    const LIMIT: usize = 1 << 24;
    let mut v = Vec::new();
    let mut i = start;
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        while i > stop {
            v.push(i);
            if v.len() > LIMIT {
                return Err(format!(
                    "sequence exceeds eso-render's limit of {LIMIT} elements"
                ));
            }
            i = match i.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    while i < stop {
        v.push(i);
        if v.len() > LIMIT {
            return Err(format!(
                "sequence exceeds eso-render's limit of {LIMIT} elements"
            ));
        }
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    Ok(v)
}

/// Sprig's `seq`: like GNU seq, numbers joined with spaces.
fn seq(args: &[Value]) -> Result<Value, String> {
    let p: Vec<i64> = (0..args.len()).map(|i| int(args, i)).collect();
    let nums = match p.as_slice() {
        [end] => {
            let (start, end) = (1i64, *end);
            let inc = if end < start { -1 } else { 1 };
            until_step(start, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(*start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if *step > 0 {
                    return ok_str(Vec::new());
                }
            }
            until_step(*start, end.wrapping_add(inc), *step)?
        }
        _ => Vec::new(),
    };
    let text: Vec<String> = nums.iter().map(i64::to_string).collect();
    ok_str(text.join(" ").into_bytes())
}

const MAKESLICE: &str = "runtime error: makeslice: len out of range";

/// Sprig's `chunk` / `mustChunk`: the list in pieces of `size`, computed with Go's float
/// arithmetic (so a size of 0 or below fails like Go's `make`).
fn chunk(args: &[Value]) -> Result<Value, String> {
    let size = int(args, 0);
    let items = match arg(args, 1) {
        Value::List(l) => l.items.clone(),
        Value::Nil => {
            return Err("runtime error: invalid memory address or nil pointer dereference".into());
        }
        v => return Err(format!("Cannot chunk type {}", v.kind_name())),
    };
    let l = items.len() as i64;
    let fsize = size as f64;
    let cs = ((l - 1) as f64 / fsize).floor() + 1.0;
    // Go's float-to-int conversion of NaN or an out-of-range value gives the minimum int on
    // amd64, which `make` rejects.
    if cs.is_nan() || !(0.0..=l as f64 + 1.0).contains(&cs) {
        return Err(MAKESLICE.into());
    }
    let cs = cs as i64;
    let mut out = Vec::with_capacity(cs as usize);
    for i in 0..cs {
        let mut clen = size;
        if i == cs - 1 {
            let m = (l as f64 % fsize).floor();
            clen = if m.is_nan() { i64::MIN } else { m as i64 };
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(MAKESLICE.into());
        }
        let mut part = Vec::new();
        for j in 0..clen {
            let ix = i * size + j;
            match usize::try_from(ix).ok().and_then(|ix| items.get(ix)) {
                Some(v) => part.push(v.clone()),
                None => {
                    return Err(format!(
                        "reflect: slice index out of range [{ix}] with length {l}"
                    ));
                }
            }
        }
        out.push(Value::list(Elem::Any, part)?);
    }
    Value::list(Elem::Any, out)
}

/// Go's `Regexp.Split`.
fn split_by(re: &Regex, empty_expr: bool, s: &str, n: i64) -> Vec<Vec<u8>> {
    if n == 0 {
        return Vec::new();
    }
    if !empty_expr && s.is_empty() {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    let (mut beg, mut end) = (0usize, 0usize);
    let limit = if n < 0 { usize::MAX } else { n as usize };
    for m in re.find_iter(s).take(limit) {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = m.start();
        if m.end() != 0 {
            out.push(s.as_bytes()[beg..end].to_vec());
        }
        beg = m.end();
    }
    if end != s.len() {
        out.push(s.as_bytes()[beg..].to_vec());
    }
    out
}

fn compile(args: &[Value]) -> Result<gocompat::regexp::Regexp, String> {
    let pattern = String::from_utf8_lossy(&bytes(args, 0)).into_owned();
    gocompat::regexp::compile(&pattern).map_err(|e| match e {
        gocompat::regexp::Error::Syntax { code, .. } => format!("error parsing regexp: {code}"),
        gocompat::regexp::Error::Unsupported(_) => {
            "error parsing regexp: pattern not supported by eso-render's regex engine".into()
        }
    })
}

fn regex_split(args: &[Value]) -> Result<Value, String> {
    // Sprig uses `regexp.MustCompile`, whose panic quotes the pattern; the pattern is left out.
    let re = compile(args).map_err(|e| format!("regexp: Compile(<pattern>): {e}"))?;
    let s = String::from_utf8_lossy(&bytes(args, 1)).into_owned();
    split_list(split_by(
        re.as_regex(),
        bytes(args, 0).is_empty(),
        &s,
        int(args, 2),
    ))
}

fn must_regex_split(args: &[Value]) -> Result<Value, String> {
    let re = compile(args)?;
    let s = String::from_utf8_lossy(&bytes(args, 1)).into_owned();
    split_list(split_by(
        re.as_regex(),
        bytes(args, 0).is_empty(),
        &s,
        int(args, 2),
    ))
}

fn split_list(items: Vec<Vec<u8>>) -> Result<Value, String> {
    Value::list(Elem::Str, items.into_iter().map(Value::str).collect())
}

// ---------------------------------------------------------------------------------------------
// Dicts (mergo 1.0.2)

/// mergo's `deepMerge` of one map into another, in place, as Sprig's `merge` (no overwrite) and
/// `mergeOverwrite` (overwrite) call it. Nested maps are merged in place; a map or list taken
/// from a source is shared, not copied, like Go's references.
fn merge_map(
    dst: &Rc<RefCell<MapData>>,
    src: &Rc<RefCell<MapData>>,
    overwrite: bool,
    depth: usize,
) -> Result<(), String> {
    if depth > crate::template::value::MAX_VALUE_DEPTH {
        return Err("value nesting exceeds eso-render's limit".into());
    }
    // Snapshots: the source may be the destination itself.
    let src_entries: Vec<(Vec<u8>, Value)> = src
        .borrow()
        .entries
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let src_elem = src.borrow().elem;
    for (key, sv) in src_entries {
        let dv = dst.borrow().entries.get(&key).cloned();
        let set = |v: Value| -> Result<(), String> {
            let dst_elem = dst.borrow().elem;
            if dst_elem != Elem::Any && (src_elem == Elem::Any || dst_elem != src_elem) {
                return Err(format!(
                    "reflect.Value.SetMapIndex: value of type {} is not assignable to type {}",
                    if src_elem == Elem::Any {
                        "interface {}".to_owned()
                    } else {
                        v.type_name()
                    },
                    match dst_elem {
                        Elem::Str => "string",
                        Elem::Int => "int",
                        Elem::Any => "interface {}",
                    }
                ));
            }
            Value::map_insert(dst, key.clone(), v)
        };
        match &sv {
            Value::Nil => {
                if overwrite {
                    set(Value::Nil)?;
                }
                continue;
            }
            Value::Map(sm) => {
                if let Some(Value::Map(dm)) = &dv {
                    merge_map(dm, sm, overwrite, depth + 1)?;
                }
            }
            Value::List(_) => {
                // mergo always stores a slice for the key here: the source's when overwriting
                // (or when the destination map is empty), else what was there, or an empty one
                // (replaced by the source below).
                let stored = if overwrite || dst.borrow().entries.is_empty() {
                    sv.clone()
                } else {
                    match &dv {
                        Some(v) if !matches!(v, Value::Nil) => v.clone(),
                        _ => Value::list(Elem::Any, Vec::new())?,
                    }
                };
                set(stored)?;
            }
            _ => {}
        }
        // The destination's value is looked at again: a nested merge may have filled it.
        if let Some(d) = &dv
            && d.truth()
        {
            if matches!(sv, Value::List(_)) {
                continue;
            }
            if matches!(sv, Value::Map(_)) && matches!(d, Value::Map(_)) {
                continue;
            }
        }
        if overwrite || dv.as_ref().is_none_or(|d| !d.truth()) {
            set(sv)?;
        }
    }
    Ok(())
}

fn merge_all(args: &[Value], overwrite: bool) -> Result<Value, String> {
    let dst = match args.first() {
        Some(Value::Map(m)) => m.clone(),
        _ => return Ok(arg(args, 0)),
    };
    for src in &args[1..] {
        if let Value::Map(s) = src {
            merge_map(&dst, s, overwrite, 0)?;
        }
    }
    Ok(Value::Map(dst))
}

fn merge(args: &[Value]) -> Result<Value, String> {
    merge_all(args, false)
}

fn must_merge(args: &[Value]) -> Result<Value, String> {
    merge_all(args, false)
}

fn merge_overwrite(args: &[Value]) -> Result<Value, String> {
    merge_all(args, true)
}

fn must_merge_overwrite(args: &[Value]) -> Result<Value, String> {
    merge_all(args, true)
}

// ---------------------------------------------------------------------------------------------
// Reflection and durations

/// Sprig's `typeIsLike`: the type name, or a pointer to it.
fn type_is_like(args: &[Value]) -> Result<Value, String> {
    let want = bytes(args, 0);
    let t = arg(args, 1).type_name();
    let t = t.as_bytes();
    Ok(Value::Bool(
        want == t || (t.first() == Some(&b'*') && want == t[1..]),
    ))
}

/// Go's `Duration.String` of a nanosecond count.
pub(super) fn go_duration(n: i64) -> String {
    let abs = std::time::Duration::from_nanos(n.unsigned_abs());
    let text = gocompat::duration::format(abs);
    if n < 0 { format!("-{text}") } else { text }
}

/// Go's `strconv.ParseInt(s, 10, 64)` value, errors ignored: out of range clamps, bad syntax
/// is 0.
fn parse_int_clamped(s: &[u8]) -> i64 {
    let (neg, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    let mut v: i128 = 0;
    for d in digits {
        v = v * 10 + i128::from(d - b'0');
        if v > i128::from(i64::MAX) + 1 {
            break;
        }
    }
    let v = if neg { -v } else { v };
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Sprig's `duration`: seconds (an int64 or a decimal string; anything else is 0) as a Go
/// duration string.
fn duration(args: &[Value]) -> Result<Value, String> {
    let n = match arg(args, 0) {
        Value::Int64(n) => n,
        Value::Str(s) => parse_int_clamped(&s),
        _ => 0,
    };
    ok_str(go_duration(n.wrapping_mul(1_000_000_000)).into_bytes())
}

/// Go's `time.ParseDuration` as a nanosecond count, 0 on error.
fn parse_go_duration(s: &[u8]) -> i64 {
    let Ok(text) = std::str::from_utf8(s) else {
        return 0;
    };
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if body.starts_with(['+', '-']) {
        return 0;
    }
    match gocompat::duration::parse(body) {
        Ok(d) => {
            let n = i64::try_from(d.as_nanos()).unwrap_or(0);
            if neg { -n } else { n }
        }
        Err(_) => 0,
    }
}

/// Sprig's `durationRound`: the largest whole unit of a duration (`2h`, `3mo`, `1y`) given as
/// an `int64` of nanoseconds, a Go duration string, or a `time.Time` (the time since it).
fn duration_round(args: &[Value]) -> Result<Value, String> {
    let v = arg(args, 0);
    let d = match &v {
        Value::Int64(n) => *n,
        Value::Str(s) => parse_go_duration(s),
        v => super::date::as_time(v).map_or(0, super::date::since),
    };
    let u = d.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    const MINUTE: u64 = 60 * SECOND;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const MONTH: u64 = 30 * DAY;
    const YEAR: u64 = 365 * DAY;
    let text = [
        (YEAR, "y"),
        (MONTH, "mo"),
        (DAY, "d"),
        (HOUR, "h"),
        (MINUTE, "m"),
        (SECOND, "s"),
    ]
    .iter()
    .find(|(unit, _)| u > *unit)
    .map_or_else(
        || "0s".to_owned(),
        |(unit, name)| format!("{}{name}", u / unit),
    );
    ok_str(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_go() {
        crate::template::funcs::assert_matches_go(GO_CASES);
    }

    #[test]
    fn errors_do_not_leak_values() {
        let args = [Value::str("(secret"), Value::str("abc"), Value::Int(-1)];
        for f in [regex_split, must_regex_split] {
            let e = f(&args).unwrap_err();
            assert!(!e.contains("secret"), "{e}");
        }
    }

    #[test]
    fn invalid_utf8_like_go() {
        let s = |b: &[u8]| Value::str(b.to_vec());
        let out = |r: Result<Value, String>| match r {
            Ok(Value::Str(b)) => b.to_vec(),
            other => panic!("{other:?}"),
        };
        // Words without upper-case letters are copied byte for byte; decoded runes are re-encoded.
        assert_eq!(out(snakecase(&[s(b"ab\xffcd")])), b"ab\xffcd");
        assert_eq!(out(camelcase(&[s(b"a\xff")])), "A\u{fffd}".as_bytes());
        assert_eq!(out(swapcase(&[s(b"a\xff")])), "A\u{fffd}".as_bytes());
        // `initials` takes each byte as a Latin-1 rune.
        assert_eq!(out(initials(&[s(b"\xe9t\xe9 x")])), "\u{e9}x".as_bytes());
    }

    #[test]
    fn go_unicode_classes() {
        assert!(is_upper('\u{c0}') && !is_upper('\u{24b6}'));
        assert!(is_title('\u{1c5}') && !is_title('A'));
        assert_eq!(to_title('\u{1c6}'), '\u{1c5}');
        assert_eq!(to_title('a'), 'A');
        assert!(is_punct('!') && !is_punct('$') && !is_punct('+'));
        assert!(is_space('\u{85}') && is_space('\u{2003}') && !is_space('x'));
    }

    /// (template, output) pairs; outputs produced by Go 1.19 with ESO's vendored Sprig and its
    /// pinned libraries (xstrings 1.5.0, goutils 1.1.1, mergo 1.0.2). `ERR: ` marks a Go error.
    const GO_CASES: &[(&str, &str)] = &[
        (r#"{{ camelcase "\u01c6emal \u01c5x" }}"#, r"ǄemalǄx"),
        (r#"{{ camelcase "Duration2m3s" }}"#, r"Duration2m3s"),
        (r#"{{ camelcase "foo!!bar" }}"#, r"Foo!!bar"),
        (r#"{{ camelcase "a b" }}"#, r"AB"),
        (r#"{{ camelcase "a" }}"#, r"A"),
        (r#"{{ camelcase "A" }}"#, r"A"),
        (r#"{{ camelcase "a--b__c  d" }}"#, r"A-B_C D"),
        (r#"{{ camelcase "HTTPServer" }}"#, r"Httpserver"),
        (r#"{{ camelcase "  lead  trail  " }}"#, r"  Lead Trail  "),
        (r#"{{ camelcase "oneTwoTHREE four" }}"#, r"OneTwoTHREEFour"),
        (r#"{{ camelcase "x--" }}"#, r"X--"),
        (r#"{{ camelcase "\u216b roman" }}"#, r"ⅫRoman"),
        (r#"{{ camelcase "GO-PATH" }}"#, r"GoPath"),
        (r#"{{ camelcase "-" }}"#, r"--"),
        (r#"{{ snakecase "someWords_here" }}"#, r"some_words_here"),
        (r#"{{ snakecase "ABC123def" }}"#, r"abc_123def"),
        (r#"{{ snakecase "a1b2c3" }}"#, r"a_1b2c3"),
        (r#"{{ snakecase "A" }}"#, r"a"),
        (r#"{{ snakecase "some words" }}"#, r"some_words"),
        (r#"{{ snakecase "\u01c9x" }}"#, r"ǉx"),
        (r#"{{ snakecase "\u00b5-micro" }}"#, r"µ_micro"),
        (r#"{{ snakecase "\u01c8" }}"#, r"ǈ"),
        (r#"{{ snakecase "a" }}"#, r"a"),
        (r#"{{ snakecase "\u01f2x" }}"#, r"ǲx"),
        (r#"{{ snakecase "http2xx" }}"#, r"http_2xx"),
        (r#"{{ snakecase "_complex__case_" }}"#, r"_complex__case_"),
        (r#"{{ snakecase "FooBAR" }}"#, r"foo_bar"),
        (r#"{{ snakecase "abc12" }}"#, r"abc12"),
        (
            r#"{{ kebabcase "oneTwoTHREE four" }}"#,
            r"one-two-three-four",
        ),
        (r#"{{ kebabcase "a" }}"#, r"a"),
        (r#"{{ kebabcase "\u01f2x" }}"#, r"ǲx"),
        (r#"{{ kebabcase "\u01c9x" }}"#, r"ǉx"),
        (r#"{{ kebabcase "foo!!bar" }}"#, r"foo!!bar"),
        (r#"{{ kebabcase "\u01c8" }}"#, r"ǈ"),
        (r#"{{ kebabcase "_complex__case_" }}"#, r"-complex--case-"),
        (r#"{{ kebabcase "-" }}"#, r"-"),
        (r#"{{ kebabcase "\u00b5-micro" }}"#, r"µ-micro"),
        (r#"{{ kebabcase "HTTP20xOK" }}"#, r"http-20x-ok"),
        (r#"{{ kebabcase "NoHTTPS" }}"#, r"no-https"),
        (r#"{{ kebabcase "a1b2c3" }}"#, r"a-1b2c3"),
        (r#"{{ kebabcase "Duration2m3s" }}"#, r"duration-2m3s"),
        (r#"{{ kebabcase "a--b__c  d" }}"#, r"a--b--c--d"),
        (r#"{{ swapcase "http2xx" }}"#, r"HTTP2XX"),
        (r#"{{ swapcase "\u01f2x" }}"#, r"ǳX"),
        (r#"{{ swapcase "hello wORLD foo" }}"#, r"HELLO World FOO"),
        (r#"{{ swapcase "\u00b5-micro" }}"#, r"Μ-MICRO"),
        (r#"{{ swapcase "--x" }}"#, r"--X"),
        (r#"{{ swapcase "1A" }}"#, r"1a"),
        (r#"{{ swapcase "GO_PATH" }}"#, r"go_path"),
        (r#"{{ swapcase "HTTPServer" }}"#, r"httpsERVER"),
        (r#"{{ swapcase "oneTwoTHREE four" }}"#, r"ONEtWOthree FOUR"),
        (r#"{{ swapcase "\u01c8" }}"#, r"ǉ"),
        (r#"{{ swapcase "FooBAR" }}"#, r"fOObar"),
        (r#"{{ swapcase "GO PATH" }}"#, r"go path"),
        (r#"{{ swapcase "  lead  trail  " }}"#, r"  LEAD  TRAIL  "),
        (r#"{{ swapcase "r\u00e9sum\u00e9 Now" }}"#, r"RÉSUMÉ nOW"),
        (r#"{{ untitle "\u00b5-micro" }}"#, r"µ-micro"),
        (r#"{{ untitle "abc12" }}"#, r"abc12"),
        (r#"{{ untitle "A" }}"#, r"a"),
        (r#"{{ untitle "\u01f2x" }}"#, r"ǳx"),
        (r#"{{ untitle "a" }}"#, r"a"),
        (r#"{{ untitle "foo_bar" }}"#, r"foo_bar"),
        (r#"{{ untitle "GO-PATH" }}"#, r"gO-PATH"),
        (r#"{{ untitle "\u65e5\u672cGo\u8a9e" }}"#, r"日本Go語"),
        (r#"{{ untitle "1A" }}"#, r"1A"),
        (r#"{{ untitle "a--b__c  d" }}"#, r"a--b__c  d"),
        (r#"{{ untitle "ABC123def" }}"#, r"aBC123def"),
        (r#"{{ untitle "\u01c6emal \u01c5x" }}"#, r"ǆemal ǆx"),
        (r#"{{ untitle "\u00e9t\u00e9 \u00c9t\u00e9" }}"#, r"été été"),
        (r#"{{ untitle "oneTwoTHREE four" }}"#, r"oneTwoTHREE four"),
        (r#"{{ initials "\u00e9t\u00e9 \u00c9t\u00e9" }}"#, r"ÃÃ"),
        (r#"{{ initials "  lead  trail  " }}"#, r"lt"),
        (r#"{{ initials "hello wORLD foo" }}"#, r"hwf"),
        (r#"{{ initials "some words" }}"#, r"sw"),
        (r#"{{ initials "r\u00e9sum\u00e9 Now" }}"#, r"rN"),
        (r#"{{ initials "GO_PATH" }}"#, r"G"),
        (r#"{{ initials "12abc" }}"#, r"1"),
        (r#"{{ initials "\u00e0b" }}"#, r"Ãb"),
        (r#"{{ initials "3.14abc" }}"#, r"3"),
        (r#"{{ initials "someWords_here" }}"#, r"s"),
        (r#"{{ initials "\u01f2x" }}"#, r"Ç"),
        (r#"{{ initials "AbC-dEf_GhI" }}"#, r"A"),
        (r#"{{ initials "\t tab\nnew" }}"#, r"tn"),
        (r#"{{ initials "\u65e5\u672cGo\u8a9e" }}"#, r"æ"),
        (
            r#"{{ wrap 3 "   spaced   out  " }}"#,
            r"spaced
out
 ",
        ),
        (r#"{{ wrap 5 "x" }}"#, r"x"),
        (r#"{{ wrap 3 "" }}"#, r""),
        (
            r#"{{ wrap 100 "a verylongwordhere b" }}"#,
            r"a verylongwordhere b",
        ),
        (r#"{{ wrap -1 "x" }}"#, r"x"),
        (
            r#"{{ wrap 0 "hello world foo" }}"#,
            r"hello
world
foo",
        ),
        (
            r#"{{ wrap 10 "a verylongwordhere b" }}"#,
            r"a
verylongwordhere
b",
        ),
        (
            r#"{{ wrap 5 "a verylongwordhere b" }}"#,
            r"a
verylongwordhere
b",
        ),
        (r#"{{ wrap 0 "x" }}"#, r"x"),
        (
            r#"{{ wrap 100 "abc def ghi jkl mno pqr" }}"#,
            r"abc def ghi jkl mno pqr",
        ),
        (
            r#"{{ wrapWith 0 "" "   spaced   out  " }}"#,
            r"s
p
a
c
e
d
o
u
t
 ",
        ),
        (
            r#"{{ wrapWith 10 "<br>" "hello world foo" }}"#,
            r"hello<br>world foo",
        ),
        (
            r#"{{ wrapWith 5 "" "a verylongwordhere b" }}"#,
            r"a
veryl
ongwo
rdher
e b",
        ),
        (
            r#"{{ wrapWith -1 "" "a verylongwordhere b" }}"#,
            r"a
v
e
r
y
l
o
n
g
w
o
r
d
h
e
r
e
b",
        ),
        (r#"{{ wrapWith -1 "" "x" }}"#, r"x"),
        (
            r#"{{ wrapWith 10 "" "abc def ghi jkl mno pqr" }}"#,
            r"abc def
ghi jkl
mno pqr",
        ),
        (r#"{{ wrapWith 100 "" "" }}"#, r""),
        (
            r#"{{ wrapWith 3 "<br>" "a verylongwordhere b" }}"#,
            r"a<br>ver<br>ylo<br>ngw<br>ord<br>her<br>e b",
        ),
        (
            r#"{{ wrapWith 3 "" "   spaced   out  " }}"#,
            r"spa
ced
out
 ",
        ),
        (r#"{{ wrapWith 3 "<br>" "x" }}"#, r"x"),
        (r#"{{ abbrevboth 20 30 "abcdefghij" }}"#, r"abcdefghij"),
        (
            r#"{{ abbrevboth 20 4 "abcdefghijklmnopqrstuvwxyz" }}"#,
            r"abcdefghijklmnopqrstuvwxyz",
        ),
        (r#"{{ abbrevboth 0 0 "abcdefghij" }}"#, r"abcdefghij"),
        (r#"{{ abbrevboth 0 6 "abcdefghij" }}"#, r"abc..."),
        (r#"{{ abbrevboth 5 4 "abcdefghij" }}"#, r"abcdefghij"),
        (r#"{{ abbrevboth 20 7 "abcdefghij" }}"#, r"...ghij"),
        (
            r#"{{ abbrevboth 0 0 "abcdefghijklmnopqrstuvwxyz" }}"#,
            r"abcdefghijklmnopqrstuvwxyz",
        ),
        (r#"{{ abbrevboth -3 30 "abcdefghij" }}"#, r"abcdefghij"),
        (r#"{{ abbrevboth 5 30 "abcdefghij" }}"#, r"abcdefghij"),
        (
            r#"{{ abbrevboth 20 3 "abcdefghijklmnopqrstuvwxyz" }}"#,
            r"abcdefghijklmnopqrstuvwxyz",
        ),
        (
            r#"{{ b32dec "MZX=====" }}"#,
            r"illegal base32 data at input byte 3",
        ),
        (r#"{{ b32dec "MZXW6===A" }}"#, r"foo"),
        (r#"{{ b32dec "MZXW6YT=" }}"#, r"foob"),
        (r#"{{ b32dec "" }}"#, r""),
        (
            r#"{{ b32dec "!!!" }}"#,
            r"illegal base32 data at input byte 0",
        ),
        (
            r#"{{ b32dec "MZ" }}"#,
            r"illegal base32 data at input byte 0",
        ),
        (r#"{{ b32dec "MZXW6YTB" }}"#, r"fooba"),
        (r#"{{ b32dec "MZXW6YTBOI======" }}"#, r"foobar"),
        (
            r#"{{ b32dec "mzxw6===" }}"#,
            r"illegal base32 data at input byte 0",
        ),
        (
            r#"{{ b32dec "MZXW6=X=" }}"#,
            r"illegal base32 data at input byte 5",
        ),
        (r"{{ seq 5 2 }}", r"5 4 3 2"),
        (r"{{ seq 1 0 1 }}", r""),
        (r"{{ seq -3 }}", r"1 0 -1 -2 -3"),
        (r"{{ seq 1 }}", r"1"),
        (r"{{ seq 0 0 5 }}", r""),
        (r"{{ seq 5 }}", r"1 2 3 4 5"),
        (r"{{ seq -2 }}", r"1 0 -1 -2"),
        (r"{{ seq 10 2 1 }}", r""),
        (r"{{ seq 1 2 10 }}", r"1 3 5 7 9"),
        (r"{{ seq  }}", r""),
        (r"{{ chunk 1 (list 1) }}", r"[[1]]"),
        (r"{{ chunk 3 (list) }}", r"[]"),
        (r"{{ chunk 2 (list 1 2 3 4 5) }}", r"[[1 2] [3 4] [5]]"),
        (r"{{ chunk 3 (list 1 2 3 4 5) }}", r"[[1 2 3] [4 5]]"),
        (
            r"{{ chunk 1 (list 1 2 3 4 5 6 7) }}",
            r"[[1] [2] [3] [4] [5] [6] [7]]",
        ),
        (r"{{ chunk 1 (list) }}", r"[]"),
        (
            r"{{ chunk 2 (list 1 2 3 4 5 6 7) }}",
            r"[[1 2] [3 4] [5 6] [7]]",
        ),
        (r"{{ chunk 10 (list 1) }}", r"[[1]]"),
        (r"{{ chunk 10 (list) }}", r"[]"),
        (r"{{ chunk 4 (list 1 2 3 4 5) }}", r"[[1 2 3 4] [5]]"),
        (
            r"{{ chunk -5 (list) }}",
            r#"ERR: template: t:1:3: executing "t" at <chunk -5 (list)>: error calling chunk: runtime error: makeslice: len out of range"#,
        ),
        (
            r"{{ chunk -5 (list 1 2 3 4 5 6 7) }}",
            r#"ERR: template: t:1:3: executing "t" at <chunk -5 (list 1 2 3 4 5 6 7)>: error calling chunk: runtime error: makeslice: len out of range"#,
        ),
        (r"{{ mustChunk 2 (list 1 2) }}", r"[[1 2]]"),
        (r"{{ mustChunk 4 (list 1 2) }}", r"[[1 2]]"),
        (r"{{ mustChunk 2 (list 1 2 3 4 5) }}", r"[[1 2] [3 4] [5]]"),
        (
            r"{{ mustChunk 1 (list 1 2 3 4 5) }}",
            r"[[1] [2] [3] [4] [5]]",
        ),
        (r"{{ mustChunk 1 (list) }}", r"[]"),
        (r"{{ mustChunk -5 (list 1 2 3 4 5) }}", r"[]"),
        (r"{{ mustChunk 1 (list 1) }}", r"[[1]]"),
        (r"{{ mustChunk 10 (list) }}", r"[]"),
        (r"{{ mustChunk 10 (list 1) }}", r"[[1]]"),
        (r"{{ mustChunk 4 (list 1) }}", r"[[1]]"),
        (
            r"{{ mustChunk -5 (list) }}",
            r#"ERR: template: t:1:3: executing "t" at <mustChunk -5 (list)>: error calling mustChunk: runtime error: makeslice: len out of range"#,
        ),
        (
            r"{{ mustChunk -5 (list 1 2 3 4 5 6 7) }}",
            r#"ERR: template: t:1:3: executing "t" at <mustChunk -5 (list 1 2 3 4 5 6 7)>: error calling mustChunk: runtime error: makeslice: len out of range"#,
        ),
        (r#"{{ regexSplit "a" "banana" -1 }}"#, r"[b n n ]"),
        (r#"{{ regexSplit "" "" 0 }}"#, r"[]"),
        (r#"{{ regexSplit "a|" "baaac" 10 }}"#, r"[b   c]"),
        (r#"{{ regexSplit "^" "abc" 0 }}"#, r"[]"),
        (r#"{{ regexSplit "," "a,b,,c" 10 }}"#, r"[a b  c]"),
        (r#"{{ regexSplit "" "abc" 3 }}"#, r"[a b c]"),
        (r#"{{ regexSplit "x*" "axbxxc" -1 }}"#, r"[a b c]"),
        (r#"{{ regexSplit "\\s+" " a  b c " 10 }}"#, r"[ a b c ]"),
        (r#"{{ regexSplit "," "a,b,,c" 2 }}"#, r"[a b,,c]"),
        (r#"{{ regexSplit "b" "" 1 }}"#, r"[]"),
        (r#"{{ mustRegexSplit "" "" 3 | len }}"#, r"0"),
        (r#"{{ mustRegexSplit "x*" "axbxxc" 10 | len }}"#, r"3"),
        (r#"{{ mustRegexSplit "^" "abc" 2 | len }}"#, r"1"),
        (r#"{{ mustRegexSplit "^" "abc" -1 | len }}"#, r"1"),
        (r#"{{ mustRegexSplit "x*" "axbxxc" 1 | len }}"#, r"1"),
        (r#"{{ mustRegexSplit "," "a,b,,c" 1 | len }}"#, r"1"),
        (r#"{{ mustRegexSplit "$" "abc" 1 | len }}"#, r"1"),
        (r#"{{ mustRegexSplit "" "" 1 | len }}"#, r"0"),
        (r#"{{ mustRegexSplit "\\s+" " a  b c " 2 | len }}"#, r"2"),
        (r#"{{ mustRegexSplit "^" "abc" 10 | len }}"#, r"1"),
        (r#"{{ merge (dict "a" 1) }}"#, r"map[a:1]"),
        (
            r#"{{ merge (dict "a" 1) (dict "a" 2) | toJson }}"#,
            r#"{"a":1}"#,
        ),
        (
            r#"{{ merge (dict "a" (dict)) (dict "a" (dict "k" "v")) | toJson }}"#,
            r#"{"a":{"k":"v"}}"#,
        ),
        (
            r#"{{ merge (dict "x" 1) (dict "y" 2) (dict "x" 3 "z" 4) | toJson }}"#,
            r#"{"x":1,"y":2,"z":4}"#,
        ),
        (
            r#"{{ merge (dict "a" 5) (dict "a" nil) | toJson }}"#,
            r#"{"a":5}"#,
        ),
        (
            r#"{{ merge (dict "a" (dict "b" (dict "c" 1))) (dict "a" (dict "b" (dict "d" 2))) | toJson }}"#,
            r#"{"a":{"b":{"c":1,"d":2}}}"#,
        ),
        (
            r#"{{ merge (dict "a" true) (dict "a" false) | toJson }}"#,
            r#"{"a":true}"#,
        ),
        (
            r#"{{ merge (dict "a" (dict "z" 4)) (dict "a" "scalar") | toJson }}"#,
            r#"{"a":{"z":4}}"#,
        ),
        (
            r#"{{ merge (dict "k" (dict "n" nil)) (dict "k" (dict "n" (dict "q" 1))) | toJson }}"#,
            r#"{"k":{"n":{"q":1}}}"#,
        ),
        (
            r#"{{ merge (dict "a" (list 1 2)) (dict "a" (list 3)) | toJson }}"#,
            r#"{"a":[1,2]}"#,
        ),
        (
            r"{{ merge . (dict) }}",
            r#"ERR: template: t:1:9: executing "t" at <.>: wrong type for value; expected map[string]interface {}; got map[string]string"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "k" (dict "n" nil)) (dict "k" (dict "n" (dict "q" 1))) | toJson }}"#,
            r#"{"k":{"n":{"q":1}}}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" 5) (dict "a" nil) | toJson }}"#,
            r#"{"a":null}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}"#,
            r#"{"a":2}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" (dict "z" 4)) (dict "a" "scalar") | toJson }}"#,
            r#"{"a":"scalar"}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" "") (dict "a" "x") | toJson }}"#,
            r#"{"a":"x"}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "x" 1) (dict "y" 2) (dict "x" 3 "z" 4) | toJson }}"#,
            r#"{"x":3,"y":2,"z":4}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" (list 1 2)) (dict "a" (list 3)) | toJson }}"#,
            r#"{"a":[3]}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" true) (dict "a" false) | toJson }}"#,
            r#"{"a":false}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" (dict "b" (dict "c" 1))) (dict "a" (dict "b" (dict "d" 2))) | toJson }}"#,
            r#"{"a":{"b":{"c":1,"d":2}}}"#,
        ),
        (
            r#"{{ mergeOverwrite (dict "a" "scalar") (dict "a" (dict "z" 4)) | toJson }}"#,
            r#"{"a":{"z":4}}"#,
        ),
        (
            r#"{{ mustMerge (dict "a" (list 1)) (dict "a" "s") | toJson }}"#,
            r#"{"a":[1]}"#,
        ),
        (
            r#"{{ mustMerge (dict "a" 1) (dict "a" 2) | toJson }}"#,
            r#"{"a":1}"#,
        ),
        (
            r#"{{ mustMerge (dict "a" "x") (dict "a" "") | toJson }}"#,
            r#"{"a":"x"}"#,
        ),
        (
            r#"{{ mustMerge (dict "a" 1 "b" "") (dict "b" 2 "c" 3) | toJson }}"#,
            r#"{"a":1,"b":2,"c":3}"#,
        ),
        (
            r#"{{ mustMerge (dict "a" (dict "x" 1 "y" 2)) (dict "a" (dict "y" 3 "z" 4)) | toJson }}"#,
            r#"{"a":{"x":1,"y":2,"z":4}}"#,
        ),
        (
            r#"{{ mustMerge (dict "a" (dict "b" (dict "c" 1))) (dict "a" (dict "b" (dict "d" 2))) | toJson }}"#,
            r#"{"a":{"b":{"c":1,"d":2}}}"#,
        ),
        (
            r#"{{ mustMerge (dict "a" "scalar") (dict "a" (dict "z" 4)) | toJson }}"#,
            r#"{"a":"scalar"}"#,
        ),
        (
            r#"{{ mustMerge (dict) (dict "a" (list 3)) | toJson }}"#,
            r#"{"a":[3]}"#,
        ),
        (
            r#"{{ mustMerge (dict "x" 1) (dict "y" 2) (dict "x" 3 "z" 4) | toJson }}"#,
            r#"{"x":1,"y":2,"z":4}"#,
        ),
        (
            r#"{{ mustMerge (dict "k" (dict "n" nil)) (dict "k" (dict "n" (dict "q" 1))) | toJson }}"#,
            r#"{"k":{"n":{"q":1}}}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" (dict "z" 4)) (dict "a" "scalar") | toJson }}"#,
            r#"{"a":"scalar"}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" (list 1)) (dict "a" "s") | toJson }}"#,
            r#"{"a":"s"}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" 5) (dict "a" nil) | toJson }}"#,
            r#"{"a":null}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" (dict "x" 1 "y" 2)) (dict "a" (dict "y" 3 "z" 4)) | toJson }}"#,
            r#"{"a":{"x":1,"y":3,"z":4}}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" (list)) (dict "a" (list 3)) | toJson }}"#,
            r#"{"a":[3]}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" nil) (dict "a" 5) | toJson }}"#,
            r#"{"a":5}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict) (dict "a" (list 3)) | toJson }}"#,
            r#"{"a":[3]}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" "scalar") (dict "a" (dict "z" 4)) | toJson }}"#,
            r#"{"a":{"z":4}}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" (list 1 2)) (dict "a" (list 3)) | toJson }}"#,
            r#"{"a":[3]}"#,
        ),
        (
            r#"{{ mustMergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}"#,
            r#"{"a":2}"#,
        ),
        (
            r#"{{ $d := dict "a" 1 }}{{ $_ := merge $d (dict "b" 2) }}{{ toJson $d }}"#,
            r#"{"a":1,"b":2}"#,
        ),
        (
            r#"{{ $d := dict "a" 1 }}{{ merge $d $d | toJson }}"#,
            r#"{"a":1}"#,
        ),
        (
            r#"{{ $d := dict "m" (dict "a" .a) }}{{ mergeOverwrite $d (dict "m" (dict "b" 1)) | toJson }}"#,
            r#"{"m":{"a":"x","b":1}}"#,
        ),
        (
            r#"{{ $s := dict "n" 1 }}{{ $d := merge (dict) (dict "s" $s) }}{{ $_ := set $s "m" 2 }}{{ toJson $d }}"#,
            r#"{"s":{"m":2,"n":1}}"#,
        ),
        (r#"{{ typeIsLike "string" "x" }}"#, r"true"),
        (r#"{{ typeIsLike "int" 1 }}"#, r"true"),
        (r#"{{ typeIsLike "*int" 1 }}"#, r"false"),
        (r#"{{ typeIsLike "int64" (int64 1) }}"#, r"true"),
        (
            r#"{{ typeIsLike "map[string]interface {}" (dict) }}"#,
            r"true",
        ),
        (r#"{{ typeIsLike "[]interface {}" (list) }}"#, r"true"),
        (r#"{{ typeIsLike "<nil>" nil }}"#, r"true"),
        (r#"{{ typeIsLike "*<nil>" nil }}"#, r"false"),
        (r#"{{ typeIsLike "float64" 1.5 }}"#, r"true"),
        (r#"{{ typeIsLike "" "" }}"#, r"false"),
        (r#"{{ duration "1.5" }}"#, r"0s"),
        (r"{{ duration (int64 9223372036) }}", r"2562047h47m16s"),
        (r#"{{ duration "0" }}"#, r"0s"),
        (r#"{{ duration "-99999999999999999999" }}"#, r"0s"),
        (
            r"{{ duration (int64 9223372037) }}",
            r"-2562047h47m16.709551616s",
        ),
        (r#"{{ duration "" }}"#, r"0s"),
        (r#"{{ duration "3600" }}"#, r"1h0m0s"),
        (r#"{{ duration "-90" }}"#, r"-1m30s"),
        (r"{{ duration (float64 5) }}", r"0s"),
        (r#"{{ duration "abc" }}"#, r"0s"),
        (r#"{{ durationRound "2s" }}"#, r"2s"),
        (r#"{{ durationRound "--1h" }}"#, r"0s"),
        (r#"{{ durationRound "8760h1s" }}"#, r"1y"),
        (r#"{{ durationRound "-+1h" }}"#, r"0s"),
        (r#"{{ durationRound "1h" }}"#, r"60m"),
        (r#"{{ durationRound "731h" }}"#, r"1mo"),
        (r"{{ durationRound (int64 -9223372036854775808) }}", r"292y"),
        (r#"{{ durationRound "-0" }}"#, r"0s"),
        (r#"{{ durationRound "-2h30m" }}"#, r"2h"),
        (r"{{ durationRound (int64 3600000000001) }}", r"1h"),
        (
            r#"{{ durationRound "", "3600" }}"#,
            r#"ERR: template: t:1: unexpected "," in operand"#,
        ),
    ];
}
