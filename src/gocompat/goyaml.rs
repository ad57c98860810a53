//! The YAML text `gopkg.in/yaml.v2` (v2.4, as forked into `go.yaml.in/yaml/v2`) writes for a
//! JSON value, which is what ESO's `toYaml` returns (before trimming the final newline).
//!
//! ESO's `toYaml` is `sigs.k8s.io/yaml` `Marshal`: Go's `json.Marshal`, then `JSONToYAML`, which
//! decodes that JSON text with yaml.v2 into `interface{}` and marshals the result with yaml.v2.
//! [`marshal`] reproduces the last two steps for a `serde_json::Value`:
//!
//! * **Decoding.** JSON strings are quoted scalars, so they stay strings. Numbers are plain
//!   scalars and resolve as yaml.v2 resolves them: an integer that fits `int64` or `uint64` stays
//!   an integer, anything else becomes a float64 (an integer beyond `uint64` included). Object key
//!   order is lost: yaml.v2 sorts map keys with its own natural ordering (`sorter.go`: digit runs
//!   compare by value, non-letters sort before letters).
//! * **Encoding.** `encode.go` picks each string's style: literal (`|`) when it contains `\n`,
//!   plain when the plain text would read back as a string (not a bool such as `yes` or `on`,
//!   not null, int, float, timestamp, or base-60 float), else double-quoted. The emitter
//!   (`emitterc.go`, a port of libyaml) may then override that choice — plain becomes
//!   single-quoted when indicators or leading/trailing spaces forbid it, single-quoted and
//!   literal become double-quoted when the text has characters YAML cannot print (tabs, C0/C1
//!   controls, characters outside the BMP, U+FEFF) — and folds plain and quoted scalars at
//!   spaces past column 80. Floats print like `strconv.FormatFloat(f, 'g', -1, 64)`.
//!
//! Layout is yaml.v2's block style: 2-space indentation, sequences inside mappings not indented
//! (`a:\n- 1`), `- - 1` for nested sequences, `{}` / `[]` for empty containers, `? key` for keys
//! longer than 128 bytes or spanning lines.
//!
//! Must not: panic on any input, recurse on input nesting (an explicit stack is kept), or put any
//! byte of the input in an error.

use serde_json::{Number, Value};

use crate::gocompat::json::{format_float_g, format_float_json};
use crate::gocompat::unicode::{is_digit, is_letter};

/// yaml.v2's scanner refuses flow collections nested deeper than this (`max_flow_level`), so
/// `JSONToYAML` fails on such JSON.
const MAX_DEPTH: usize = 10_000;

/// libyaml's default preferred line width, used by yaml.v2 unless line wrapping is disabled.
const BEST_WIDTH: usize = 80;

/// libyaml's default indentation step.
const BEST_INDENT: i64 = 2;

/// Longest key (in bytes) the emitter writes as a simple `key: value` pair.
const MAX_SIMPLE_KEY: usize = 128;

/// yaml.v2's `Marshal` output for the value that `yaml.Unmarshal` makes of `v`'s JSON text.
///
/// Errors (without any input bytes) when yaml.v2 would: nesting deeper than 10000 containers,
/// or a float Go's JSON encoder cannot write.
pub fn marshal(v: &Value) -> Result<String, String> {
    let mut em = Emitter::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    em.begin_node(v, Context::ROOT, &mut stack)?;
    while let Some(frame) = stack.last_mut() {
        match frame {
            Frame::Seq(items) => match items.next() {
                Some(item) => {
                    em.write_indent();
                    em.write_indicator("-", true, false, true);
                    em.begin_node(item, Context::SEQUENCE, &mut stack)?;
                }
                None => {
                    em.pop_indent();
                    stack.pop();
                }
            },
            Frame::Map(entries) => match entries.pop() {
                Some((key, value)) => {
                    check_text(key)?;
                    em.write_indent();
                    let key_style = string_style(key);
                    let analysis = Analysis::of(key, false);
                    if !analysis.multiline && key.len() <= MAX_SIMPLE_KEY {
                        em.emit_scalar(key, key_style, Context::SIMPLE_KEY);
                        em.write_indicator(":", false, false, false);
                    } else {
                        em.write_indicator("?", true, false, true);
                        em.emit_scalar(key, key_style, Context::MAPPING);
                        em.write_indent();
                        em.write_indicator(":", true, false, true);
                    }
                    em.begin_node(value, Context::MAPPING, &mut stack)?;
                }
                None => {
                    em.pop_indent();
                    stack.pop();
                }
            },
        }
    }
    // Document end (implicit): finish the last line.
    em.write_indent();
    Ok(em.out)
}

