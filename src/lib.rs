//! eso-render: External Secrets Operator manifests in, Kubernetes Secrets out.
//!
//! Module map, in the order data flows:
//! - [`cli`]: flags → a checked [`cli::Plan`]; the only place that knows flag names.
//! - [`manifest`]: reading files or stdin into position-aware trees ([`manifest::node`],
//!   [`manifest::yaml`]), the typed ESO model with CRD defaults ([`manifest::model`]) and ESO's
//!   validation rules ([`manifest::validate`]).
//! - [`provider`]: the backend contract (raw reads + pure selection) and the backends.
//! - [`cluster`]: the Kubernetes API, reached only when a store needs it (TokenRequest).
//! - [`resolve`]: ESO's fetch pipeline over the whole run: store binding, deduplicated and
//!   batched reads under one deadline, then rewrite/convert/decode per ExternalSecret.
//! - [`esutils`], [`gocompat`]: exact ports of ESO's helpers and of the Go standard-library
//!   behaviours they rely on (base64, regexp, JSON, number formatting, durations, times).
//! - [`template`]: ESO's template engine v2, a Go `text/template` port with Sprig and ESO's
//!   functions (not wired into rendering yet: issue 4).
//! - [`render`]: pure ExternalSecret + data → Secret.
//! - [`template_cmd`]: `eso-render template`, one template and given data, for debugging.
//! - [`output`]: YAML/JSON documents and the `check` report. With `main.rs`, the only code that
//!   writes to stdout.
//! - [`secret`]: `SecretBytes`, the one type values travel in. [`error`]: diagnostics and exit
//!   codes.

pub mod cli;
pub mod cluster;
pub mod error;
pub mod esutils;
pub mod gocompat;
pub mod manifest;
pub mod output;
pub mod pki;
pub mod plugin;
pub mod provider;
pub mod render;
pub mod resolve;
pub mod secret;
pub mod sops;
pub mod template;
pub mod template_cmd;

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::cli::{Common, Plan};
use crate::error::{Diagnostic, Report};
use crate::manifest::{LoadOptions, Located, Manifests};
use crate::render::{Rendered, Secret};

/// What a run produced: text for stdout (empty on failure) and the diagnostics for stderr.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: Zeroizing<Vec<u8>>,
    pub report: Report,
    pub exit_code: i32,
}

/// What a render prints, before it is formatted.
pub(crate) struct Objects {
    /// Rendered Secrets, sorted by namespace and name.
    pub secrets: Vec<Secret>,
    /// Input objects printed as they are: those the caller keeps, and decrypted SOPS objects.
    pub inputs: Vec<std::sync::Arc<manifest::load::Document>>,
}

/// Load → resolve → render, then what to print. `keep` says which input objects (other than
/// ESO objects) are printed besides the decrypted SOPS ones. An empty result is an error, since
/// it would make a GitOps tool prune every Secret of the application.
pub(crate) fn render_objects(
    common: &Common,
    keep: &dyn Fn(&manifest::load::Document) -> bool,
) -> (Objects, Report) {
    let run = execute(common, false, keep);
    let mut report = run.report;
    let mut secrets = Vec::new();
    let mut deleted = Vec::new();
    for (es, result) in run.manifests.external_secrets.iter().zip(run.rendered) {
        match result {
            Ok(Rendered::Secret(s)) => secrets.push(s),
            Ok(Rendered::NotCreated) => {}
            Ok(Rendered::Deleted) => deleted.push(es),
            Err(ds) => report.extend(ds),
        }
    }
    // Decrypted SOPS objects are output like rendered Secrets (KSOPS and Flux print them).
    let inputs: Vec<_> = run
        .manifests
        .passthrough
        .iter()
        .filter(|d| d.decrypted || keep(d))
        .cloned()
        .collect();
    if report.is_empty() && secrets.is_empty() && inputs.is_empty() {
        // Only `creationPolicy: None` everywhere makes an empty output the intended result.
        if run.manifests.external_secrets.is_empty() {
            report.push(Diagnostic::input(
                "no ExternalSecret found in the input: refusing to print nothing, which would \
                 make a GitOps tool prune every Secret",
            ));
        }
        for es in deleted {
            report.push(
                es.error(
                    Diagnostic::resolve(
                        "no keys were collected and deletionPolicy is Delete, so this \
                         ExternalSecret yields no Secret, and neither does any other: refusing \
                         to print nothing",
                    ),
                    "spec.target.deletionPolicy",
                )
                .hint(
                    "an empty output makes a GitOps tool prune every Secret of the \
                     application; remove the ExternalSecret to delete its Secret",
                ),
            );
        }
    }
    secrets.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    (Objects { secrets, inputs }, report)
}

