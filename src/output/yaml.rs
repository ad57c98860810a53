//! Prints [`Node`] trees as block-style YAML, the way kubectl lays out its output.
//!
//! This module owns the text of every YAML document eso-render writes: rendered Secrets and the
//! objects it passes through untouched. Its output is read back by Kubernetes with YAML 1.1 scalar
//! rules (go-yaml v2 via `sigs.k8s.io/yaml`), where an unquoted `yes`, `on`, `0777` or `1e3` is no
//! string. So a string is written plain only when the resolver of [`crate::manifest::yaml`] would
//! read it back as that same string; everything else is double-quoted. Re-parsing the output must
//! give the same tree (positions aside), which the tests check on many tricky values.
//!
//! It must not reorder keys, wrap long lines, or emit document separators: callers write `---`
//! between documents themselves.

use std::fmt::Write as _;

use crate::manifest::node::{Node, Value};
use crate::manifest::yaml::plain_is_string;

/// YAML caps implicit keys at 1024 characters; longer keys need the explicit `? key` form.
const MAX_IMPLICIT_KEY_CHARS: usize = 1024;

/// Appends `node` as one YAML document ending in a newline, without a leading `---`.
///
/// Values are written straight into `out`, never into temporary strings, so a caller that keeps
/// `out` in zeroizing memory leaves no stray copies of secret values behind (beyond what growing
/// `out` itself does; reserving capacity up front avoids that too).
pub fn emit_document(node: &Node, out: &mut String) {
    if is_inline(&node.value) {
        push_inline(&node.value, out);
        out.push('\n');
    } else {
        write_block(&node.value, 0, out);
    }
}

/// Scalars and empty collections fit on the line of their key or list dash.
fn is_inline(value: &Value) -> bool {
    match value {
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        _ => true,
    }
}

/// Appends the one-line form of a value for which [`is_inline`] holds.
fn push_inline(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => push_float(*f, out),
        Value::Str(s) => push_string(s, out),
        Value::Seq(_) => out.push_str("[]"),
        Value::Map(_) => out.push_str("{}"),
    }
}

/// Writes a non-empty collection at column `indent`. The first line may already be started by
/// the `- ` of an enclosing list item; every other line is indented here.
fn write_block(value: &Value, indent: usize, out: &mut String) {
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
                write_key(&key.text, &pad, out);
                write_value(&node.value, indent, out);
            }
        }
        Value::Seq(items) => {
            for node in items {
                start_line(out);
                out.push_str("- ");
                if is_inline(&node.value) {
                    push_inline(&node.value, out);
                    out.push('\n');
                } else {
                    write_block(&node.value, indent + 2, out);
                }
            }
        }
        _ => {}
    }
}

/// Writes what follows `key:` in a mapping at column `indent`.
fn write_value(value: &Value, indent: usize, out: &mut String) {
    if is_inline(value) {
        out.push(' ');
        push_inline(value, out);
        out.push('\n');
        return;
    }
    out.push('\n');
    // kubectl style: a list under a key is not indented further.
    let child = match value {
        Value::Seq(_) => indent,
        _ => indent + 2,
    };
    write_block(value, child, out);
}

/// Writes `key:`, or `? key` and `:` on the next line for keys too long to be implicit.
fn write_key(text: &str, pad: &str, out: &mut String) {
    if string_len(text) > MAX_IMPLICIT_KEY_CHARS {
        out.push_str("? ");
        push_string(text, out);
        out.push('\n');
        out.push_str(pad);
    } else {
        push_string(text, out);
    }
    out.push(':');
}

/// Floats always re-read as floats: Rust's shortest round-trip form has a `.` or an exponent
/// (`1.0`, `1e21`, `1.5e-7`), both of which go-yaml v2 resolves as `!!float`.
fn push_float(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str(".nan");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { ".inf" } else { "-.inf" });
    } else {
        let _ = write!(out, "{f:?}");
    }
}

/// A string scalar, plain when that is unambiguous, otherwise double-quoted.
fn push_string(s: &str, out: &mut String) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else {
        push_quoted(s, out);
    }
}

