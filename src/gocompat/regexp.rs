//! Go `regexp` (RE2 syntax) on top of the Rust `regex` crate.
//!
//! ESO compiles user patterns with Go's `regexp.Compile` (`rewrite.regexp.source`, `find.name.regexp`)
//! and rewrites keys with `ReplaceAllString`. The two engines share RE2's design but not every
//! detail of syntax, so a Go pattern is parsed here with Go's rules (`regexp/syntax/parse.go`) and
//! re-emitted as an equivalent Rust pattern. Differences handled:
//!
//! * `\d \D \w \W \s \S` are ASCII in Go (Unicode in Rust): emitted as explicit ASCII classes, also
//!   inside brackets (`[\w.-]`); Go's `\s` is `[\t\n\f\r ]` (no `\v`).
//! * `\b \B` are ASCII word boundaries in Go: emitted as `(?-u:\b)` / `(?-u:\B)`.
//! * `\Q…\E` quoting (absent in Rust): each character becomes a literal.
//! * Escaped punctuation is always a literal in Go (`\<` is `<`, a word boundary in Rust);
//!   octal escapes (`\012`, `\0`) are Go's; escapes Go lacks (`\u`, `\e`, `\Z`, `\C`, `\1`) fail.
//! * Brackets follow Go: `[` `&` `~` `-` inside a class are literals (Rust reads nested classes
//!   and set operations there); every class member is emitted as an escaped code point.
//! * `{` that does not start a valid `{n}`, `{n,}`, `{n,m}` is a literal (Rust rejects `a{,3}`);
//!   counts above 1000, nested counted repeats whose product passes 1000, and stacked repeat
//!   operators (`a**`, `a{2}{3}`) fail as in Go (Rust accepts them).
//! * Flags: only `i m s U` (Rust also has `x`, `u`, `R`); repeated flags (`(?ii)`) and the empty
//!   group `(?)` are accepted as in Go.
//! * Group names: Go allows `[A-Za-z0-9_]+` (even a leading digit) and duplicates; Rust does not.
//!   Named groups are emitted unnamed and their names kept in [`Regexp`], which resolves them
//!   for [`Regexp::replace_all`].
//! * `\p{^Greek}` negation; `\p{Name}` resolves a general category first, then a script (Rust
//!   would otherwise pick Script_Extensions).
//!
//! Known remaining differences: Rust's Unicode property lookup is loose (case and `_` ignored) so a
//! few spellings Go may reject are accepted; Rust refuses nesting beyond 250 levels and compiled
//! programs beyond its size limit (Go: 1000 levels, larger programs) — such patterns fail with
//! [`Error::Unsupported`]. Error texts use Go's ``error parsing regexp: <code>: `<expr>` `` form for
//! every check done here; errors only Rust detects carry Rust's reason and cannot match Go's text.
//!
//! Must not: panic on any pattern, haystack or template.

use regex::Regex;

use super::unicode;

/// Go's `regexp/syntax` error codes used here.
mod code {
    pub const INVALID_CHAR_RANGE: &str = "invalid character class range";
    pub const INVALID_ESCAPE: &str = "invalid escape sequence";
    pub const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
    pub const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
    pub const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
    pub const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
    pub const MISSING_BRACKET: &str = "missing closing ]";
    pub const MISSING_PAREN: &str = "missing closing )";
    pub const MISSING_REPEAT_ARGUMENT: &str = "missing argument to repetition operator";
    pub const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
    pub const UNEXPECTED_PAREN: &str = "unexpected )";
}

/// Go's maximum for `{n,m}` counts and for nested counted-repeat products.
const MAX_REPEAT: u32 = 1000;

/// Go's `unicode.MaxRune`.
const MAX_RUNE: u32 = 0x10_FFFF;

/// A Rust class that matches nothing, for Go literals no valid text contains (surrogates).
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

/// Why a pattern does not compile. Patterns come from manifests, never from secret values, so
/// they may be quoted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A pattern Go rejects, with Go's error code text and the offending fragment.
    #[error("error parsing regexp: {code}: `{expr}`")]
    Syntax {
        /// Go's error code text (`missing closing )`).
        code: &'static str,
        /// The part of the pattern Go quotes.
        expr: String,
    },
    /// A pattern Go accepts (as far as checked here) that the Rust engine refuses, e.g. nesting
    /// beyond 250 levels or a program beyond its size limit. The text is Rust's reason.
    #[error("error parsing regexp: {0}")]
    Unsupported(String),
}

fn syntax(code: &'static str, expr: &str) -> Error {
    Error::Syntax {
        code,
        expr: expr.to_owned(),
    }
}

/// A compiled Go pattern: the Rust regex plus Go's capture-group names.
#[derive(Debug, Clone)]
pub struct Regexp {
    re: Regex,
    /// Name of each capture group by index (0 is the whole match), as Go's `SubexpNames`.
    names: Vec<Option<String>>,
}

impl Regexp {
    /// The Rust regex with Go's matching semantics. Its groups are unnamed; use
    /// [`Regexp::subexp_names`] for Go's names.
    pub fn as_regex(&self) -> &Regex {
        &self.re
    }