/// Runs a plan to completion. Nothing is printed here: the caller writes `stdout` and `report`.
pub fn run(plan: Plan) -> Outcome {
    match plan {
        Plan::Template {
            data,
            source,
            namespace,
        } => template_cmd::run(&data, &source, &namespace),
        Plan::Completions(shell) => {
            use clap::CommandFactory;
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cli::Cli::command(), "eso-render", &mut buf);
            Outcome {
                stdout: Zeroizing::new(buf),
                ..Default::default()
            }
        }
        Plan::Render {
            common,
            format,
            passthrough,
            sops,
            redact,
            annotations,
            vars_secret,
        } => {
            let (mut objects, mut report) = render_objects(&common, &|_| passthrough);
            if report.is_empty()
                && let Some((ns, name)) = &vars_secret
            {
                match output::flux::vars_secret(&objects.secrets, ns, name) {
                    Ok(vars) => objects.secrets = vec![vars],
                    Err(ds) => report.extend(ds),
                }
            }
            finish_with(report, || {
                let annotations: Vec<(&str, &str)> = annotations
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let print = output::Print {
                    sops: sops.as_ref(),
                    redact: redact.as_ref(),
                    annotations: &annotations,
                };
                match format {
                    cli::OutputFormat::Yaml => {
                        output::to_yaml_with(&objects.secrets, &objects.inputs, &print).map_err(
                            |e| {
                                Diagnostic::resolve(format!("encrypting the output with sops: {e}"))
                            },
                        )
                    }
                    cli::OutputFormat::Json => Ok(output::to_json_with(
                        &objects.secrets,
                        &objects.inputs,
                        &print,
                    )),
                }
            })
        }
        Plan::Discover(path) => plugin::argocd::discover(&path),
        Plan::Krm {
            common,
            passthrough,
            name_suffix_hash,
        } => plugin::kustomize::run_function(&common, passthrough, name_suffix_hash),
        Plan::Check {
            common,
            offline,
            format,
            digest_key,
        } => {
            let run = execute(&common, offline, &|_| false);
            let mut report = run.report.clone();
            let check = output::check::Check::new(&run, digest_key.as_ref());
            for result in &run.rendered {
                if let Err(ds) = result {
                    report.extend(ds.iter().cloned());
                }
            }
            report.sort();
            let text = check.format(format, &report);
            Outcome {
                exit_code: report.exit_code(),
                stdout: Zeroizing::new(text.into_bytes()),
                report,
            }
        }
    }
}

/// Moves a zeroizing string's buffer into a zeroizing byte vector, without a copy.
pub(crate) fn bytes(mut s: Zeroizing<String>) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(std::mem::take(&mut *s).into_bytes())
}

pub(crate) fn finish(report: Report, out: impl FnOnce() -> Zeroizing<String>) -> Outcome {
    finish_with(report, || Ok(out()))
}

/// [`finish`] for output that can still fail to be produced; then nothing is printed.
pub(crate) fn finish_with(
    mut report: Report,
    out: impl FnOnce() -> Result<Zeroizing<String>, Diagnostic>,
) -> Outcome {
    report.sort();
    if report.is_empty() {
        match out() {
            Ok(text) => Outcome {
                stdout: bytes(text),
                report,
                exit_code: error::exit::OK,
            },
            Err(d) => {
                report.push(d);
                Outcome {
                    exit_code: report.exit_code(),
                    stdout: Zeroizing::default(),
                    report,
                }
            }
        }
    } else {
        Outcome {
            exit_code: report.exit_code(),
            stdout: Zeroizing::default(),
            report,
        }
    }
}

/// One pass of load → resolve → render, shared by `render` and `check`.
pub struct Run {
    pub manifests: Manifests,
    pub resolved: Vec<resolve::Resolved>,
    /// Per ExternalSecret (same order as `manifests.external_secrets`).
    pub rendered: Vec<Result<Rendered, Vec<Diagnostic>>>,
    /// Input and wiring problems, and run-level failures.
    pub report: Report,
}

