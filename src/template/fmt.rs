//! Go `fmt` printing of template values: `%v` text, `Sprint`, `Sprintln` and `Sprintf`.
//!
//! Mirrors Go's `fmt/print.go` and `fmt/format.go` for the value kinds templates have: flags
//! `# 0 + - space`, width and precision (also `*`), verbs `v s d q x X o O b c U t f F e E g G T`
//! and `%%`, Go's error forms (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`,
//! `%!(NOVERB)`, `%!(BADWIDTH)`, `%!(BADPREC)`, `%!d(BADINDEX)`), argument indexes (`%[2]d`).
//! Host objects print as Go's `handleMethods` does: `String()` for `%v %s %x %X %q`,
//! `GoString()` for `%#v`, named integers (`time.Month`) as numbers for the number verbs.
//! Not done: hexadecimal and binary float verbs (`%x` / `%b` on a float64 print as a bad verb),
//! Go-syntax `%#v` of lists, maps and structs without `GoString` (issue 4), and the
//! field-by-field printing of a struct under a number verb where its fields are Go internals
//! (`%d` of a `time.Time`): those print as a bad verb, `%!d(time.Time=2024-…)`.
//!
//! Output here is template output, not an error: it may contain data, as in Go.
//!
//! Must not: panic on any format string or value; recurse deeper than the value nesting cap.

use std::fmt::Write as _;

use super::value::{HostKind, MAX_VALUE_DEPTH, Object, Value};
use crate::gocompat::json::{format_float_f, format_float_g};
use crate::gocompat::unicode::is_print;

/// Decodes one UTF-8 character at the start of `b` as Go does: an invalid byte is U+FFFD of
/// width 1.
pub fn decode_rune(b: &[u8]) -> (char, usize) {
    let n = match b.first() {
        None => return ('\u{FFFD}', 0),
        Some(x) if *x < 0x80 => return (char::from(*x), 1),
        Some(x) if *x >= 0xF0 => 4,
        Some(x) if *x >= 0xE0 => 3,
        Some(_) => 2,
    };
    match b.get(..n).and_then(|s| std::str::from_utf8(s).ok()) {
        Some(s) => (s.chars().next().unwrap_or('\u{FFFD}'), n),
        None => ('\u{FFFD}', 1),
    }
}

/// Iterates the characters of a byte string as Go's `for range` does.
pub fn runes(b: &[u8]) -> impl Iterator<Item = (char, &[u8])> {
    let mut rest = b;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (c, n) = decode_rune(rest);
        let (raw, tail) = rest.split_at(n);
        rest = tail;
        Some((c, raw))
    })
}

/// Go's `strconv.Quote` (or `QuoteToASCII`) of bytes: invalid bytes become `\xNN`.
pub fn quote_bytes(b: &[u8], ascii_only: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len() + 2);
    out.push(b'"');
    for (c, raw) in runes(b) {
        if c == '\u{FFFD}' && raw.len() == 1 {
            out.extend_from_slice(format!("\\x{:02x}", raw[0]).as_bytes());
            continue;
        }
        append_escaped_rune(&mut out, c, b'"', ascii_only);
    }
    out.push(b'"');
    out
}

fn append_escaped_rune(out: &mut Vec<u8>, c: char, quote: u8, ascii_only: bool) {
    if c == char::from(quote) || c == '\\' {
        out.push(b'\\');
        out.push(c as u8);
        return;
    }
    if if ascii_only {
        c.is_ascii() && is_print(c)
    } else {
        is_print(c)
    } {
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        return;
    }
    let s = match c {
        '\u{7}' => "\\a".to_owned(),
        '\u{8}' => "\\b".to_owned(),
        '\u{c}' => "\\f".to_owned(),
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        '\t' => "\\t".to_owned(),
        '\u{b}' => "\\v".to_owned(),
        c if (c as u32) < 0x20 || c == '\u{7f}' => format!("\\x{:02x}", c as u32),
        c if (c as u32) < 0x10000 => format!("\\u{:04x}", c as u32),
        c => format!("\\U{:08x}", c as u32),
    };
    out.extend_from_slice(s.as_bytes());
}