    /// Go's `MatchString`.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.re.is_match(haystack)
    }

    /// Go's `SubexpNames`: one entry per group, index 0 for the whole match.
    pub fn subexp_names(&self) -> &[Option<String>] {
        &self.names
    }

    /// Go's `ReplaceAllString`: every match replaced by `template` expanded as Go's
    /// `Regexp.Expand` does (`$1`, `${1}`, `$name`, `${name}`, `$$`; `$1x` names a group `1x`;
    /// unknown or non-participating groups expand to nothing; a `$` not followed by a valid
    /// reference stays literal).
    pub fn replace_all(&self, haystack: &str, template: &str) -> String {
        let mut out = String::with_capacity(haystack.len());
        let mut last_end = 0;
        for caps in self.re.captures_iter(haystack) {
            let Some(m) = caps.get(0) else { continue };
            out.push_str(&haystack[last_end..m.start()]);
            // Go never replaces an empty match right after the previous match (the Rust
            // iterator already skips those; the check keeps Go's rule explicit).
            if m.end() > last_end || m.start() == 0 {
                self.expand(&mut out, template, &caps);
            }
            last_end = m.end();
        }
        out.push_str(&haystack[last_end..]);
        out
    }

    fn expand(&self, out: &mut String, mut template: &str, caps: &regex::Captures<'_>) {
        while let Some(pos) = template.find('$') {
            out.push_str(&template[..pos]);
            template = &template[pos + 1..];
            if let Some(rest) = template.strip_prefix('$') {
                out.push('$');
                template = rest;
                continue;
            }
            let Some((name, rest)) = extract_reference(template) else {
                out.push('$');
                continue;
            };
            template = rest;
            if let Some(index) = reference_number(name) {
                if let Some(m) = caps.get(index) {
                    out.push_str(m.as_str());
                }
            } else {
                // The first group of that name that took part in the match, as Go looks it up.
                let found = self
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.as_deref() == Some(name))
                    .find_map(|(i, _)| caps.get(i));
                if let Some(m) = found {
                    out.push_str(m.as_str());
                }
            }
        }
        out.push_str(template);
    }
}

/// Go's `extract`: a reference name after `$` (`name` or `{name}`, name = letters, digits, `_`),
/// and the rest of the template. `None` when malformed.
fn extract_reference(s: &str) -> Option<(&str, &str)> {
    let (body, braced) = match s.strip_prefix('{') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| unicode::is_letter(c) || unicode::is_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let rest = &body[len..];
    if braced {
        return rest.strip_prefix('}').map(|r| (name, r));
    }
    Some((name, rest))
}

/// Go's number rule for a reference: ASCII digits only, no leading zero, below 1e8.
fn reference_number(name: &str) -> Option<usize> {
    if !name.bytes().all(|b| b.is_ascii_digit()) || (name.len() > 1 && name.starts_with('0')) {
        return None;
    }
    let mut n: usize = 0;
    for b in name.bytes() {
        if n >= 100_000_000 {
            return None;
        }
        n = n * 10 + usize::from(b - b'0');
    }
    Some(n)
}

/// Compiles a Go RE2 pattern with Go's syntax and semantics.
///
/// # Errors
/// [`Error::Syntax`] for what Go rejects, [`Error::Unsupported`] for what only Rust rejects.
pub fn compile(pattern: &str) -> Result<Regexp, Error> {
    let (rust, names) = Translator::new(pattern).run()?;
    let re = regex::RegexBuilder::new(&rust)
        // Go budgets about 128 MiB for a program; Rust's default (10 MiB) refuses some patterns
        // Go accepts, e.g. many repeats of a large Unicode class.
        .size_limit(128 << 20)
        .build()
        .map_err(|e| {
            let text = e.to_string();
            let reason = text
                .lines()
                .last()
                .unwrap_or(&text)
                .trim_start_matches("error: ")
                .to_owned();
            Error::Unsupported(reason)
        })?;
    Ok(Regexp { re, names })
}

/// Go's `ReplaceAllString` with the pattern compiled by [`compile`].
pub fn replace_all(re: &Regexp, haystack: &str, template: &str) -> String {
    re.replace_all(haystack, template)
}

/// One open group while translating.
struct Frame {
    /// Whether a repeat operator has an operand here (Go: stack top is not `(` or `|`).
    can_repeat: bool,
    /// Counted-repeat product of the last item, still open to a following repeat operator.
    last: Option<u32>,
    /// Largest counted-repeat product along any path through the finished items.
    max: u32,
}

impl Frame {
    fn new() -> Self {
        Frame {
            can_repeat: false,
            last: None,
            max: 1,
        }
    }

    fn finish_item(&mut self) {
        if let Some(p) = self.last.take() {
            self.max = self.max.max(p);
        }
    }
}

struct Translator<'a> {
    src: &'a str,
    i: usize,
    out: String,
    names: Vec<Option<String>>,
    frames: Vec<Frame>,
    /// Flag directives not yet emitted; they are placed before the next atom so that a repeat
    /// right after `(?i)` still applies to the atom before it, as in Go.
    pending_flags: String,
    /// Where the previous token started, if it was a repeat operator (Go's `lastRepeat`).
    last_repeat: Option<usize>,
}

impl<'a> Translator<'a> {
    fn new(src: &'a str) -> Self {
        Translator {
            src,
            i: 0,
            out: String::with_capacity(src.len() * 2),
            names: vec![None],
            frames: vec![Frame::new()],
            pending_flags: String::new(),
            last_repeat: None,
        }
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("the top-level frame is never popped (close_group checks for it)")
    }

    fn peek(&self) -> Option<char> {
        self.src[self.i..].chars().next()
    }

