//! Prints [`Node`] trees as block-style YAML, the way kubectl lays out its output.
//!
//! This module owns the text of every YAML document eso-render writes: rendered Secrets and the
//! objects it passes through untouched. Its output is read back by Kubernetes with YAML 1.1 scalar
//! rules (go-yaml v2 via `sigs.k8s.io/yaml`) and, for SOPS documents, by sops with go-yaml v3.
//! So a string is written plain only when both would read it back as that same string.
//!
//! How a string is written follows libyaml's emitter, which go-yaml v2 (kubectl) and v3 (sops)
//! share: plain when its text allows, else single-quoted, else double-quoted with libyaml's
//! escapes; multi-line strings as literal blocks; keys over 128 bytes in the explicit `? key`
//! form; no folding of long lines (go-yaml v3 has none). That makes `sops -d` of an encrypted Secret
//! print the bytes eso-render prints for it in plain. Sequences under a key are not indented
//! (kubectl's layout; go-yaml v3 indents them).
//!
//! It must not reorder keys or emit document separators: callers write `---` between documents
//! themselves.

use std::fmt::Write as _;

use crate::gocompat::goyaml::{Analysis, escape, is_base60_float, is_break, is_printable};
use crate::manifest::node::{Node, Value};

/// libyaml writes keys longer than this (in bytes) in the explicit `? key` form.
const MAX_SIMPLE_KEY_BYTES: usize = 128;
/// How blocks are laid out and floats spelled: kubectl's way (2 spaces, a list under a key not
/// indented further) or another YAML writer's, for output that must match it byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Spaces per nesting level (and the indentation hint of literal blocks).
    pub indent: usize,
    /// Whether a list under a key is indented (go-yaml v3) or starts at the key's column.
    pub indent_sequences: bool,
    /// Floats as Go's `FormatFloat(f, 'g', -1, 64)` (go-yaml v3) instead of Rust's shortest
    /// form with a `.` or exponent.
    pub go_floats: bool,
}

impl Layout {
    /// kubectl's layout, eso-render's default.
    pub const KUBECTL: Layout = Layout {
        indent: 2,
        indent_sequences: false,
        go_floats: false,
    };
    /// What sops prints for YAML with its default settings (go-yaml v3, 4 spaces).
    pub const SOPS: Layout = Layout {
        indent: 4,
        indent_sequences: true,
        go_floats: true,
    };
}

/// Width of the `- ` that starts a list item: its content is indented by this much.
const DASH: usize = 2;

/// Appends `node` as one YAML document ending in a newline, without a leading `---`.
///
/// Values are written straight into `out`, never into temporary strings, so a caller that keeps
/// `out` in zeroizing memory leaves no stray copies of secret values behind (beyond what growing
/// `out` itself does; reserving capacity up front avoids that too).
pub fn emit_document(node: &Node, out: &mut String) {
    emit_document_with(node, Layout::KUBECTL, out);
}

/// [`emit_document`] with another [`Layout`].
pub fn emit_document_with(node: &Node, layout: Layout, out: &mut String) {
    if is_inline(&node.value) {
        push_inline(&node.value, layout.indent, layout, out);
        end_line(out);
    } else {
        write_block(&node.value, 0, layout, out);
    }
}

/// Scalars and empty collections start on the line of their key or list dash.
fn is_inline(value: &Value) -> bool {
    match value {
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => true,
    }
}

/// Appends a value for which [`is_inline`] holds. `indent` is the column of its continuation
/// lines (folded or literal strings).
fn push_inline(value: &Value, indent: usize, layout: Layout, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if layout.go_floats && f.is_finite() => {
            out.push_str(&crate::gocompat::json::format_float_g(*f));
        }
        Value::Float(f) => push_float(*f, out),
        Value::Str(s) => push_string(s, false, indent, layout, out),
        Value::Seq(_) => out.push_str("[]"),
        Value::Map(_) => out.push_str("{}"),
    }
}

