//! The manifest model: ESO objects found in the input, typed and defaulted, plus everything else.
//!
//! `load` reads documents; [`Manifests::from_documents`] sorts them into ESO objects (typed via
//! `model.rs`, checked by `validate.rs`), `Namespace` objects (for ClusterSecretStore
//! conditions) and pass-through objects (printed unchanged by `--passthrough`). Every object keeps
//! its document so a later error can name `file:line:col` of the field at fault.

pub mod load;
pub mod model;
pub mod node;
pub mod selector;
pub mod sops;
pub mod validate;
pub mod yaml;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Origin};
use crate::manifest::load::Document;
use crate::manifest::model::{ExternalSecretSpec, FakeProvider, Object, StoreKind, StoreSpec};
use crate::manifest::node::{Node, Value};
use crate::secret::{DataMap, SecretBytes};

pub const GROUP: &str = "external-secrets.io";
pub const GENERATORS_GROUP: &str = "generators.external-secrets.io";

/// An `ExternalSecret` with its namespace settled and its source kept for error positions.
#[derive(Debug, Clone)]
pub struct ExternalSecret {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: ExternalSecretSpec,
    pub doc: Arc<Document>,
}

/// An object read from the input: it can name itself and point at its fields.
pub trait Located {
    /// `Kind ns/name`, the object part of every diagnostic about it.
    fn id(&self) -> String;

    fn doc(&self) -> &Document;

    /// Where `field` (a path such as `spec.data[0].remoteRef.key`) is written.
    fn origin(&self, field: &str) -> Origin {
        let doc = self.doc();
        doc.origin(doc.node.find(field))
    }

    /// A diagnostic about `field` of this object.
    fn error(&self, d: Diagnostic, field: &str) -> Diagnostic {
        d.at(self.origin(field)).object(self.id()).field(field)
    }
}

impl Located for ExternalSecret {
    fn id(&self) -> String {
        format!("ExternalSecret {}/{}", self.namespace, self.name)
    }

    fn doc(&self) -> &Document {
        &self.doc
    }
}

impl ExternalSecret {
    /// The Secret this object writes: `spec.target.name`, else its own name.
    pub fn target_name(&self) -> &str {
        match &self.spec.target.name {
            Some(n) if !n.is_empty() => n,
            _ => &self.name,
        }
    }
}

/// The provider block of a store, parsed as far as we implement it.
#[derive(Debug, Clone)]
pub enum ProviderSpec {
    Fake(FakeProvider),
    Aws(Box<model::AwsProvider>),
    Vault(Box<model::VaultProvider>),
    Kubernetes(Box<model::KubernetesProvider>),
    /// A provider ESO has and eso-render does not implement yet; fails only when used, as ESO
    /// fails at reconcile time.
    Unsupported(String),
}

#[derive(Debug, Clone)]
pub struct Store {
    pub kind: StoreKind,
    /// `None` for ClusterSecretStore (cluster-scoped).
    pub namespace: Option<String>,
    pub name: String,
    pub spec: StoreSpec,
    pub provider: ProviderSpec,
    pub doc: Arc<Document>,
}

impl Located for Store {
    fn id(&self) -> String {
        store_id(self.kind, self.namespace.as_deref(), &self.name)
    }

    fn doc(&self) -> &Document {
        &self.doc
    }
}

/// `SecretStore ns/name` or `ClusterSecretStore name`.
pub fn store_id(kind: StoreKind, namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) => format!("{} {ns}/{name}", kind.as_str()),
        None => format!("{} {name}", kind.as_str()),
    }
}

/// Everything the input holds, sorted by role.
#[derive(Debug, Default)]
pub struct Manifests {
    pub external_secrets: Vec<ExternalSecret>,
    pub stores: Vec<Store>,
    /// Namespace name → labels, from `Namespace` objects in the input.
    pub namespaces: BTreeMap<String, BTreeMap<String, String>>,
    /// Objects eso-render does not consume, in input order.
    pub passthrough: Vec<Arc<Document>>,
    /// ConfigMaps and Secrets of the input, for `templateFrom`.
    pub sources: Sources,
}

/// ConfigMaps and Secrets found in the input, by (namespace, name): what `templateFrom` reads
/// where ESO would read the cluster. Objects without a namespace get the default namespace, as
/// they would when applied.
#[derive(Debug, Default)]
pub struct Sources {
    pub config_maps: BTreeMap<(String, String), BTreeMap<String, String>>,
    /// `data` (base64-decoded) merged with `stringData`, which wins, as the API server does.
    pub secrets: BTreeMap<(String, String), DataMap>,
    /// The labels and annotations of those Secrets (the `kubernetes` provider reads them).
    pub secret_metadata: BTreeMap<(String, String), ObjectMetadata>,
}

