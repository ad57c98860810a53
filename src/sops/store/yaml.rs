//! YAML (and JSON) text → sops trees, the way sops' YAML store reads it with go-yaml v3.
//!
//! Scalars resolve by go-yaml v3's rules for `interface{}` targets, which decide the bytes the
//! MAC covers: only `true`/`false` (any case form listed by v3) are booleans, `0o17` and `017`
//! are integers, `2024-01-02` is a timestamp, quoted and block scalars are strings. Merge keys are
//! not applied (v3's node API keeps `<<` as a key), aliases are expanded. Integers beyond `int64`
//! are refused, as sops' tree walk refuses `uint64`.
//!
//! Comments matter only under the comment rules (`encrypted_comment_regex`, …). The parser gives
//! no comment events, so they are read from the text between events and placed as go-yaml v3
//! attaches them in the common layouts: a comment line belongs before the next entry of the
//! innermost open collection, a comment at the end of a line before the entry that line ends.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::gocompat::goyaml;
use crate::sops::Error;
use crate::sops::tree::{Branch, Entry, Item, Scalar, Value};

/// Deepest nesting accepted (the walk recurses).
const MAX_DEPTH: usize = 256;
/// Most values alias expansion may produce.
const MAX_ALIAS_VALUES: usize = 1_000_000;

/// One document of the stream and the line it starts on.
pub struct Doc {
    pub branch: Branch,
    pub line: u32,
}

enum Frame {
    Map {
        branch: Branch,
        key: Option<String>,
        anchor: usize,
        inline_slot: Option<usize>,
    },
    Seq {
        items: Vec<Item>,
        anchor: usize,
        inline_slot: Option<usize>,
    },
}

/// Parses every document; `with_comments` also reads comment lines (slower).
pub fn parse(src: &str, with_comments: bool) -> Result<Vec<Doc>, Error> {
    let src = src.strip_prefix('\u{FEFF}').unwrap_or(src);
    let offsets: Vec<usize> = if with_comments {
        src.char_indices()
            .map(|(i, _)| i)
            .chain([src.len()])
            .collect()
    } else {
        Vec::new()
    };
    let mut p = Builder {
        src,
        offsets,
        stack: Vec::new(),
        anchors: HashMap::new(),
        expanded: 0,
        prev_end: 0,
        root: None,
        pending: Vec::new(),
    };
    let mut docs = Vec::new();
    let mut parser = Parser::new_from_str(src);
    let mut doc_line = 1;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| Error::Syntax {
            line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
            message: e.info().trim_end_matches('.').to_owned(),
        })?;
        let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
        if p.with_comments() {
            p.comments_before(&event, &span);
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                doc_line = line;
                p.root = None;
                p.anchors.clear();
            }
            Event::DocumentEnd => match p.take_root() {
                Some(Value::Map(branch)) => docs.push(Doc {
                    branch,
                    line: doc_line,
                }),
                None | Some(Value::Null) => {}
                Some(_) => {
                    return Err(Error::Syntax {
                        line: doc_line,
                        message: "a SOPS document must be a mapping".into(),
                    });
                }
            },
            other => p.event(other, line)?,
        }
        p.prev_end = span.end.index();
    }
    Ok(docs)
}

struct Builder<'s> {
    src: &'s str,
    /// Byte offset of each character (only with comments).
    offsets: Vec<usize>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    expanded: usize,
    /// Character index where the previous event ended.
    prev_end: usize,
    root: Option<Value>,
    /// Comments read before a closing event, waiting for the next entry.
    pending: Vec<(String, bool)>,
}

