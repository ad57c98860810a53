//! ExternalSecret + resolved data → the Secret ESO would write (`externalsecret_controller.go`,
//! semantics doc §6). Pure: no I/O, no async.
//!
//! Offline choices (documented in the README, "ESO compatibility"):
//! - no `ownerReferences`: they need the ExternalSecret's UID, which only a cluster assigns;
//! - `Merge`/`CreateOrMerge` emit only the keys this ExternalSecret produces (a render has no
//!   existing Secret to merge into), without the `created-by` label, as ESO;
//! - zero keys with `deletionPolicy: Retain` is an error, because ESO leaves the old Secret
//!   untouched and a render that omitted it would make Argo CD or Flux prune it.
//!
//! `spec.target.template` follows ESO's `ApplyTemplate` (`externalsecret_controller_template.go`)
//! and `templating/parser.go`: provider data first when `mergePolicy: Merge` or when the template
//! has neither `data` nor `templateFrom`; then `templateFrom` in order (configMap items, secret
//! items, literal); then `template.data`; then the label and annotation templates.

use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::esutils;
use crate::esutils::decoding::DecodingStrategy;
use crate::manifest::model::{
    CreationPolicy, DeletionPolicy, MergePolicy, Template, TemplateScope,
};
use crate::manifest::node::Value;
use crate::manifest::{ExternalSecret, Located, Sources};
use crate::secret::{DataMap, SecretBytes};
use crate::template;

pub const LABEL_MANAGED: &str = "reconcile.external-secrets.io/managed";
pub const LABEL_CREATED_BY: &str = "reconcile.external-secrets.io/created-by";
pub const ANNOTATION_DATA_HASH: &str = "reconcile.external-secrets.io/data-hash";

/// A `v1` Secret ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub finalizers: Vec<String>,
    pub immutable: bool,
    pub type_: String,
    pub data: DataMap,
    /// The ExternalSecret that produced it, for conflict messages.
    pub source: String,
}

/// What an ExternalSecret yields.
#[derive(Debug)]
pub enum Rendered {
    Secret(Secret),
    /// `creationPolicy: None`: ESO writes nothing, and that is not an error.
    NotCreated,
    /// No keys and `deletionPolicy: Delete`: ESO deletes the Secret, a render omits it.
    Deleted,
}

/// Builds the Secret for `es` from its resolved `data`.
///
/// # Errors
/// No keys under `deletionPolicy: Retain`; a template that fails; a key Kubernetes would reject.
pub fn render(
    es: &ExternalSecret,
    data: DataMap,
    sources: &Sources,
    opts: &template::Options,
) -> Result<Rendered, Diagnostic> {
    let target = &es.spec.target;
    if data.is_empty() {
        match target.deletion_policy {
            DeletionPolicy::Retain if target.creation_policy != CreationPolicy::None => {
                return Err(es.error(
                    Diagnostic::resolve(
                        "no keys were collected: ESO would keep the existing Secret untouched \
                         (secret retained due to DeletionPolicy=Retain), which a render cannot \
                         express, and leaving it out would prune it",
                    )
                    .hint("set spec.target.deletionPolicy: Delete if an empty result is intended"),
                    "spec",
                ));
            }
            // ESO deletes only Secrets it owns; otherwise the ExternalSecret fails and the
            // Secret stays, which a render must not turn into a prune.
            DeletionPolicy::Delete if target.creation_policy == CreationPolicy::Owner => {
                return Ok(Rendered::Deleted);
            }
            DeletionPolicy::Delete => {
                return Err(es.error(
                    Diagnostic::resolve(format!(
                        "no keys were collected and unable to delete secret {}: \
                         creationPolicy={:?} is not Owner",
                        es.target_name(),
                        target.creation_policy
                    )),
                    "spec.target.creationPolicy",
                ));
            }
            DeletionPolicy::Retain | DeletionPolicy::Merge => {}
        }
    }
    if target.creation_policy == CreationPolicy::None {
        return Ok(Rendered::NotCreated);
    }
    let mut out = match &target.template {
        None => Output {
            // No template: all of the ExternalSecret's own labels and annotations are copied.
            labels: es.labels.clone(),
            annotations: es.annotations.clone(),
            finalizers: Vec::new(),
            type_: "Opaque".into(),
            data,
        },
        Some(tpl) => apply_template(es, tpl, &data, sources, opts)?,
    };

    // ESO accepts Unicode letters in keys; the API server does not. Fail here, not at apply.
    if let Some(bad) = out
        .data
        .keys()
        .find(|k| !crate::manifest::validate::is_valid_secret_key(k))
    {
        return Err(es.error(
            Diagnostic::resolve(format!(
                "key {bad:?} is not a valid Secret key: Kubernetes accepts only \
                 [-._a-zA-Z0-9]+, at most 253 characters"
            ))
            .hint("use rewrite or conversionStrategy to change keys"),
            "spec",
        ));
    }

    // The controller's own metadata overwrites whatever a template set.
    out.labels.insert(LABEL_MANAGED.into(), "true".into());
    if target.creation_policy == CreationPolicy::Owner {
        out.labels.insert(
            LABEL_CREATED_BY.into(),
            esutils::hash::sha3_224_hex(&format!("{}/{}", es.namespace, es.name)),
        );
    } else {
        out.labels.remove(LABEL_CREATED_BY);
    }
    out.annotations.insert(
        ANNOTATION_DATA_HASH.into(),
        esutils::hash::object_hash_data(&out.data),
    );

    Ok(Rendered::Secret(Secret {
        namespace: es.namespace.clone(),
        name: es.target_name().to_string(),
        labels: out.labels,
        annotations: out.annotations,
        finalizers: out.finalizers,
        immutable: target.immutable,
        type_: out.type_,
        data: out.data,
        source: es.id(),
    }))
}