/// `metadata.labels` and `metadata.annotations`; `None` when absent (Go's nil map, which JSON
/// encodes as `null`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectMetadata {
    pub labels: Option<BTreeMap<String, String>>,
    pub annotations: Option<BTreeMap<String, String>>,
}

/// Options that decide how objects are read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Namespace for namespaced ESO objects that have none.
    pub default_namespace: String,
    /// Delimiters for target templates (ESO's `--template-left/right-delimiter`).
    pub template: crate::template::Options,
}

impl Manifests {
    /// Sorts documents into ESO objects and the rest. Returns every problem found.
    pub fn from_documents(
        docs: Vec<Document>,
        opts: &LoadOptions,
        errors: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut m = Manifests::default();
        for doc in docs {
            m.add(Arc::new(doc), opts, errors);
        }
        validate::check_duplicates(&m, errors);
        m
    }

    fn add(&mut self, doc: Arc<Document>, opts: &LoadOptions, errors: &mut Vec<Diagnostic>) {
        let node = &doc.node;
        if !matches!(node.value, Value::Map(_)) {
            tracing::debug!(source = %doc.source, "skipping a document that is not a mapping");
            return;
        }
        let api_version = node.get("apiVersion").and_then(Node::as_str).unwrap_or("");
        let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
        if api_version.is_empty() || kind.is_empty() {
            // Helm values, Chart.yaml, a bare kustomization.yaml: not objects. But a document
            // that looks like an object (it has `kind` or `metadata`) and lacks one of the two
            // is a typo, and skipping it would drop an ExternalSecret from the output.
            if node.get("kind").is_some() || node.get("metadata").is_some() {
                let missing = if api_version.is_empty() {
                    "apiVersion"
                } else {
                    "kind"
                };
                let mut d =
                    Diagnostic::input(format!("missing required field `{missing}` (a string)"))
                        .at(doc.origin(node.pos))
                        .object(object_name(
                            node,
                            if kind.is_empty() { "object" } else { kind },
                        ))
                        .field(missing);
                if let Value::Map(entries) = &node.value {
                    let keys = entries.iter().map(|(k, _)| k.text.as_str());
                    if let Some(s) = suggest(missing, keys).filter(|s| *s != missing) {
                        d = d.hint(format!("did you mean `{missing}` instead of `{s}`?"));
                    }
                }
                errors.push(d);
            } else {
                tracing::debug!(source = %doc.source, "skipping a document that is not an object");
            }
            return;
        }
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        if kind == "List" && group.is_empty() && version == "v1" {
            self.add_list(&doc, opts, errors);
            return;
        }
        if group.starts_with("kustomize.config.k8s.io") {
            tracing::debug!(source = %doc.source, kind, "skipping a kustomize configuration");
            return;
        }
        match (group, kind) {
            (GROUP, "ExternalSecret" | "SecretStore" | "ClusterSecretStore") => {
                if version != "v1" && version != "v1beta1" {
                    errors.push(
                        Diagnostic::input(format!(
                            "{api_version} {kind} is not supported: use external-secrets.io/v1 \
                             (v1beta1 is read with the same meaning)"
                        ))
                        .at(doc.origin(node.find("apiVersion"))),
                    );
                    return;
                }
                match kind {
                    "ExternalSecret" => self.add_external_secret(&doc, opts, errors),
                    _ => self.add_store(&doc, kind, version, opts, errors),
                }
            }
            (GROUP, _) => errors.push(
                Diagnostic::input(format!(
                    "{kind} ({api_version}) is not supported by eso-render yet"
                ))
                .at(doc.origin(node.find("kind")))
                .object(object_name(node, kind))
                .hint(
                    "ClusterExternalSecret, PushSecret and ClusterPushSecret land with the \
                     generators issue; remove the object from the rendered input until then",
                ),
            ),
            // Consumed, never printed: they configure ESO, not the cluster. Using one fails
            // until generators land.
            (GENERATORS_GROUP, _) => {}
            ("", "Namespace") if version == "v1" => {
                let meta = node.get("metadata");
                let name = meta.and_then(|m| m.get("name")).and_then(Node::as_str);
                if let Some(name) = name {
                    let labels = meta
                        .and_then(|m| m.get("labels"))
                        .map(string_map)
                        .unwrap_or_default();
                    self.namespaces.insert(name.to_string(), labels);
                }
                self.passthrough.push(doc.clone());
            }
            ("", "ConfigMap" | "Secret") if version == "v1" => {
                self.add_source(&doc, kind, opts, errors);
                self.passthrough.push(doc.clone());
            }
            _ => self.passthrough.push(doc.clone()),
        }
    }

