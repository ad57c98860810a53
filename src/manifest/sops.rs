//! SOPS-encrypted manifests: decrypted while loading, so the rest of eso-render sees plain
//! objects (KSOPS and Flux parity). The sops metadata is dropped; positions of the encrypted
//! file are kept so later errors still point into it.

use crate::manifest::node::{Key, Node, Pos, Value};
use crate::manifest::yaml;
use crate::sops::tree::{self, Item, Scalar};
use crate::sops::{self as sops_file, Keyring};

/// Whether a document carries sops metadata at its top level.
pub fn has_metadata(node: &Node) -> bool {
    matches!(
        node.get("sops").map(|n| &n.value),
        Some(Value::Map(m))
            if m.iter().any(|(k, _)| sops_file::METADATA_MARKERS.contains(&k.text.as_str()))
    )
}

/// Decrypts `text` (already parsed into `parsed`, which gives positions) into one node per
/// document and whether that document was encrypted.
pub fn decrypt(
    text: &str,
    parsed: Vec<yaml::Document>,
    keys: &Keyring,
) -> Result<Vec<(Node, bool)>, (Pos, sops_file::Error)> {
    let first = parsed.first().map(|d| d.pos).unwrap_or_default();
    let plain = sops_file::decrypt_yaml(text, keys).map_err(|e| {
        let pos = match &e {
            sops_file::Error::Document { line, .. } | sops_file::Error::Syntax { line, .. } => {
                Pos {
                    line: *line,
                    col: 1,
                }
            }
            _ => first,
        };
        (pos, e)
    })?;
    if plain.len() != parsed.len() {
        return Err((
            first,
            sops_file::Error::Syntax {
                line: first.line,
                message: "the documents of this file cannot be matched up for decryption".into(),
            },
        ));
    }
    Ok(plain
        .into_iter()
        .zip(parsed)
        .map(|(p, orig)| {
            let node = if p.decrypted {
                to_node(&tree::Value::Map(p.branch), Some(&orig.node))
            } else {
                orig.node
            };
            (node, p.decrypted)
        })
        .collect())
}

/// Flux's other case: a plain `Secret` whose `data` values are whole SOPS files (kustomize's
/// secretGenerator copies encrypted files in as they are). Each such value is decrypted and
/// re-printed in the format its key names (`.yaml`/`.yml`, `.json` or `.dockerconfigjson`,
/// `.env`, `.ini`, else the binary store's raw `data`), as kustomize-controller does. Returns
/// whether any value was decrypted; an error names the `data` key.
pub fn decrypt_embedded(
    node: &mut Node,
    keys: &Keyring,
) -> Result<bool, (Pos, String, sops_file::Error)> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    if node.get("kind").and_then(Node::as_str) != Some("Secret") || has_metadata(node) {
        return Ok(false);
    }
    let Value::Map(top) = &mut node.value else {
        return Ok(false);
    };
    let Some((_, data)) = top.iter_mut().find(|(k, _)| k.text == "data") else {
        return Ok(false);
    };
    let Value::Map(entries) = &mut data.value else {
        return Ok(false);
    };
    let mut changed = false;
    for (key, value) in entries.iter_mut() {
        let Value::Str(text) = &value.value else {
            continue;
        };
        let Ok(bytes) = b64.decode(text.trim()) else {
            continue;
        };
        let Some(input) = embedded_format(&bytes) else {
            continue;
        };
        let fail = |e| (value.pos, key.text.clone(), e);
        let text = String::from_utf8(bytes).map_err(|_| {
            fail(sops_file::Error::Syntax {
                line: 1,
                message: "the embedded SOPS file is not UTF-8 text".into(),
            })
        })?;
        let plain = sops_file::decrypt_file(&text, input, keys).map_err(fail)?;
        let out =
            emit_embedded(plain, sops_file::Format::for_secret_key(&key.text)).map_err(fail)?;
        value.value = Value::Str(b64.encode(&out));
        changed = true;
    }
    Ok(changed)
}

/// kustomize-controller's marker bytes for a SOPS file of each format.
fn embedded_format(bytes: &[u8]) -> Option<sops_file::Format> {
    let has = |m: &[u8]| bytes.windows(m.len()).any(|w| w == m);
    if has(b"sops_mac=ENC[") {
        Some(sops_file::Format::Dotenv)
    } else if has(b"\"mac\": \"ENC[") {
        Some(sops_file::Format::Json)
    } else if has(b"mac: ENC[") {
        Some(sops_file::Format::Yaml)
    } else if has(b"[sops]") {
        Some(sops_file::Format::Ini)
    } else {
        None
    }
}

