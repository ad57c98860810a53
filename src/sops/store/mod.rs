//! The file formats sops writes, each read into sops trees plus the metadata branch.

pub mod dotenv;
pub mod ini;
pub mod json;
pub mod yaml;

use std::path::Path;

use crate::sops::tree::{Branch, Entry, Item, Scalar, Value};

/// A sops store, chosen by file extension as sops does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Dotenv,
    Ini,
    /// Any other file: the encrypted form is JSON whose `data` key holds the whole plaintext.
    Binary,
}

impl Format {
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("yaml" | "yml") => Format::Yaml,
            Some("json") => Format::Json,
            Some("env") => Format::Dotenv,
            Some("ini") => Format::Ini,
            _ => Format::Binary,
        }
    }

    /// The format kustomize-controller prints a decrypted Secret value in, by its key: sops'
    /// `FormatForPath` (case-sensitive suffixes), with `.dockerconfigjson` as JSON.
    pub fn for_secret_key(key: &str) -> Format {
        if key.ends_with(".yaml") || key.ends_with(".yml") {
            Format::Yaml
        } else if key.ends_with(".json") || key.ends_with(".dockerconfigjson") {
            Format::Json
        } else if key.ends_with(".env") {
            Format::Dotenv
        } else if key.ends_with(".ini") {
            Format::Ini
        } else {
            Format::Binary
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "yaml" => Format::Yaml,
            "json" => Format::Json,
            "dotenv" => Format::Dotenv,
            "ini" => Format::Ini,
            "binary" => Format::Binary,
            _ => return None,
        })
    }
}

/// Splits the flattened metadata of dotenv (`sops_` prefix) or INI (`[sops]` section) files
/// out of `branch` and rebuilds its tree (`age__list_0__map_recipient` → `age[0].recipient`).
pub fn take_flat_metadata(branch: &mut Branch, prefix: &str) -> Option<Branch> {
    let mut flat = Vec::new();
    branch.0.retain(|e| match e {
        Entry::Pair(k, v) if k.starts_with(prefix) => {
            flat.push((k[prefix.len()..].to_owned(), v.clone()));
            false
        }
        _ => true,
    });
    (!flat.is_empty()).then(|| unflatten(flat))
}

#[derive(Default)]
struct Node {
    value: Option<Value>,
    keys: Vec<(String, Node)>,
    indices: Vec<(usize, Node)>,
}

/// The child under `id`, added at the end if it is not there yet (first-seen order is kept).
fn child<K: PartialEq>(children: &mut Vec<(K, Node)>, id: K) -> &mut Node {
    let i = match children.iter().position(|(x, _)| *x == id) {
        Some(i) => i,
        None => {
            children.push((id, Node::default()));
            children.len() - 1
        }
    };
    &mut children[i].1
}

fn unflatten(flat: Vec<(String, Value)>) -> Branch {
    let mut root = Node::default();
    for (path, value) in flat {
        let mut node = &mut root;
        for token in tokenize(&path) {
            node = match token {
                Token::Key(k) => child(&mut node.keys, k),
                Token::Index(n) => child(&mut node.indices, n),
            };
        }
        node.value = Some(value);
    }
    match convert(root) {
        Value::Map(b) => b,
        _ => Branch::default(),
    }
}

fn convert(mut node: Node) -> Value {
    if let Some(v) = node.value {
        return v;
    }
    if !node.indices.is_empty() {
        node.indices.sort_by_key(|(i, _)| *i);
        return Value::List(
            node.indices
                .into_iter()
                .map(|(_, n)| Item::Value(convert(n)))
                .collect(),
        );
    }
    node.keys.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Map(Branch(
        node.keys
            .into_iter()
            .map(|(k, n)| Entry::Pair(k, convert(n)))
            .collect(),
    ))
}

enum Token {
    Key(String),
    Index(usize),
}

const MAP_SEP: &str = "__map_";
const LIST_SEP: &str = "__list_";

/// sops' `tokenize`: the first segment is a key, then `__map_K` and `__list_N` segments.
fn tokenize(path: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = path;
    let mut kind_is_list = false;
    loop {
        let next = [MAP_SEP, LIST_SEP]
            .iter()
            .filter_map(|sep| rest.find(sep).map(|i| (i, *sep)))
            .min_by_key(|(i, _)| *i);
        let (segment, after) = match next {
            Some((i, sep)) => (&rest[..i], Some((sep, &rest[i + sep.len()..]))),
            None => (rest, None),
        };
        tokens.push(if kind_is_list {
            Token::Index(segment.parse().unwrap_or(0))
        } else {
            Token::Key(segment.to_owned())
        });
        match after {
            Some((sep, r)) => {
                kind_is_list = sep == LIST_SEP;
                rest = r;
            }
            None => break,
        }
    }
    tokens
}

/// INI metadata values carry newlines as `\n`.
pub fn unescape_newlines(b: &mut Branch) {
    for e in &mut b.0 {
        if let Entry::Pair(_, v) = e {
            match v {
                Value::Scalar(Scalar::Str(s)) => *s = s.replace("\\n", "\n"),
                Value::Map(inner) => unescape_newlines(inner),
                Value::List(items) => {
                    for i in items {
                        if let Item::Value(Value::Map(inner)) = i {
                            unescape_newlines(inner);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattened_metadata_is_rebuilt() {
        let s = |v: &str| Value::Scalar(Scalar::Str(v.into()));
        let mut b = Branch(vec![
            Entry::Pair("FOO".into(), s("x")),
            Entry::Pair("sops_age__list_0__map_recipient".into(), s("age1a")),
            Entry::Pair("sops_age__list_0__map_enc".into(), s("E")),
            Entry::Pair("sops_age__list_1__map_recipient".into(), s("age1b")),
            Entry::Pair("sops_version".into(), s("3.11.0")),
        ]);
        let md = take_flat_metadata(&mut b, "sops_").unwrap();
        assert_eq!(b.0.len(), 1);
        assert_eq!(md.get("version"), Some(&s("3.11.0")));
        let Some(Value::List(age)) = md.get("age") else {
            panic!("age is a list")
        };
        assert_eq!(age.len(), 2);
        let Item::Value(Value::Map(first)) = &age[0] else {
            panic!()
        };
        assert_eq!(first.get("recipient"), Some(&s("age1a")));
        assert_eq!(first.get("enc"), Some(&s("E")));
    }
}