/// What a template (or its absence) decides about the Secret.
struct Output {
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    finalizers: Vec<String>,
    type_: String,
    data: DataMap,
}

/// Where a rendered value goes: `templateFrom[].target`, case-insensitive.
#[derive(Clone, Copy)]
enum Target {
    Data,
    Labels,
    Annotations,
}

impl Target {
    fn parse(s: &str) -> Self {
        // Validation rejected anything else for Secret targets; "" is the CRD default Data.
        if s.eq_ignore_ascii_case("labels") {
            Target::Labels
        } else if s.eq_ignore_ascii_case("annotations") {
            Target::Annotations
        } else {
            Target::Data
        }
    }
}

impl Output {
    fn apply(&mut self, target: Target, key: String, value: SecretBytes) {
        match target {
            Target::Data => {
                self.data.insert(key, value);
            }
            Target::Labels => {
                self.labels
                    .insert(key, String::from_utf8_lossy(value.expose()).into_owned());
            }
            Target::Annotations => {
                self.annotations
                    .insert(key, String::from_utf8_lossy(value.expose()).into_owned());
            }
        }
    }
}

/// One template to run: its text, ESO's scope, and where errors point.
struct Job<'a> {
    /// ESO's template name: the key (Values) — for KeysAndValues ESO uses the whole text, which
    /// may come from a Secret, so the field path stands in for it here.
    name: &'a str,
    text: &'a [u8],
    scope: TemplateScope,
    target: Target,
    decoding: DecodingStrategy,
    field: String,
}