/// A block collection being written. Map entries are kept in reverse order so `pop` yields the
/// next one.
enum Frame<'a> {
    Seq(std::slice::Iter<'a, Value>),
    Map(Vec<(&'a str, &'a Value)>),
}

/// The emitter's node context flags that matter for the output.
#[derive(Clone, Copy)]
struct Context {
    mapping: bool,
    simple_key: bool,
}

impl Context {
    const ROOT: Context = Context {
        mapping: false,
        simple_key: false,
    };
    const SEQUENCE: Context = Context {
        mapping: false,
        simple_key: false,
    };
    const MAPPING: Context = Context {
        mapping: true,
        simple_key: false,
    };
    const SIMPLE_KEY: Context = Context {
        mapping: true,
        simple_key: true,
    };
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// The subset of libyaml's emitter state this output needs (flow level is always 0 outside the
/// empty `[]` / `{}`, there are no tags or anchors, and the document is implicit).
struct Emitter {
    out: String,
    column: usize,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
}

impl Emitter {
    fn new() -> Emitter {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        if let Some(indent) = self.indents.pop() {
            self.indent = indent;
        }
    }

    /// Starts writing `v`: scalars and empty collections are written at once, block collections
    /// are pushed on `stack` for the caller's loop.
    fn begin_node<'a>(
        &mut self,
        v: &'a Value,
        ctx: Context,
        stack: &mut Vec<Frame<'a>>,
    ) -> Result<(), String> {
        match v {
            Value::Null => self.emit_scalar("null", Style::Plain, ctx),
            Value::Bool(b) => {
                self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain, ctx)
            }
            Value::Number(n) => {
                let text = number_text(n)?;
                self.emit_scalar(&text, Style::Plain, ctx);
            }
            Value::String(s) => {
                check_text(s)?;
                self.emit_scalar(s, string_style(s), ctx);
            }
            Value::Array(items) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep());
                }
                if items.is_empty() {
                    self.write_indicator("[", true, true, false);
                    self.write_indicator("]", false, false, false);
                } else {
                    self.increase_indent(false, ctx.mapping && !self.indention);
                    stack.push(Frame::Seq(items.iter()));
                }
            }
            Value::Object(map) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep());
                }
                if map.is_empty() {
                    self.write_indicator("{", true, true, false);
                    self.write_indicator("}", false, false, false);
                } else {
                    self.increase_indent(false, false);
                    let mut entries: Vec<(&str, &Value)> =
                        map.iter().map(|(k, v)| (k.as_str(), v)).collect();
                    sort_keys(&mut entries);
                    entries.reverse();
                    stack.push(Frame::Map(entries));
                }
            }
        }
        Ok(())
    }

    /// `yaml_emitter_emit_scalar`: settle the style, then write the scalar one indentation step in.
    fn emit_scalar(&mut self, value: &str, requested: Style, ctx: Context) {
        let chars: Vec<char> = value.chars().collect();
        let a = Analysis::of(value, false);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (chars.is_empty() && ctx.simple_key))
        {
            style = Style::SingleQuoted;
        }
        if style == Style::SingleQuoted && !a.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!a.block_allowed || ctx.simple_key) {
            style = Style::DoubleQuoted;
        }
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(&chars, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(&chars, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(&chars, allow_breaks),
            Style::Literal => self.write_literal(&chars),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &[char], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && value.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let n = value.len();
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < n
                    && value.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        // libyaml's `is_bom` looks at the start of the value, not the current character, so a
        // value starting with U+FEFF has every character escaped.
        let bom = value.first() == Some(&'\u{feff}');
        let mut spaces = false;
        let n = value.len();
        for (i, &c) in value.iter().enumerate() {
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
                escape(c, |ch| self.put(ch));
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < n {
                    self.write_indent();
                    if value.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &[char]) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts with a space or a
        // break, then the chomping indicator.
        if value.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator("2", false, false, false);
        }
        let chomp = match value {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., before, _] if is_break(*before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in value {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// Characters of Go's JSON text that yaml.v2's parser does not take back unchanged.
///
/// Go's JSON encoder writes DEL, the C1 controls and U+FFFE / U+FFFF as they are, and yaml.v2's
/// reader rejects them. It also writes NEL (U+0085) as it is, which YAML reads as a line break
/// inside the quoted scalar (folding it, or failing in a key); that case is not reproduced.
fn check_text(s: &str) -> Result<(), String> {
    for c in s.chars() {
        match c {
            '\u{85}' => {
                return Err("yaml: U+0085 (NEL) in a string is not supported".to_string());
            }
            '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {
                return Err("yaml: control characters are not allowed".to_string());
            }
            _ => {}
        }
    }
    Ok(())
}

fn too_deep() -> String {
    format!("yaml: exceeded max depth of {MAX_DEPTH}")
}

/// The plain scalar yaml.v2 writes for a number that went through Go's JSON text: integers
/// that fit `int64` / `uint64` as integers, everything else as a float64 in `%g` form.
fn number_text(n: &Number) -> Result<String, String> {
    if let Some(i) = n.as_i64() {
        return Ok(i.to_string());
    }
    if let Some(u) = n.as_u64() {
        return Ok(u.to_string());
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    let text = format_float_json(f)
        .ok_or_else(|| "json: unsupported value: NaN or infinite float".to_string())?;
    // Go's JSON writes an integral float below 1e21 without a point or exponent; yaml.v2 then
    // reads it back as an integer when it fits.
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(i) = text.parse::<i64>() {
            return Ok(i.to_string());
        }
        if let Ok(u) = text.parse::<u64>() {
            return Ok(u.to_string());
        }
    }
    Ok(format_float_g(f))
}

// ---------------------------------------------------------------------------------------------
// Scalar analysis (`yaml_emitter_analyze_scalar`)

/// What libyaml's `yaml_emitter_analyze_scalar` finds out about a string (block context): the
/// styles its text allows. Shared by [`marshal`] (yaml.v2) and eso-render's own YAML output,
/// which must match go-yaml v3 (what sops writes).
pub(crate) struct Analysis {
    pub(crate) multiline: bool,
    pub(crate) block_plain_allowed: bool,
    pub(crate) single_quoted_allowed: bool,
    pub(crate) block_allowed: bool,
}

impl Analysis {
    /// `v3`: go-yaml v3's analysis, where a tab rules out plain and single-quoted text but not
    /// a literal block; in yaml.v2 a tab is a special character like any other.
    pub(crate) fn of(value: &str, v3: bool) -> Analysis {
        if value.is_empty() {
            return Analysis {
                multiline: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let mut block_indicators = value.starts_with("---") || value.starts_with("...");
        let (mut line_breaks, mut special_characters, mut tabs) = (false, false, false);
        let (mut leading_space, mut leading_break) = (false, false);
        let (mut trailing_space, mut trailing_break) = (false, false);
        let (mut break_space, mut space_break) = (false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let mut preceded_by_whitespace = true;
        // Walked without copying the text: it may be a secret value.
        let mut chars = value.chars().peekable();
        let mut first = true;
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            let last = next.is_none();
            let followed_by_whitespace = matches!(next, None | Some(' ' | '\t'));
            if first {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\''
                    | '"' | '%' | '@' | '`' => block_indicators = true,
                    '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                    _ => {}
                }
            } else {
                match c {
                    ':' if followed_by_whitespace => block_indicators = true,
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if v3 && c == '\t' {
                tabs = true;
            } else if !is_printable(c) {
                special_characters = true;
            }
            if c == ' ' {
                leading_space |= first;
                trailing_space |= last;
                break_space |= previous_break;
                (previous_space, previous_break) = (true, false);
            } else if is_break(c) {
                line_breaks = true;
                leading_break |= first;
                trailing_break |= last;
                space_break |= previous_space;
                (previous_space, previous_break) = (false, true);
            } else {
                (previous_space, previous_break) = (false, false);
            }
            preceded_by_whitespace = c == ' ' || c == '\t' || c == '\0' || is_break(c);
            first = false;
        }
        let edges = leading_space || leading_break || trailing_space || trailing_break;
        Analysis {
            multiline: line_breaks,
            block_plain_allowed: !(edges
                || break_space
                || space_break
                || tabs
                || special_characters
                || line_breaks
                || block_indicators),
            single_quoted_allowed: !(break_space || space_break || tabs || special_characters),
            block_allowed: !(trailing_space || space_break || special_characters),
        }
    }
}

/// libyaml's escape of one character inside double quotes (`\n`, `\x85`…), handed to `put` a
/// character at a time.
pub(crate) fn escape(c: char, mut put: impl FnMut(char)) {
    put('\\');
    let short = match c {
        '\0' => '0',
        '\u{7}' => 'a',
        '\u{8}' => 'b',
        '\t' => 't',
        '\n' => 'n',
        '\u{b}' => 'v',
        '\u{c}' => 'f',
        '\r' => 'r',
        '\u{1b}' => 'e',
        '"' => '"',
        '\\' => '\\',
        '\u{85}' => 'N',
        '\u{a0}' => '_',
        '\u{2028}' => 'L',
        '\u{2029}' => 'P',
        _ => {
            let v = c as u32;
            let (marker, digits) = match v {
                0..=0xFF => ('x', 2),
                0x100..=0xFFFF => ('u', 4),
                _ => ('U', 8),
            };
            put(marker);
            for k in (0..digits).rev() {
                let digit = (v >> (4 * k)) & 0xF;
                put(char::from_digit(digit, 16).map_or('0', |d| d.to_ascii_uppercase()));
            }
            return;
        }
    };
    put(short);
}

/// libyaml's `is_printable` (the emitter runs with unicode output on): LF, printable ASCII, and
/// the BMP from U+00A0 except surrogates, U+FEFF, U+FFFE and U+FFFF. Nothing beyond the BMP.
pub(crate) fn is_printable(c: char) -> bool {
    matches!(c as u32, 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD) && c != '\u{feff}'
}

/// libyaml's `is_break`: CR, LF, NEL, LS, PS.
pub(crate) fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

// ---------------------------------------------------------------------------------------------
// String style (`encoder.stringv`) and plain-scalar resolution (`resolve.go`)

fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolves_to_str(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    }
}

/// Plain scalars yaml.v2 looks up by name: YAML 1.1 booleans, nulls, special floats, merge.
const RESOLVE_NAMES: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No",
    "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan",
    ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    "<<",
];

/// Whether yaml.v2's `resolve("", s)` gives `!!str`, i.e. `s` may be written plain as far as
/// the encoder is concerned.
fn resolves_to_str(s: &str) -> bool {
    let b = s.as_bytes();
    let hint = match b.first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return true,
    };
    if RESOLVE_NAMES.contains(&s) {
        return false;
    }
    match hint {
        b'.' => !go_parse_float_ok(s),
        b'D' | b'S' => {
            if is_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain, 0) || go_parse_uint(&plain, 0) {
                return false;
            }
            if is_yaml_style_float(&plain) && decimal_in_range(&plain) {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if go_parse_int(rest, 2) || go_parse_uint(rest, 2) {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b")
                && go_parse_int(&format!("-{rest}"), 2)
            {
                return false;
            }
            true
        }
        _ => true,
    }
}

/// Go `strconv.ParseUint(s, base, 64)` succeeds (base 0 or 2; `s` has no underscores when
/// base is 0, as yaml.v2 strips them first).
fn go_parse_uint(s: &str, base: u32) -> bool {
    parse_uint_value(s, base).is_some()
}

/// Go `strconv.ParseUint(s, base, 64)`: the value, where Go succeeds.
pub(crate) fn parse_uint_value(s: &str, base: u32) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (digits, radix) = if base == 0 {
        if b[0] == b'0' {
            match b.get(1).map(u8::to_ascii_lowercase) {
                Some(b'b') if b.len() >= 3 => (&s[2..], 2),
                Some(b'o') if b.len() >= 3 => (&s[2..], 8),
                Some(b'x') if b.len() >= 3 => (&s[2..], 16),
                _ => (&s[1..], 8),
            }
        } else {
            (s, 10)
        }
    } else {
        (s, base)
    };
    let mut n: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        n = n.checked_mul(u64::from(radix))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// Go `strconv.ParseInt(s, base, 64)` succeeds.
fn go_parse_int(s: &str, base: u32) -> bool {
    parse_int_value(s, base).is_some()
}

/// Go `strconv.ParseInt(s, base, 64)`: the value, where Go succeeds.
pub(crate) fn parse_int_value(s: &str, base: u32) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_value(rest, base)?;
    if neg {
        0i64.checked_sub_unsigned(u)
    } else {
        i64::try_from(u).ok()
    }
}

/// yaml.v2's (and v3's) `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
pub(crate) fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Whether a decimal float text (digits, one optional point, optional exponent, no
/// underscores) is within float64 range, as Go's `ParseFloat` reports no range error.
fn decimal_in_range(s: &str) -> bool {
    let (sign, body) = match s.as_bytes().first() {
        Some(b'+' | b'-') => (&s[..1], &s[1..]),
        _ => ("", s),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(p) => (&body[..p], &body[p..]),
        None => (body, ""),
    };
    let mut text = String::from(sign);
    if mantissa.starts_with('.') {
        text.push('0');
    }
    text.push_str(mantissa);
    if mantissa.ends_with('.') {
        text.push('0');
    }
    text.push_str(exponent);
    text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Go `strconv.ParseFloat(s, 64)` succeeds, for `s` starting with `.`: a decimal mantissa with
/// at least one digit, an optional exponent, underscores only between digits, no overflow.
fn go_parse_float_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let mut saw_digits = false;
    let mut saw_dot = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'.' if !saw_dot => saw_dot = true,
            b'0'..=b'9' => saw_digits = true,
            b'_' => {}
            _ => break,
        }
        i += 1;
    }
    if !saw_digits {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    if i != b.len() || !underscores_ok(b) {
        return false;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    decimal_in_range(&plain)
}

/// Go's `underscoreOK` for a decimal number: every `_` sits between two digits.
fn underscores_ok(b: &[u8]) -> bool {
    b.iter().enumerate().all(|(i, &c)| {
        c != b'_'
            || (i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

/// yaml.v2's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// yaml.v2's `parseTimestamp`: `s` parses with Go's `time.Parse` in one of the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999`, `2006-1-2`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let Some((year, month, day, rest)) = parse_date(b) else {
        return false;
    };
    if !day_valid(year, month, day) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    match rest[0] {
        b'T' | b't' => {
            let Some(rest) = parse_clock(&rest[1..]) else {
                return false;
            };
            parse_zone(rest)
        }
        b' ' => {
            let start = rest.iter().position(|&c| c != b' ').unwrap_or(rest.len());
            parse_clock(&rest[start..]).is_some_and(<[u8]>::is_empty)
        }
        _ => false,
    }
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(b: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = b.first().filter(|c| c.is_ascii_digit())?;
    match b.get(1).filter(|c| c.is_ascii_digit()) {
        Some(d1) => Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &b[2..])),
        None => Some((u32::from(d0 - b'0'), &b[1..])),
    }
}

fn parse_date(b: &[u8]) -> Option<(u32, u32, u32, &[u8])> {
    let year = b[..4]
        .iter()
        .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    let (month, rest) = getnum(&b[5..])?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let rest = rest.strip_prefix(b"-")?;
    let (day, rest) = getnum(rest)?;
    Some((year, month, day, rest))
}

fn day_valid(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day)
}

/// `15:4:5` with an optional fraction (`.` or `,` then digits); returns the rest.
fn parse_clock(b: &[u8]) -> Option<&[u8]> {
    let (hour, rest) = getnum(b)?;
    let rest = rest.strip_prefix(b":")?;
    let (minute, rest) = getnum(rest)?;
    let rest = rest.strip_prefix(b":")?;
    let (second, mut rest) = getnum(rest)?;
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    if rest.len() >= 2 && matches!(rest[0], b'.' | b',') && rest[1].is_ascii_digit() {
        let end = 1 + rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &rest[end..];
    }
    Some(rest)
}

/// `Z07:00`: `Z`, or `±hh:mm` with hh <= 24 and mm <= 60; nothing may follow.
fn parse_zone(b: &[u8]) -> bool {
    if b == b"Z" {
        return true;
    }
    b.len() == 6
        && matches!(b[0], b'+' | b'-')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && b[3] == b':'
        && b[4].is_ascii_digit()
        && b[5].is_ascii_digit()
        && (b[1] - b'0') * 10 + (b[2] - b'0') <= 24
        && (b[4] - b'0') * 10 + (b[5] - b'0') <= 60
}

// ---------------------------------------------------------------------------------------------
// Key order (`sorter.go`, `keyList.Less`, for string keys)

fn sort_keys(entries: &mut Vec<(&str, &Value)>) {
    let keyed: Vec<(Vec<char>, (&str, &Value))> = entries
        .drain(..)
        .map(|e| (e.0.chars().collect(), e))
        .collect();
    let sorted = merge_sort(keyed);
    entries.extend(sorted.into_iter().map(|(_, e)| e));
}

/// A stable merge sort on `key_less` that cannot panic even if the order is inconsistent.
fn merge_sort<T>(mut v: Vec<(Vec<char>, T)>) -> Vec<(Vec<char>, T)> {
    if v.len() <= 1 {
        return v;
    }
    let right = v.split_off(v.len() / 2);
    let left = merge_sort(v);
    let right = merge_sort(right);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_right = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => key_less(&r.0, &l.0),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        let next = if take_right {
            right.next()
        } else {
            left.next()
        };
        if let Some(item) = next {
            out.push(item);
        }
    }
    out
}

/// yaml.v2's `keyList.Less` for two string keys.
fn key_less(a: &[char], b: &[char]) -> bool {
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            continue;
        }
        let al = is_letter(a[i]);
        let bl = is_letter(b[i]);
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if a[i] == '0' || b[i] == '0' {
            for j in (0..i).rev() {
                if !is_digit(a[j]) {
                    break;
                }
                if a[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let run = |s: &[char], n: &mut i64| {
            let mut k = i;
            while k < s.len() && is_digit(s[k]) {
                *n = n
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(s[k] as i32 - '0' as i32));
                k += 1;
            }
            k
        };
        let ai = run(a, &mut an);
        let bi = run(b, &mut bn);
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (JSON text, yaml.v2 output). The outputs were produced by real yaml.v2 v2.4.0 (Debian's
    /// `golang-gopkg-yaml.v2-dev`) running `yaml.Unmarshal` then `yaml.Marshal` on Go's
    /// `json.Marshal` text of each input, as `sigs.k8s.io/yaml` does.
    const CASES: &[(&str, &str)] = &[
        (
            r#"{"m":{"n":{"o":[1,2,{"p":"q","r":[]}]}},"e":{},"l":[],"z":null}"#,
            "e: {}\nl: []\nm:\n  \"n\":\n    o:\n    - 1\n    - 2\n    - p: q\n      r: []\nz: null\n",
        ),
        (
            r#"[[1,2],[[3]],{"a":1,"b":[1,2]},[],{}]"#,
            "- - 1\n  - 2\n- - - 3\n- a: 1\n  b:\n  - 1\n  - 2\n- []\n- {}\n",
        ),
        (
            r#"{"a10":1,"a2":2,"B":3,"_x":4,"1":5,"a":6,"10":7,"9":8,"é":9}"#,
            "_x: 4\n\"1\": 5\n\"9\": 8\n\"10\": 7\nB: 3\na: 6\na2: 2\na10: 1\né: 9\n",
        ),
        (r#"{}"#, "{}\n"),
        (r#"[]"#, "[]\n"),
        (r#"null"#, "null\n"),
        (r#"true"#, "true\n"),
        (r#""plain""#, "plain\n"),
        (
            r#"{"b":[true,false],"i":[0,-5,9223372036854775807,-9223372036854775808,18446744073709551615]}"#,
            "b:\n- true\n- false\ni:\n- 0\n- -5\n- 9223372036854775807\n- -9223372036854775808\n- 18446744073709551615\n",
        ),
        (
            r#"{"f":[1.5,1e+21,1e-7,100,0.000001,1234567.5,100000000000000000000,-0]}"#,
            "f:\n- 1.5\n- 1e+21\n- 1e-07\n- 100\n- 1e-06\n- 1.2345675e+06\n- 1e+20\n- 0\n",
        ),
        (
            r#"["yes","No","on","null","~","123","1.5","1e3",".5",".inf","0x1F","08","1_000","1:20","2024-01-15","2024-01-15T10:00:00Z","2001-02-30","<<"]"#,
            "- \"yes\"\n- \"No\"\n- \"on\"\n- \"null\"\n- \"~\"\n- \"123\"\n- \"1.5\"\n- \"1e3\"\n- \".5\"\n- \".inf\"\n- \"0x1F\"\n- \"08\"\n- \"1_000\"\n- \"1:20\"\n- \"2024-01-15\"\n- \"2024-01-15T10:00:00Z\"\n- 2001-02-30\n- <<\n",
        ),
        (
            r##"{"k":["","- x","a: b","#x","a #x"," lead","trail ","@x","'q'","\"d\"","x\ty","é","😀","a\\b","---"]}"##,
            "k:\n- \"\"\n- '- x'\n- 'a: b'\n- '#x'\n- 'a #x'\n- ' lead'\n- 'trail '\n- '@x'\n- '''q'''\n- '\"d\"'\n- \"x\\ty\"\n- é\n- \"\\U0001F600\"\n- a\\b\n- '---'\n",
        ),
        (
            r#"{"": "empty key", "a: b": 1, "yes": 2}"#,
            "\"\": empty key\n'a: b': 1\n\"yes\": 2\n",
        ),
        (
            r#"{"s":["line1\nline2","line1\nline2\n","x\n\n","  indented\nnext","trail \nx","tab\tin\nlines"]}"#,
            "s:\n- |-\n  line1\n  line2\n- |\n  line1\n  line2\n- |+\n  x\n\n- |2-\n    indented\n  next\n- \"trail \\nx\"\n- \"tab\\tin\\nlines\"\n",
        ),
        (r#""root\nliteral""#, "|-\n  root\n  literal\n"),
        (
            r#"{"long":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.","nospace":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","quoted":"- Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt"}"#,
            "long: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n  incididunt ut labore et dolore magna aliqua.\nnospace: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nquoted: '- Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n  tempor incididunt'\n",
        ),
        (
            r#"{"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk":1,"multi\nline":[1]}"#,
            "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: 1\n? |-\n  multi\n  line\n: - 1\n",
        ),
        (
            r#"{"tls.crt":"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0w7zXh1E5X9TQm4pTn4E7yA0P0wCgYIKoZIzj0EAwIw\nDzENMAsGA1UEAwwEdGVzdDAeFw0yNDAxMDEwMDAwMDBaFw0zNDAxMDEwMDAwMDBa\n-----END CERTIFICATE-----\n","tls.key":"x"}"#,
            "tls.crt: |\n  -----BEGIN CERTIFICATE-----\n  MIIBszCCAVmgAwIBAgIUQ0w7zXh1E5X9TQm4pTn4E7yA0P0wCgYIKoZIzj0EAwIw\n  DzENMAsGA1UEAwwEdGVzdDAeFw0yNDAxMDEwMDAwMDBaFw0zNDAxMDEwMDAwMDBa\n  -----END CERTIFICATE-----\ntls.key: x\n",
        ),
    ];

    #[test]
    fn matches_yaml_v2() {
        for (input, expected) in CASES {
            let v: Value = serde_json::from_str(input).expect("test JSON parses");
            assert_eq!(marshal(&v).as_deref(), Ok(*expected), "input {input}");
        }
    }

    #[test]
    fn rejects_what_yaml_v2_rejects() {
        // Go's JSON writes DEL raw and yaml.v2's reader refuses it.
        assert!(marshal(&Value::String("a\u{7f}".into())).is_err());
        assert!(marshal(&serde_json::json!({"k\u{9f}": 1})).is_err());
        // Nesting: 10000 levels are accepted, 10001 are not (yaml.v2's max_flow_level).
        let nest = |depth: usize| {
            let mut v = Value::Array(Vec::new());
            for _ in 1..depth {
                v = Value::Array(vec![v]);
            }
            v
        };
        let ok = nest(MAX_DEPTH);
        assert!(marshal(&ok).is_ok());
        let deep = nest(MAX_DEPTH + 1);
        assert!(marshal(&deep).is_err());
        // Drop deep values without recursing too far on small test-thread stacks.
        for v in [ok, deep] {
            let mut cur = v;
            while let Value::Array(mut items) = cur {
                cur = items.pop().unwrap_or(Value::Null);
            }
        }
    }

    #[test]
    fn plain_resolution() {
        for s in [
            "yes",
            "Off",
            "~",
            "",
            "12",
            "+1",
            "-0x1F",
            "0o17",
            "0b101",
            "0b-1",
            "1e5",
            ".5_0",
            "1_0",
            "2024-1-5",
            "2024-01-15 10:00:00.5",
            "2024-01-15t10:00:00+01:00",
        ] {
            assert!(!resolves_to_str(s), "{s} should not resolve to a string");
        }
        for s in [
            "yesno",
            "0x",
            "1e400",
            ".5_",
            "2024-02-30",
            "2024-01-15T10:00:00",
            "<<",
            "1.2.3",
        ] {
            assert!(resolves_to_str(s), "{s} should resolve to a string");
        }
        assert!(is_base60_float("1:20") && is_base60_float("-1_0:59:00.5"));
        assert!(!is_base60_float("1:60") && !is_base60_float("a:1"));
    }

    #[test]
    fn key_order() {
        let less = |a: &str, b: &str| {
            key_less(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert!(less("a2", "a10"));
        assert!(less("_x", "1"));
        assert!(less("1", "B"));
        assert!(less("B", "a"));
        assert!(less("a1", "a01"));
        assert!(!less("a10", "a2"));
    }
}
