//! What `render` prints: Secrets (and pass-through objects) as YAML documents or a `v1` `List`.
//!
//! The whole output is built in a zeroizing buffer and returned; `main.rs` writes it only when
//! the run succeeded. Intermediate strings that held encoded values are wiped after use.

pub mod check;
pub mod yaml;

use std::sync::Arc;

use base64::Engine;
use zeroize::{Zeroize, Zeroizing};

use crate::manifest::load::Document;
use crate::manifest::node::{Node, Value};
use crate::render::Secret;
use crate::secret::SecretBytes;

/// Multi-document YAML: pass-through objects in input order, then Secrets.
pub fn to_yaml(secrets: &[Secret], passthrough: &[Arc<Document>]) -> Zeroizing<String> {
    let Ok(text) =
        write_documents::<std::convert::Infallible>(secrets, passthrough, |node, out| {
            yaml::emit_document(node, out);
            Ok(())
        });
    text
}

/// [`to_yaml`], with every Secret (rendered or passed through) finished by `finish`: written as
/// a SOPS document, or redacted. Other objects stay plain.
///
/// # Errors
/// Encryption failed (no randomness, an age error); nothing of the output is returned then.
pub fn to_yaml_finished(
    secrets: &[Secret],
    passthrough: &[Arc<Document>],
    finish: Finish<'_>,
) -> Result<Zeroizing<String>, crate::sops::Error> {
    write_documents(secrets, passthrough, |node, out| {
        match finish {
            Finish::Sops(enc) if node.is_core_secret() => {
                let mut encrypted = crate::manifest::sops::encrypt(node, enc)?;
                yaml::emit_document(&encrypted, out);
                wipe(&mut encrypted);
            }
            Finish::Redact(key) => yaml::emit_document(&redact(node, key), out),
            _ => yaml::emit_document(node, out),
        }
        Ok(())
    })
}

/// A value's digest for `--digest-key-env`: HMAC-SHA256 keyed by the reviewer's key, so equal
/// digests mean equal values without a plain hash anyone could brute-force.
pub fn digest(key: &[u8], value: &SecretBytes) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(value.expose());
    hex::encode(mac.finalize().into_bytes())
}

/// Marks a redacted Secret, so nobody applies digests as values.
pub const REDACTED_ANNOTATION: &str = "eso-render.io/redacted";

/// `render --redact`: a core Secret with every value (of `data`, base64-decoded, and of
/// `stringData`, which wins as the API server merges them) replaced by `hmac-sha256:<hex>` under
/// `stringData`, readable in a diff, and [`REDACTED_ANNOTATION`] set. Other objects are returned
/// unchanged.
pub fn redact(node: &Node, key: &SecretBytes) -> Node {
    let Value::Map(entries) = &node.value else {
        return node.clone();
    };
    if !node.is_core_secret() {
        return node.clone();
    }
    let mut values: std::collections::BTreeMap<String, String> = Default::default();
    let mut digest_of = |k: &str, bytes: SecretBytes| {
        values.insert(
            k.to_string(),
            format!("hmac-sha256:{}", digest(key.expose(), &bytes)),
        );
    };
    for field in ["data", "stringData"] {
        if let Some(Value::Map(items)) = node.get(field).map(|n| &n.value) {
            for (k, v) in items {
                let text = v.as_str().unwrap_or_default();
                let bytes = if field == "data" {
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .map(SecretBytes::new)
                        .unwrap_or_else(|_| SecretBytes::from(text))
                } else {
                    SecretBytes::from(text)
                };
                digest_of(&k.text, bytes);
            }
        }
    }
    let string_data = Node::map(values.into_iter().map(|(k, v)| (k, Node::str(v))).collect());
    let mut out = Vec::with_capacity(entries.len() + 1);
    let mut placed = false;
    for (k, v) in entries {
        match k.text.as_str() {
            "data" | "stringData" => {
                if !placed {
                    out.push(("stringData".to_string(), string_data.clone()));
                    placed = true;
                }
            }
            "metadata" => out.push((k.text.clone(), annotated(v))),
            _ => out.push((k.text.clone(), v.clone())),
        }
    }
    if !placed {
        out.push(("stringData".to_string(), string_data));
    }
    Node::map(out)
}

/// `metadata` with [`REDACTED_ANNOTATION`] added.
fn annotated(meta: &Node) -> Node {
    let Value::Map(entries) = &meta.value else {
        return meta.clone();
    };
    let mut out: Vec<(String, Node)> = entries
        .iter()
        .filter(|(k, _)| k.text != "annotations")
        .map(|(k, v)| (k.text.clone(), v.clone()))
        .collect();
    let mut annotations: Vec<(String, Node)> = match meta.get("annotations").map(|n| &n.value) {
        Some(Value::Map(a)) => a
            .iter()
            .filter(|(k, _)| k.text != REDACTED_ANNOTATION)
            .map(|(k, v)| (k.text.clone(), v.clone()))
            .collect(),
        _ => Vec::new(),
    };
    annotations.push((REDACTED_ANNOTATION.to_string(), Node::str("hmac-sha256")));
    out.push(("annotations".to_string(), Node::map(annotations)));
    Node::map(out)
}