/// Writes `v` as Go's `%v` (what `fmt.Fprint` prints); nil prints `<nil>`.
pub fn write_value(out: &mut Vec<u8>, v: &Value) {
    let mut p = Printer {
        out,
        f: Flags::default(),
    };
    p.print_arg(v, 'v', 0);
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
pub fn sprint(args: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Value::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(b' ');
        }
        write_value(&mut out, a);
        prev_string = is_string;
    }
    out
}

/// Go's `fmt.Sprintln`: spaces always, then a newline.
pub fn sprintln(args: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        write_value(&mut out, a);
    }
    out.push(b'\n');
    out
}

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

struct Printer<'a> {
    out: &'a mut Vec<u8>,
    f: Flags,
}

/// Go's `fmt.Sprintf` (`doPrintf`), argument indexes (`%[2]d`) included.
pub fn sprintf(format: &[u8], args: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut p = Printer {
        out: &mut out,
        f: Flags::default(),
    };
    let mut arg_num = 0;
    let mut reordered = false;
    let end = format.len();
    let mut i = 0;
    while i < end {
        let mut good_arg_num = true;
        let lasti = i;
        while i < end && format[i] != b'%' {
            i += 1;
        }
        p.out.extend_from_slice(&format[lasti..i]);
        if i >= end {
            break;
        }
        i += 1;
        p.f = Flags::default();
        while i < end {
            match format[i] {
                b'#' => p.f.sharp = true,
                b'0' => p.f.zero = !p.f.minus,
                b'+' => p.f.plus = true,
                b'-' => {
                    p.f.minus = true;
                    p.f.zero = false;
                }
                b' ' => p.f.space = true,
                _ => break,
            }
            i += 1;
        }
        let mut after_index;
        (arg_num, i, after_index) = arg_number(
            format,
            i,
            arg_num,
            args.len(),
            &mut reordered,
            &mut good_arg_num,
        );
        if format.get(i) == Some(&b'*') {
            i += 1;
            let (n, ok, next) = int_from_arg(args, arg_num);
            arg_num = next;
            if ok {
                if n < 0 {
                    p.f.minus = true;
                    p.f.zero = false;
                }
                p.f.wid = Some(n.unsigned_abs() as usize);
            } else {
                p.out.extend_from_slice(b"%!(BADWIDTH)");
            }
            after_index = false;
        } else {
            let (n, ni) = parse_num(format, i);
            p.f.wid = n;
            i = ni;
            if after_index && n.is_some() {
                good_arg_num = false;
            }
        }
        if i + 1 < end && format[i] == b'.' {
            i += 1;
            if after_index {
                good_arg_num = false;
            }
            (arg_num, i, after_index) = arg_number(
                format,
                i,
                arg_num,
                args.len(),
                &mut reordered,
                &mut good_arg_num,
            );
            if format.get(i) == Some(&b'*') {
                i += 1;
                let (n, ok, next) = int_from_arg(args, arg_num);
                arg_num = next;
                if ok && n >= 0 {
                    p.f.prec = Some(n as usize);
                } else {
                    // Go drops a negative precision and reports it like a bad one.
                    p.f.prec = None;
                    p.out.extend_from_slice(b"%!(BADPREC)");
                }
                after_index = false;
            } else {
                let (n, ni) = parse_num(format, i);
                p.f.prec = Some(n.unwrap_or(0));
                i = ni;
            }
        }
        if !after_index {
            (arg_num, i, _) = arg_number(
                format,
                i,
                arg_num,
                args.len(),
                &mut reordered,
                &mut good_arg_num,
            );
        }
        if i >= end {
            p.out.extend_from_slice(b"%!(NOVERB)");
            break;
        }
        let (verb, size) = decode_rune(&format[i..]);
        i += size;
        if verb == '%' {
            p.out.push(b'%');
            continue;
        }
        if !good_arg_num {
            p.out.extend_from_slice(b"%!");
            push_char(p.out, verb);
            p.out.extend_from_slice(b"(BADINDEX)");
            continue;
        }
        let Some(arg) = args.get(arg_num) else {
            p.out.extend_from_slice(b"%!");
            push_char(p.out, verb);
            p.out.extend_from_slice(b"(MISSING)");
            continue;
        };
        if verb == 'v' {
            // `%+v` and `%#v` are Go's struct-field and Go-syntax forms: the flags do not
            // reach the number formatting.
            p.f.plus = false;
        }
        arg_num += 1;
        p.print_arg(arg, verb, 0);
    }
    if !reordered && arg_num < args.len() {
        p.f = Flags::default();
        p.out.extend_from_slice(b"%!(EXTRA ");
        for (k, a) in args[arg_num..].iter().enumerate() {
            if k > 0 {
                p.out.extend_from_slice(b", ");
            }
            if let Value::Nil = a {
                p.out.extend_from_slice(b"<nil>");
            } else {
                p.out.extend_from_slice(a.type_name().as_bytes());
                p.out.push(b'=');
                p.print_arg(a, 'v', 0);
            }
        }
        p.out.push(b')');
    }
    out
}

