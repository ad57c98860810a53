//! Parses YAML and JSON text into [`Node`] trees with positions.
//!
//! This module owns the step from text to tree: multi-document streams, anchors, aliases and
//! merge keys, duplicate-key detection, and the resolution of plain scalars to null, booleans,
//! numbers and strings. Kubernetes reads manifests with `sigs.k8s.io/yaml`, which decodes with
//! go-yaml v2 (YAML 1.1 scalar rules: `yes`, `on` and `0777` are not strings there) and then
//! converts the result to JSON, turning every mapping key into a string. The tree built here is
//! meant to match what the API server would receive for the same file, so that what eso-render
//! renders is what `kubectl apply` would have applied.
//!
//! It must not know anything about Kubernetes kinds or ESO types (that is the loader's job), must
//! not panic or overflow the stack on any input, and must not let aliases blow up memory.
//!
//! Deviations from go-yaml v2 + `sigs.k8s.io/yaml`, each chosen on purpose:
//! - Duplicate keys are an error (v2 silently keeps the last one; kubectl's strict field
//!   validation rejects them, and a silent override in a secret manifest hides mistakes).
//! - Merge keys: explicit keys win over merged ones wherever they appear in the mapping (v2 lets a
//!   `<<` written after an explicit key override it; the merge-key spec and go-yaml v3 do not).
//! - Integers beyond `i64` that v2 keeps as `uint64` become [`Value::Float`], as [`Value`] has no
//!   unsigned variant.
//! - `!!binary` keeps its base64 text instead of decoding it (v2 decodes to raw bytes, which JSON
//!   can only carry lossily; manifests put base64 where base64 is expected anyway).
//! - A null mapping key becomes the key `"null"` (`sigs.k8s.io/yaml` rejects it).
//! - `key:<TAB>value` is accepted like libyaml does, although the underlying YAML 1.2 parser
//!   rejects it: the offending tabs are turned into spaces and the text is parsed again.
//! - JSON `\uD83D\uDE00` surrogate-pair escapes are rejected, as by go-yaml v2 (kubectl accepts
//!   them only because it sends pure JSON files to a JSON decoder).
//!
//! Positions count lines and characters (Unicode scalar values, a tab being one) from 1, with the
//! BOM stripped first.
//!
//! Timestamps need no special case: v2 hands timestamp-looking scalars to `interface{}` targets as
//! the original string, which is what falling through to [`Value::Str`] gives.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::manifest::node::{Key, Node, Pos, Value};

/// Deepest nesting of mappings and sequences accepted. Trees are walked recursively elsewhere
/// (clone, drop, printing), so the depth must stay far below what a thread's stack can take.
pub const MAX_DEPTH: usize = 512;

/// Most nodes that alias expansion may produce in one document ("billion laughs" guard).
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Re-parses allowed for putting back tabs that the `key:<TAB>value` repair took from scalars.
const MAX_TAB_FIX_ROUNDS: usize = 8;

/// The tag handle of the YAML core schema; `!!str` arrives as this prefix plus `str`.
const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// One non-empty document of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub node: Node,
    /// Where the document starts: its `---` marker, or its first token when it has none.
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("invalid YAML: {message}")]
    Syntax { pos: Pos, message: String },
    #[error("duplicate key {key:?} (first defined at {first})")]
    DuplicateKey { pos: Pos, key: String, first: Pos },
    #[error("complex mapping keys are not supported")]
    ComplexKey { pos: Pos },
    #[error("unknown alias \"*{name}\"")]
    UnknownAlias { pos: Pos, name: String },
    #[error("alias \"*{name}\" refers to a node that contains it")]
    RecursiveAlias { pos: Pos, name: String },
    #[error("aliases expand to more than {limit} nodes in one document")]
    AliasExpansion { pos: Pos, limit: usize },
    #[error("nesting is deeper than {limit} levels")]
    TooDeep { pos: Pos, limit: usize },
    /// The scalar itself is left out: it may be a secret value.
    #[error("the value cannot be read as {tag}")]
    Tag { pos: Pos, tag: String },
    #[error("merge key value must be a mapping or a list of mappings, found {found}")]
    Merge { pos: Pos, found: &'static str },
}

impl Error {
    /// Where in the source the error was found.
    pub fn pos(&self) -> Pos {
        match self {
            Error::Syntax { pos, .. }
            | Error::DuplicateKey { pos, .. }
            | Error::ComplexKey { pos }
            | Error::UnknownAlias { pos, .. }
            | Error::RecursiveAlias { pos, .. }
            | Error::AliasExpansion { pos, .. }
            | Error::TooDeep { pos, .. }
            | Error::Tag { pos, .. }
            | Error::Merge { pos, .. } => *pos,
        }
    }
}

/// Parses every document of a YAML (or JSON) stream.
///
/// Documents that hold nothing but `null` (empty ones, comment-only ones, `--- ~`) are skipped,
/// as kubectl does.
pub fn parse_documents(src: &str) -> Result<Vec<Document>, Error> {
    let src = src.strip_prefix('\u{FEFF}').unwrap_or(src);
    match parse_stream(src, &[], &mut Vec::new()) {
        Ok(docs) => Ok(docs),
        Err(Failure::Tree(e)) => Err(e),
        Err(Failure::Scan(e)) if is_tab_after_colon(&e) => parse_with_tab_fixes(src, &e),
        Err(Failure::Scan(e)) => Err(scan_error(src, &e)),
    }
}

/// Whether a plain scalar with this text reads back as this very string (and not as null, a
/// boolean or a number). The printer writes strings unquoted only then. It copies nothing, as the
/// text may be a secret.
pub(crate) fn plain_is_string(text: &str) -> bool {
    resolve(text) == Resolved::Str
}

/// The value a plain (unquoted, untagged) scalar resolves to under go-yaml v2's rules.
fn resolve_plain(text: &str) -> Value {
    match resolve(text) {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Int(i),
        Resolved::BigInt(f) | Resolved::Float(f) => Value::Float(f),
        Resolved::Str => Value::Str(text.to_owned()),
    }
}

enum Failure {
    Scan(ScanError),
    Tree(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Tree(e)
    }
}

/// Parses a stream. `fixed` lists (sorted) character indices where a tab was turned into a space;
/// those that land inside a scalar, where the tab was content, are added to `touched`.
fn parse_stream(
    src: &str,
    fixed: &[usize],
    touched: &mut Vec<usize>,
) -> Result<Vec<Document>, Failure> {
    let mut parser = Parser::new_from_str(src);
    let mut docs = Vec::new();
    let mut doc: Option<DocBuilder<'_>> = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(Failure::Scan)?;
        if !fixed.is_empty() && matches!(event, Event::Scalar(..)) {
            let from = fixed.partition_point(|i| *i < span.start.index());
            let to = fixed.partition_point(|i| *i < span.end.index());
            touched.extend_from_slice(&fixed[from..to]);
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => doc = Some(DocBuilder::new(src, pos_of(span.start))),
            Event::DocumentEnd => {
                if let Some(builder) = doc.take()
                    && let Some(node) = builder.root
                    && node.value != Value::Null
                {
                    docs.push(Document {
                        node,
                        pos: builder.pos,
                    });
                }
            }
            event => match doc.as_mut() {
                Some(builder) => builder.event(event, span)?,
                // The parser always opens a document before any node; nothing to attach to.
                None => {
                    return Err(Error::Syntax {
                        pos: pos_of(span.start),
                        message: "node outside of a document".into(),
                    }
                    .into());
                }
            },
        }
    }
    Ok(docs)
}