/// ESO's `ApplyTemplate` for a new Secret.
fn apply_template(
    es: &ExternalSecret,
    tpl: &Template,
    data: &DataMap,
    sources: &Sources,
    opts: &template::Options,
) -> Result<Output, Diagnostic> {
    let base = "spec.target.template";
    let mut out = Output {
        // Raw first; the label and annotation templates below render over them.
        labels: tpl.metadata.labels.clone(),
        annotations: tpl.metadata.annotations.clone(),
        finalizers: tpl.metadata.finalizers.clone(),
        type_: if tpl.type_.is_empty() {
            "Opaque".into()
        } else {
            tpl.type_.clone()
        },
        data: DataMap::new(),
    };
    if tpl.merge_policy == MergePolicy::Merge
        || (tpl.data.is_empty() && tpl.template_from.is_empty())
    {
        out.data
            .extend(data.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let fail = |d: Diagnostic, field: &str| es.error(d, field);
    for (i, tf) in tpl.template_from.iter().enumerate() {
        let target = Target::parse(&tf.target);
        let decoding: DecodingStrategy = tf.values_decoding_strategy.into();
        let at = format!("{base}.templateFrom[{i}]");
        let refs = [
            ("configMap", "configmap", tf.config_map.as_ref()),
            ("secret", "secret", tf.secret.as_ref()),
        ];
        for (field_kind, eso_kind, r) in refs {
            let Some(r) = r else { continue };
            let key = (es.namespace.clone(), r.name.clone());
            let config_map = sources.config_maps.get(&key);
            let secret = sources.secrets.get(&key);
            let exists = if field_kind == "configMap" {
                config_map.is_some()
            } else {
                secret.is_some()
            };
            if !exists {
                return Err(fail(
                    Diagnostic::input(format!(
                        "error fetching templateFrom data: {eso_kind} {:?} not found in namespace \
                         {:?} of the input",
                        r.name, es.namespace
                    )),
                    &format!("{at}.{field_kind}.name"),
                ));
            }
            for (j, item) in r.items.iter().enumerate() {
                let value: Option<&[u8]> = match field_kind {
                    "configMap" => config_map
                        .and_then(|m| m.get(&item.key))
                        .map(String::as_bytes),
                    _ => secret
                        .and_then(|m| m.get(&item.key))
                        .map(SecretBytes::expose),
                };
                let field = format!("{at}.{field_kind}.items[{j}]");
                let Some(text) = value else {
                    return Err(fail(
                        Diagnostic::input(format!(
                            "error fetching templateFrom data: error in {eso_kind} {}: missing key {}",
                            r.name, item.key
                        )),
                        &field,
                    ));
                };
                run(
                    es,
                    &mut out,
                    data,
                    opts,
                    Job {
                        name: &item.key,
                        text,
                        scope: item.template_as,
                        target,
                        decoding,
                        field,
                    },
                )?;
            }
        }
        if let Some(literal) = &tf.literal {
            run(
                es,
                &mut out,
                data,
                opts,
                Job {
                    name: "literal",
                    text: literal.as_bytes(),
                    scope: TemplateScope::KeysAndValues,
                    target,
                    decoding,
                    field: format!("{at}.literal"),
                },
            )?;
        }
    }
    let inline = [
        ("data", &tpl.data, Target::Data),
        ("metadata.labels", &tpl.metadata.labels, Target::Labels),
        (
            "metadata.annotations",
            &tpl.metadata.annotations,
            Target::Annotations,
        ),
    ];
    for (field, map, target) in inline {
        for (k, text) in map {
            run(
                es,
                &mut out,
                data,
                opts,
                Job {
                    name: k,
                    text: text.as_bytes(),
                    scope: TemplateScope::Values,
                    target,
                    decoding: DecodingStrategy::None,
                    field: key_path(&format!("{base}.{field}"), k),
                },
            )?;
        }
    }
    Ok(out)
}

/// `base.key`, or `base["key"]` when the key has dots, so positions can be found.
pub fn key_path(base: &str, key: &str) -> String {
    if key.contains('.') {
        format!("{base}[\"{key}\"]")
    } else {
        format!("{base}.{key}")
    }
}

/// Runs one template as ESO's `template.Execute` does and applies its output.
fn run(
    es: &ExternalSecret,
    out: &mut Output,
    data: &DataMap,
    opts: &template::Options,
    job: Job<'_>,
) -> Result<(), Diagnostic> {
    let fail = |class, msg: String| es.error(Diagnostic::new(class, msg), &job.field);
    let text = std::str::from_utf8(job.text).map_err(|_| {
        fail(
            crate::error::Class::Input,
            format!(
                "unable to parse template at key {}: the template is not UTF-8 text",
                job.name
            ),
        )
    })?;
    let class = |e: &template::Error| {
        if e.is_unsupported() {
            crate::error::Class::Input
        } else {
            crate::error::Class::Resolve
        }
    };
    let tpl = template::Template::parse(job.name, text, opts).map_err(|e| {
        fail(
            class(&e),
            format!("unable to parse template at key {}: {e}", job.name),
        )
    })?;
    let unreproducible = tpl.unreproducible_functions();
    if !unreproducible.is_empty() {
        // Names the object, field and functions, never the template text or values.
        tracing::warn!(
            "{}: {}: {}: the template calls {}: the rendered value changes on every render, so \
             GitOps tools will see a different Secret each time",
            es.origin(&job.field),
            es.id(),
            job.field,
            unreproducible.join(", ")
        );
    }
    let rendered = tpl.execute(data).map_err(|e| {
        fail(
            class(&e),
            format!("unable to execute template at key {}: {e}", job.name),
        )
    })?;
    let decode = |key: &str, v: &SecretBytes| {
        esutils::decoding::decode(job.decoding, v).map_err(|e| {
            fail(
                crate::error::Class::Resolve,
                format!("failed to decode rendered template value for key {key}: {e}"),
            )
        })
    };
    match job.scope {
        TemplateScope::Values => {
            let v = decode(job.name, &rendered)?;
            out.apply(job.target, job.name.to_string(), v);
        }
        TemplateScope::KeysAndValues => {
            for (k, v) in keys_and_values(&rendered).map_err(|e| {
                fail(
                    crate::error::Class::Resolve,
                    format!("could not unmarshal template to 'map[string][]byte': {e}"),
                )
            })? {
                let v = decode(&k, &v)?;
                out.apply(job.target, k, v);
            }
        }
    }
    Ok(())
}

/// `sigs.k8s.io/yaml.Unmarshal` of rendered text into `map[string]string`: YAML 1.1 scalars
/// become strings as Go formats them (floats at 32-bit precision), null becomes "", and the
/// document must be a mapping of scalars. Messages never quote the text.
fn keys_and_values(rendered: &SecretBytes) -> Result<Vec<(String, SecretBytes)>, String> {
    let text = std::str::from_utf8(rendered.expose())
        .map_err(|_| "the rendered text is not UTF-8".to_string())?;
    let docs = crate::manifest::yaml::parse_documents(text).map_err(|e| {
        format!(
            "error converting YAML to JSON: yaml: line {}: invalid YAML",
            e.pos().line
        )
    })?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(Vec::new());
    };
    let entries = match doc.node.value {
        Value::Map(entries) => entries,
        Value::Null => return Ok(Vec::new()),
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type map[string]string",
                json_kind(&other)
            ));
        }
    };
    entries
        .into_iter()
        .map(|(k, v)| {
            let s = match v.value {
                Value::Null => String::new(),
                Value::Bool(b) => b.to_string(),
                Value::Int(i) => i.to_string(),
                Value::Float(f) => crate::gocompat::json::format_float_g32(f),
                Value::Str(s) => s,
                other => {
                    return Err(format!(
                        "json: cannot unmarshal {} into Go struct field of type string",
                        json_kind(&other)
                    ));
                }
            };
            Ok((k.text, SecretBytes::from(s)))
        })
        .collect()
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::Null => "null",
    }
}