/// Go's `argNumber`: an explicit `[n]` index at `i`, if any. Returns the argument number, the
/// new position and whether an index was read.
fn arg_number(
    format: &[u8],
    i: usize,
    arg_num: usize,
    num_args: usize,
    reordered: &mut bool,
    good: &mut bool,
) -> (usize, usize, bool) {
    if format.get(i) != Some(&b'[') {
        return (arg_num, i, false);
    }
    *reordered = true;
    let rest = &format[i..];
    // Go's parseArgNumber: at least "[n]"; the width consumed on failure is 1 without a bracket.
    let (index, wid, ok) = match rest.iter().position(|b| *b == b']') {
        Some(close) if rest.len() >= 3 => {
            let (n, ni) = parse_num(rest, 1);
            match n {
                Some(n) if ni == close => (n.checked_sub(1), close + 1, true),
                _ => (None, close + 1, false),
            }
        }
        _ => (None, 1, false),
    };
    if ok && let Some(index) = index.filter(|x| *x < num_args) {
        return (index, i + wid, true);
    }
    *good = false;
    (arg_num, i + wid, ok)
}

/// Go's `intFromArg`: an integer operand for `*` (any integer kind), too-large values rejected.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = args.get(arg_num) else {
        return (0, false, arg_num);
    };
    let n = match arg {
        Value::Uint(u) => i64::try_from(*u).ok(),
        v => v.as_int(),
    };
    match n {
        Some(n) if (-1_000_000..=1_000_000).contains(&n) => (n, true, arg_num + 1),
        _ => (0, false, arg_num + 1),
    }
}

/// Parses a width or precision; values beyond 1e6 count as absent (Go's `tooLarge`).
fn parse_num(b: &[u8], mut i: usize) -> (Option<usize>, usize) {
    let start = i;
    let mut n: usize = 0;
    while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
        i += 1;
    }
    if i == start || n > 1_000_000 {
        return (None, i);
    }
    (Some(n), i)
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