    fn add_source(
        &mut self,
        doc: &Arc<Document>,
        kind: &str,
        opts: &LoadOptions,
        errors: &mut Vec<Diagnostic>,
    ) {
        let node = &doc.node;
        let meta = node.get("metadata");
        let Some(name) = meta.and_then(|m| m.get("name")).and_then(Node::as_str) else {
            return;
        };
        let ns = meta
            .and_then(|m| m.get("namespace"))
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or(&opts.default_namespace);
        let key = (ns.to_string(), name.to_string());
        let id = format!("{kind} {ns}/{name}");
        let strings = |field: &str| -> Vec<(String, &str)> {
            match node.get(field).map(|n| &n.value) {
                Some(Value::Map(entries)) => entries
                    .iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.text.clone(), s)))
                    .collect(),
                _ => Vec::new(),
            }
        };
        if kind == "ConfigMap" {
            let data = strings("data")
                .into_iter()
                .map(|(k, v)| (k, v.to_string()))
                .collect();
            self.sources.config_maps.insert(key, data);
            return;
        }
        let mut data = DataMap::new();
        for (k, v) in strings("data") {
            match crate::gocompat::base64::decode_std(v.as_bytes()) {
                Ok(bytes) => {
                    data.insert(k, SecretBytes::new(bytes));
                }
                Err(e) => errors.push(
                    Diagnostic::input(format!("invalid base64 in Secret data: {e}"))
                        .at(doc.origin(node.find(&format!("data[\"{k}\"]"))))
                        .object(id.clone())
                        .field(format!("data.{k}")),
                ),
            }
        }
        for (k, v) in strings("stringData") {
            data.insert(k, SecretBytes::from(v));
        }
        let string_map = |field: &str| -> Option<BTreeMap<String, String>> {
            match meta.and_then(|m| m.get(field)).map(|n| &n.value) {
                Some(Value::Map(entries)) => Some(
                    entries
                        .iter()
                        .filter_map(|(k, v)| v.as_str().map(|s| (k.text.clone(), s.to_string())))
                        .collect(),
                ),
                _ => None,
            }
        };
        self.sources.secret_metadata.insert(
            key.clone(),
            ObjectMetadata {
                labels: string_map("labels"),
                annotations: string_map("annotations"),
            },
        );
        self.sources.secrets.insert(key, data);
    }

    fn add_list(&mut self, doc: &Arc<Document>, opts: &LoadOptions, errors: &mut Vec<Diagnostic>) {
        let items = match doc.node.get("items").map(|n| &n.value) {
            Some(Value::Seq(items)) => items,
            None | Some(Value::Null) => return,
            Some(other) => {
                errors.push(
                    Diagnostic::input(format!(
                        "List.items must be a list, found {}",
                        other.kind_name()
                    ))
                    .at(doc.origin(doc.node.find("items"))),
                );
                return;
            }
        };
        for item in items {
            self.add(
                Arc::new(Document {
                    source: doc.source.clone(),
                    node: item.clone(),
                    decrypted: doc.decrypted,
                }),
                opts,
                errors,
            );
        }
    }

    fn add_external_secret(
        &mut self,
        doc: &Arc<Document>,
        opts: &LoadOptions,
        errors: &mut Vec<Diagnostic>,
    ) {
        let Some((obj, meta_name)) =
            read_object::<ExternalSecretSpec>(doc, "ExternalSecret", errors)
        else {
            return;
        };
        let es = ExternalSecret {
            namespace: obj
                .metadata
                .namespace
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| opts.default_namespace.clone()),
            name: meta_name,
            labels: obj.metadata.labels,
            annotations: obj.metadata.annotations,
            spec: obj.spec,
            doc: doc.clone(),
        };
        let before = errors.len();
        validate::external_secret(&es, &opts.template, errors);
        if errors.len() == before {
            self.external_secrets.push(es);
        }
    }

    fn add_store(
        &mut self,
        doc: &Arc<Document>,
        kind: &str,
        version: &str,
        opts: &LoadOptions,
        errors: &mut Vec<Diagnostic>,
    ) {
        let kind = if kind == "SecretStore" {
            StoreKind::SecretStore
        } else {
            StoreKind::ClusterSecretStore
        };
        let Some((obj, meta_name)) = read_object::<StoreSpec>(doc, kind.as_str(), errors) else {
            return;
        };
        let namespace = match kind {
            StoreKind::SecretStore => Some(
                obj.metadata
                    .namespace
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| opts.default_namespace.clone()),
            ),
            StoreKind::ClusterSecretStore => None,
        };
        let id = store_id(kind, namespace.as_deref(), &meta_name);
        let provider = match provider_spec(doc, &obj.spec, version, &id) {
            Ok(p) => p,
            Err(d) => {
                errors.push(d);
                return;
            }
        };
        let store = Store {
            kind,
            namespace,
            name: meta_name,
            spec: obj.spec,
            provider,
            doc: doc.clone(),
        };
        let before = errors.len();
        validate::store(&store, errors);
        if errors.len() == before {
            self.stores.push(store);
        }
    }
}