fn execute(
    common: &Common,
    offline: bool,
    keep: &dyn Fn(&manifest::load::Document) -> bool,
) -> Run {
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    let keys = sops::Keyring::new(common.sops_keys.clone());
    manifest::load::read_inputs(&common.inputs, &keys, &mut docs, &mut errors);
    let opts = LoadOptions {
        default_namespace: common.namespace.clone(),
        template: common.template.clone(),
    };
    let n_docs = docs.len();
    let manifests = Manifests::from_documents(docs, &opts, &mut errors);
    tracing::debug!(
        documents = n_docs,
        external_secrets = manifests.external_secrets.len(),
        stores = manifests.stores.len(),
        passthrough = manifests.passthrough.len(),
        errors = errors.len(),
        "loaded input"
    );
    let mut report = Report::default();
    report.extend(errors);

    // Invalid input: do not contact any backend.
    let resolved = if report.is_empty() {
        let opts = resolve::Options {
            concurrency: common.concurrency,
            timeout: common.timeout,
            controller_class: common.controller_class.clone(),
            offline,
            retry: provider::RetryPolicy::default(),
            cluster: common.cluster.clone(),
        };
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt.block_on(resolve::resolve(&manifests, &opts)),
            Err(e) => {
                report.push(Diagnostic::resolve(format!(
                    "cannot start the async runtime: {e}"
                )));
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };

    let mut rendered = Vec::with_capacity(resolved.len());
    for (es, r) in manifests.external_secrets.iter().zip(&resolved) {
        let result = match r.data() {
            Err(ds) => Err(ds),
            Ok(_) if offline => Ok(Rendered::NotCreated),
            Ok(data) => {
                render::render(es, data, &manifests.sources, &opts.template).map_err(|d| vec![d])
            }
        };
        rendered.push(result);
    }
    let secrets: Vec<&Secret> = rendered
        .iter()
        .filter_map(|r| match r {
            Ok(Rendered::Secret(s)) => Some(s),
            _ => None,
        })
        .collect();
    tracing::debug!(
        secrets = secrets.len(),
        external_secrets = rendered.len(),
        "rendered"
    );
    check_targets(&secrets, &manifests, keep, &common.namespace, &mut report);
    Run {
        manifests,
        resolved,
        rendered,
        report,
    }
}

/// Two ExternalSecrets writing one Secret, or one colliding with a Secret of the input that is
/// printed too (kept by `keep`, or decrypted from SOPS; `default_ns` is where such a Secret lands
/// when it names no namespace).
///
/// ESO fails the second writer when the first owns the Secret (`target is owned by another
/// ExternalSecret`); with `Merge`/`CreateOrMerge` it merges both into one Secret, which a render
/// cannot print as one object yet. Either way printing both would let the last writer win.
fn check_targets(
    secrets: &[&Secret],
    m: &Manifests,
    keep: &dyn Fn(&manifest::load::Document) -> bool,
    default_ns: &str,
    report: &mut Report,
) {
    let by_id = |id: &str| m.external_secrets.iter().find(|es| es.id() == id);
    let mut seen: BTreeMap<(&str, &str), &Secret> = BTreeMap::new();
    for &s in secrets {
        let Some(first) = seen.get(&(s.namespace.as_str(), s.name.as_str())).copied() else {
            seen.insert((&s.namespace, &s.name), s);
            continue;
        };
        let (Some(es), Some(first_es)) = (by_id(&s.source), by_id(&first.source)) else {
            continue;
        };
        let owned = |e: &manifest::ExternalSecret| {
            e.spec.target.creation_policy == manifest::model::CreationPolicy::Owner
        };
        let why = if owned(first_es) || owned(es) {
            "target is owned by another ExternalSecret".to_string()
        } else {
            format!(
                "ESO would merge both into one Secret (creationPolicy {:?} and {:?}), which \
                 eso-render cannot print as one object yet",
                first_es.spec.target.creation_policy, es.spec.target.creation_policy
            )
        };
        report.push(
            es.error(
                Diagnostic::input(format!(
                    "Secret {}/{} is also written by {}: {why}",
                    s.namespace, s.name, first.source
                )),
                "spec.target.name",
            )
            .cause(format!(
                "{} is defined at {}",
                first.source,
                first_es.origin("metadata.name")
            )),
        );
    }
    let mut printed: BTreeMap<(String, String), &manifest::load::Document> = BTreeMap::new();
    for doc in m.passthrough.iter().filter(|d| d.decrypted || keep(d)) {
        let node = &doc.node;
        if !node.is_core_secret() {
            continue;
        }
        let meta = node.get("metadata");
        let field = |f: &str| meta.and_then(|m| m.get(f)).and_then(|n| n.as_str());
        let name = field("name").unwrap_or("");
        let ns = field("namespace")
            .filter(|n| !n.is_empty())
            .unwrap_or(default_ns);
        if let Some(s) = seen.get(&(ns, name)) {
            report.push(
                Diagnostic::input(format!(
                    "Secret {ns}/{name} in the input collides with the Secret rendered by {}",
                    s.source
                ))
                .at(doc.origin(node.find("metadata.name"))),
            );
        }
        // Two input Secrets of one name (say a SOPS file and a plain copy): printing both lets
        // the last one win in the cluster, silently.
        match printed.entry((ns.to_owned(), name.to_owned())) {
            std::collections::btree_map::Entry::Occupied(first) => {
                let first = *first.get();
                report.push(
                    Diagnostic::input(format!(
                        "Secret {ns}/{name} appears twice in the input: both would be printed \
                         and the last one would win"
                    ))
                    .at(doc.origin(node.find("metadata.name")))
                    .cause(format!(
                        "the first one is at {}",
                        first.origin(first.node.find("metadata.name"))
                    )),
                );
            }
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(doc);
            }
        }
    }
}
