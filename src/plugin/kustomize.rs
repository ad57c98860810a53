//! kustomize generator, both protocols (`eso-render kustomize [CONFIG]`).
//!
//! - **Legacy exec plugin.** kustomize runs the plugin with `argv[1]` = a temp file holding the
//!   generator config, in the kustomization's directory; stdout is the generated objects.
//! - **KRM function.** A `ResourceList` on stdin, one on stdout. `functionConfig` is an
//!   `ExternalSecretGenerator` (or kpt's `ConfigMap` of `key=value` arguments); ESO objects among
//!   `items` are consumed and replaced by their Secrets, every other item passes through (so the
//!   function works as a kustomize transformer, and kustomize's own copy of the config, marked
//!   local-config, goes back to it). Errors go to `results` with the object, field and file,
//!   and no item is printed: a failed run never hands on a partial set of Secrets.
//!
//! Files named by the config are read relative to the working directory (the kustomization's
//! directory under kustomize) and must stay inside it, as kustomize's default load restrictor
//! requires of its own files.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::cli::{self, BackendArgs, Common, Env, OutputFormat, Plan, ReadArgs};
use crate::error::{Diagnostic, Origin, Report, Source};
use crate::manifest::load::{Inline, Input};
use crate::manifest::node::{Node, Value};
use crate::manifest::yaml;

pub const API_VERSION: &str = "eso-render.io/v1alpha1";
pub const KIND: &str = "ExternalSecretGenerator";
/// Asks kustomize to append a content hash to a generated object's name.
pub const NEEDS_HASH_ANNOTATION: &str = "kustomize.config.k8s.io/needs-hash";
const RESOURCE_LIST: &str = "ResourceList";
/// Where kpt and kustomize say an item came from (older and newer spelling).
const PATH_ANNOTATIONS: &[&str] = &[
    "config.kubernetes.io/path",
    "internal.config.kubernetes.io/path",
];

/// `spec` of an `ExternalSecretGenerator`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Spec {
    /// Files or directories of ESO manifests, relative to the kustomization.
    #[serde(default)]
    pub files: Vec<String>,
    /// Namespace for objects without one.
    pub namespace: Option<String>,
    /// Also print the non-ESO objects of `files`.
    #[serde(default)]
    pub passthrough: bool,
    pub controller_class: Option<String>,
    /// Let kustomize append a content hash to each Secret's name (and rewrite references).
    #[serde(default)]
    pub name_suffix_hash: bool,
    /// Deadline for backend requests (Go duration).
    pub timeout: Option<String>,
    pub concurrency: Option<u16>,
}

/// The generator config, as a named object.
struct Config {
    /// `ExternalSecretGenerator <name>`, for errors.
    object: String,
    spec: Spec,
    /// Where the files are listed: `spec.files` or a ConfigMap's `data.files`.
    from_config_map: bool,
}

impl Config {
    fn files_field(&self, i: usize) -> String {
        if self.from_config_map {
            "data.files".to_string()
        } else {
            format!("spec.files[{i}]")
        }
    }
}

/// The plan of `eso-render kustomize [CONFIG]`.
///
/// # Errors
/// An unreadable or invalid config or ResourceList, files outside the kustomization.
pub fn plan(config: Option<&Path>, env: &dyn Env) -> Result<Plan, Diagnostic> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| Diagnostic::input(format!("cannot read the working directory: {e}")))?;
    match config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Diagnostic::input(format!("cannot read the generator config: {e}")))?;
            let docs = yaml::parse_documents(&text)
                .map_err(|e| Diagnostic::input(format!("the generator config is not YAML: {e}")))?;
            let [doc] = docs.as_slice() else {
                return Err(Diagnostic::input(
                    "the generator config must be one YAML document",
                ));
            };
            let config = parse_config(&doc.node)?;
            if config.spec.files.is_empty() {
                return Err(Diagnostic::input("list the ESO manifests to render")
                    .object(&config.object)
                    .field("spec.files"));
            }
            let common = common(&config, &cwd, Vec::new(), env)?;
            Ok(Plan::Render {
                common,
                format: OutputFormat::Yaml,
                passthrough: config.spec.passthrough,
                sops: None,
                redact: None,
                annotations: hash_annotation(&config.spec),
                vars_secret: None,
            })
        }
        None => {
            let mut text = Zeroizing::new(String::new());
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| Diagnostic::input(format!("cannot read stdin: {e}")))?;
            let (config, items) = parse_resource_list(&text)?;
            let passthrough = config.spec.passthrough;
            let name_hash = config.spec.name_suffix_hash;
            let common = common(&config, &cwd, items, env)?;
            Ok(Plan::Krm {
                common,
                passthrough,
                name_suffix_hash: name_hash,
            })
        }
    }
}