impl Builder<'_> {
    /// The finished document; comments after its last entry annotate nothing.
    fn take_root(&mut self) -> Option<Value> {
        self.pending.clear();
        self.root.take()
    }

    fn with_comments(&self) -> bool {
        !self.offsets.is_empty()
    }

    fn event(&mut self, event: Event<'_>, line: u32) -> Result<(), Error> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(Frame::Map {
                    key: key @ None,
                    inline_slot,
                    ..
                }) = self.stack.last_mut()
                {
                    // A comment after the key belongs to this entry, not the previous one.
                    *inline_slot = None;
                    let k = resolve(&text, style, tag.as_deref(), line)?;
                    let Value::Scalar(Scalar::Str(k)) = k else {
                        return Err(Error::Syntax {
                            line,
                            message: "only string keys are supported".into(),
                        });
                    };
                    *key = Some(k);
                    return Ok(());
                }
                let v = resolve(&text, style, tag.as_deref(), line)?;
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.complete(v, line, true)
            }
            Event::Alias(id) => {
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    return Err(Error::Syntax {
                        line,
                        message: "aliases as keys are not supported".into(),
                    });
                }
                let v = self.anchors.get(&id).cloned().ok_or(Error::Syntax {
                    line,
                    message: "unknown alias".into(),
                })?;
                self.expanded = self.expanded.saturating_add(count(&v));
                if self.expanded > MAX_ALIAS_VALUES {
                    return Err(Error::Syntax {
                        line,
                        message: "aliases expand to too many values".into(),
                    });
                }
                self.complete(v, line, false)
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    return Err(Error::Syntax {
                        line,
                        message: "complex mapping keys are not supported".into(),
                    });
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(Error::Syntax {
                        line,
                        message: format!("nesting is deeper than {MAX_DEPTH} levels"),
                    });
                }
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map {
                            branch: Branch::default(),
                            key: None,
                            anchor,
                            inline_slot: None,
                        }
                    } else {
                        Frame::Seq {
                            items: Vec::new(),
                            anchor,
                            inline_slot: None,
                        }
                    });
                Ok(())
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (v, anchor) = match self.stack.pop() {
                    Some(Frame::Map { branch, anchor, .. }) => (Value::Map(branch), anchor),
                    Some(Frame::Seq { items, anchor, .. }) => (Value::List(items), anchor),
                    None => return Ok(()),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.complete(v, line, false)
            }
            _ => Ok(()),
        }
    }

    /// A finished value goes to its key, list or the document root.
    fn complete(&mut self, v: Value, line: u32, scalar: bool) -> Result<(), Error> {
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Map {
                branch,
                key,
                inline_slot,
                ..
            }) => {
                let Some(k) = key.take() else {
                    return Err(Error::Syntax {
                        line,
                        message: "mapping value without a key".into(),
                    });
                };
                if branch.get(&k).is_some() {
                    return Err(Error::Syntax {
                        line,
                        message: format!("duplicate key {k:?}"),
                    });
                }
                branch.0.push(Entry::Pair(k, v));
                *inline_slot = scalar.then(|| branch.0.len() - 1);
            }
            Some(Frame::Seq {
                items, inline_slot, ..
            }) => {
                items.push(Item::Value(v));
                *inline_slot = scalar.then(|| items.len() - 1);
            }
        }
        Ok(())
    }

    /// Reads the comments between the previous event and this one and files them before the
    /// next entry; comments before a closing event wait for the entry that follows it.
    fn comments_before(&mut self, event: &Event<'_>, span: &Span) {
        let at = |i: usize| self.offsets.get(i).copied().unwrap_or(self.src.len());
        let (from, to) = (at(self.prev_end), at(span.start.index()));
        if from < to {
            let gap = &self.src[from..to];
            for (i, line) in gap.split('\n').enumerate() {
                if let Some(pos) = line.find('#') {
                    let text = line[pos + 1..].trim_end_matches('\r').to_owned();
                    self.pending.push((text, i == 0));
                }
            }
        }
        if self.pending.is_empty()
            || matches!(
                event,
                Event::MappingEnd | Event::SequenceEnd | Event::DocumentEnd | Event::StreamEnd
            )
        {
            return;
        }
        if self.stack.is_empty() {
            return;
        }
        // Before a nested collection only a comment on the key's own line is the key's; the
        // lines after it head the collection's first entry.
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        let pending = std::mem::take(&mut self.pending);
        let (now, later): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|(_, inline)| !opens || *inline);
        self.pending = later;
        for (text, inline) in now {
            match self.stack.last_mut() {
                Some(Frame::Map {
                    branch,
                    inline_slot,
                    ..
                }) => match inline_slot.take().filter(|_| inline) {
                    Some(slot) => branch.0.insert(slot, Entry::Comment(text)),
                    None => branch.0.push(Entry::Comment(text)),
                },
                Some(Frame::Seq {
                    items, inline_slot, ..
                }) => match inline_slot.take().filter(|_| inline) {
                    Some(slot) => items.insert(slot, Item::Comment(text)),
                    None => items.push(Item::Comment(text)),
                },
                None => {}
            }
        }
    }
}