/// Ends the current line unless a literal block already did.
fn end_line(out: &mut String) {
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Writes a non-empty collection at column `indent`. The first line may already be started by
/// the `- ` of an enclosing list item; every other line is indented here.
fn write_block(value: &Value, indent: usize, layout: Layout, out: &mut String) {
    let pad = " ".repeat(indent);
    let start_line = |out: &mut String| {
        if out.is_empty() || out.ends_with('\n') {
            out.push_str(&pad);
        }
    };
    match value {
        Value::Map(entries) => {
            for (key, node) in entries {
                start_line(out);
                write_key(&key.text, indent, layout, out);
                write_value(&node.value, indent, layout, out);
            }
        }
        Value::Seq(items) => {
            for node in items {
                start_line(out);
                out.push_str("- ");
                if is_inline(&node.value) {
                    push_inline(&node.value, indent + DASH, layout, out);
                    end_line(out);
                } else {
                    write_block(&node.value, indent + DASH, layout, out);
                }
            }
        }
        _ => {}
    }
}

/// Writes what follows `key:` in a mapping at column `indent`.
fn write_value(value: &Value, indent: usize, layout: Layout, out: &mut String) {
    if is_inline(value) {
        out.push(' ');
        push_inline(value, indent + layout.indent, layout, out);
        end_line(out);
        return;
    }
    out.push('\n');
    let child = match value {
        Value::Seq(_) if !layout.indent_sequences => indent,
        _ => indent + layout.indent,
    };
    write_block(value, child, layout, out);
}

/// Writes `key:`, or `? key` and `:` on the next line for keys libyaml would not write as simple
/// keys (too long, or spanning lines).
fn write_key(text: &str, indent: usize, layout: Layout, out: &mut String) {
    if text.len() > MAX_SIMPLE_KEY_BYTES || text.chars().any(is_break) {
        out.push_str("? ");
        push_string(text, false, indent + layout.indent, layout, out);
        end_line(out);
        out.extend(std::iter::repeat_n(' ', indent));
    } else {
        push_string(text, true, indent + layout.indent, layout, out);
    }
    out.push(':');
}

/// Floats always re-read as floats: Rust's shortest round-trip form has a `.` or an exponent
/// (`1.0`, `1e21`, `1.5e-7`), both of which go-yaml resolves as `!!float`.
fn push_float(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str(".nan");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { ".inf" } else { "-.inf" });
    } else {
        let _ = write!(out, "{f:?}");
    }
}

/// How a string is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// go-yaml's encoder picks plain, double-quoted (for text that would read back as another type)
/// or literal (multi-line); libyaml's emitter then falls back to single and double quotes where
/// the text rules the requested style out. `simple_key` is the context of an implicit key.
fn style(s: &str, simple_key: bool) -> Style {
    let a = Analysis::of(s, true);
    let mut style = if s.contains('\n') {
        Style::Literal
    } else if reads_back_as_string(s) {
        Style::Plain
    } else {
        Style::Double
    };
    if simple_key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain && !a.block_plain_allowed {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::Double;
    }
    // YAML 1.1 (go-yaml) and 1.2 readers disagree on whether U+2028/U+2029 break lines, so
    // such strings are always escaped (libyaml would write them raw in single quotes, and
    // break the line after them).
    if s.contains(['\u{2028}', '\u{2029}']) {
        style = Style::Double;
    }
    style
}

/// Whether a plain scalar of this text is a string for go-yaml v2 (YAML 1.1, what Kubernetes
/// reads) and v3 (what sops reads), and not one of the YAML 1.1 forms go-yaml v3 still quotes
/// (`yes`, base-60 numbers such as `1:20`).
fn reads_back_as_string(s: &str) -> bool {
    !s.is_empty()
        && crate::manifest::yaml::plain_is_string(s)
        && crate::sops::store::yaml::plain_is_string(s)
        && !is_base60_float(s)
        // `<<` is the merge key; it resolves to a string, but as a key it is not one.
        && s != "<<"
}

/// A string scalar in the style [`style`] picks. `indent` is the column of a literal block's
/// lines and of the lines after a break inside quotes.
fn push_string(s: &str, simple_key: bool, indent: usize, layout: Layout, out: &mut String) {
    match style(s, simple_key) {
        Style::Plain => out.push_str(s),
        Style::Single => push_single_quoted(s, indent, out),
        Style::Double => push_double_quoted(s, out),
        Style::Literal => push_literal(s, indent, layout.indent, out),
    }
}