    fn rest(&self) -> &'a str {
        &self.src[self.i..]
    }

    fn run(mut self) -> Result<(String, Vec<Option<String>>), Error> {
        while let Some(c) = self.peek() {
            let start = self.i;
            let mut was_repeat = false;
            match c {
                '(' => self.open_group()?,
                ')' => self.close_group()?,
                '|' => {
                    self.i += 1;
                    let f = self.frame();
                    f.finish_item();
                    f.can_repeat = false;
                    self.out.push('|');
                }
                '^' | '$' | '.' => {
                    self.i += 1;
                    self.atom(&c.to_string());
                }
                '[' => {
                    let class = self.class()?;
                    self.atom(&class);
                }
                '*' | '+' | '?' => {
                    self.i += 1;
                    self.repeat(start, &c.to_string(), None)?;
                    was_repeat = true;
                }
                '{' => match parse_repeat(self.rest()) {
                    Some((min, max, len)) => {
                        let text = &self.src[start..start + len];
                        self.i += len;
                        let limit = i64::from(MAX_REPEAT);
                        if min < 0 || min > limit || max > limit || (max >= 0 && min > max) {
                            return Err(syntax(code::INVALID_REPEAT_SIZE, text));
                        }
                        let emit = if max < 0 {
                            format!("{{{min},}}")
                        } else {
                            format!("{{{min},{max}}}")
                        };
                        // Go's count for its nested-product check: max, or min when unbounded.
                        let m = if max < 0 { min } else { max };
                        let check = min >= 2 || max >= 2;
                        self.repeat(start, &emit, Some((u32::try_from(m).unwrap_or(0), check)))?;
                        was_repeat = true;
                    }
                    None => {
                        self.i += 1;
                        self.atom(r"\{");
                    }
                },
                '\\' => self.escape()?,
                _ => {
                    self.i += c.len_utf8();
                    self.atom(&regex::escape(&c.to_string()));
                }
            }
            self.last_repeat = if was_repeat { Some(start) } else { None };
        }
        if self.frames.len() > 1 {
            return Err(syntax(code::MISSING_PAREN, self.src));
        }
        Ok((self.out, self.names))
    }

    /// Emits one matchable item (a repeat operator may follow it).
    fn atom(&mut self, text: &str) {
        self.flush_flags();
        let f = self.frame();
        f.finish_item();
        f.last = Some(1);
        f.can_repeat = true;
        self.out.push_str(text);
    }

    fn flush_flags(&mut self) {
        if !self.pending_flags.is_empty() {
            self.out.push_str(&self.pending_flags);
            self.pending_flags.clear();
        }
    }

    /// Applies a repeat operator that started at `start` and whose text (without a trailing `?`)
    /// has been consumed. `counted` is `(m, check)` for `{}` repeats: Go's count used in the
    /// nested-product check and whether Go runs that check.
    fn repeat(
        &mut self,
        start: usize,
        op: &str,
        counted: Option<(u32, bool)>,
    ) -> Result<(), Error> {
        let mut emit = op.to_owned();
        if self.peek() == Some('?') {
            self.i += 1;
            emit.push('?');
        }
        let expr = &self.src[start..self.i];
        if let Some(prev) = self.last_repeat {
            return Err(syntax(code::INVALID_REPEAT_OP, &self.src[prev..self.i]));
        }
        let f = self.frame();
        if !f.can_repeat {
            return Err(syntax(code::MISSING_REPEAT_ARGUMENT, expr));
        }
        let operand = f.last.unwrap_or(1);
        let product = match counted {
            None => operand,
            // A count of zero stops Go's check below it.
            Some((0, _)) => 1,
            Some((m, check)) => {
                let p = m.saturating_mul(operand);
                if check && p > MAX_REPEAT {
                    return Err(syntax(code::INVALID_REPEAT_SIZE, expr));
                }
                p
            }
        };
        f.last = Some(product);
        self.out.push_str(&emit);
        Ok(())
    }

    fn open_group(&mut self) -> Result<(), Error> {
        let rest = self.rest();
        if !rest.starts_with("(?") {
            self.i += 1;
            self.push_group("(");
            self.names.push(None);
            return Ok(());
        }
        let bytes = rest.as_bytes();
        let p_form = bytes.len() > 4 && bytes[2] == b'P' && bytes[3] == b'<';
        let short_form = bytes.len() > 3 && bytes[2] == b'<';
        if p_form || short_form {
            let name_start = if short_form { 3 } else { 4 };
            let Some(end) = rest.find('>') else {
                return Err(syntax(code::INVALID_NAMED_CAPTURE, rest));
            };
            let capture = &rest[..=end];
            let name = rest.get(name_start..end).unwrap_or("");
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(syntax(code::INVALID_NAMED_CAPTURE, capture));
            }
            self.i += end + 1;
            self.push_group("(");
            self.names.push(Some(name.to_owned()));
            return Ok(());
        }
        // Flags, optionally opening a non-capturing group: Go's parsePerlFlags.
        let mut on = String::new();
        let mut off = String::new();
        let mut negated = false;
        let mut saw_flag = false;
        for (offset, c) in rest.char_indices().skip(2) {
            match c {
                'i' | 'm' | 's' | 'U' => {
                    let (add, remove) = if negated {
                        (&mut off, &mut on)
                    } else {
                        (&mut on, &mut off)
                    };
                    remove.retain(|x| x != c);
                    if !add.contains(c) {
                        add.push(c);
                    }
                    saw_flag = true;
                }
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                }
                ':' | ')' if !negated || saw_flag => {
                    self.i += offset + 1;
                    let flags = if off.is_empty() {
                        on
                    } else {
                        format!("{on}-{off}")
                    };
                    if c == ':' {
                        self.push_group(&format!("(?{flags}:"));
                    } else if !flags.is_empty() {
                        self.pending_flags.push_str(&format!("(?{flags})"));
                    }
                    return Ok(());
                }
                _ => {
                    return Err(syntax(
                        code::INVALID_PERL_OP,
                        &rest[..offset + c.len_utf8()],
                    ));
                }
            }
        }
        Err(syntax(code::INVALID_PERL_OP, rest))
    }

    fn push_group(&mut self, open: &str) {
        self.flush_flags();
        self.frame().finish_item();
        self.frames.push(Frame::new());
        self.out.push_str(open);
    }

    fn close_group(&mut self) -> Result<(), Error> {
        if self.frames.len() < 2 {
            return Err(syntax(code::UNEXPECTED_PAREN, self.src));
        }
        self.i += 1;
        // Flags set at the end of a group affect nothing.
        self.pending_flags.clear();
        let mut inner = self.frames.pop().unwrap_or_else(Frame::new);
        inner.finish_item();
        let f = self.frame();
        f.last = Some(inner.max);
        f.can_repeat = true;
        self.out.push(')');
        Ok(())
    }

    /// Translates a backslash sequence outside brackets.
    fn escape(&mut self) -> Result<(), Error> {
        let rest = self.rest();
        let mut chars = rest.chars();
        chars.next();
        let Some(c) = chars.next() else {
            return Err(syntax(code::TRAILING_BACKSLASH, ""));
        };
        match c {
            'A' | 'z' => {
                self.i += 2;
                self.atom(&format!("\\{c}"));
                return Ok(());
            }
            'b' | 'B' => {
                self.i += 2;
                self.atom(&format!("(?-u:\\{c})"));
                return Ok(());
            }
            'C' => return Err(syntax(code::INVALID_ESCAPE, &rest[..2])),
            'Q' => {
                self.i += 2;
                let body = self.rest();
                let (lit, consumed) = match body.find(r"\E") {
                    Some(end) => (&body[..end], end + 2),
                    None => (body, body.len()),
                };
                self.i += consumed;
                for ch in lit.chars() {
                    self.atom(&regex::escape(&ch.to_string()));
                }
                return Ok(());
            }
            _ => {}
        }
        if let Some((class, len)) = unicode_class(rest)? {
            self.i += len;
            self.atom(&class);
            return Ok(());
        }
        if let Some(class) = perl_class(c, false) {
            self.i += 2;
            self.atom(&class);
            return Ok(());
        }
        let (value, len) = parse_escape(rest)?;
        self.i += len;
        match char::from_u32(value) {
            Some(ch) => self.atom(&hex_literal(ch)),
            // Go accepts a surrogate code point; decoded text never contains one.
            None => self.atom(NOTHING),
        }
        Ok(())
    }

    /// Translates a bracket expression starting at `[`; returns the Rust class.
    fn class(&mut self) -> Result<String, Error> {
        let whole = self.rest();
        let mut t = &whole[1..];
        let mut out = String::from("[");
        if let Some(r) = t.strip_prefix('^') {
            out.push('^');
            t = r;
        }
        let negated = out.len() == 2;
        let mut members = 0usize;
        let mut first = true;
        loop {
            if t.is_empty() {
                return Err(syntax(code::MISSING_BRACKET, whole));
            }
            if t.starts_with(']') && !first {
                t = &t[1..];
                break;
            }
            first = false;
            if t.starts_with("[:")
                && let Some(end) = t[2..].find(":]")
            {
                let name = &t[..end + 4];
                if !is_posix_class(name) {
                    return Err(syntax(code::INVALID_CHAR_RANGE, name));
                }
                out.push_str(name);
                members += 1;
                t = &t[end + 4..];
                continue;
            }
            if let Some((class, len)) = unicode_class(t)? {
                out.push_str(&class);
                members += 1;
                t = &t[len..];
                continue;
            }
            if let Some(c) = t.strip_prefix('\\').and_then(|r| r.chars().next())
                && let Some(class) = perl_class(c, true)
            {
                out.push_str(&class);
                members += 1;
                t = &t[2..];
                continue;
            }
            let range_start = t;
            let (lo, len) = class_char(t, whole)?;
            t = &t[len..];
            let mut hi = lo;
            if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
                let (h, len) = class_char(&t[1..], whole)?;
                t = &t[1 + len..];
                if h < lo {
                    let consumed = range_start.len() - t.len();
                    return Err(syntax(code::INVALID_CHAR_RANGE, &range_start[..consumed]));
                }
                hi = h;
            }
            // Surrogates are in Go's class but never in decoded text: drop them from the range.
            for (a, b) in [(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)] {
                if let (Some(a), Some(b)) = (char::from_u32(a), char::from_u32(b))
                    && a <= b
                {
                    out.push_str(&hex_literal(a));
                    if b != a {
                        out.push('-');
                        out.push_str(&hex_literal(b));
                    }
                    members += 1;
                }
            }
        }
        self.i += whole.len() - t.len();
        if members == 0 {
            // Rust has no empty bracket expression; Go's empty class matches nothing, its
            // negation any character.
            return Ok(if negated {
                r"[\x{0}-\x{10FFFF}]".to_owned()
            } else {
                NOTHING.to_owned()
            });
        }
        out.push(']');
        Ok(out)
    }
}