/// How each document is finished before it is written.
#[derive(Debug, Clone, Copy, Default)]
pub enum Finish<'a> {
    #[default]
    Plain,
    /// Encrypt-on-render: Secrets become SOPS documents.
    Sops(&'a crate::sops::Encryption),
    /// `--redact`: Secrets' values become keyed digests.
    Redact(&'a SecretBytes),
}

/// Pass-through objects, then Secrets, each written by `emit`, separated by `---`. The trees
/// built for Secrets are wiped after use.
fn write_documents<E>(
    secrets: &[Secret],
    passthrough: &[Arc<Document>],
    mut emit: impl FnMut(&Node, &mut String) -> Result<(), E>,
) -> Result<Zeroizing<String>, E> {
    let mut out = Zeroizing::new(String::new());
    let sep = |out: &mut String| {
        if !out.is_empty() {
            out.push_str("---\n");
        }
    };
    for doc in passthrough {
        sep(&mut out);
        emit(&doc.node, &mut out)?;
    }
    for s in secrets {
        sep(&mut out);
        let mut node = secret_node(s);
        let done = emit(&node, &mut out);
        wipe(&mut node);
        done?;
    }
    Ok(out)
}

/// A `v1` `List` as indented JSON.
pub fn to_json(secrets: &[Secret], passthrough: &[Arc<Document>]) -> Zeroizing<String> {
    to_json_redacted(secrets, passthrough, None)
}

/// [`to_json`], with Secrets redacted when a digest key is given.
pub fn to_json_redacted(
    secrets: &[Secret],
    passthrough: &[Arc<Document>],
    redact_key: Option<&SecretBytes>,
) -> Zeroizing<String> {
    let finish = |node: &Node| match redact_key {
        Some(key) => json(&redact(node, key)),
        None => json(node),
    };
    let mut items: Vec<serde_json::Value> = passthrough.iter().map(|d| finish(&d.node)).collect();
    for s in secrets {
        let mut node = secret_node(s);
        items.push(finish(&node));
        wipe(&mut node);
    }
    let mut list = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {},
        "items": items,
    });
    let mut text = Zeroizing::new(
        serde_json::to_string_pretty(&list).expect("a JSON value always serializes"),
    );
    text.push('\n');
    wipe_json(&mut list);
    text
}

/// The Secret as kubectl prints it: `apiVersion`, `kind`, `metadata`, `immutable`, `type`, `data`.
fn secret_node(s: &Secret) -> Node {
    let string_map = |m: &std::collections::BTreeMap<String, String>| {
        Node::map(
            m.iter()
                .map(|(k, v)| (k.clone(), Node::str(v.clone())))
                .collect(),
        )
    };
    let mut meta = vec![
        ("name".to_string(), Node::str(s.name.clone())),
        ("namespace".to_string(), Node::str(s.namespace.clone())),
    ];
    if !s.labels.is_empty() {
        meta.push(("labels".into(), string_map(&s.labels)));
    }
    if !s.annotations.is_empty() {
        meta.push(("annotations".into(), string_map(&s.annotations)));
    }
    if !s.finalizers.is_empty() {
        let items = s.finalizers.iter().map(|f| Node::str(f.clone())).collect();
        meta.push(("finalizers".into(), Node::new(Value::Seq(items))));
    }
    let mut top = vec![
        ("apiVersion".to_string(), Node::str("v1")),
        ("kind".to_string(), Node::str("Secret")),
        ("metadata".to_string(), Node::map(meta)),
    ];
    if s.immutable {
        top.push(("immutable".into(), Node::new(Value::Bool(true))));
    }
    top.push(("type".into(), Node::str(s.type_.clone())));
    let data = s
        .data
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                Node::str(base64::engine::general_purpose::STANDARD.encode(v.expose())),
            )
        })
        .collect();
    top.push(("data".into(), Node::map(data)));
    Node::map(top)
}

/// Zeroes every string of a tree that held encoded values.
fn wipe(node: &mut Node) {
    match &mut node.value {
        Value::Str(s) => s.zeroize(),
        Value::Seq(items) => items.iter_mut().for_each(wipe),
        Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| wipe(v)),
        _ => {}
    }
}

fn wipe_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => s.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(wipe_json),
        serde_json::Value::Object(m) => m.values_mut().for_each(wipe_json),
        _ => {}
    }
}

/// A node as JSON (key order kept only where serde_json keeps it: keys are sorted).
pub fn json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.text.clone(), json(v)))
                .collect(),
        ),
    }
}