/// Reads a whole ESO object of `kind` and its (required) name; pushes the error otherwise.
fn read_object<S: DeserializeOwned>(
    doc: &Document,
    kind: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<(Object<S>, String)> {
    let obj: Object<S> = match typed(doc, &doc.node, "", &object_name(&doc.node, kind)) {
        Ok(o) => o,
        Err(d) => {
            errors.push(d);
            return None;
        }
    };
    if obj.metadata.name.is_empty() {
        errors.push(
            Diagnostic::input("missing required field `name`")
                .at(doc.origin(doc.node.find("metadata")))
                .object(kind.to_string())
                .field("metadata.name"),
        );
        return None;
    }
    let name = obj.metadata.name.clone();
    Some((obj, name))
}

/// `Kind ns/name` or `Kind name` for messages, read leniently from an untyped node.
fn object_name(node: &Node, kind: &str) -> String {
    let meta = node.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .unwrap_or("<unnamed>");
    match meta.and_then(|m| m.get("namespace")).and_then(Node::as_str) {
        Some(ns) => format!("{kind} {ns}/{name}"),
        None => format!("{kind} {name}"),
    }
}

fn string_map(node: &Node) -> BTreeMap<String, String> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.text.clone(), s.to_string())))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn provider_spec(
    doc: &Document,
    spec: &StoreSpec,
    version: &str,
    id: &str,
) -> Result<ProviderSpec, Diagnostic> {
    let names: Vec<&String> = spec.provider.keys().collect();
    let at = |field: &str| doc.origin(doc.node.find(field));
    if names.len() != 1 {
        return Err(Diagnostic::input(format!(
            "secret stores must only have exactly one backend specified, found {}",
            names.len()
        ))
        .at(at("spec.provider"))
        .object(id.to_string())
        .field("spec.provider"));
    }
    let name = names[0].as_str();
    let path = format!("spec.provider.{name}");
    match name {
        "fake" => {
            // From the typed map, not the node: serde also reads a struct from a list, so the
            // node may not have this shape.
            let value = spec.provider.get(name).cloned().unwrap_or_default();
            let fake: FakeProvider = typed_json(doc, value, &path, id)?;
            if version != "v1beta1"
                && let Some(i) = fake.data.iter().position(|d| d.value_map.is_some())
            {
                let field = format!("{path}.data[{i}].valueMap");
                return Err(Diagnostic::input(
                    "unknown field `valueMap`: it was removed in external-secrets.io/v1",
                )
                .at(at(&field))
                .object(id.to_string())
                .field(field)
                .hint("put the JSON object in `value` instead"));
            }
            Ok(ProviderSpec::Fake(fake))
        }
        "aws" => {
            let value = spec.provider.get(name).cloned().unwrap_or_default();
            Ok(ProviderSpec::Aws(Box::new(typed_json(
                doc, value, &path, id,
            )?)))
        }
        "vault" => {
            let value = spec.provider.get(name).cloned().unwrap_or_default();
            Ok(ProviderSpec::Vault(Box::new(typed_json(
                doc, value, &path, id,
            )?)))
        }
        "kubernetes" => {
            let value = spec.provider.get(name).cloned().unwrap_or_default();
            Ok(ProviderSpec::Kubernetes(Box::new(typed_json(
                doc, value, &path, id,
            )?)))
        }
        _ if model::KNOWN_PROVIDERS.contains(&name) => Ok(ProviderSpec::Unsupported(name.into())),
        _ => {
            let mut d = Diagnostic::input(format!("unknown provider `{name}`"))
                .at(at(&path))
                .object(id.to_string())
                .field("spec.provider");
            if let Some(s) = suggest(name, model::KNOWN_PROVIDERS.iter().copied()) {
                d = d.hint(format!("did you mean `{s}`?"));
            }
            Err(d)
        }
    }
}