/// A class member in Go's bracket syntax: an escape or one character; `(char, bytes consumed)`.
fn class_char(t: &str, whole: &str) -> Result<(u32, usize), Error> {
    if t.starts_with('\\') {
        return parse_escape(t);
    }
    match t.chars().next() {
        Some(c) => Ok((u32::from(c), c.len_utf8())),
        None => Err(syntax(code::MISSING_BRACKET, whole)),
    }
}

/// A code point as an escape Rust reads literally both inside and outside brackets.
fn hex_literal(c: char) -> String {
    format!("\\x{{{:X}}}", u32::from(c))
}

/// Go's `parseEscape` for a single-character escape at the start of `s` (which begins with `\`);
/// `(char, bytes consumed)`.
fn parse_escape(s: &str) -> Result<(u32, usize), Error> {
    let mut it = s.char_indices().skip(1);
    let Some((_, c)) = it.next() else {
        return Err(syntax(code::TRAILING_BACKSLASH, ""));
    };
    let invalid = |len: usize| syntax(code::INVALID_ESCAPE, &s[..len.min(s.len())]);
    let bytes = s.as_bytes();
    let octal = |b: Option<&u8>| b.is_some_and(|b| (b'0'..=b'7').contains(b));
    match c {
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((u32::from(c), 2)),
        '1'..='7' if !octal(bytes.get(2)) => Err(invalid(2)),
        '0'..='7' => {
            let mut value = u32::from(bytes[1] - b'0');
            let mut len = 2;
            while len < 4 && octal(bytes.get(len)) {
                value = value * 8 + u32::from(bytes[len] - b'0');
                len += 1;
            }
            Ok((value, len))
        }
        'x' => {
            let rest = &s[2..];
            if let Some(body) = rest.strip_prefix('{') {
                let Some(end) = body.find('}') else {
                    return Err(invalid(bad_hex_brace_len(s)));
                };
                let digits = &body[..end];
                let consumed = 2 + 1 + end + 1;
                let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit());
                let value = if valid && digits.len() <= 8 {
                    u32::from_str_radix(digits, 16).ok()
                } else {
                    None
                };
                match value.filter(|&v| v <= MAX_RUNE) {
                    Some(v) => Ok((v, consumed)),
                    None => Err(invalid(bad_hex_brace_len(s))),
                }
            } else {
                let hex: Vec<char> = rest.chars().take(2).collect();
                let consumed = 2 + hex.iter().map(|c| c.len_utf8()).sum::<usize>();
                if hex.len() == 2 && hex.iter().all(char::is_ascii_hexdigit) {
                    Ok((u32::from_str_radix(&rest[..2], 16).unwrap_or(0), 4))
                } else {
                    Err(invalid(consumed))
                }
            }
        }
        'a' => Ok((0x07, 2)),
        'f' => Ok((0x0C, 2)),
        'n' => Ok((0x0A, 2)),
        'r' => Ok((0x0D, 2)),
        't' => Ok((0x09, 2)),
        'v' => Ok((0x0B, 2)),
        c => Err(invalid(1 + c.len_utf8())),
    }
}