/// A single-quoted scalar: `'` doubled; a line break written as libyaml does (an empty line
/// for `\n`, since a single break inside quotes would read back as a space).
fn push_single_quoted(s: &str, indent: usize, out: &mut String) {
    out.push('\'');
    let mut breaks = false;
    for c in s.chars() {
        if is_break(c) {
            if !breaks && c == '\n' {
                out.push('\n');
            }
            out.push(c);
            breaks = true;
        } else {
            if breaks {
                out.extend(std::iter::repeat_n(' ', indent));
            }
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
            breaks = false;
        }
    }
    out.push('\'');
}

/// A double-quoted scalar with libyaml's escapes.
fn push_double_quoted(s: &str, out: &mut String) {
    out.push('"');
    // libyaml's `is_bom` looks at the start of the value, not at the current character.
    let bom = s.starts_with('\u{feff}');
    for c in s.chars() {
        if bom || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
            escape(c, |ch| out.push(ch));
        } else {
            out.push(c);
        }
    }
    out.push('"');
}

/// A literal block scalar (`|`), its lines at column `indent`, with libyaml's indentation and
/// chomping indicators. Ends with a newline when the value does.
fn push_literal(s: &str, indent: usize, hint: usize, out: &mut String) {
    out.push('|');
    if s.starts_with(' ') || s.starts_with(is_break) {
        let _ = write!(out, "{hint}");
    }
    let mut rev = s.chars().rev();
    match (rev.next(), rev.next()) {
        (Some(last), _) if !is_break(last) => out.push('-'),
        (Some(_), None) => out.push('+'),
        (Some(_), Some(before)) if is_break(before) => out.push('+'),
        _ => {}
    }
    out.push('\n');
    let mut breaks = true;
    for c in s.chars() {
        if is_break(c) {
            out.push(c);
            breaks = true;
        } else {
            if breaks {
                out.extend(std::iter::repeat_n(' ', indent));
            }
            out.push(c);
            breaks = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::node::Key;
    use crate::manifest::yaml::parse_documents;

    /// A string as the value of a short key (the column matters for folding).
    fn string(text: &str) -> String {
        let mut out = String::from("k: ");
        push_string(text, false, 2, Layout::KUBECTL, &mut out);
        out.split_off(3)
    }

    fn emit(node: &Node) -> String {
        let mut out = String::new();
        emit_document(node, &mut out);
        out
    }

    fn parse_one(src: &str) -> Node {
        let mut docs = match parse_documents(src) {
            Ok(docs) => docs,
            Err(e) => panic!("{src:?}: {e} at {}", e.pos()),
        };
        assert_eq!(docs.len(), 1, "{src:?}");
        docs.remove(0).node
    }

    fn s(text: &str) -> Node {
        Node::str(text)
    }

    fn seq(items: Vec<Node>) -> Node {
        Node::new(Value::Seq(items))
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        Node::map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    /// Tree equality without positions, with NaN equal to itself.
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => {
                (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
            }
            (Value::Seq(xs), Value::Seq(ys)) => {
                xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(&x.value, &y.value))
            }
            (Value::Map(xs), Value::Map(ys)) => {
                xs.len() == ys.len()
                    && xs
                        .iter()
                        .zip(ys)
                        .all(|((kx, x), (ky, y))| kx.text == ky.text && same(&x.value, &y.value))
            }
            _ => a == b,
        }
    }

    /// Emits, re-parses and emits again: the tree and the text must both be stable.
    fn assert_round_trip(node: &Node) {
        let text = emit(node);
        let back = parse_one(&text);
        assert!(
            same(&node.value, &back.value),
            "tree changed through\n{text}\nwas {node:?}\nnow {back:?}"
        );
        assert_eq!(emit(&back), text);
    }

    #[test]
    fn secret_like_object_is_byte_exact() {
        let src = "\
apiVersion: v1
kind: Secret
metadata:
  name: x
  labels:
    a: \"true\"
data:
  k: dmFsdWU=
list:
- a
- b: 1
  c: 2
empty: {}
emptylist: []
";
        assert_eq!(emit(&parse_one(src)), src);
    }

    #[test]
    fn builds_from_constructed_nodes() {
        let node = map(vec![
            ("apiVersion", s("v1")),
            ("kind", s("Secret")),
            (
                "metadata",
                map(vec![
                    ("name", s("db-creds")),
                    ("namespace", s("prod")),
                    ("annotations", map(vec![("reloader/match", s("yes"))])),
                ]),
            ),
            ("type", s("Opaque")),
            (
                "data",
                map(vec![("password", s("aHVudGVyMg==")), ("port", s("5432"))]),
            ),
            ("immutable", Node::new(Value::Bool(false))),
        ]);
        assert_eq!(
            emit(&node),
            "\
apiVersion: v1
kind: Secret
metadata:
  name: db-creds
  namespace: prod
  annotations:
    reloader/match: \"yes\"
type: Opaque
data:
  password: aHVudGVyMg==
  port: \"5432\"
immutable: false
"
        );
    }

    #[test]
    fn nested_collections_layout() {
        let node = map(vec![
            (
                "a",
                seq(vec![
                    seq(vec![s("x"), s("w")]),
                    map(vec![
                        ("k", seq(vec![s("1v"), map(vec![("deep", s("z"))])])),
                        ("m", map(vec![("p", Node::new(Value::Null))])),
                    ]),
                    seq(vec![]),
                    map(vec![]),
                    seq(vec![seq(vec![s("q")])]),
                ]),
            ),
            ("b", map(vec![("c", seq(vec![s("d")]))])),
        ]);
        let want = "\
a:
- - x
  - w
- k:
  - 1v
  - deep: z
  m:
    p: null
- []
- {}
- - - q
b:
  c:
  - d
";
        assert_eq!(emit(&node), want);
        assert_round_trip(&node);
    }

    #[test]
    fn root_values() {
        assert_eq!(emit(&s("hello")), "hello\n");
        assert_eq!(emit(&s("---")), "'---'\n");
        assert_eq!(emit(&s("...")), "'...'\n");
        assert_eq!(emit(&s("... x")), "'... x'\n");
        assert_eq!(emit(&s("a\nb")), "|-\n  a\n  b\n");
        assert_eq!(emit(&Node::new(Value::Int(-3))), "-3\n");
        assert_eq!(emit(&seq(vec![s("a"), s("b")])), "- a\n- b\n");
        assert_eq!(emit(&seq(vec![])), "[]\n");
        assert_eq!(emit(&map(vec![])), "{}\n");
        assert_eq!(
            emit(&seq(vec![map(vec![("a", s("1x")), ("b", s("c"))])])),
            "- a: 1x\n  b: c\n"
        );
    }

    #[test]
    fn appends_to_existing_output() {
        let mut out = String::from("---\n");
        emit_document(&map(vec![("a", map(vec![("b", s("c"))]))]), &mut out);
        out.push_str("---\n");
        emit_document(&seq(vec![s("x")]), &mut out);
        assert_eq!(out, "---\na:\n  b: c\n---\n- x\n");
    }

    #[test]
    fn scalars() {
        let cases: &[(Value, &str)] = &[
            (Value::Null, "null"),
            (Value::Bool(true), "true"),
            (Value::Bool(false), "false"),
            (Value::Int(0), "0"),
            (Value::Int(i64::MIN), "-9223372036854775808"),
            (Value::Float(1.0), "1.0"),
            (Value::Float(-0.0), "-0.0"),
            (Value::Float(0.1), "0.1"),
            (Value::Float(2.5e-8), "2.5e-8"),
            (Value::Float(1e21), "1e21"),
            (Value::Float(f64::MAX), "1.7976931348623157e308"),
            (Value::Float(f64::INFINITY), ".inf"),
            (Value::Float(f64::NEG_INFINITY), "-.inf"),
            (Value::Float(f64::NAN), ".nan"),
        ];
        for (value, want) in cases {
            let node = map(vec![("v", Node::new(value.clone()))]);
            assert_eq!(emit(&node), format!("v: {want}\n"));
            assert_round_trip(&node);
        }
    }

    #[test]
    fn strings_that_would_resolve_otherwise_are_quoted() {
        for text in [
            "yes",
            "Yes",
            "YES",
            "no",
            "on",
            "Off",
            "y",
            "N",
            "true",
            "False",
            "null",
            "Null",
            "~",
            "",
            "1",
            "-1",
            "+1",
            "0777",
            "0x1F",
            "0o17",
            "0b11",
            "1_000",
            "1e3",
            "1.5",
            ".5",
            "1.",
            "09",
            ".inf",
            "-.Inf",
            ".nan",
            "9223372036854775808",
            "<<",
        ] {
            let want = format!("\"{text}\"");
            assert_eq!(string(text), want, "{text:?}");
        }
    }

    #[test]
    fn strings_that_are_plain() {
        for text in [
            "hello",
            "hello world",
            "v1",
            "dmFsdWU=",
            "a:b",
            "a#b",
            "a,b",
            "a[0]",
            "it's",
            "say \"hi\"",
            "https://example.com/a?b=c#d",
            "1e",
            "0x",
            "1.2.3",
            "12abc",
            "nil",
            "é",
            "日本語",
            "a-b",
            ":x",
            "-x",
            "?x",
            "a\u{a0}",
            "=",
            "<x",
            "a - b",
            "1:20x",
        ] {
            assert_eq!(string(text), text, "{text:?}");
        }
    }

    #[test]
    fn strings_that_need_quotes_for_syntax() {
        // What go-yaml v3 (and v2) write for these: plain is impossible, so single quotes where
        // they can hold the text, else double quotes with libyaml's escapes.
        let cases: &[(&str, &str)] = &[
            (" lead", "' lead'"),
            ("trail ", "'trail '"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            ("key:", "'key:'"),
            ("- item", "'- item'"),
            ("-", "'-'"),
            ("?", "'?'"),
            ("#c", "'#c'"),
            ("&a", "'&a'"),
            ("*a", "'*a'"),
            ("!t", "'!t'"),
            ("|", "'|'"),
            (">", "'>'"),
            ("'q'", "'''q'''"),
            ("\"q\"", "'\"q\"'"),
            ("%x", "'%x'"),
            ("@x", "'@x'"),
            ("`x`", "'`x`'"),
            ("[a]", "'[a]'"),
            ("{a}", "'{a}'"),
            (",a", "',a'"),
            ("...x", "'...x'"),
            ("back\\slash: x", "'back\\slash: x'"),
            ("2001-12-14", "\"2001-12-14\""),
            ("1:20", "\"1:20\""),
            ("tab\there", "\"tab\\there\""),
            ("cr\r", "\"cr\\r\""),
            ("bell\u{7}", "\"bell\\a\""),
            ("esc\u{1b}", "\"esc\\e\""),
            ("del\u{7f}", "\"del\\x7F\""),
            ("nel\u{85}", "\"nel\\N\""),
            ("ls\u{2028}ps\u{2029}", "\"ls\\Lps\\P\""),
            ("😀", "\"\\U0001F600\""),
            ("\u{0}", "\"\\0\""),
            // libyaml escapes every character of a string that starts with a BOM.
            ("\u{feff}bom", "\"\\uFEFF\\x62\\x6F\\x6D\""),
        ];
        for (text, want) in cases {
            assert_eq!(string(text), *want, "{text:?}");
        }
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        let cases: &[(&str, &str)] = &[
            ("line1\nline2", "|-\n  line1\n  line2"),
            ("a\n", "|\n  a\n"),
            ("a\n\n", "|+\n  a\n\n"),
            ("a\n\nb", "|-\n  a\n\n  b"),
            (" a\nb", "|2-\n   a\n  b"),
            ("\ta\nb", "|-\n  \ta\n  b"),
            // A space before a line break, a trailing space or a control character rule the
            // block out.
            ("a \nb", "\"a \\nb\""),
            ("a\nb ", "\"a\\nb \""),
            ("a\nb\r", "\"a\\nb\\r\""),
        ];
        for (text, want) in cases {
            assert_eq!(string(text), *want, "{text:?}");
        }
        let node = map(vec![
            ("k", s("one\ntwo\n")),
            ("m", map(vec![("deep", s("x\n\n y"))])),
            ("l", seq(vec![s("p\nq")])),
            ("after", s("z")),
        ]);
        assert_eq!(
            emit(&node),
            "k: |\n  one\n  two\nm:\n  deep: |-\n    x\n\n     y\nl:\n- |-\n  p\n  q\nafter: z\n"
        );
        assert_round_trip(&node);
    }

    #[test]
    fn long_strings_are_not_folded() {
        let words = "lorem ipsum dolor sit amet ".repeat(20);
        for text in [
            words.trim_end().to_owned(),
            format!("#{words}"),
            format!("\t{words}"),
        ] {
            let node = map(vec![("m", map(vec![("note", s(&text))]))]);
            let out = emit(&node);
            assert_eq!(out.lines().count(), 2, "{out}");
            assert_round_trip(&node);
        }
    }

    #[test]
    fn keys_are_quoted_like_strings() {
        let node = map(vec![
            ("1", s("a")),
            ("true", s("b")),
            ("null", s("c")),
            ("", s("d")),
            ("<<", s("e")),
            ("a: b", s("f")),
            ("plain", s("g")),
            ("app.kubernetes.io/name", s("h")),
        ]);
        assert_eq!(
            emit(&node),
            "\"1\": a\n\"true\": b\n\"null\": c\n\"\": d\n\"<<\": e\n'a: b': f\nplain: g\napp.kubernetes.io/name: h\n"
        );
        assert_round_trip(&node);
    }

    #[test]
    fn long_keys_use_the_explicit_form() {
        let long = "k".repeat(129);
        let mut out = String::new();
        write_key(&"k".repeat(128), 0, Layout::KUBECTL, &mut out);
        assert!(!out.starts_with('?'), "{out}");
        let node = map(vec![
            (long.as_str(), s("v")),
            ("short", s("w")),
            (&format!("{long}2"), seq(vec![s("x")])),
            (&format!("{long}3"), map(vec![("y", s("z"))])),
        ]);
        let text = emit(&node);
        assert!(
            text.starts_with(&format!("? {long}\n: v\nshort: w\n")),
            "{text}"
        );
        assert_round_trip(&node);
        assert_round_trip(&seq(vec![node]));
    }

    #[test]
    fn round_trips_tricky_documents() {
        let docs = [
            "a: 1\nb: '1'\nc: yes\nd: 'yes'\ne: ~\nf: ''\ng: 0x1F\nh: '0x1F'\n",
            "floats: [1.5, 1e3, .inf, -.inf, .nan, 0.1, -0.0, 1e300, 5e-324]\n",
            "ints: [0, -1, 0777, 0b101, 9223372036854775807, -9223372036854775808, 18446744073709551615]\n",
            "s: \"  spaced  \"\nt: \"a\\tb\"\nu: \"\\u00e9\\u2028\\u0085\\ufeff\"\nv: \"multi\\nline\\n\"\n",
            "block: |\n  line one\n  line two\n\n  after blank\nfolded: >\n  a\n  b\n",
            "keys:\n  1: a\n  true: b\n  ~: c\n  '': d\n  'a: b': e\n  '#': f\n  '- x': g\n",
            "base: &b {x: 1, y: [1, 2]}\nm:\n  <<: *b\n  z: 3\nn: *b\n",
            "[1, [2, [3, [4, []]]], {}, {a: {b: {c: {}}}}]\n",
            "- - - a\n    - b\n  - c\n- d\n",
            "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"a\": null}, {\"b\": [true, false]}]}",
            "url: https://example.com/path?q=1#frag\nemoji: 😀\ncjk: 日本語\ncolon: 'a:'\nhash: 'a #b'\n",
            "dash: '-'\nq: '?'\ncomma: ','\nstar: '*x'\namp: '&x'\nbang: '!x'\npct: '%x'\nat: '@x'\ntick: '`x'\n",
            "doc: '---'\nend: '...'\nmerge: '<<'\nts: 2001-12-14\nsexa: '1:20'\n",
            "e1: !!str 1\ne2: !!float 1\ne3: !!binary aGVsbG8=\ne4: !custom x\n",
            "nul: \"\\0\\a\\b\\v\\f\\e\\x7f\\u0080\\u009f\\uFFFE\\uFFFF\"\n",
        ];
        for src in docs {
            let node = parse_one(src);
            assert_round_trip(&node);
        }
    }

    /// xorshift64: a small deterministic generator, so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Strings built from every ASCII character, assorted Unicode, and fragments that mean
    /// something to YAML.
    fn generated_strings(count: usize, seed: u64) -> Vec<String> {
        let mut atoms: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        for extra in [
            "é",
            "ß",
            "中",
            "😀",
            "👍🏽",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{2029}",
            "\u{feff}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{200b}",
            "\u{10ffff}",
            "yes",
            "no",
            "on",
            "null",
            "~",
            "true",
            "0x",
            "0o",
            "0b",
            "1e",
            "1_0",
            ".inf",
            ".nan",
            ": ",
            " #",
            "---",
            "...",
            "<<",
            "- ",
            "? ",
            "  ",
            "\r\n",
            "2001-12-14",
            "1:2",
            "0",
            "1",
            "9",
            ".5",
            "+",
            "-",
        ] {
            atoms.push(extra.to_owned());
        }
        let mut rng = Rng(seed);
        (0..count)
            .map(|_| {
                let len = rng.below(7);
                (0..len)
                    .map(|_| atoms[rng.below(atoms.len())].as_str())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn generated_strings_round_trip_as_values_and_keys() {
        let strings = generated_strings(20_000, 0x9e37_79b9_7f4a_7c15);
        for chunk in strings.chunks(50) {
            let mut seen = std::collections::HashSet::new();
            let entries: Vec<(Key, Node)> = chunk
                .iter()
                .filter(|k| seen.insert(k.as_str()))
                .map(|k| {
                    let key = Key {
                        text: k.clone(),
                        pos: Default::default(),
                    };
                    (key, s(k))
                })
                .collect();
            let values: Vec<Node> = chunk.iter().map(|t| s(t)).collect();
            let node = map(vec![
                ("map", Node::new(Value::Map(entries))),
                ("list", seq(values)),
            ]);
            assert_round_trip(&node);
        }
    }

    #[test]
    fn every_generated_string_round_trips_alone() {
        for text in generated_strings(20_000, 0x2545_f491_4f6c_dd1d) {
            // A lone string is a document of its own; only null documents are skipped.
            let node = s(&text);
            let out = emit(&node);
            let back = parse_one(&out);
            assert_eq!(back.value, node.value, "{text:?} was printed as {out:?}");
        }
    }

    #[test]
    fn every_char_round_trips() {
        let mut samples: Vec<char> = (0u32..0x3000).filter_map(char::from_u32).collect();
        samples.extend([
            '\u{fffe}',
            '\u{ffff}',
            '\u{feff}',
            '\u{e000}',
            '\u{1f600}',
            '\u{10ffff}',
        ]);
        for c in samples {
            for text in [
                c.to_string(),
                format!("a{c}"),
                format!("{c}a"),
                format!("a{c}b"),
            ] {
                let node = map(vec![(text.as_str(), s(&text))]);
                assert_round_trip(&node);
            }
        }
    }
}

#[cfg(test)]
mod sops_layout {
    use super::*;

    /// What sops 3.11 printed for upstream's example.yaml, comments left out (sops trees keep
    /// them; manifest nodes do not).
    #[test]
    fn prints_what_sops_prints() {
        let printed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/sops/getsops/expected/example.yaml.decrypted"
        ))
        .unwrap();
        let want: String = printed
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        let docs = crate::sops::store::yaml::parse(&printed, false).unwrap();
        let node = crate::manifest::sops::tree_to_node(&crate::sops::tree::Value::Map(
            docs[0].branch.clone(),
        ));
        let mut out = String::new();
        emit_document_with(&node, Layout::SOPS, &mut out);
        assert_eq!(out, want);
    }
}