fn count(v: &Value) -> usize {
    match v {
        Value::Map(b) => 1 + b.pairs().map(|(_, v)| count(v)).sum::<usize>(),
        Value::List(items) => {
            1 + items
                .iter()
                .map(|i| match i {
                    Item::Value(v) => count(v),
                    Item::Comment(_) => 0,
                })
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// The short form of a tag (`!!str`, `!foo`).
fn short_tag(tag: Option<&Tag>) -> String {
    match tag {
        None => String::new(),
        Some(t) if t.handle == "tag:yaml.org,2002:" => format!("!!{}", t.suffix),
        Some(t) => format!("{}{}", t.handle, t.suffix),
    }
}

/// go-yaml v3's `resolve` plus its `interface{}` decoding of one scalar.
fn resolve(text: &str, style: ScalarStyle, tag: Option<&Tag>, line: u32) -> Result<Value, Error> {
    if style != ScalarStyle::Plain {
        return Ok(Value::Scalar(Scalar::Str(text.to_owned())));
    }
    let tag = short_tag(tag);
    let str_value = || Value::Scalar(Scalar::Str(text.to_owned()));
    match tag.as_str() {
        "" | "!!str" | "!!bool" | "!!int" | "!!float" | "!!null" | "!!timestamp" => {}
        "!!binary" => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.split_whitespace().collect::<String>())
                .map_err(|_| Error::Syntax {
                    line,
                    message: "!!binary value contains invalid base64 data".into(),
                })?;
            return Ok(Value::Scalar(match String::from_utf8(bytes) {
                Ok(s) => Scalar::Str(s),
                Err(e) => Scalar::Bytes(e.into_bytes()),
            }));
        }
        _ => return Ok(str_value()),
    }
    if tag == "!!str" {
        return Ok(str_value());
    }
    let resolved = resolve_plain(text).ok_or_else(|| Error::Syntax {
        line,
        message: "integers beyond the int64 range are not supported".into(),
    })?;
    let kind = match &resolved {
        Value::Null => "!!null",
        Value::Scalar(Scalar::Bool(_)) => "!!bool",
        Value::Scalar(Scalar::Int(_)) => "!!int",
        Value::Scalar(Scalar::Float(_)) => "!!float",
        Value::Scalar(Scalar::Time(_)) => "!!timestamp",
        _ => "!!str",
    };
    match (tag.as_str(), &resolved) {
        ("", _) => Ok(resolved),
        (t, _) if t == kind => Ok(resolved),
        ("!!float", Value::Scalar(Scalar::Int(i))) => Ok(Value::Scalar(Scalar::Float(*i as f64))),
        (t, _) => Err(Error::Syntax {
            line,
            message: format!("cannot decode {kind} as {t}"),
        }),
    }
}

/// Resolution of an untagged plain scalar; `None` for an integer that fits only `uint64`, which
/// sops' tree walk cannot take.
fn resolve_plain(text: &str) -> Option<Value> {
    let scalar = |s| Value::Scalar(s);
    let fixed = match text {
        "" | "~" | "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(scalar(Scalar::Bool(true))),
        "false" | "False" | "FALSE" => Some(scalar(Scalar::Bool(false))),
        ".nan" | ".NaN" | ".NAN" => Some(scalar(Scalar::Float(f64::NAN))),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            Some(scalar(Scalar::Float(f64::INFINITY)))
        }
        "-.inf" | "-.Inf" | "-.INF" => Some(scalar(Scalar::Float(f64::NEG_INFINITY))),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let str_value = || scalar(Scalar::Str(text.to_owned()));
    Some(match text.as_bytes()[0] {
        b'.' => match text.parse::<f64>() {
            Ok(f) if !text.contains(['i', 'I', 'n', 'N']) => scalar(Scalar::Float(f)),
            _ => str_value(),
        },
        b'0'..=b'9' | b'+' | b'-' => {
            if let Some(t) = crate::sops::time::yaml_timestamp(text) {
                return Some(scalar(Scalar::Time(t)));
            }
            let plain = text.replace('_', "");
            if let Some(i) = goyaml::parse_int_value(&plain, 0) {
                return Some(scalar(Scalar::Int(i)));
            }
            if goyaml::parse_uint_value(&plain, 0).is_some() {
                return None;
            }
            if goyaml::is_yaml_style_float(&plain)
                && let Ok(f) = plain.parse::<f64>()
            {
                return Some(scalar(Scalar::Float(f)));
            }
            str_value()
        }
        _ => str_value(),
    })
}

/// Whether go-yaml v3 reads this plain scalar back as the same string.
pub fn plain_is_string(text: &str) -> bool {
    !text.is_empty() && resolve_plain(text) == Some(Value::Scalar(Scalar::Str(text.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Branch {
        let mut docs = parse(src, true).unwrap();
        assert_eq!(docs.len(), 1);
        docs.remove(0).branch
    }

    fn scalar(src: &str) -> Value {
        one(&format!("v: {src}\n")).get("v").unwrap().clone()
    }

    #[test]
    fn scalars_resolve_like_go_yaml_v3() {
        use Scalar::*;
        let cases: &[(&str, Value)] = &[
            ("yes", Value::Scalar(Str("yes".into()))),
            ("True", Value::Scalar(Bool(true))),
            ("0o17", Value::Scalar(Int(15))),
            ("017", Value::Scalar(Int(15))),
            ("0x1F", Value::Scalar(Int(31))),
            ("1_000", Value::Scalar(Int(1000))),
            ("08", Value::Scalar(Float(8.0))),
            ("1e3", Value::Scalar(Float(1000.0))),
            (".5", Value::Scalar(Float(0.5))),
            ("~", Value::Null),
            ("\"3\"", Value::Scalar(Str("3".into()))),
            ("!!str 3", Value::Scalar(Str("3".into()))),
            ("!!float 3", Value::Scalar(Float(3.0))),
            (
                "2024-01-02",
                Value::Scalar(Time("2024-01-02T00:00:00Z".into())),
            ),
            (
                "ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]",
                Value::Scalar(Str("ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]".into())),
            ),
        ];
        for (src, want) in cases {
            assert_eq!(&scalar(src), want, "{src}");
        }
        assert!(parse("v: 18446744073709551615\n", false).is_err());
        assert!(parse("v: !!int abc\n", false).is_err());
    }

    #[test]
    fn structure_aliases_and_errors() {
        let b = one("a: &x\n  - 1\n  - b: 2\nc: *x\n<<: {d: 1}\n");
        assert_eq!(b.get("a"), b.get("c"));
        assert!(b.get("<<").is_some());
        assert!(parse("a: 1\na: 2\n", false).is_err());
        assert!(parse("1: x\n", false).is_err());
        assert!(parse("- 1\n", false).is_err());
        assert!(parse("a: [\n", false).is_err());
        let docs = parse("a: 1\n---\nb: 2\n", false).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].line, 2);
    }

    #[test]
    fn comments_are_placed_before_the_entry_they_annotate() {
        let b = one("# head\na: 1 # inline\nb:\n  # nested\n  c: 2\n# foot\n");
        let kinds: Vec<String> =
            b.0.iter()
                .map(|e| match e {
                    Entry::Comment(c) => format!("#{c}"),
                    Entry::Pair(k, _) => k.clone(),
                })
                .collect();
        assert_eq!(kinds, ["# head", "# inline", "a", "b"]);
        let Some(Value::Map(inner)) = b.get("b") else {
            panic!("b is a map")
        };
        assert!(matches!(&inner.0[0], Entry::Comment(c) if c == " nested"));
    }

    #[test]
    fn v3_plain_strings() {
        assert!(plain_is_string("hello"));
        assert!(plain_is_string("yes"));
        assert!(!plain_is_string("0o17"));
        assert!(!plain_is_string("2024-01-02"));
        assert!(!plain_is_string("True"));
    }
}