/// How much of a bad `\x{…}` Go quotes in its error: up to and including the first character
/// that made it invalid (a non-hex digit, the `}` of an empty or too large value, or the end).
fn bad_hex_brace_len(s: &str) -> usize {
    let mut value: u32 = 0;
    for (i, c) in s.char_indices().skip(3) {
        if c == '}' {
            return i + 1;
        }
        let Some(d) = c.to_digit(16) else {
            return i + c.len_utf8();
        };
        value = value.saturating_mul(16).saturating_add(d);
        if value > MAX_RUNE {
            return i + c.len_utf8();
        }
    }
    s.len()
}

/// Go's Perl classes with ASCII meaning; `None` if `c` is not one. Inside brackets the result is
/// a list of members (or a nested negated class) rather than a bracket expression.
fn perl_class(c: char, in_class: bool) -> Option<String> {
    let (members, negated) = match c {
        'd' => (r"0-9", false),
        'D' => (r"0-9", true),
        'w' => (r"0-9A-Za-z_", false),
        'W' => (r"0-9A-Za-z_", true),
        's' => (r"\t\n\x0C\r\x20", false),
        'S' => (r"\t\n\x0C\r\x20", true),
        _ => return None,
    };
    Some(match (in_class, negated) {
        (true, false) => members.to_owned(),
        (_, true) => format!("[^{members}]"),
        (false, false) => format!("[{members}]"),
    })
}

fn is_posix_class(name: &str) -> bool {
    const NAMES: [&str; 14] = [
        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
        "space", "upper", "word", "xdigit",
    ];
    let inner = &name[2..name.len() - 2];
    let inner = inner.strip_prefix('^').unwrap_or(inner);
    NAMES.contains(&inner)
}

/// Go's `parseUnicodeClass` for `\p`/`\P` at the start of `s`: the Rust class and bytes
/// consumed, `None` if `s` does not start with `\p` or `\P`.
fn unicode_class(s: &str) -> Result<Option<(String, usize)>, Error> {
    let negated = if s.starts_with(r"\p") {
        false
    } else if s.starts_with(r"\P") {
        true
    } else {
        return Ok(None);
    };
    let after = &s[2..];
    let (seq_len, name) = match after.chars().next() {
        Some('{') => {
            let Some(end) = s.find('}') else {
                return Err(syntax(code::INVALID_CHAR_RANGE, s));
            };
            (end + 1, &s[3..end])
        }
        Some(c) => (2 + c.len_utf8(), &after[..c.len_utf8()]),
        None => (2, ""),
    };
    let seq = &s[..seq_len];
    let (negated, name) = match name.strip_prefix('^') {
        Some(n) => (!negated, n),
        None => (negated, name),
    };
    let resolved = resolve_property(name).ok_or_else(|| syntax(code::INVALID_CHAR_RANGE, seq))?;
    let p = if negated { 'P' } else { 'p' };
    Ok(Some((format!("\\{p}{{{resolved}}}"), seq_len)))
}

/// The Rust spelling of Go's Unicode class `name`: a special name, a general category, or a
/// script (Go looks up Script, where Rust's bare names would mean Script_Extensions).
fn resolve_property(name: &str) -> Option<String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ' ' | '-'))
    {
        return None;
    }
    let loose: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | ' ' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if matches!(loose.as_str(), "any" | "ascii" | "assigned") {
        return Some(loose);
    }
    ["gc", "sc"]
        .iter()
        .map(|kind| format!("{kind}={name}"))
        .find(|candidate| Regex::new(&format!("\\p{{{candidate}}}")).is_ok())
}