/// Deserializes `node` (found at `base` inside `doc`) into `T`, turning serde's error into a
/// diagnostic with the field path and its position.
pub fn typed<T: DeserializeOwned>(
    doc: &Document,
    node: &Node,
    base: &str,
    object: &str,
) -> Result<T, Diagnostic> {
    let json = to_json(node).map_err(|(path, msg)| {
        let field = join_path(base, &path);
        Diagnostic::input(msg)
            .at(doc.origin(doc.node.find(&field)))
            .object(object.to_string())
            .field(field)
    })?;
    typed_json(doc, json, base, object)
}

/// [`typed`] for a value already converted to JSON (found at `base` inside `doc`).
fn typed_json<T: DeserializeOwned>(
    doc: &Document,
    json: serde_json::Value,
    base: &str,
    object: &str,
) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let field = join_path(base, &path);
        let (message, hint) =
            explain_serde_error(&e.inner().to_string(), doc.node.find_node(&field));
        let mut d = Diagnostic::input(message)
            .at(doc.origin(doc.node.find(&field)))
            .object(object.to_string())
            .field(field);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        d
    })
}

fn join_path(base: &str, path: &str) -> String {
    match (base.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (false, true) => base.to_string(),
        (false, false) => format!("{base}.{path}"),
    }
}

/// Rewords serde's messages and adds hints: typos of field names, YAML 1.1 booleans.
fn explain_serde_error(msg: &str, node: Option<&Node>) -> (String, Option<String>) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect::<Vec<_>>();
        let hint = suggest(field, candidates.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                (!candidates.is_empty())
                    .then(|| format!("fields allowed here: {}", candidates.join(", ")))
            });
        return (format!("unknown field `{field}`"), hint);
    }
    // serde quotes the offending value ("invalid type: integer `123`, expected a string"); the
    // value may be a secret (a fake store's data), so keep only its kind.
    let msg = &redact_serde_value(msg);
    let hint = match node.map(|n| &n.value) {
        Some(Value::Bool(_)) if msg.contains("expected a string") => Some(
            "Kubernetes reads unquoted yes/no/on/off/true/false as booleans: quote the value"
                .to_string(),
        ),
        Some(Value::Int(_) | Value::Float(_)) if msg.contains("expected a string") => {
            Some("quote the value to make it a string".to_string())
        }
        _ => None,
    };
    (msg.to_string(), hint)
}

fn redact_serde_value(msg: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = msg.strip_prefix(prefix)
            && let Some(at) = rest.find(", expected")
        {
            let kind = rest[..at].split([' ', '`', '"']).next().unwrap_or("");
            return format!("{prefix}{kind}{}", &rest[at..]);
        }
    }
    msg.to_string()
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .map(|c| (strsim::levenshtein(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Converts a node to JSON as the API server sees it: `null` members are dropped (the API
/// server prunes nulls of non-nullable fields), non-finite floats are rejected.
fn to_json(node: &Node) -> Result<serde_json::Value, (String, String)> {
    fn go(node: &Node, path: &mut String) -> Result<serde_json::Value, (String, String)> {
        use serde_json::Value as J;
        Ok(match &node.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f)
                    .map(J::Number)
                    .ok_or_else(|| {
                        (
                            path.clone(),
                            "infinite or NaN numbers are not valid JSON".into(),
                        )
                    })?
            }
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    out.push(go(item, path)?);
                    path.truncate(len);
                }
                J::Array(out)
            }
            Value::Map(entries) => {
                let mut out = serde_json::Map::new();
                for (k, v) in entries {
                    if matches!(v.value, Value::Null) {
                        continue;
                    }
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&k.text);
                    out.insert(k.text.clone(), go(v, path)?);
                    path.truncate(len);
                }
                J::Object(out)
            }
        })
    }
    go(node, &mut String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_never_carry_the_value() {
        assert_eq!(
            redact_serde_value("invalid type: integer `918273`, expected a string"),
            "invalid type: integer, expected a string"
        );
        assert_eq!(
            redact_serde_value("invalid type: string \"s3cret\", expected a boolean"),
            "invalid type: string, expected a boolean"
        );
        assert_eq!(
            redact_serde_value("invalid type: map, expected a string"),
            "invalid type: map, expected a string"
        );
    }

    #[test]
    fn suggest_finds_close_names() {
        let c = ["dataFrom", "data", "target", "secretStoreRef"];
        assert_eq!(suggest("dataform", c.iter().copied()), Some("dataFrom"));
        assert_eq!(
            suggest("secretStoreref", c.iter().copied()),
            Some("secretStoreRef")
        );
        assert_eq!(suggest("completely", c.iter().copied()), None);
    }
}