/// A decrypted file printed the way sops' store for `format` prints it.
fn emit_embedded(
    plain: sops_file::Plain,
    format: sops_file::Format,
) -> Result<zeroize::Zeroizing<Vec<u8>>, sops_file::Error> {
    use crate::sops::store::{dotenv, ini, json};
    use sops_file::{Format, Plain};
    let branch = match plain {
        Plain::Binary(bytes) => {
            let mut b = tree::Branch::default();
            b.0.push(tree::Entry::Pair(
                "data".into(),
                tree::Value::Scalar(Scalar::Bytes(bytes.to_vec())),
            ));
            b
        }
        Plain::Docs(mut docs) if !docs.is_empty() => docs.swap_remove(0).branch,
        Plain::Docs(_) => tree::Branch::default(),
        Plain::Dotenv(b) | Plain::Ini(b) => b,
    };
    let text = match format {
        Format::Binary => {
            return match branch.get("data") {
                Some(tree::Value::Scalar(Scalar::Str(s))) => {
                    Ok(zeroize::Zeroizing::new(s.clone().into_bytes()))
                }
                Some(tree::Value::Scalar(Scalar::Bytes(b))) => {
                    Ok(zeroize::Zeroizing::new(b.clone()))
                }
                _ => Err(sops_file::Error::Syntax {
                    line: 1,
                    message: "no binary data found in tree (a `data` key is needed for a key \
                              without a file extension)"
                        .into(),
                }),
            };
        }
        Format::Dotenv => dotenv::emit(&branch),
        Format::Ini => ini::emit(&branch),
        Format::Json => json::emit(&branch),
        Format::Yaml => {
            let mut out = String::new();
            crate::output::yaml::emit_document_with(
                &tree_to_node(&tree::Value::Map(branch)),
                crate::output::yaml::Layout::SOPS,
                &mut out,
            );
            out
        }
    };
    Ok(zeroize::Zeroizing::new(text.into_bytes()))
}

/// `node` (one document, a mapping) as a new sops document: the values that `enc` selects
/// encrypted, the `sops` metadata block appended.
pub fn encrypt(node: &Node, enc: &sops_file::Encryption) -> Result<Node, sops_file::Error> {
    let tree::Value::Map(branch) = to_tree(node) else {
        return Err(sops_file::Error::Syntax {
            line: node.pos.line,
            message: "only a mapping can be written as a SOPS document".into(),
        });
    };
    let encrypted = enc.encrypt_document(branch)?;
    Ok(to_node(&tree::Value::Map(encrypted), None))
}

/// A manifest node as a sops tree, with the types go-yaml v3 gives the same YAML when sops reads
/// it back (which is what its MAC is computed over).
fn to_tree(node: &Node) -> tree::Value {
    match &node.value {
        Value::Null => tree::Value::Null,
        Value::Bool(b) => tree::Value::Scalar(Scalar::Bool(*b)),
        Value::Int(i) => tree::Value::Scalar(Scalar::Int(*i)),
        Value::Float(f) => tree::Value::Scalar(Scalar::Float(*f)),
        Value::Str(s) => tree::Value::Scalar(Scalar::Str(s.clone())),
        Value::Seq(items) => {
            tree::Value::List(items.iter().map(|n| Item::Value(to_tree(n))).collect())
        }
        Value::Map(entries) => tree::Value::Map(tree::Branch(
            entries
                .iter()
                .map(|(k, v)| tree::Entry::Pair(k.text.clone(), to_tree(v)))
                .collect(),
        )),
    }
}

/// A sops tree as a manifest node (no positions).
pub fn tree_to_node(v: &tree::Value) -> Node {
    to_node(v, None)
}

/// A decrypted value as a manifest node, with positions taken from the encrypted original.
fn to_node(v: &tree::Value, orig: Option<&Node>) -> Node {
    let pos = orig.map(|n| n.pos).unwrap_or_default();
    let value = match v {
        tree::Value::Null => Value::Null,
        tree::Value::Scalar(s) => match s {
            Scalar::Str(s) | Scalar::Time(s) => Value::Str(s.clone()),
            Scalar::Int(i) => Value::Int(*i),
            Scalar::Float(f) => Value::Float(*f),
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Bytes(b) => Value::Str(String::from_utf8_lossy(b).into_owned()),
        },
        tree::Value::Map(b) => Value::Map(
            b.pairs()
                .map(|(k, v)| {
                    let entry = orig.and_then(|o| o.get_entry(k));
                    (
                        Key {
                            text: k.to_owned(),
                            pos: entry.map(|(k, _)| k.pos).unwrap_or(pos),
                        },
                        to_node(v, entry.map(|(_, n)| n)),
                    )
                })
                .collect(),
        ),
        tree::Value::List(items) => {
            let origs: Vec<&Node> = match orig.map(|o| &o.value) {
                Some(Value::Seq(s)) => s.iter().collect(),
                _ => Vec::new(),
            };
            Value::Seq(
                items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Value(v) => Some(v),
                        Item::Comment(_) => None,
                    })
                    .enumerate()
                    .map(|(i, v)| to_node(v, origs.get(i).copied()))
                    .collect(),
            )
        }
    };
    Node { pos, value }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::error::Source;
    use crate::manifest::load::Document;

    #[test]
    fn debug_of_a_document_shows_no_values() {
        let node = crate::manifest::yaml::parse_documents(
            "kind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n",
        )
        .unwrap()
        .remove(0)
        .node;
        let doc = Document {
            source: Arc::new(Source::Stdin),
            node,
            decrypted: true,
        };
        let text = format!("{doc:?}");
        assert!(text.contains("Secret") && text.contains("\"s\""), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}