fn hash_annotation(spec: &Spec) -> Vec<(String, String)> {
    if spec.name_suffix_hash {
        vec![(NEEDS_HASH_ANNOTATION.to_string(), "true".to_string())]
    } else {
        Vec::new()
    }
}

/// The settings of a render from the config; `items` are inputs besides its files.
fn common(
    config: &Config,
    cwd: &Path,
    mut items: Vec<Input>,
    env: &dyn Env,
) -> Result<Common, Diagnostic> {
    let spec = &config.spec;
    let mut paths = Vec::new();
    for (i, f) in spec.files.iter().enumerate() {
        if f == "-" || super::confined(cwd, cwd, f).is_none() {
            return Err(Diagnostic::input(format!(
                "{f:?} is not a path inside the kustomization's directory"
            ))
            .object(&config.object)
            .field(config.files_field(i)));
        }
        paths.push(f.clone());
    }
    let read = ReadArgs {
        namespace: spec.namespace.clone(),
        controller_class: spec
            .controller_class
            .clone()
            .unwrap_or_else(|| "default".into()),
        template_left_delimiter: "{{".into(),
        template_right_delimiter: "}}".into(),
        age_identity: Vec::new(),
        pgp_key: Vec::new(),
    };
    let backend = BackendArgs {
        concurrency: spec.concurrency.unwrap_or(16).max(1),
        timeout: spec.timeout.clone(),
        kubeconfig: None,
        context: None,
    };
    let mut common = cli::common(&paths, read, backend, env).map_err(|d| Diagnostic {
        object: Some(config.object.clone()),
        ..d
    })?;
    common.inputs.append(&mut items);
    Ok(common)
}

/// Reads the generator config: an `ExternalSecretGenerator`, or a `ConfigMap` whose `data`
/// holds the same settings as strings (what `kpt fn eval -- key=value` makes).
fn parse_config(node: &Node) -> Result<Config, Diagnostic> {
    let json = crate::output::json(node);
    let kind = json.get("kind").and_then(|k| k.as_str()).unwrap_or("");
    let name = json
        .pointer("/metadata/name")
        .and_then(|n| n.as_str())
        .unwrap_or("");
    let object = format!("{kind} {name}").trim().to_string();
    let bad = |field: &str, msg: String| {
        Diagnostic::input(msg)
            .object(object.clone())
            .field(field.to_string())
    };
    match kind {
        KIND => {
            let api = json
                .get("apiVersion")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            if api != API_VERSION {
                return Err(bad(
                    "apiVersion",
                    format!("expected {API_VERSION:?}, found {api:?}"),
                ));
            }
            if let Some(obj) = json.as_object()
                && let Some(k) = obj
                    .keys()
                    .find(|k| !["apiVersion", "kind", "metadata", "spec"].contains(&k.as_str()))
            {
                return Err(bad(k, "unknown field".into()));
            }
            let spec = match json.get("spec") {
                None | Some(serde_json::Value::Null) => Spec::default(),
                Some(spec) => serde_path_to_error::deserialize(spec).map_err(|e| {
                    let path = e.path().to_string();
                    bad(
                        &format!("spec.{path}").replace("spec..", "spec"),
                        e.into_inner().to_string(),
                    )
                })?,
            };
            Ok(Config {
                object,
                spec,
                from_config_map: false,
            })
        }
        "ConfigMap" => {
            let mut spec = Spec::default();
            let data = json.get("data").and_then(|d| d.as_object());
            for (k, v) in data.into_iter().flatten() {
                let v = v.as_str().unwrap_or_default();
                let field = format!("data.{k}");
                let boolean = |v: &str| match v {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(bad(&field, "expected \"true\" or \"false\"".into())),
                };
                match k.as_str() {
                    "files" => {
                        spec.files = v
                            .split(',')
                            .map(str::trim)
                            .filter(|f| !f.is_empty())
                            .map(String::from)
                            .collect();
                    }
                    "namespace" => spec.namespace = Some(v.into()),
                    "passthrough" => spec.passthrough = boolean(v)?,
                    "controllerClass" => spec.controller_class = Some(v.into()),
                    "nameSuffixHash" => spec.name_suffix_hash = boolean(v)?,
                    "timeout" => spec.timeout = Some(v.into()),
                    "concurrency" => {
                        spec.concurrency = Some(
                            v.parse()
                                .map_err(|_| bad(&field, "expected a number".into()))?,
                        );
                    }
                    other => {
                        return Err(bad(
                            &field,
                            format!(
                                "unknown setting {other:?} (known: files, namespace, \
                                 passthrough, controllerClass, nameSuffixHash, timeout, \
                                 concurrency)"
                            ),
                        ));
                    }
                }
            }
            Ok(Config {
                object,
                spec,
                from_config_map: true,
            })
        }
        _ => Err(Diagnostic::input(format!(
            "the function config must be an {KIND} ({API_VERSION}) or a ConfigMap, not {:?}",
            if kind.is_empty() {
                "an object without kind"
            } else {
                kind
            }
        ))),
    }
}

