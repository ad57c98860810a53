//! A YAML/JSON document as a tree that remembers where each node came from.
//!
//! The loader parses every input document into a `Node` tree first (positions, duplicate keys,
//! Kubernetes' YAML 1.1 scalar rules), then converts ESO kinds to typed structs. Errors found
//! later (a wrong type, a missing store) use [`Node::find`] to point at `file:line:col` of the
//! field they name. Objects eso-render does not consume are printed back from this tree, in their
//! original key order.

use std::fmt;

/// 1-based line and column of a node in its source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A mapping key: Kubernetes YAML turns every key into a string (`1: x` has key `"1"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// Values as `sigs.k8s.io/yaml` sees them after YAML → JSON conversion.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order; duplicates are rejected by the parser.
    Map(Vec<(Key, Node)>),
}

impl Value {
    /// The word used in error messages ("expected a string, found a boolean").
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    pub fn new(value: Value) -> Self {
        Self {
            pos: Pos::default(),
            value,
        }
    }

    pub fn str(s: impl Into<String>) -> Self {
        Self::new(Value::Str(s.into()))
    }

    pub fn map(entries: Vec<(String, Node)>) -> Self {
        Self::new(Value::Map(
            entries
                .into_iter()
                .map(|(text, n)| {
                    (
                        Key {
                            text,
                            pos: Pos::default(),
                        },
                        n,
                    )
                })
                .collect(),
        ))
    }

    /// The member `name` of a mapping.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.get_entry(name).map(|(_, n)| n)
    }

    pub fn get_entry(&self, name: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.text == name)
                .map(|(k, n)| (k, n)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is a core `v1` `Secret` object.
    pub fn is_core_secret(&self) -> bool {
        self.get("kind").and_then(Node::as_str) == Some("Secret")
            && self.get("apiVersion").and_then(Node::as_str) == Some("v1")
    }

    /// The node at exactly `path`, if the path exists.
    pub fn find_node(&self, path: &str) -> Option<&Node> {
        let mut node = self;
        for seg in parse_path(path) {
            node = match seg {
                Segment::Key(name) => node.get(name)?,
                Segment::Index(i) => match &node.value {
                    Value::Seq(items) => items.get(i)?,
                    _ => return None,
                },
            };
        }
        Some(node)
    }

    /// Position of the deepest node on a field path such as `spec.data[1].remoteRef.key`.
    ///
    /// A path that leaves the tree stops at the last node that exists, so a "missing field" error
    /// points at the mapping that lacks it. When the last segment names a key that exists, the
    /// position of the key (not the value) is returned: that is where editors should jump.
    pub fn find(&self, path: &str) -> Pos {
        let mut node = self;
        let mut pos = self.pos;
        for seg in parse_path(path) {
            match seg {
                Segment::Key(name) => match node.get_entry(name) {
                    Some((key, child)) => {
                        pos = key.pos;
                        node = child;
                    }
                    None => return pos,
                },
                Segment::Index(i) => match &node.value {
                    Value::Seq(items) if i < items.len() => {
                        node = &items[i];
                        pos = node.pos;
                    }
                    _ => return pos,
                },
            }
        }
        pos
    }
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `a.b[2].c` into segments. Keys containing dots are written `["a.b"]` by serde's path
/// printer's convention; we accept both forms.
fn parse_path(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix("[\"")
            && let Some(end) = r.find("\"]")
        {
            out.push(Segment::Key(&r[..end]));
            rest = &r[end + 2..];
            continue;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            if let Ok(i) = r[..end].parse() {
                out.push(Segment::Index(i));
            }
            rest = r.get(end + 1..).unwrap_or("");
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        out.push(Segment::Key(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, value: Value) -> Node {
        Node {
            pos: Pos { line, col: 1 },
            value,
        }
    }

    fn key(text: &str, line: u32) -> Key {
        Key {
            text: text.into(),
            pos: Pos { line, col: 3 },
        }
    }

    #[test]
    fn find_walks_keys_and_indexes() {
        let tree = at(
            1,
            Value::Map(vec![(
                key("spec", 1),
                at(
                    2,
                    Value::Map(vec![(
                        key("data", 2),
                        at(
                            3,
                            Value::Seq(vec![
                                at(3, Value::Map(vec![])),
                                at(
                                    5,
                                    Value::Map(vec![(key("secretKey", 6), at(6, Value::Null))]),
                                ),
                            ]),
                        ),
                    )]),
                ),
            )]),
        );
        assert_eq!(tree.find("spec.data[1].secretKey").line, 6);
        assert_eq!(tree.find("spec.data[1].remoteRef.key").line, 5);
        assert_eq!(tree.find("spec.data[7]").line, 2);
        assert_eq!(tree.find("").line, 1);
    }
}