/// saphyr lines are 1-based and columns 0-based (in characters); `Pos` is 1-based for both.
fn pos_of(mark: Marker) -> Pos {
    Pos {
        line: u32::try_from(mark.line()).unwrap_or(u32::MAX),
        col: u32::try_from(mark.col())
            .unwrap_or(u32::MAX)
            .saturating_add(1),
    }
}

fn scan_error(src: &str, e: &ScanError) -> Error {
    let pos = pos_of(*e.marker());
    // The parser reports aliases it cannot resolve as a syntax error without the name.
    if e.info().contains("unknown anchor") {
        return Error::UnknownAlias {
            pos,
            name: alias_name_at(src, e.marker().index()),
        };
    }
    Error::Syntax {
        pos,
        message: e.info().trim_end_matches('.').to_owned(),
    }
}

/// The anchor name of the alias token `*name` starting at character `index` of `src`.
fn alias_name_at(src: &str, index: usize) -> String {
    src.chars()
        .skip(index)
        .skip_while(|c| *c == '*')
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

fn is_tab_after_colon(e: &ScanError) -> bool {
    e.info()
        .starts_with("':' must be followed by a valid YAML whitespace")
}

/// libyaml (so kubectl) accepts tabs between `:` and a value on the same line; saphyr rejects
/// them when the value starts with a letter or `-`. Every tab that follows a `:` becomes a space,
/// which keeps all positions (both count one column) and, as separation whitespace, the meaning.
/// Tabs that turn out to lie inside a scalar were content: they are put back and the text parsed
/// again, which rarely takes more than one extra round.
fn parse_with_tab_fixes(src: &str, original: &ScanError) -> Result<Vec<Document>, Error> {
    let mut chars: Vec<char> = src.chars().collect();
    let mut fixed = tabs_after_colons(&chars);
    for &i in &fixed {
        chars[i] = ' ';
    }
    for _ in 0..MAX_TAB_FIX_ROUNDS {
        let text: String = chars.iter().collect();
        let mut touched = Vec::new();
        let result = parse_stream(&text, &fixed, &mut touched);
        if touched.is_empty() {
            return match result {
                Ok(docs) => Ok(docs),
                Err(Failure::Tree(e)) => Err(e),
                Err(Failure::Scan(e)) => Err(scan_error(&text, &e)),
            };
        }
        touched.sort_unstable();
        for &i in &touched {
            chars[i] = '\t';
        }
        fixed.retain(|i| touched.binary_search(i).is_err());
    }
    Err(scan_error(src, original))
}

/// Character indices of the tabs in each blank run that follows a `:` and precedes more text on
/// the same line, in ascending order.
fn tabs_after_colons(chars: &[char]) -> Vec<usize> {
    let mut tabs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ':' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let end = start
            + chars[start..]
                .iter()
                .take_while(|c| matches!(c, ' ' | '\t'))
                .count();
        if chars
            .get(end)
            .is_some_and(|c| !matches!(c, '\n' | '\r' | '#'))
        {
            tabs.extend((start..end).filter(|&j| chars[j] == '\t'));
        }
        i = end.max(start);
    }
    tabs
}

/// A finished subtree with the numbers the alias guards need.
#[derive(Clone)]
struct Built {
    node: Node,
    /// Nodes in the subtree, counting the root.
    size: usize,
    /// Collections on the longest path down (0 for a scalar).
    height: usize,
}

/// A collection whose end event has not arrived yet.
struct Frame {
    pos: Pos,
    anchor: usize,
    size: usize,
    height: usize,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map(MapFrame),
}

#[derive(Default)]
struct MapFrame {
    entries: Vec<(Key, Node)>,
    /// Mappings brought in by `<<`, each with the number of explicit entries before it.
    merges: Vec<(usize, Vec<(Key, Node)>)>,
    /// Explicit keys and where they were first defined.
    seen: HashMap<String, Pos>,
    /// The key whose value comes next; `None` while a key is expected.
    pending: Option<Pending>,
}

enum Pending {
    Key(Key),
    Merge,
}

struct DocBuilder<'s> {
    src: &'s str,
    pos: Pos,
    stack: Vec<Frame>,
    /// Anchored nodes of this document by the parser's anchor id. The parser does not reset its
    /// anchor names between documents, so an alias to an earlier document is caught here.
    anchors: HashMap<usize, Built>,
    expanded: usize,
    root: Option<Node>,
}