/// Go's `parseRepeat` on text starting with `{`: `(min, max, bytes)` with `max` = `min` for
/// `{n}` and -1 for `{n,}`; a count that overflows Go's parse makes `min` -1. `None` when the
/// text is not a repeat (then `{` is a literal).
fn parse_repeat(s: &str) -> Option<(i64, i64, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let (mut min, len) = parse_int(&b[i..])?;
    i += len;
    let max = if *b.get(i)? == b',' {
        i += 1;
        if *b.get(i)? == b'}' {
            -1
        } else {
            let (max, len) = parse_int(&b[i..])?;
            i += len;
            if max < 0 {
                min = -1;
            }
            max
        }
    } else {
        min
    };
    if *b.get(i)? != b'}' {
        return None;
    }
    Some((min, max, i + 1))
}

/// Go's `parseInt` for repeat counts: digits without a leading zero; the value is -1 from 1e8 on
/// (Go's overflow guard). `None` when there is no valid number.
fn parse_int(b: &[u8]) -> Option<(i64, usize)> {
    let len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if len == 0 || (len >= 2 && b[0] == b'0') {
        return None;
    }
    let mut n: i64 = 0;
    for &d in &b[..len] {
        if n >= 100_000_000 {
            return Some((-1, len));
        }
        n = n * 10 + i64::from(d - b'0');
    }
    Some((n, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(pattern: &str, template: &str, haystack: &str) -> String {
        compile(pattern).unwrap().replace_all(haystack, template)
    }

    // ESO utils_test.go TestRewrite regexp vectors (TV05).

    #[test]
    fn tv05_regexp_vectors() {
        assert_eq!(
            replace("^my/initial/path/", "", "my/initial/path/foo"),
            "foo"
        );
        assert_eq!(replace("f(.*)o", "a_new_path_$1", "foo"), "a_new_path_o");
        assert_eq!(
            replace("f(.*)o", "a_new_path_$1", "foodaloo"),
            "a_new_path_oodalo"
        );
        let named = "f(?P<content>.*)o";
        assert_eq!(
            replace(named, "a_new_path_${content}_${1}", "foo"),
            "a_new_path_o_o"
        );
        assert_eq!(
            replace(named, "a_new_path_${content}_${1}", "floo"),
            "a_new_path_lo_lo"
        );
        assert_eq!(
            replace("my/(.*?)/bar/(.*)", "$1-$2", "my/app/bar/key"),
            "app-key"
        );
        assert_eq!(replace("-", "_", "app-key"), "app_key");
        assert_eq!(replace("ass", "***", "app_password"), "app_p***word");
        assert_eq!(replace("hello", "world", "foo"), "foo");
    }

    #[test]
    fn expansion_differs_from_rust_where_go_differs() {
        // Rust's own `replace_all` reads these four differently (group 1, literal `$é`, group
        // `a-b`, group ` 1 `); Go's rules apply here.
        assert_eq!(replace("(a)", "[$01]", "a"), "[]");
        assert_eq!(replace("(a)", "[$é]", "a"), "[]");
        assert_eq!(replace("(a)", "[${a-b}]", "a"), "[${a-b}]");
        assert_eq!(replace("(a)", "[${ 1 }]", "a"), "[${ 1 }]");
    }

    #[test]
    fn short_named_group_form_of_go_1_22() {
        assert_eq!(replace("(?<n>a)(?<1x>b)", "$n-$1x-$2", "ab"), "a-b-b");
        let re = compile("(?<n>a)(b)").unwrap();
        assert_eq!(re.subexp_names(), [None, Some("n".to_owned()), None]);
    }

    #[test]
    fn perl_classes_are_ascii_like_go() {
        let re = compile(r"^[\w.-]+$").unwrap();
        assert!(re.is_match("a.b-c_1"));
        assert!(!re.is_match("é"));
        assert!(!compile(r"\d").unwrap().is_match("٣"));
        assert!(!compile(r"\s").unwrap().is_match("\u{b}"));
        assert!(compile(r"\s").unwrap().is_match("\u{c}"));
    }

    #[test]
    fn deep_nesting_fails_cleanly() {
        let deep = "(".repeat(300) + &")".repeat(300);
        assert!(matches!(compile(&deep), Err(Error::Unsupported(_))));
    }

    /// Pattern, template, haystack and Go 1.19's `ReplaceAllString` result or compile error,
    /// recorded from Go (the regexp package is unchanged since in what these cover, except that
    /// Go 1.22 added the `(?<name>` form tested separately).
    #[rustfmt::skip]
    const GO_CASES: &[(&str, &str, &str, Result<&str, &str>)] = &[
        ("^my/initial/path/", "", "my/initial/path/foo", Ok("foo")),
        ("f(.*)o", "a_new_path_$1", "foodaloo", Ok("a_new_path_oodalo")),
        ("f(?P<content>.*)o", "a_new_path_${content}_${1}", "floo", Ok("a_new_path_lo_lo")),
        ("my/(.*?)/bar/(.*)", "$1-$2", "my/app/bar/password", Ok("app-password")),
        ("-", "_", "a-b-c", Ok("a_b_c")),
        ("ass", "***", "password", Ok("p***word")),
        ("hello", "world", "foo", Ok("foo")),
        ("(.*)", "new-$1", "foo", Ok("new-foo")),
        ("(.*)", "$1", "foo/bar", Ok("foo/bar")),
        ("db/(.*)", "$1", "db/a", Ok("a")),
        ("a*", "X", "baaac", Ok("XbXcX")),
        ("", "-", "abc", Ok("-a-b-c-")),
        ("a|", "-", "bab", Ok("-b-b-")),
        ("(a)(b)?", "[$2|$1|$3|$0|$$|$x|${1}x|$1x|${}|$|${1|$10]", "abab", Ok("[b|a||ab|$||ax||${}|$|${1|][b|a||ab|$||ax||${}|$|${1|]")),
        ("(?P<1x>a)", "[$1x|${1x}|$1]", "aa", Ok("[a|a|a][a|a|a]")),
        ("(?P<a>x)(?P<a>y)?", "[$a]", "x", Ok("[x]")),
        ("(?P<a>x)?(?P<a>y)", "[$a]", "y", Ok("[y]")),
        ("\\d+", "#", "a1٣2", Ok("a#٣#")),
        ("\\w+", "#", "héllo wörld", Ok("#é# #ö#")),
        ("\\s", "_", "a\tb\u{a0}c\u{b}d", Ok("a_b\u{a0}c\u{b}d")),
        ("\\bfoo\\b", "X", "foo éfoo foo_ xfoo", Ok("X éX foo_ xfoo")),
        ("\\Bo", "0", "foo o", Ok("f00 o")),
        ("[\\w.-]+", "<$0>", "a.b-c_é/d", Ok("<a.b-c_>é/<d>")),
        ("[\\W]", "_", "a.b", Ok("a_b")),
        ("[\\S]", "_", "a b", Ok("_ _")),
        ("[^\\d]", "_", "a1", Ok("_1")),
        ("\\Qa.b\\E", "X", "a.b axb", Ok("X axb")),
        ("\\Qa.b", "X", "a.b", Ok("X")),
        ("\\<", "X", "a<b", Ok("aXb")),
        ("[\\<&&~-]", "X", "<&~-a", Ok("XXXXa")),
        ("a{,3}", "X", "a{,3}", Ok("X")),
        ("a{2}{3}", "X", "aaaaaa", Err("error parsing regexp: invalid nested repetition operator: `{2}{3}`")),
        ("a**", "X", "a", Err("error parsing regexp: invalid nested repetition operator: `**`")),
        ("a{1001}", "X", "a", Err("error parsing regexp: invalid repeat count: `{1001}`")),
        ("a{1000}", "X", "a", Ok("a")),
        ("(a{500}){3}", "X", "a", Err("error parsing regexp: invalid repeat count: `{3}`")),
        ("(a{500}){2}", "X", "a", Ok("a")),
        ("((a{10}){10}){10}", "X", "a", Ok("a")),
        ("((a{10}){10}){11}", "X", "a", Err("error parsing regexp: invalid repeat count: `{11}`")),
        ("(a{500}){0}{3}", "X", "a", Err("error parsing regexp: invalid nested repetition operator: `{0}{3}`")),
        ("\\Z", "X", "a", Err("error parsing regexp: invalid escape sequence: `\\Z`")),
        ("\\z", "X", "a", Ok("aX")),
        ("\\C", "X", "a", Err("error parsing regexp: invalid escape sequence: `\\C`")),
        ("\\e", "X", "a", Err("error parsing regexp: invalid escape sequence: `\\e`")),
        ("\\u0041", "X", "A", Err("error parsing regexp: invalid escape sequence: `\\u`")),
        ("\\1", "X", "a", Err("error parsing regexp: invalid escape sequence: `\\1`")),
        ("\\12", "X", "a\nb", Ok("aXb")),
        ("\\0", "X", "a\u{0}b", Ok("aXb")),
        ("\\8", "X", "8", Err("error parsing regexp: invalid escape sequence: `\\8`")),
        ("\\x41", "X", "A", Ok("X")),
        ("\\x{41}", "X", "A", Ok("X")),
        ("\\x{110000}", "X", "A", Err("error parsing regexp: invalid escape sequence: `\\x{110000`")),
        ("\\x{}", "X", "A", Err("error parsing regexp: invalid escape sequence: `\\x{}`")),
        ("\\x{zz}", "X", "A", Err("error parsing regexp: invalid escape sequence: `\\x{z`")),
        ("\\x4", "X", "A", Err("error parsing regexp: invalid escape sequence: `\\x4`")),
        ("\\x", "X", "A", Err("error parsing regexp: invalid escape sequence: `\\x`")),
        ("(?i)k", "X", "kKK", Ok("XXX")),
        ("(?i)\\w", "X", "kKKſs", Ok("XXXXX")),
        ("(?x)a b", "X", "ab", Err("error parsing regexp: invalid or unsupported Perl syntax: `(?x`")),
        ("(?U)a+", "X", "aaa", Ok("XXX")),
        ("(?ii)a", "X", "A", Ok("X")),
        ("(?i-i)a", "X", "Aa", Ok("AX")),
        ("(?)a", "X", "a", Ok("X")),
        ("(?-)a", "X", "a", Err("error parsing regexp: invalid or unsupported Perl syntax: `(?-)`")),
        ("(?i-)a", "X", "a", Err("error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`")),
        ("(?P=n)", "X", "a", Err("error parsing regexp: invalid or unsupported Perl syntax: `(?P`")),
        ("(?=a)", "X", "a", Err("error parsing regexp: invalid or unsupported Perl syntax: `(?=`")),
        ("(?'n'a)", "X", "a", Err("error parsing regexp: invalid or unsupported Perl syntax: `(?'`")),
        ("(?P<n!>a)", "X", "a", Err("error parsing regexp: invalid named capture: `(?P<n!>`")),
        ("(?P<>a)", "X", "a", Err("error parsing regexp: invalid named capture: `(?P<>`")),
        ("(?P<n", "X", "a", Err("error parsing regexp: invalid named capture: `(?P<n`")),
        ("(a", "X", "a", Err("error parsing regexp: missing closing ): `(a`")),
        ("a)", "X", "a", Err("error parsing regexp: unexpected ): `a)`")),
        ("[a", "X", "a", Err("error parsing regexp: missing closing ]: `[a`")),
        ("[]a]", "X", "]a", Ok("XX")),
        ("[^]a]", "X", "]ab", Ok("]aX")),
        ("[a-]", "X", "a-", Ok("XX")),
        ("[z-a]", "X", "a", Err("error parsing regexp: invalid character class range: `z-a`")),
        ("[[:alpha:]]", "X", "a1", Ok("X1")),
        ("[[:foo:]]", "X", "a", Err("error parsing regexp: invalid character class range: `[:foo:]`")),
        ("[[:^digit:]x]", "X", "a1x", Ok("X1X")),
        ("[\\d-z]", "X", "1-z", Ok("XXX")),
        ("[a-\\d]", "X", "a", Err("error parsing regexp: invalid escape sequence: `\\d`")),
        ("\\pL", "X", "aé1", Ok("XX1")),
        ("\\p{Greek}", "X", "aα", Ok("aX")),
        ("\\p{^Greek}", "X", "aα", Ok("Xα")),
        ("\\PL", "X", "a1", Ok("aX")),
        ("\\p{Foo}", "X", "a", Err("error parsing regexp: invalid character class range: `\\p{Foo}`")),
        ("\\p", "X", "a", Err("error parsing regexp: invalid character class range: `\\p`")),
        ("\\p{L", "X", "a", Err("error parsing regexp: invalid character class range: `\\p{L`")),
        ("[\\p{Lu}]", "X", "aB", Ok("aX")),
        ("\\pN+", "X", "a123", Ok("aX")),
        ("*", "X", "a", Err("error parsing regexp: missing argument to repetition operator: `*`")),
        ("a|*", "X", "a", Err("error parsing regexp: missing argument to repetition operator: `*`")),
        ("(*)", "X", "a", Err("error parsing regexp: missing argument to repetition operator: `*`")),
        ("^*", "X", "a", Ok("XaX")),
        ("$*", "X", "a", Ok("XaX")),
        ("\\b*", "X", "a", Ok("XaX")),
        ("a*(?i)*", "X", "aa", Ok("X")),
        ("(?i)*", "X", "a", Err("error parsing regexp: missing argument to repetition operator: `*`")),
        ("x{2}?", "X", "xxx", Ok("Xx")),
        ("x{2,}?", "X", "xxx", Ok("Xx")),
        ("x{2,3}", "X", "xxxx", Ok("Xx")),
        ("x{3,2}", "X", "x", Err("error parsing regexp: invalid repeat count: `{3,2}`")),
        ("x{01}", "X", "x{01}", Ok("X")),
        ("\\", "X", "a", Err("error parsing regexp: trailing backslash at end of expression: ``")),
        ("a\\\\", "X", "a\\", Ok("X")),
        ("[\\b]", "X", "a", Err("error parsing regexp: invalid escape sequence: `\\b`")),
        ("\\.", "X", "a.b", Ok("aXb")),
        ("\\_", "X", "_", Ok("X")),
        ("\\%", "X", "%", Ok("X")),
        ("\\ ", "X", " ", Ok("X")),
        ("a#b", "X", "a#b", Ok("X")),
        ("a&b", "X", "a&b", Ok("X")),
        (".", "X", "a\nb", Ok("X\nX")),
        ("(?s).", "X", "a\nb", Ok("XXX")),
        ("(?m)^a$", "X", "a\na", Ok("X\nX")),
        ("^a$", "X", "a\na", Ok("a\na")),
        ("$", "X", "a\n", Ok("a\nX")),
        ("x*", "-", "aéb", Ok("-a-é-b-")),
        ("(?:)", "-", "é", Ok("-é-")),
        ("\\B", "-", "éa b", Ok("-éa b")),
        ("\\b", "-", "éa b", Ok("é-a- -b-")),
        ("a", "$", "a", Ok("$")),
        ("(a)", "$1$", "a", Ok("a$")),
        ("(a)", "${1", "a", Ok("${1")),
        ("(a)", "$é", "a", Ok("")),
        ("(?P<é>a)", "X", "a", Err("error parsing regexp: invalid named capture: `(?P<é>`")),
        ("(a)", "$01", "a", Ok("")),
        ("(a)", "$00", "a", Ok("")),
        ("(a)", "$0", "a", Ok("a")),
        ("((((((((((a))))))))))", "$10", "a", Ok("a")),
        ("[^\\x00-\\x{10FFFF}]", "X", "abc", Ok("abc")),
        ("[\\x{D800}-\\x{E000}]", "X", "a", Ok("aX")),
        ("\\x{D800}", "X", "a", Ok("a")),
        ("[^\\x{D800}]", "X", "ab", Ok("XX")),
        ("[[]", "X", "[a", Ok("Xa")),
        ("[a[]", "X", "[a", Ok("XX")),
        ("[&&]", "X", "&", Ok("X")),
        ("[~~]", "X", "~", Ok("X")),
        ("[a--]", "X", "a-", Err("error parsing regexp: invalid character class range: `a--`")),
        ("[%--]", "X", "%-+", Ok("XXX")),
        ("a{", "X", "a{", Ok("X")),
        ("a{1", "X", "a{1", Ok("X")),
        ("a{1,", "X", "a{1,", Ok("X")),
        ("{", "X", "{", Ok("X")),
        ("}", "X", "}", Ok("X")),
        ("{2}", "X", "a", Err("error parsing regexp: missing argument to repetition operator: `{2}`")),
        ("a{100000000}", "X", "a", Err("error parsing regexp: invalid repeat count: `{100000000}`")),
        ("a{99999999}", "X", "a", Err("error parsing regexp: invalid repeat count: `{99999999}`")),
    ];

    #[test]
    fn matches_go_on_recorded_cases() {
        for (pattern, template, haystack, want) in GO_CASES {
            let got = compile(pattern)
                .map(|re| re.replace_all(haystack, template))
                .map_err(|e| e.to_string());
            let want = want.map(str::to_owned).map_err(str::to_owned);
            assert_eq!(got, want, "{pattern:?} {template:?} {haystack:?}");
        }
    }
}