impl Printer<'_> {
    /// Go's `fmt.pad`: width counted in characters.
    fn pad(&mut self, b: &[u8]) {
        let Some(wid) = self.f.wid else {
            self.out.extend_from_slice(b);
            return;
        };
        let n = runes(b).count();
        let fill = wid.saturating_sub(n);
        let c = if self.f.zero { b'0' } else { b' ' };
        if self.f.minus {
            self.out.extend_from_slice(b);
            self.out.extend(std::iter::repeat_n(b' ', fill));
        } else {
            self.out.extend(std::iter::repeat_n(c, fill));
            self.out.extend_from_slice(b);
        }
    }

    fn bad_verb(&mut self, v: &Value, verb: char) {
        self.out.extend_from_slice(b"%!");
        push_char(self.out, verb);
        self.out.push(b'(');
        if let Value::Nil = v {
            self.out.extend_from_slice(b"<nil>");
        } else {
            self.out.extend_from_slice(v.type_name().as_bytes());
            self.out.push(b'=');
            self.print_arg(v, 'v', 1);
        }
        self.out.push(b')');
    }

    fn print_arg(&mut self, v: &Value, verb: char, depth: usize) {
        if verb == 'T' {
            let t = v.type_name();
            self.pad(t.as_bytes());
            return;
        }
        match v {
            Value::Nil => {
                // Inside a list or map a nil is an empty interface, which Go prints as
                // `<nil>` whatever the verb.
                if verb == 'v' || depth > 0 {
                    self.pad(b"<nil>");
                } else {
                    self.bad_verb(v, verb);
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { b"true" } else { b"false" }),
                _ => self.bad_verb(v, verb),
            },
            Value::Int(i) | Value::Int64(i) => {
                self.fmt_integer(v, *i < 0, i.unsigned_abs(), true, verb);
            }
            Value::Uint(u) => self.fmt_integer(v, false, *u, false, verb),
            Value::Object(o) => self.fmt_object(v, &**o, verb, depth),
            Value::Float(f) => self.fmt_float(v, *f, verb),
            Value::Str(s) => self.fmt_string(v, s, verb),
            Value::List(l) => {
                if depth >= MAX_VALUE_DEPTH {
                    self.out.extend_from_slice(b"[...]");
                    return;
                }
                self.out.push(b'[');
                for (k, item) in l.items.iter().enumerate() {
                    if k > 0 {
                        self.out.push(b' ');
                    }
                    self.print_arg(item, verb, depth + 1);
                }
                self.out.push(b']');
            }
            Value::Map(m) => {
                if depth >= MAX_VALUE_DEPTH {
                    self.out.extend_from_slice(b"map[...]");
                    return;
                }
                self.out.extend_from_slice(b"map[");
                let entries: Vec<(Vec<u8>, Value)> = m
                    .borrow()
                    .entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for (k, (key, item)) in entries.iter().enumerate() {
                    if k > 0 {
                        self.out.push(b' ');
                    }
                    let key = Value::str(key.clone());
                    self.print_arg(&key, verb, depth + 1);
                    self.out.push(b':');
                    self.print_arg(item, verb, depth + 1);
                }
                self.out.push(b']');
            }
        }
    }

    /// Go's `handleMethods` for host objects, then `printValue` by kind.
    fn fmt_object(&mut self, v: &Value, o: &dyn Object, verb: char, depth: usize) {
        if self.f.sharp && verb == 'v' {
            if let Some(s) = o.go_string() {
                self.fmt_string(v, &s, 's');
                return;
            }
        } else if matches!(verb, 'v' | 's' | 'x' | 'X' | 'q')
            && let Some(s) = o.string()
        {
            self.fmt_string(v, &s, verb);
            return;
        }
        match o.kind() {
            HostKind::Int(i) | HostKind::Int64(i) => {
                self.fmt_integer(v, i < 0, i.unsigned_abs(), true, verb);
            }
            HostKind::Struct | HostKind::Ptr => match o.fields() {
                Some(fields) if depth < MAX_VALUE_DEPTH => {
                    if o.kind() == HostKind::Ptr && depth == 0 {
                        self.out.push(b'&');
                    }
                    self.out.push(b'{');
                    for (k, field) in fields.iter().enumerate() {
                        if k > 0 {
                            self.out.push(b' ');
                        }
                        self.print_arg(field, verb, depth + 1);
                    }
                    self.out.push(b'}');
                }
                _ => self.bad_verb(v, verb),
            },
        }
    }

    fn fmt_string(&mut self, v: &Value, s: &[u8], verb: char) {
        let truncated = |prec: Option<usize>| -> Vec<u8> {
            match prec {
                Some(p) => runes(s).take(p).flat_map(|(_, raw)| raw.to_vec()).collect(),
                None => s.to_vec(),
            }
        };
        match verb {
            'v' if self.f.sharp => {
                let q = quote_bytes(s, false);
                self.pad(&q);
            }
            'v' | 's' => {
                let t = truncated(self.f.prec);
                self.pad(&t);
            }
            'q' => {
                let t = truncated(self.f.prec);
                let q = if self.f.sharp
                    && !t.contains(&b'`')
                    && runes(&t).all(|(c, raw)| {
                        !(c == '\u{FFFD}' && raw.len() == 1)
                            && (c == '\t' || !c.is_control() && c != '\u{feff}')
                    }) {
                    let mut q = vec![b'`'];
                    q.extend_from_slice(&t);
                    q.push(b'`');
                    q
                } else {
                    quote_bytes(&t, self.f.plus)
                };
                self.pad(&q);
            }
            'x' | 'X' => {
                let n = self.f.prec.map_or(s.len(), |p| p.min(s.len()));
                let mut h = String::new();
                for (k, b) in s[..n].iter().enumerate() {
                    if self.f.space && k > 0 {
                        h.push(' ');
                    }
                    if self.f.sharp && (self.f.space || k == 0) {
                        h.push_str(if verb == 'x' { "0x" } else { "0X" });
                    }
                    if verb == 'x' {
                        let _ = write!(h, "{b:02x}");
                    } else {
                        let _ = write!(h, "{b:02X}");
                    }
                }
                self.pad(h.as_bytes());
            }
            _ => self.bad_verb(v, verb),
        }
    }

    /// Go's `fmtInteger` for the magnitude `u` of a signed (`neg` when below zero) or unsigned
    /// integer.
    fn fmt_integer(&mut self, v: &Value, neg: bool, u: u64, signed: bool, verb: char) {
        // The two's-complement bits Go's `uint64(v)` conversion gives.
        let bits = if neg { u.wrapping_neg() } else { u };
        let (base, upper) = match verb {
            // `%#v` of an unsigned integer is Go syntax: hexadecimal with `0x`.
            'v' if self.f.sharp && !signed => (16, false),
            'v' | 'd' => (10, false),
            'b' => (2, false),
            'o' | 'O' => (8, false),
            'x' => (16, false),
            'X' => (16, true),
            'c' => {
                let c = u32::try_from(bits)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                let s = c.encode_utf8(&mut buf).as_bytes().to_vec();
                self.pad(&s);
                return;
            }
            'q' => {
                let c = u32::try_from(bits)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{FFFD}');
                let mut q = vec![b'\''];
                append_escaped_rune(&mut q, c, b'\'', self.f.plus);
                q.push(b'\'');
                self.pad(&q);
                return;
            }
            'U' => {
                let mut s = format!("U+{bits:04X}");
                if self.f.sharp
                    && let Some(c) = u32::try_from(bits).ok().and_then(char::from_u32)
                    && is_print(c)
                {
                    let _ = write!(s, " '{c}'");
                }
                self.pad(s.as_bytes());
                return;
            }
            _ => {
                self.bad_verb(v, verb);
                return;
            }
        };
        let mut digits = match base {
            2 => format!("{u:b}"),
            8 => format!("{u:o}"),
            16 if upper => format!("{u:X}"),
            16 => format!("{u:x}"),
            _ => format!("{u}"),
        };
        let mut prec = 0;
        if let Some(p) = self.f.prec {
            prec = p;
            if p == 0 && u == 0 {
                let w = self.f.wid.unwrap_or(0);
                self.out.extend(std::iter::repeat_n(b' ', w));
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid.is_some() {
            prec = self.f.wid.unwrap_or(0);
            if neg || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        if digits.len() < prec {
            digits = "0".repeat(prec - digits.len()) + &digits;
        }
        let mut s = String::new();
        if neg {
            s.push('-');
        } else if self.f.plus {
            s.push('+');
        } else if self.f.space {
            s.push(' ');
        }
        if self.f.sharp {
            match base {
                2 => s.push_str("0b"),
                8 if !digits.starts_with('0') => s.push('0'),
                16 => s.push_str(if upper { "0X" } else { "0x" }),
                _ => {}
            }
        }
        if verb == 'O' {
            s.push_str("0o");
        }
        s.push_str(&digits);
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad(s.as_bytes());
        self.f.zero = zero;
    }

    fn fmt_float(&mut self, v: &Value, f: f64, verb: char) {
        // An explicit precision applies to every verb, `%v` included (`%.2v` of 3.14159 is 3.1).
        let (verb, prec) = match verb {
            'v' => ('g', self.f.prec),
            'g' | 'G' => (verb, self.f.prec),
            'e' | 'E' | 'f' | 'F' => (verb, Some(self.f.prec.unwrap_or(6))),
            _ => {
                self.bad_verb(v, verb);
                return;
            }
        };
        let mut num = format_float(f, verb, prec);
        if !num.starts_with(['-', '+']) {
            num.insert(0, '+');
        }
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        if num[1..].starts_with(['I', 'N']) {
            let zero = self.f.zero;
            self.f.zero = false;
            if num[1..].starts_with('N') && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(num.as_bytes());
            self.f.zero = zero;
            return;
        }
        if self.f.plus || !num.starts_with('+') {
            if self.f.zero && !self.f.minus && self.f.wid.is_some_and(|w| w > num.len()) {
                let w = self.f.wid.unwrap_or(0);
                self.out.push(num.as_bytes()[0]);
                self.out.extend(std::iter::repeat_n(b'0', w - num.len()));
                self.out.extend_from_slice(&num.as_bytes()[1..]);
                return;
            }
            self.pad(num.as_bytes());
            return;
        }
        self.pad(&num.as_bytes()[1..]);
    }
}

/// Rust's `{:e}` exponent (`e6`, `e-7`) in Go's form (`e+06`, `e-07`).
fn go_exponent(s: &str, upper: bool) -> String {
    let Some((mant, exp)) = s.split_once('e') else {
        return s.to_owned();
    };
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    let e = if upper { 'E' } else { 'e' };
    if digits.len() < 2 {
        format!("{mant}{e}{sign}0{digits}")
    } else {
        format!("{mant}{e}{sign}{digits}")
    }
}

/// Go's `strconv.FormatFloat(f, verb, prec, 64)` for `e E f F g G` (`None` = shortest).
pub fn format_float(f: f64, verb: char, prec: Option<usize>) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let upper = verb.is_ascii_uppercase();
    match (verb.to_ascii_lowercase(), prec) {
        ('e', None) => go_exponent(&format!("{f:e}"), upper),
        ('e', Some(p)) => go_exponent(&format!("{f:.p$e}"), upper),
        ('f', None) => format_float_f(f),
        ('f', Some(p)) => format!("{f:.p$}"),
        ('g', None) => {
            let s = format_float_g(f);
            if upper { s.to_uppercase() } else { s }
        }
        (_, Some(p)) => {
            let p = p.max(1);
            let e = format!("{:.*e}", p - 1, f.abs());
            let Some((mant, exp)) = e.split_once('e') else {
                return e;
            };
            let exp: i32 = exp.parse().unwrap_or(0);
            let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
            let digits = digits.trim_end_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            let nd = digits.len();
            let dp = exp + 1;
            let mut eprec = p;
            if eprec > nd && nd as i32 >= dp {
                eprec = nd;
            }
            let sign = if f.is_sign_negative() { "-" } else { "" };
            if exp < -4 || exp >= eprec as i32 {
                let prec = p.min(nd) - 1;
                let s = format!("{:.prec$e}", f.abs());
                format!("{sign}{}", go_exponent(&s, upper))
            } else {
                let prec = if p as i32 > dp { nd } else { p };
                let frac = (prec as i32 - dp).max(0) as usize;
                format!("{sign}{:.frac$}", f.abs())
            }
        }
        _ => format_float_g(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::value::Elem;

    fn pf(format: &str, args: &[Value]) -> String {
        String::from_utf8(sprintf(format.as_bytes(), args)).unwrap()
    }

    #[test]
    fn printf_verbs_like_go() {
        let l = Value::list(Elem::Any, vec![Value::Int(1), Value::Int(2)]).unwrap();
        assert_eq!(
            pf(
                "%q|%05d|%v|%x",
                &[Value::str("v"), Value::Int(42), l, Value::str("v")]
            ),
            "\"v\"|00042|[1 2]|76"
        );
        assert_eq!(pf("%s", &[Value::Int(5)]), "%!s(int=5)");
        assert_eq!(pf("%d", &[Value::Float(1.5)]), "%!d(float64=1.5)");
        assert_eq!(pf("%s", &[Value::Nil]), "%!s(<nil>)");
        assert_eq!(pf("%s %s", &[Value::str("a")]), "a %!s(MISSING)");
        assert_eq!(
            pf("%s", &[Value::str("a"), Value::str("b")]),
            "a%!(EXTRA string=b)"
        );
        assert_eq!(pf("%q", &[Value::str("é\n\x01")]), "\"é\\n\\x01\"");
        assert_eq!(
            pf(
                "%5s|%-5s|%.2s",
                &[Value::str("ab"), Value::str("ab"), Value::str("abc")]
            ),
            "   ab|ab   |ab"
        );
        assert_eq!(
            pf(
                "%t %c %o %b %X %%",
                &[
                    Value::Bool(true),
                    Value::Int(97),
                    Value::Int(8),
                    Value::Int(5),
                    Value::Int(255)
                ]
            ),
            "true a 10 101 FF %"
        );
        assert_eq!(
            pf(
                "%.2f|%f|%e|%g",
                &[
                    Value::Float(2.34567),
                    Value::Float(1.5),
                    Value::Float(1234.5678),
                    Value::Float(1e21)
                ]
            ),
            "2.35|1.500000|1.234568e+03|1e+21"
        );
        assert_eq!(
            pf(
                "%+d|% d|%x",
                &[Value::Int(5), Value::Int(5), Value::Int(-255)]
            ),
            "+5| 5|-ff"
        );
        assert_eq!(pf("%08.3f", &[Value::Float(-2.34567)]), "-002.346");
        assert_eq!(
            pf("%.3g|%g", &[Value::Float(1.0), Value::Float(100000.5)]),
            "1|100000.5"
        );
        assert_eq!(pf("%v", &[Value::Float(1234567.0)]), "1.234567e+06");
        assert_eq!(pf("abc%", &[]), "abc%!(NOVERB)");
        assert_eq!(pf("%T", &[Value::str("x")]), "string");
        let (a, b, c) = (Value::Int(7), Value::Int(3), Value::Int(9));
        assert_eq!(
            pf("%[2]*[1]d|%[3]d|%[0]d|%[x]d|%.[2]d|%[1]d %d %d", &[a, b, c]),
            "  7|9|%!d(BADINDEX)|%!d(BADINDEX)|3|7 3 9"
        );
        assert_eq!(pf("%+v|% v", &[Value::Int(5), Value::Int(-3)]), "5|-3");
    }

    #[test]
    fn sprint_spacing() {
        let args = [
            Value::str("a"),
            Value::Int(1),
            Value::Int(2),
            Value::str("b"),
        ];
        assert_eq!(sprint(&args), b"a1 2b");
        assert_eq!(sprintln(&[Value::str("x"), Value::Int(3)]), b"x 3\n");
    }
}