impl<'s> DocBuilder<'s> {
    fn new(src: &'s str, pos: Pos) -> Self {
        Self {
            src,
            pos,
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
            root: None,
        }
    }

    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: FrameKind::Map(MapFrame { pending: None, .. }),
                ..
            })
        )
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Error> {
        let pos = pos_of(span.start);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.as_deref();
                let is_merge = self.expects_key()
                    && match tag {
                        None => style == ScalarStyle::Plain && text == "<<",
                        Some(tag) => core_suffix(tag) == Some("merge"),
                    };
                if is_merge {
                    self.set_pending(Pending::Merge);
                    return Ok(());
                }
                let value = scalar_value(&text, style, tag).ok_or_else(|| Error::Tag {
                    pos,
                    tag: tag.map(tag_name).unwrap_or_default(),
                })?;
                let built = Built {
                    node: Node { pos, value },
                    size: 1,
                    height: 0,
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, built.clone());
                }
                self.deliver(built)
            }
            Event::Alias(id) => {
                let name = || alias_name_at(self.src, span.start.index());
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err(if self.stack.iter().any(|f| f.anchor == id) {
                        Error::RecursiveAlias { pos, name: name() }
                    } else {
                        Error::UnknownAlias { pos, name: name() }
                    });
                };
                self.expanded = self.expanded.saturating_add(anchored.size);
                if self.expanded > MAX_ALIAS_NODES {
                    return Err(Error::AliasExpansion {
                        pos,
                        limit: MAX_ALIAS_NODES,
                    });
                }
                if self.stack.len() + anchored.height > MAX_DEPTH {
                    return Err(Error::TooDeep {
                        pos,
                        limit: MAX_DEPTH,
                    });
                }
                let mut built = anchored.clone();
                built.node.pos = pos;
                self.deliver(built)
            }
            Event::SequenceStart(anchor, _) => self.open(pos, anchor, FrameKind::Seq(Vec::new())),
            Event::MappingStart(anchor, _) => {
                self.open(pos, anchor, FrameKind::Map(MapFrame::default()))
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    fn open(&mut self, pos: Pos, anchor: usize, kind: FrameKind) -> Result<(), Error> {
        if self.expects_key() {
            return Err(Error::ComplexKey { pos });
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error::TooDeep {
                pos,
                limit: MAX_DEPTH,
            });
        }
        self.stack.push(Frame {
            pos,
            anchor,
            size: 1,
            height: 1,
            kind,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), Error> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        // Trees live for the whole run (error positions, pass-through): drop the slack that
        // push-doubling leaves, which is a third of the heap for large inputs.
        let value = match frame.kind {
            FrameKind::Seq(mut items) => {
                items.shrink_to_fit();
                Value::Seq(items)
            }
            FrameKind::Map(map) => {
                let mut entries = apply_merges(map);
                entries.shrink_to_fit();
                Value::Map(entries)
            }
        };
        let built = Built {
            node: Node {
                pos: frame.pos,
                value,
            },
            size: frame.size,
            height: frame.height,
        };
        if frame.anchor != 0 {
            self.anchors.insert(frame.anchor, built.clone());
        }
        self.deliver(built)
    }

    fn set_pending(&mut self, pending: Pending) {
        if let Some(Frame {
            kind: FrameKind::Map(map),
            ..
        }) = self.stack.last_mut()
        {
            map.pending = Some(pending);
        }
    }

    /// Hands a finished node to the collection being built, or makes it the document root.
    fn deliver(&mut self, built: Built) -> Result<(), Error> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return Ok(());
        };
        frame.size = frame.size.saturating_add(built.size);
        frame.height = frame.height.max(built.height + 1);
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(built.node),
            FrameKind::Map(map) => match map.pending.take() {
                Some(Pending::Key(key)) => map.entries.push((key, built.node)),
                Some(Pending::Merge) => {
                    let at = map.entries.len();
                    for source in merge_sources(built.node)? {
                        map.merges.push((at, source));
                    }
                }
                None => {
                    let pos = built.node.pos;
                    let text = key_text(built.node.value).ok_or(Error::ComplexKey { pos })?;
                    if let Some(first) = map.seen.get(&text) {
                        return Err(Error::DuplicateKey {
                            pos,
                            key: text,
                            first: *first,
                        });
                    }
                    map.seen.insert(text.clone(), pos);
                    map.pending = Some(Pending::Key(Key { text, pos }));
                }
            },
        }
        Ok(())
    }
}

/// The mappings a `<<` value brings in, in priority order.
fn merge_sources(node: Node) -> Result<Vec<Vec<(Key, Node)>>, Error> {
    let not_a_map = |node: &Node| Error::Merge {
        pos: node.pos,
        found: node.value.kind_name(),
    };
    match node.value {
        Value::Map(entries) => Ok(vec![entries]),
        Value::Seq(items) => items
            .into_iter()
            .map(|item| match item.value {
                Value::Map(entries) => Ok(entries),
                _ => Err(not_a_map(&item)),
            })
            .collect(),
        _ => Err(not_a_map(&node)),
    }
}

/// Entries of a finished mapping: merged entries go where their `<<` was, unless an explicit key
/// (anywhere in the mapping) or an earlier merged mapping already has the key.
fn apply_merges(map: MapFrame) -> Vec<(Key, Node)> {
    if map.merges.is_empty() {
        return map.entries;
    }
    let mut taken: HashSet<String> = map.seen.into_keys().collect();
    let mut out = Vec::with_capacity(map.entries.len());
    let mut merges = map.merges.into_iter().peekable();
    let mut merge_until = |at: usize, out: &mut Vec<(Key, Node)>| {
        while let Some((_, source)) = merges.next_if(|(pos, _)| *pos <= at) {
            for (key, node) in source {
                if taken.insert(key.text.clone()) {
                    out.push((key, node));
                }
            }
        }
    };
    for (i, entry) in map.entries.into_iter().enumerate() {
        merge_until(i, &mut out);
        out.push(entry);
    }
    merge_until(usize::MAX, &mut out);
    out
}