/// Characters [`push_string`] writes for `s`.
fn string_len(s: &str) -> usize {
    if is_plain_safe(s) {
        return s.chars().count();
    }
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\t' | '\r' => 2,
            c if needs_escape(c) => 6,
            _ => 1,
        })
        .sum::<usize>()
}

fn is_plain_safe(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    !first.is_whitespace()
        && !last.is_whitespace()
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && last != ':'
        && !s.contains(": ")
        && !s.contains(" #")
        // A root scalar starting with `...` (or `---`, caught above) would end the document.
        && !s.starts_with("...")
        && !s.chars().any(needs_escape)
        && !looks_like_timestamp(s)
        && !looks_like_sexagesimal(s)
        && plain_is_string(s)
        // `<<` is the merge key; it resolves to a string, but as a key it is not one.
        && s != "<<"
}

/// go-yaml v2 reads `2001-12-14` back as a string, but other YAML readers (and YAML 1.1 itself)
/// take it for a date, so such strings are quoted for everyone's sake.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

/// YAML 1.1 base-60 numbers (`1:20`): v2 keeps them as strings but quotes them on output for other
/// readers; we do the same.
fn looks_like_sexagesimal(s: &str) -> bool {
    s.contains(':')
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b"+-:._".contains(&b))
}

/// Characters that cannot appear raw: C0/C1 controls, DEL, YAML line breaks other than `\n`
/// (NEL, LS, PS), the BOM, and the non-characters YAML excludes from its printable set.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// A double-quoted scalar with JSON-style escapes; other Unicode is kept as is.
fn push_quoted(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::node::Key;
    use crate::manifest::yaml::parse_documents;

    fn string(text: &str) -> String {
        let mut out = String::new();
        push_string(text, &mut out);
        assert_eq!(out.chars().count(), string_len(text), "{text:?}");
        out
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
        assert_eq!(emit(&s("---")), "\"---\"\n");
        assert_eq!(emit(&s("...")), "\"...\"\n");
        assert_eq!(emit(&s("... x")), "\"... x\"\n");
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
            "😀",
            "a-b",
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
        let cases: &[(&str, &str)] = &[
            (" lead", "\" lead\""),
            ("trail ", "\"trail \""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("key:", "\"key:\""),
            ("- item", "\"- item\""),
            ("-", "\"-\""),
            ("?", "\"?\""),
            (":x", "\":x\""),
            ("#c", "\"#c\""),
            ("&a", "\"&a\""),
            ("*a", "\"*a\""),
            ("!t", "\"!t\""),
            ("|", "\"|\""),
            (">", "\">\""),
            ("'q'", "\"'q'\""),
            ("\"q\"", "\"\\\"q\\\"\""),
            ("%x", "\"%x\""),
            ("@x", "\"@x\""),
            ("`x`", "\"`x`\""),
            ("[a]", "\"[a]\""),
            ("{a}", "\"{a}\""),
            (",a", "\",a\""),
            ("...x", "\"...x\""),
            ("2001-12-14", "\"2001-12-14\""),
            ("1:20", "\"1:20\""),
            ("line1\nline2", "\"line1\\nline2\""),
            ("tab\there", "\"tab\\there\""),
            ("cr\r", "\"cr\\r\""),
            ("back\\slash: x", "\"back\\\\slash: x\""),
            ("bell\u{7}", "\"bell\\u0007\""),
            ("del\u{7f}", "\"del\\u007F\""),
            ("nel\u{85}", "\"nel\\u0085\""),
            ("ls\u{2028}ps\u{2029}", "\"ls\\u2028ps\\u2029\""),
            ("\u{feff}bom", "\"\\uFEFFbom\""),
            ("nbsp\u{a0}", "\"nbsp\u{a0}\""),
            ("\u{0}", "\"\\u0000\""),
        ];
        for (text, want) in cases {
            assert_eq!(string(text), *want, "{text:?}");
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
            "\"1\": a\n\"true\": b\n\"null\": c\n\"\": d\n\"<<\": e\n\"a: b\": f\nplain: g\napp.kubernetes.io/name: h\n"
        );
        assert_round_trip(&node);
    }

    #[test]
    fn long_keys_use_the_explicit_form() {
        let long = "k".repeat(2000);
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