/// The config and the items (as named inline inputs) of a KRM `ResourceList`.
fn parse_resource_list(text: &str) -> Result<(Config, Vec<Input>), Diagnostic> {
    let at = |e: &yaml::Error| Origin {
        source: Arc::new(Source::Stdin),
        pos: e.pos(),
    };
    let docs = yaml::parse_documents(text)
        .map_err(|e| Diagnostic::input(format!("ResourceList: {e}")).at(at(&e)))?;
    let list = match docs.as_slice() {
        [d] if d.node.get("kind").and_then(Node::as_str) == Some(RESOURCE_LIST) => &d.node,
        _ => {
            return Err(Diagnostic::input(
                "stdin is not a KRM ResourceList (without a CONFIG argument, `eso-render \
                 kustomize` is a KRM function)",
            ));
        }
    };
    let config = match list.get("functionConfig") {
        Some(n) if !matches!(n.value, Value::Null) => parse_config(n)?,
        _ => Config {
            object: String::new(),
            spec: Spec::default(),
            from_config_map: false,
        },
    };
    let mut inputs = Vec::new();
    if let Some(Node {
        value: Value::Seq(items),
        ..
    }) = list.get("items")
    {
        for (i, item) in items.iter().enumerate() {
            let annotations = item.get("metadata").and_then(|m| m.get("annotations"));
            let path = PATH_ANNOTATIONS
                .iter()
                .find_map(|a| annotations.and_then(|m| m.get(a)).and_then(Node::as_str));
            let name = match path {
                Some(p) => p.to_string(),
                None => format!("ResourceList.items[{i}]"),
            };
            let mut text = Zeroizing::new(String::new());
            crate::output::yaml::emit_document(item, &mut text);
            inputs.push(Input::Inline(Inline {
                source: Arc::new(Source::Resource(name)),
                text,
            }));
        }
    }
    Ok((config, inputs))
}

/// Runs the KRM function: the Secrets and pass-through items in a ResourceList, or, on any
/// error, a ResourceList with no items and the errors in `results`.
pub fn run_function(common: &Common, passthrough: bool, name_suffix_hash: bool) -> crate::Outcome {
    let keep = |d: &crate::manifest::load::Document| {
        passthrough || matches!(*d.source, Source::Resource(_))
    };
    let (objects, mut report) = crate::render_objects(common, &keep);
    report.sort();
    let annotations: &[(&str, &str)] = if name_suffix_hash {
        &[(NEEDS_HASH_ANNOTATION, "true")]
    } else {
        &[]
    };
    let print = crate::output::Print {
        annotations,
        ..Default::default()
    };
    let stdout = if report.is_empty() {
        crate::output::to_resource_list(&objects.secrets, &objects.inputs, &print, Vec::new())
    } else {
        crate::output::to_resource_list(&[], &[], &print, results(&report))
    };
    crate::Outcome {
        stdout: crate::bytes(stdout),
        exit_code: report.exit_code(),
        report,
    }
}

/// Errors as KRM results: message, severity, the object, the field and the file.
fn results(report: &Report) -> Vec<Node> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            for c in &d.causes {
                message.push_str(": ");
                message.push_str(c);
            }
            let mut r = vec![
                ("message".to_string(), Node::str(message)),
                ("severity".to_string(), Node::str("error")),
            ];
            if let Some((kind, rest)) = d.object.as_deref().and_then(|o| o.split_once(' ')) {
                let mut id = Vec::new();
                if matches!(
                    kind,
                    "ExternalSecret" | "SecretStore" | "ClusterSecretStore"
                ) {
                    id.push((
                        "apiVersion".to_string(),
                        Node::str("external-secrets.io/v1"),
                    ));
                }
                id.push(("kind".to_string(), Node::str(kind)));
                match rest.split_once('/') {
                    Some((ns, name)) => {
                        id.push(("name".to_string(), Node::str(name)));
                        id.push(("namespace".to_string(), Node::str(ns)));
                    }
                    None => id.push(("name".to_string(), Node::str(rest))),
                }
                r.push(("resourceRef".to_string(), Node::map(id)));
            }
            if let Some(f) = &d.field {
                r.push((
                    "field".to_string(),
                    Node::map(vec![("path".to_string(), Node::str(f.clone()))]),
                ));
            }
            let file = d.origin.as_ref().and_then(|o| match &*o.source {
                Source::File(p) => Some(p.display().to_string()),
                Source::Resource(name) if !name.starts_with("ResourceList.") => Some(name.clone()),
                _ => None,
            });
            if let Some(path) = file {
                r.push((
                    "file".to_string(),
                    Node::map(vec![("path".to_string(), Node::str(path))]),
                ));
            }
            Node::map(r)
        })
        .collect()
}