/// A key as `sigs.k8s.io/yaml` turns it into a JSON object key; `None` for collections.
fn key_text(value: Value) -> Option<String> {
    Some(match value {
        Value::Str(s) => s,
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_format_float32(f),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

/// The suffix of a core-schema tag (`str` for `!!str`), `None` for local and custom tags.
fn core_suffix(tag: &Tag) -> Option<&str> {
    if tag.handle == CORE_TAG_PREFIX {
        Some(&tag.suffix)
    } else if tag.handle.is_empty() {
        // Verbatim tags `!<tag:yaml.org,2002:str>` arrive with the whole tag as the suffix.
        tag.suffix.strip_prefix(CORE_TAG_PREFIX)
    } else {
        None
    }
}

/// A tag as written in the source, for messages.
fn tag_name(tag: &Tag) -> String {
    match core_suffix(tag) {
        Some(suffix) => format!("!!{suffix}"),
        None => format!("{}{}", tag.handle, tag.suffix),
    }
}

/// The value of a scalar; `None` when its tag demands a type the text is not.
fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Option<Value> {
    let Some(tag) = tag else {
        return Some(if style == ScalarStyle::Plain {
            resolve_plain(text)
        } else {
            Value::Str(text.to_owned())
        });
    };
    let resolved = resolve(text);
    // Tags apply whatever the style: `!!int "42"` is the number 42, as in go-yaml v2.
    Some(match core_suffix(tag) {
        Some("int") => match resolved {
            Resolved::Int(i) => Value::Int(i),
            Resolved::BigInt(f) => Value::Float(f),
            _ => return None,
        },
        Some("float") => match resolved {
            Resolved::Int(i) => Value::Float(i as f64),
            Resolved::BigInt(f) | Resolved::Float(f) => Value::Float(f),
            _ => return None,
        },
        Some("bool") => match resolved {
            Resolved::Bool(b) => Value::Bool(b),
            _ => return None,
        },
        Some("null") => match resolved {
            Resolved::Null => Value::Null,
            _ => return None,
        },
        // `!!str`, `!!binary` (kept as base64 text), `!!timestamp` (v2 hands it over as text),
        // the non-specific `!` and custom tags: v2 does not resolve any of them.
        _ => Value::Str(text.to_owned()),
    })
}

/// What go-yaml v2's `resolve` makes of a scalar's text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// Integer syntax outside `i64` that v2 still reads as a number (as `uint64`).
    BigInt(f64),
    Float(f64),
    Str,
}

/// go-yaml v2 `resolve()` for an untagged scalar. It first looks the text up in a fixed table,
/// then tries numbers only when the first character hints at one (`resolveTable`).
fn resolve(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Resolved::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Resolved::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match text.as_bytes().first() {
        // v2 runs strconv.ParseFloat on the text as is: no sign, no underscores, finite.
        Some(b'.') if is_dot_float(text) => finite_float(text),
        Some(b'+' | b'-' | b'0'..=b'9') if text.contains('_') => {
            resolve_number(&text.replace('_', ""))
        }
        Some(b'+' | b'-' | b'0'..=b'9') => resolve_number(text),
        _ => Resolved::Str,
    }
}

/// `\.[0-9]+([eE][-+]?[0-9]+)?`: what Go's ParseFloat accepts from text starting with a dot.
fn is_dot_float(text: &str) -> bool {
    let rest = &text[1..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (rest.len() == digits || is_exponent(&rest[digits..]))
}

/// `[eE][-+]?[0-9]+`
fn is_exponent(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['e', 'E']) else {
        return false;
    };
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

/// The `'D'`/`'S'` branch of v2's resolve, after underscores were removed: Go's
/// `strconv.ParseInt(s, 0, 64)` (sign, `0x`, `0o`, `0b`, leading-zero octal), then
/// `ParseUint`, then a float that matches v2's `yamlStyleFloat` pattern.
fn resolve_number(plain: &str) -> Resolved {
    let (negative, signed, digits) = match plain.as_bytes().first() {
        Some(b'-') => (true, true, &plain[1..]),
        Some(b'+') => (false, true, &plain[1..]),
        _ => (false, false, plain),
    };
    if let Some(magnitude) = parse_go_uint(digits) {
        let value = if negative {
            -i128::from(magnitude)
        } else {
            i128::from(magnitude)
        };
        if let Ok(i) = i64::try_from(value) {
            return Resolved::Int(i);
        }
        // ParseUint takes no sign, so only unsigned text gets here as a number.
        if !signed {
            return Resolved::BigInt(magnitude as f64);
        }
    }
    if is_yaml_style_float(plain) {
        return finite_float(plain);
    }
    Resolved::Str
}

/// Unsigned integer in Go's base-0 syntax; `None` if invalid or above `u64::MAX`.
fn parse_go_uint(s: &str) -> Option<u64> {
    let (radix, digits) = match s.as_bytes() {
        [b'0', b'x' | b'X', ..] => (16, &s[2..]),
        [b'0', b'o' | b'O', ..] => (8, &s[2..]),
        [b'0', b'b' | b'B', ..] => (2, &s[2..]),
        [b'0', _, ..] => (8, &s[1..]),
        _ => (10, s),
    };
    // from_str_radix alone would accept a sign here ("0x-1", "0b+1").
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int_digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = &s[int_digits..];
    if let Some(frac) = rest.strip_prefix('.') {
        let frac_digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if int_digits == 0 && frac_digits == 0 {
            return false;
        }
        rest = &frac[frac_digits..];
    } else if int_digits == 0 {
        return false;
    }
    rest.is_empty() || is_exponent(rest)
}

/// Go's ParseFloat fails on overflow, and v2 then keeps the text as a string.
fn finite_float(s: &str) -> Resolved {
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() => Resolved::Float(f),
        _ => Resolved::Str,
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 32)` as `sigs.k8s.io/yaml` uses for float keys, with its
/// `.inf`/`-.inf`/`.nan` replacements.
fn go_format_float32(f: f64) -> String {
    let f = f as f32;
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-7".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if f.is_sign_negative() { "-" } else { "" };
    // Go switches to exponent form outside -4 <= exp < 6 when printing the shortest digits.
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{dot}{rest}e{exp_sign}{:02}", exp.abs());
    }
    let point = usize::try_from(exp + 1).unwrap_or(0);
    if exp < 0 {
        let zeros = "0".repeat(usize::try_from(-exp - 1).unwrap_or(0));
        format!("{sign}0.{zeros}{digits}")
    } else if digits.len() <= point {
        format!("{sign}{digits}{}", "0".repeat(point - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(src: &str) -> Vec<Document> {
        match parse_documents(src) {
            Ok(docs) => docs,
            Err(e) => panic!("{src:?}: {e} at {}", e.pos()),
        }
    }

    fn one(src: &str) -> Node {
        let mut all = docs(src);
        assert_eq!(all.len(), 1, "{src:?}");
        all.remove(0).node
    }

    fn err(src: &str) -> Error {
        match parse_documents(src) {
            Ok(docs) => panic!("{src:?} parsed: {docs:?}"),
            Err(e) => e,
        }
    }

    fn pos(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    /// The value of `v: <text>`.
    fn scalar(text: &str) -> Value {
        one(&format!("v: {text}\n"))
            .get("v")
            .expect("key v")
            .value
            .clone()
    }

    fn keys(node: &Node) -> Vec<&str> {
        match &node.value {
            Value::Map(entries) => entries.iter().map(|(k, _)| k.text.as_str()).collect(),
            other => panic!("not a map: {other:?}"),
        }
    }

    fn str_value(s: &str) -> Value {
        Value::Str(s.to_owned())
    }

    /// Strips positions so trees from different texts can be compared.
    fn plain(node: &Node) -> Value {
        match &node.value {
            Value::Seq(items) => Value::Seq(items.iter().map(|n| Node::new(plain(n))).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, n)| {
                        (
                            Key {
                                text: k.text.clone(),
                                pos: Pos::default(),
                            },
                            Node::new(plain(n)),
                        )
                    })
                    .collect(),
            ),
            v => v.clone(),
        }
    }

    #[test]
    fn positions_are_one_based() {
        let root = one("# comment\napiVersion: v1\nmetadata:\n  name: x\n  labels: {a: b}\n");
        assert_eq!(root.pos, pos(2, 1));
        let (key, value) = root.get_entry("apiVersion").unwrap();
        assert_eq!((key.pos, value.pos), (pos(2, 1), pos(2, 13)));
        let metadata = root.get("metadata").unwrap();
        assert_eq!(metadata.pos, pos(4, 3));
        let (key, value) = metadata.get_entry("name").unwrap();
        assert_eq!((key.pos, value.pos), (pos(4, 3), pos(4, 9)));
        let labels = metadata.get("labels").unwrap();
        assert_eq!(labels.pos, pos(5, 11));
        assert_eq!(labels.get_entry("a").unwrap().0.pos, pos(5, 12));
        assert_eq!(labels.get("a").unwrap().pos, pos(5, 15));
        assert_eq!(root.find("metadata.labels.a"), pos(5, 12));
    }

    #[test]
    fn sequence_positions() {
        let root = one("list:\n- a\n- b: 1\n  c: 2\n");
        let Value::Seq(items) = &root.get("list").unwrap().value else {
            panic!("not a list");
        };
        assert_eq!(items[0].pos, pos(2, 3));
        assert_eq!(items[1].pos, pos(3, 3));
        assert_eq!(items[1].get_entry("c").unwrap().0.pos, pos(4, 3));
        assert_eq!(root.find("list[1].c"), pos(4, 3));
    }

    #[test]
    fn document_positions_and_empty_documents() {
        let src = "\n# only a comment\n---\n---\na: 1\n---\n# nothing\n...\n--- ~\n--- null\n--- !!null\n---\nb: 2\n...\n---\n- x\n";
        let all = docs(src);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].pos, pos(4, 1));
        assert_eq!(all[0].node.pos, pos(5, 1));
        assert_eq!(all[1].pos, pos(12, 1));
        assert_eq!(plain(&all[1].node), plain(&one("b: 2")));
        assert_eq!(all[2].pos, pos(15, 1));
        assert!(docs("").is_empty());
        assert!(docs("# just a comment\n").is_empty());
        assert!(docs("---\n...\n---\n").is_empty());
    }

    #[test]
    fn implicit_first_document() {
        let all = docs("a: 1\n---\nb: 2\n");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].pos, pos(1, 1));
        assert_eq!(all[1].pos, pos(2, 1));
        assert_eq!(docs("--- x\n").len(), 1);
        assert_eq!(one("--- x\n").value, str_value("x"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = err("metadata:\n  name: a\n  labels: {}\n  name: b\n");
        assert_eq!(
            e,
            Error::DuplicateKey {
                pos: pos(4, 3),
                key: "name".into(),
                first: pos(2, 3)
            }
        );
        assert_eq!(e.pos(), pos(4, 3));
        assert_eq!(
            e.to_string(),
            "duplicate key \"name\" (first defined at 2:3)"
        );
        // Keys are compared after conversion to strings, as the JSON object would see them.
        assert!(matches!(
            err("1: a\n\"1\": b\n"),
            Error::DuplicateKey { .. }
        ));
        assert!(matches!(
            err("yes: a\ntrue: b\n"),
            Error::DuplicateKey { .. }
        ));
        assert!(matches!(
            err("0x10: a\n16: b\n"),
            Error::DuplicateKey { .. }
        ));
        // The same key in different mappings is fine.
        one("a: {x: 1}\nb: {x: 2}\n");
    }

    #[test]
    fn duplicate_keys_in_json() {
        let e = err("{\n  \"kind\": \"Secret\",\n  \"kind\": \"ConfigMap\"\n}");
        assert_eq!(e.pos(), pos(3, 3));
        assert_eq!(
            e.to_string(),
            "duplicate key \"kind\" (first defined at 2:3)"
        );
        assert!(matches!(
            err(r#"[{"a":1,"a":2}]"#),
            Error::DuplicateKey { .. }
        ));
    }

    #[test]
    fn json_documents() {
        let src = r#"{"apiVersion":"v1","kind":"Secret","data":{"k":"dmFsdWU="},"n":[1,-2.5,1e3,true,false,null,"yes","\u00e9\n"],"big":12345678901234567890}"#;
        let root = one(src);
        assert_eq!(root.get("kind").unwrap().as_str(), Some("Secret"));
        assert_eq!(
            root.get("data").unwrap().get("k").unwrap().as_str(),
            Some("dmFsdWU=")
        );
        let Value::Seq(n) = &root.get("n").unwrap().value else {
            panic!("not a list");
        };
        let values: Vec<Value> = n.iter().map(|n| n.value.clone()).collect();
        assert_eq!(
            values,
            vec![
                Value::Int(1),
                Value::Float(-2.5),
                Value::Float(1000.0),
                Value::Bool(true),
                Value::Bool(false),
                Value::Null,
                str_value("yes"),
                str_value("é\n"),
            ]
        );
        assert_eq!(
            root.get("big").unwrap().value,
            Value::Float(12345678901234567890.0)
        );
        let col = src.find("-2.5").unwrap() + 1;
        assert_eq!(n[1].pos, pos(1, u32::try_from(col).unwrap()));
    }

    #[test]
    fn json_with_surrogate_pairs_is_rejected() {
        assert!(matches!(
            err(r#"{"a": "\ud83d\ude00"}"#),
            Error::Syntax { .. }
        ));
    }

    #[test]
    fn nulls() {
        for text in ["", "~", "null", "Null", "NULL", "!!null ''", "!!null"] {
            assert_eq!(scalar(text), Value::Null, "{text:?}");
        }
        for text in ["nULL", "NUll", "'null'", "\"~\"", "none", "nil"] {
            assert!(matches!(scalar(text), Value::Str(_)), "{text:?}");
        }
    }

    #[test]
    fn booleans() {
        for text in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(scalar(text), Value::Bool(true), "{text:?}");
        }
        for text in [
            "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ] {
            assert_eq!(scalar(text), Value::Bool(false), "{text:?}");
        }
        for text in [
            "yEs",
            "tRUE",
            "oN",
            "'yes'",
            "\"on\"",
            "|\n  true",
            "enabled",
        ] {
            assert!(matches!(scalar(text), Value::Str(_)), "{text:?}");
        }
    }

    #[test]
    fn integers() {
        let cases: &[(&str, i64)] = &[
            ("0", 0),
            ("-0", 0),
            ("42", 42),
            ("+42", 42),
            ("-17", -17),
            ("1_000_000", 1_000_000),
            ("1__0", 10),
            ("0x1F", 31),
            ("0X1f", 31),
            ("-0x10", -16),
            ("0x_1F", 31),
            ("0o17", 15),
            ("0O17", 15),
            ("0777", 511),
            ("-0777", -511),
            ("00", 0),
            ("0b101", 5),
            ("-0b101", -5),
            ("0B11", 3),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
            ("0x7FFFFFFFFFFFFFFF", i64::MAX),
        ];
        for (text, want) in cases {
            assert_eq!(scalar(text), Value::Int(*want), "{text:?}");
        }
    }

    #[test]
    fn integers_beyond_i64_become_floats() {
        assert_eq!(
            scalar("9223372036854775808"),
            Value::Float(9223372036854775808.0)
        );
        assert_eq!(
            scalar("-9223372036854775809"),
            Value::Float(-9223372036854775809.0)
        );
        assert_eq!(scalar("0xFFFFFFFFFFFFFFFF"), Value::Float(u64::MAX as f64));
        assert_eq!(
            scalar("123456789012345678901234567890"),
            Value::Float(1.2345678901234568e29)
        );
        // v2 has no number for these: ParseInt/ParseUint fail and they are no decimal floats.
        assert_eq!(
            scalar("0x1FFFFFFFFFFFFFFFF"),
            str_value("0x1FFFFFFFFFFFFFFFF")
        );
        assert_eq!(
            scalar("-0x8000000000000001"),
            str_value("-0x8000000000000001")
        );
    }

    #[test]
    fn floats() {
        let cases: &[(&str, f64)] = &[
            ("1.5", 1.5),
            ("-1.5", -1.5),
            ("+1.5", 1.5),
            (".5", 0.5),
            ("-.5", -0.5),
            ("1.", 1.0),
            ("1e3", 1000.0),
            ("1E3", 1000.0),
            ("-1.5E-3", -0.0015),
            ("1.5e+3", 1500.0),
            (".5e2", 50.0),
            ("1_000.5", 1000.5),
            ("0.0", 0.0),
            ("1e-999", 0.0),
            // Not octal (8 and 9 are no octal digits) but a decimal float for v2.
            ("09", 9.0),
            ("0778", 778.0),
            (".inf", f64::INFINITY),
            (".Inf", f64::INFINITY),
            (".INF", f64::INFINITY),
            ("+.inf", f64::INFINITY),
            ("-.inf", f64::NEG_INFINITY),
            ("-.Inf", f64::NEG_INFINITY),
            ("-.INF", f64::NEG_INFINITY),
        ];
        for (text, want) in cases {
            assert_eq!(scalar(text), Value::Float(*want), "{text:?}");
        }
        for text in [".nan", ".NaN", ".NAN"] {
            assert!(
                matches!(scalar(text), Value::Float(f) if f.is_nan()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn strings_that_look_almost_like_numbers() {
        for text in [
            "1e999",
            ".5e999",
            ".5_0",
            ".",
            ".e3",
            "..",
            ".iNf",
            "+.nan",
            "+",
            "0x",
            "0b",
            "0o",
            "0x1G",
            "0b102",
            "0x-1",
            "_1",
            "1:20",
            "1.2.3",
            "1e",
            "1e+",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "1 2",
            "12abc",
            "v1",
            "infinity",
            "NaN",
            "<<",
        ] {
            assert_eq!(scalar(text), str_value(text), "{text:?}");
        }
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        assert_eq!(scalar("'1'"), str_value("1"));
        assert_eq!(scalar("\"true\""), str_value("true"));
        assert_eq!(scalar("''"), str_value(""));
        assert_eq!(scalar("\"\""), str_value(""));
        assert_eq!(scalar("'it''s'"), str_value("it's"));
        assert_eq!(scalar("\"a\\tb\\u00e9\""), str_value("a\tbé"));
        assert_eq!(scalar("|\n  12\n"), str_value("12\n"));
        assert_eq!(scalar(">-\n  a\n  b\n"), str_value("a b"));
        assert_eq!(scalar("|-\n  null\n"), str_value("null"));
    }

    #[test]
    fn tags() {
        assert_eq!(scalar("!!str 1"), str_value("1"));
        assert_eq!(scalar("!!str true"), str_value("true"));
        assert_eq!(scalar("!!str"), str_value(""));
        assert_eq!(scalar("!!int \"42\""), Value::Int(42));
        assert_eq!(scalar("!!int 0x1F"), Value::Int(31));
        assert_eq!(scalar("!!float 1"), Value::Float(1.0));
        assert_eq!(scalar("!!float '2.5'"), Value::Float(2.5));
        assert_eq!(scalar("!!bool yes"), Value::Bool(true));
        assert_eq!(scalar("!!bool \"off\""), Value::Bool(false));
        assert_eq!(scalar("!!null ~"), Value::Null);
        assert_eq!(scalar("!<tag:yaml.org,2002:str> 5"), str_value("5"));
        assert_eq!(scalar("!<tag:yaml.org,2002:int> '5'"), Value::Int(5));
        assert_eq!(scalar("!!binary aGVsbG8="), str_value("aGVsbG8="));
        assert_eq!(
            scalar("!!binary |\n  aGVs\n  bG8=\n"),
            str_value("aGVs\nbG8=\n")
        );
        assert_eq!(scalar("!!timestamp 2001-12-14"), str_value("2001-12-14"));
        // Custom and non-specific tags: go-yaml v2 leaves the text unresolved.
        assert_eq!(scalar("!Ref 123"), str_value("123"));
        assert_eq!(scalar("! true"), str_value("true"));
        assert_eq!(scalar("!custom hello"), str_value("hello"));
        let root = one("a: !!map {b: 1}\nc: !!seq [1]\nd: !thing {e: 2}\n");
        assert_eq!(
            root.get("a").unwrap().get("b").unwrap().value,
            Value::Int(1)
        );
        assert!(matches!(root.get("c").unwrap().value, Value::Seq(_)));
        assert_eq!(
            root.get("d").unwrap().get("e").unwrap().value,
            Value::Int(2)
        );
    }

    #[test]
    fn tags_that_do_not_fit_are_errors() {
        let e = err("a: 1\nb: !!int 1.5\n");
        assert_eq!(e.pos(), pos(2, 4));
        assert_eq!(e.to_string(), "the value cannot be read as !!int");
        assert!(matches!(err("a: !!int x"), Error::Tag { .. }));
        assert!(matches!(err("a: !!float yes"), Error::Tag { .. }));
        assert!(matches!(err("a: !!bool 1"), Error::Tag { .. }));
        assert!(matches!(err("a: !!null 0"), Error::Tag { .. }));
    }

    #[test]
    fn keys_become_strings() {
        let root = one("1: a\ntrue: b\n~: c\n0x10: d\n1.5: e\n'quoted': g\n\"007\": h\n");
        assert_eq!(
            keys(&root),
            vec!["1", "true", "null", "16", "1.5", "quoted", "007"]
        );
        // The empty key is null as well, so it collides with `~`.
        assert!(matches!(
            parse_documents("~: a\n: b\n"),
            Err(Error::DuplicateKey { .. })
        ));
        assert_eq!(keys(&one(": v\n")), vec!["null"]);
    }

    #[test]
    fn key_canonical_forms() {
        let cases: &[(&str, &str)] = &[
            ("1", "1"),
            ("true", "true"),
            ("True", "true"),
            ("yes", "true"),
            ("y", "true"),
            ("N", "false"),
            ("off", "false"),
            ("~", "null"),
            ("null", "null"),
            ("0x10", "16"),
            ("0777", "511"),
            ("1_000", "1000"),
            ("+5", "5"),
            ("1.5", "1.5"),
            ("1e3", "1000"),
            ("1e6", "1e+06"),
            ("123456", "123456"),
            ("1234567", "1234567"),
            ("1234567.0", "1.234567e+06"),
            ("0.0001", "0.0001"),
            ("0.00001", "1e-05"),
            ("-2.5e-10", "-2.5e-10"),
            ("3.14159265358979", "3.1415927"),
            ("0.1", "0.1"),
            ("0.0", "0"),
            ("-0.0", "-0"),
            ("1e300", ".inf"),
            (".inf", ".inf"),
            ("-.Inf", "-.inf"),
            (".NaN", ".nan"),
            ("'yes'", "yes"),
            ("\"1\"", "1"),
            ("!!str 0x10", "0x10"),
            ("abc", "abc"),
        ];
        for (text, want) in cases {
            let root = one(&format!("{text}: v\n"));
            assert_eq!(keys(&root), vec![*want], "{text:?}");
        }
    }

    #[test]
    fn key_positions_for_empty_and_explicit_keys() {
        let root = one("? k\n: v\n");
        let (key, value) = root.get_entry("k").unwrap();
        assert_eq!((key.pos, value.pos), (pos(1, 3), pos(2, 3)));
        assert_eq!(one("? |\n  block\n: v\n").get("v"), None);
        assert_eq!(keys(&one("? |\n  block\n: v\n")), vec!["block\n"]);
    }

    #[test]
    fn complex_keys_are_errors() {
        let e = err("a: 1\n? [x, y]\n: v\n");
        assert_eq!(e, Error::ComplexKey { pos: pos(2, 3) });
        assert_eq!(e.to_string(), "complex mapping keys are not supported");
        assert!(matches!(err("? {a: 1}\n: v\n"), Error::ComplexKey { .. }));
        assert!(matches!(err("{[1]: v}"), Error::ComplexKey { .. }));
        assert!(matches!(
            err("a: &m {x: 1}\n*m : v\n"),
            Error::ComplexKey { .. }
        ));
    }

    #[test]
    fn anchors_and_aliases() {
        let root = one("base: &b\n  x: 1\n  y: [a, b]\ncopy: *b\nname: &n joe\nalso: *n\n");
        assert_eq!(
            plain(root.get("copy").unwrap()),
            plain(root.get("base").unwrap())
        );
        let copy = root.get("copy").unwrap();
        assert_eq!(copy.pos, pos(4, 7));
        // Children keep the position of the anchored original.
        assert_eq!(copy.get("x").unwrap().pos, pos(2, 6));
        assert_eq!(root.get("also").unwrap().value, str_value("joe"));
        assert_eq!(root.get("also").unwrap().pos, pos(6, 7));
        // An anchored key can be used as a value and a scalar alias as a key.
        let root = one("&k key: 1\nother: *k\n");
        assert_eq!(root.get("other").unwrap().value, str_value("key"));
        let root = one("a: &k name\n*k : 2\n");
        assert_eq!(root.get("name").unwrap().value, Value::Int(2));
        // Anchors may be redefined; an alias refers to the latest definition.
        let root = one("- &a 1\n- *a\n- &a 2\n- *a\n");
        assert_eq!(plain(&root), plain(&one("[1, 1, 2, 2]")),);
    }

    #[test]
    fn unknown_and_recursive_aliases() {
        let e = err("a: 1\nb: *nope\n");
        assert_eq!(
            e,
            Error::UnknownAlias {
                pos: pos(2, 4),
                name: "nope".into()
            }
        );
        assert_eq!(e.to_string(), "unknown alias \"*nope\"");
        // Anchors do not reach into the next document.
        let e = err("a: &x 1\n---\nb: *x\n");
        assert_eq!(
            e,
            Error::UnknownAlias {
                pos: pos(3, 4),
                name: "x".into()
            }
        );
        let e = err("a: &r [1, *r]\n");
        assert_eq!(
            e,
            Error::RecursiveAlias {
                pos: pos(1, 11),
                name: "r".into()
            }
        );
        assert!(matches!(err("&r {a: *r}"), Error::RecursiveAlias { .. }));
    }

    #[test]
    fn alias_bomb_is_stopped() {
        let mut src = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let (prev, next) = (pair[0], pair[1]);
            let refs = vec![format!("*{prev}"); 9].join(",");
            src.push_str(&format!("{next}: &{next} [{refs}]\n"));
        }
        let e = err(&src);
        assert!(
            matches!(
                e,
                Error::AliasExpansion {
                    limit: MAX_ALIAS_NODES,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "aliases expand to more than 1000000 nodes in one document"
        );
        // Moderate reuse is fine, and the budget is per document.
        let small = "a: &a [1, 2, 3]\nb: [*a, *a, *a, *a]\n";
        assert_eq!(docs(&format!("{small}---\n{small}")).len(), 2);
    }

    #[test]
    fn merge_keys() {
        let root = one(
            "base: &base\n  a: 1\n  b: 2\nother: &other\n  b: 20\n  c: 30\nm:\n  <<: *base\n  a: 10\n  z: 0\n",
        );
        let m = root.get("m").unwrap();
        assert_eq!(keys(m), vec!["b", "a", "z"]);
        assert_eq!(m.get("a").unwrap().value, Value::Int(10));
        assert_eq!(m.get("b").unwrap().value, Value::Int(2));

        // Explicit keys win even when written before the merge key.
        let root = one("base: &base {a: 1, b: 2}\nm:\n  a: 10\n  <<: *base\n");
        let m = root.get("m").unwrap();
        assert_eq!(keys(m), vec!["a", "b"]);
        assert_eq!(m.get("a").unwrap().value, Value::Int(10));

        // Among several merged mappings the earlier one wins.
        let root = one("x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nm:\n  <<: [*x, *y]\n  d: 4\n");
        let m = root.get("m").unwrap();
        assert_eq!(keys(m), vec!["a", "b", "c", "d"]);
        assert_eq!(m.get("b").unwrap().value, Value::Int(1));
        assert_eq!(m.get("c").unwrap().value, Value::Int(2));

        // Inline mappings can be merged too, and merged keys never count as duplicates.
        let root = one("m:\n  <<: {a: 1}\n  <<: {a: 2, b: 2}\n  a: 3\n");
        let m = root.get("m").unwrap();
        assert_eq!(keys(m), vec!["b", "a"]);
        assert_eq!(m.get("a").unwrap().value, Value::Int(3));
        assert_eq!(m.get("b").unwrap().value, Value::Int(2));

        // Merged entries keep the positions of the mapping they come from.
        let root = one("base: &b\n  k: v\nm:\n  <<: *b\n");
        assert_eq!(root.find("m.k"), pos(2, 3));
        // The tagged form is a merge key too; a quoted "<<" is an ordinary key.
        let root = one("b: &b {k: v}\nm: {!!merge <<: *b}\nq: {\"<<\": *b}\n");
        assert_eq!(keys(root.get("m").unwrap()), vec!["k"]);
        assert_eq!(keys(root.get("q").unwrap()), vec!["<<"]);
        // A merge result can itself be anchored and merged again.
        let root = one("a: &a {p: 1}\nb: &b {<<: *a, q: 2}\nc: {<<: *b, r: 3}\n");
        assert_eq!(keys(root.get("c").unwrap()), vec!["p", "q", "r"]);
        // An empty list merges nothing.
        assert_eq!(keys(one("m: {<<: [], a: 1}").get("m").unwrap()), vec!["a"]);
        // Duplicate explicit keys are still caught next to a merge key.
        assert!(matches!(
            err("b: &b {k: v}\nm:\n  <<: *b\n  a: 1\n  a: 2\n"),
            Error::DuplicateKey { .. }
        ));
    }

    #[test]
    fn merge_values_must_be_mappings() {
        let e = err("m:\n  <<: 1\n");
        assert_eq!(
            e,
            Error::Merge {
                pos: pos(2, 7),
                found: "a number"
            }
        );
        assert_eq!(
            e.to_string(),
            "merge key value must be a mapping or a list of mappings, found a number"
        );
        assert!(matches!(err("s: &s [1]\nm: {<<: *s}"), Error::Merge { .. }));
        assert!(matches!(
            err("a: &a {x: 1}\nm: {<<: [*a, 2]}"),
            Error::Merge {
                found: "a number",
                ..
            }
        ));
        assert!(matches!(
            err("m: {<<: }"),
            Error::Merge { found: "null", .. }
        ));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let ok = format!("{}x{}", "[".repeat(200), "]".repeat(200));
        one(&ok);
        // Flow collections are limited by the parser itself; block ones by us.
        let flow = format!("{}x{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_documents(&flow).is_err());
        let mut block = String::new();
        for depth in 0..600 {
            block.push_str(&" ".repeat(depth));
            block.push_str("k:\n");
        }
        let e = err(&block);
        assert_eq!(
            e,
            Error::TooDeep {
                pos: pos(513, 513),
                limit: MAX_DEPTH
            }
        );
        let mut block = String::new();
        for depth in 0..5000 {
            block.push_str(&" ".repeat(depth * 2));
            block.push_str("- \n");
        }
        assert!(matches!(err(&block), Error::TooDeep { .. }));
        // An alias must not smuggle in more depth than allowed.
        let mut src = String::from("a: &a ");
        src.push_str(&"[".repeat(200));
        src.push_str(&"]".repeat(200));
        src.push_str("\nb: [[[[[[[[*a]]]]]]]]\nc:\n");
        let mut nest = String::new();
        for depth in 0..320 {
            nest.push_str(&" ".repeat(depth + 1));
            nest.push_str("k:\n");
        }
        nest.push_str(&" ".repeat(321));
        nest.push_str("k: *a\n");
        src.push_str(&nest);
        assert!(
            matches!(err(&src), Error::TooDeep { .. }),
            "{:?}",
            parse_documents(&src).map(|_| ())
        );
    }

    #[test]
    fn bom_and_crlf() {
        let root = one("\u{FEFF}apiVersion: v1\r\nkind: Secret\r\nblock: |\r\n  a\r\n  b\r\n");
        assert_eq!(root.get("apiVersion").unwrap().pos, pos(1, 13));
        assert_eq!(root.get("kind").unwrap().pos, pos(2, 7));
        assert_eq!(root.get("block").unwrap().value, str_value("a\nb\n"));
        assert_eq!(docs("\u{FEFF}").len(), 0);
        assert_eq!(docs("\u{FEFF}{\"a\": 1}").len(), 1);
        assert_eq!(docs("a: 1\r\n---\r\nb: 2\r\n").len(), 2);
    }

    #[test]
    fn tabs() {
        let root = one("a:\tb\nc: \"x\ty\"\nd: e\t# comment\nf:\t\t1\ng: h\ti\n");
        assert_eq!(root.get("a").unwrap().value, str_value("b"));
        assert_eq!(root.get("a").unwrap().pos, pos(1, 4));
        assert_eq!(root.get("c").unwrap().value, str_value("x\ty"));
        assert_eq!(root.get("d").unwrap().value, str_value("e"));
        assert_eq!(root.get("f").unwrap().value, Value::Int(1));
        assert_eq!(root.get("g").unwrap().value, str_value("h\ti"));
        // A tab inside a quoted value after ":" stays a tab.
        let root = one("a:\tx\nb: \"c:\td\"\n");
        assert_eq!(root.get("b").unwrap().value, str_value("c:\td"));
        // Tabs after a colon inside scalars are content and survive the repair of the others.
        let root = one(
            "a:\tb\nq: 'x:\ty'\nd: \"p:\t\tq\"\nblock: |\n  k:\tv\n  m: n\nplain: u\t# c:\tx\n",
        );
        assert_eq!(root.get("a").unwrap().value, str_value("b"));
        assert_eq!(root.get("q").unwrap().value, str_value("x:\ty"));
        assert_eq!(root.get("d").unwrap().value, str_value("p:\t\tq"));
        assert_eq!(root.get("block").unwrap().value, str_value("k:\tv\nm: n\n"));
        assert_eq!(root.get("plain").unwrap().value, str_value("u"));
        // The repair is not one parse per tab: a long file of them is fine.
        let many: String = (0..5000).map(|i| format!("k{i}:\tv{i}\n")).collect();
        let root = one(&many);
        assert_eq!(root.get("k4999").unwrap().value, str_value("v4999"));
        assert_eq!(root.get("k4999").unwrap().pos, pos(5000, 8));
        // Errors found after the repair still point at the right place.
        let e = err("a:\tb\nc: [\n");
        assert!(matches!(e, Error::Syntax { .. }), "{e:?}");
        // Tabs cannot indent.
        let e = err("a:\n\tb: 1\n");
        assert!(matches!(e, Error::Syntax { .. }));
        assert_eq!(e.pos(), pos(2, 2));
    }

    #[test]
    fn syntax_errors_carry_positions() {
        let e = err("a: 1\nb: [1, 2\nc: 3\n");
        assert!(matches!(e, Error::Syntax { .. }));
        assert!(e.to_string().starts_with("invalid YAML: "), "{e}");
        assert!(!e.to_string().ends_with('.'));
        let e = err("a: b: c\n");
        assert_eq!(e.pos(), pos(1, 5));
        assert_eq!(
            e.to_string(),
            "invalid YAML: mapping values are not allowed in this context"
        );
        let e = err("ok: 1\nbad: \"unterminated\n");
        assert!(matches!(e, Error::Syntax { .. }));
        assert!(e.pos().line >= 2, "{e:?}");
        // A broken later document fails the whole stream.
        assert!(parse_documents("a: 1\n---\nb: [\n").is_err());
    }

    #[test]
    fn never_panics_on_garbage() {
        let pieces = [
            "a",
            ":",
            " ",
            "\n",
            "-",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&x",
            "*x",
            "!!int",
            "!t",
            "'",
            "\"",
            "|",
            ">",
            "#",
            "?",
            "<<",
            "\t",
            "---",
            "...",
            "%YAML 1.2",
            "\r\n",
            "\\",
            "é",
            "0x",
            "~",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..4000 {
            let mut src = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                src.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let _ = parse_documents(&src);
        }
    }

    #[test]
    fn secret_like_document() {
        let src = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  labels:\n    a: \"true\"\ndata:\n  k: dmFsdWU=\nlist:\n- a\n- b: 1\n  c: 2\nempty: {}\nemptylist: []\n";
        let root = one(src);
        assert_eq!(
            keys(&root),
            vec![
                "apiVersion",
                "kind",
                "metadata",
                "data",
                "list",
                "empty",
                "emptylist"
            ]
        );
        assert_eq!(root.find("metadata.labels.a"), pos(6, 5));
        assert_eq!(
            root.get("metadata")
                .unwrap()
                .get("labels")
                .unwrap()
                .get("a")
                .unwrap()
                .value,
            str_value("true")
        );
        assert_eq!(root.get("empty").unwrap().value, Value::Map(vec![]));
        assert_eq!(root.get("emptylist").unwrap().value, Value::Seq(vec![]));
    }

    #[test]
    fn resolve_plain_matches_parsing() {
        for text in [
            "yes", "1", "0x1F", "1e3", "null", "", ".inf", "1_000", "hello",
        ] {
            let parsed = if text.is_empty() {
                Value::Null
            } else {
                scalar(text)
            };
            assert_eq!(resolve_plain(text), parsed, "{text:?}");
        }
        // Lone signs cannot be tried through the parser (`-` starts a list item).
        assert_eq!(resolve_plain("-"), str_value("-"));
        assert_eq!(resolve_plain("+"), str_value("+"));
    }
}
