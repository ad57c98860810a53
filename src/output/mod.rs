//! What `render` prints: Secrets (and pass-through objects) as YAML documents or a `v1` `List`.
//!
//! The whole output is built in a zeroizing buffer and returned; `main.rs` writes it only when
//! the run succeeded. Intermediate strings that held encoded values are wiped after use.

pub mod check;
pub mod flux;
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

/// How Secrets (rendered or passed through) are printed; other objects print unchanged.
#[derive(Debug, Clone, Copy, Default)]
pub struct Print<'a> {
    /// Encrypt-on-render: Secrets become SOPS documents.
    pub sops: Option<&'a crate::sops::Encryption>,
    /// `--redact`: values become keyed digests.
    pub redact: Option<&'a SecretBytes>,
    /// Added to every Secret (e.g. `--flux`'s substitution opt-out).
    pub annotations: &'a [(&'a str, &'a str)],
}

impl Print<'_> {
    /// The Secret node as printed, before encryption.
    fn secret(&self, node: &Node) -> Option<Node> {
        if !node.is_core_secret() || (self.redact.is_none() && self.annotations.is_empty()) {
            return None;
        }
        let mut node = match self.redact {
            Some(key) => redact(node, key),
            None => node.clone(),
        };
        if !self.annotations.is_empty() {
            annotate(&mut node, self.annotations);
        }
        Some(node)
    }
}

/// [`to_yaml`] with Secrets printed as `print` says.
///
/// # Errors
/// Encryption failed (no randomness, an age error); nothing of the output is returned then.
pub fn to_yaml_with(
    secrets: &[Secret],
    passthrough: &[Arc<Document>],
    print: &Print<'_>,
) -> Result<Zeroizing<String>, crate::sops::Error> {
    write_documents(secrets, passthrough, |node, out| {
        let mut changed = print.secret(node);
        let node = changed.as_ref().unwrap_or(node);
        match print.sops {
            Some(enc) if node.is_core_secret() => {
                let mut encrypted = crate::manifest::sops::encrypt(node, enc)?;
                yaml::emit_document(&encrypted, out);
                wipe(&mut encrypted);
            }
            _ => yaml::emit_document(node, out),
        }
        if let Some(n) = changed.as_mut() {
            wipe(n);
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

/// Flux's per-object opt-out of `postBuild` variable substitution: `${…}` in a value stays.
pub const FLUX_SUBSTITUTE_ANNOTATION: &str = "kustomize.toolkit.fluxcd.io/substitute";

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
            _ => out.push((k.text.clone(), v.clone())),
        }
    }
    if !placed {
        out.push(("stringData".to_string(), string_data));
    }
    let mut node = Node::map(out);
    annotate(&mut node, &[(REDACTED_ANNOTATION, "hmac-sha256")]);
    node
}

/// Sets `annotations` in the node's `metadata.annotations` (creating it), replacing same keys.
fn annotate(node: &mut Node, annotations: &[(&str, &str)]) {
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    let meta = match entries.iter_mut().find(|(k, _)| k.text == "metadata") {
        Some((_, m)) => m,
        None => return,
    };
    let Value::Map(meta_entries) = &mut meta.value else {
        return;
    };
    if !meta_entries.iter().any(|(k, _)| k.text == "annotations") {
        meta_entries.push((
            crate::manifest::node::Key {
                text: "annotations".into(),
                pos: Default::default(),
            },
            Node::map(Vec::new()),
        ));
    }
    let Some((_, a)) = meta_entries
        .iter_mut()
        .find(|(k, _)| k.text == "annotations")
    else {
        return;
    };
    if !matches!(a.value, Value::Map(_)) {
        *a = Node::map(Vec::new());
    }
    let Value::Map(items) = &mut a.value else {
        return;
    };
    for (key, value) in annotations {
        items.retain(|(k, _)| k.text != *key);
        items.push((
            crate::manifest::node::Key {
                text: (*key).to_string(),
                pos: Default::default(),
            },
            Node::str(*value),
        ));
    }
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

/// A KRM `ResourceList` (`config.kubernetes.io/v1`): the pass-through objects and Secrets as
/// `items`, printed as `print` says (SOPS encryption aside), and `results` when there are any.
pub fn to_resource_list(
    secrets: &[Secret],
    passthrough: &[Arc<Document>],
    print: &Print<'_>,
    results: Vec<Node>,
) -> Zeroizing<String> {
    let mut items: Vec<Node> = passthrough
        .iter()
        .map(|d| print.secret(&d.node).unwrap_or_else(|| d.node.clone()))
        .collect();
    for s in secrets {
        let node = secret_node(s);
        items.push(print.secret(&node).unwrap_or(node));
    }
    let mut top = vec![
        (
            "apiVersion".to_string(),
            Node::str("config.kubernetes.io/v1"),
        ),
        ("kind".to_string(), Node::str("ResourceList")),
        ("items".to_string(), Node::new(Value::Seq(items))),
    ];
    if !results.is_empty() {
        top.push(("results".to_string(), Node::new(Value::Seq(results))));
    }
    let mut list = Node::map(top);
    let mut out = Zeroizing::new(String::new());
    yaml::emit_document(&list, &mut out);
    wipe(&mut list);
    out
}

/// A `v1` `List` as indented JSON.
pub fn to_json(secrets: &[Secret], passthrough: &[Arc<Document>]) -> Zeroizing<String> {
    to_json_with(secrets, passthrough, &Print::default())
}

/// [`to_json`] with Secrets printed as `print` says (SOPS encryption is YAML-only).
pub fn to_json_with(
    secrets: &[Secret],
    passthrough: &[Arc<Document>],
    print: &Print<'_>,
) -> Zeroizing<String> {
    let finish = |node: &Node| match print.secret(node) {
        Some(mut n) => {
            let j = json(&n);
            wipe(&mut n);
            j
        }
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
