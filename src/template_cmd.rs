//! `eso-render template`: render one template, or one ExternalSecret's template, with data given
//! on the command line, for people debugging templates (ESO's `esoctl template`, without its
//! crashes: a missing `templateFrom` source or an ExternalSecret without a template is an error).
//!
//! The data file is a YAML or JSON map of key to string value (the template's `.key`), read with
//! the same Kubernetes YAML rules as manifests. Output is the rendered text exactly, or the Secret
//! as `render` prints it; on any error, nothing.

use std::sync::Arc;

use zeroize::Zeroizing;

use crate::Outcome;
use crate::cli::TemplateSource;
use crate::error::{Diagnostic, Origin, Report, Source};
use crate::manifest::load::{self, Document, Input};
use crate::manifest::node::Value;
use crate::manifest::{LoadOptions, Manifests};
use crate::render::{self, Rendered};
use crate::secret::{DataMap, SecretBytes};
use crate::template;

/// Runs the `template` subcommand.
pub fn run(data: &Input, source: &TemplateSource, namespace: &str) -> Outcome {
    let mut report = Report::default();
    let data = match read_data(data) {
        Ok(d) => d,
        Err(ds) => {
            report.extend(ds);
            return crate::finish(report, Zeroizing::default);
        }
    };
    match source {
        TemplateSource::Text(text) => text_outcome("template", text, &data, None),
        TemplateSource::File(path) => match std::fs::read_to_string(path) {
            Ok(text) => {
                let name = path.file_name().map_or_else(
                    || "template".to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let origin = Origin {
                    source: Arc::new(Source::File(path.clone())),
                    pos: Default::default(),
                };
                text_outcome(&name, &text, &data, Some(origin))
            }
            Err(e) => {
                report.push(Diagnostic::input(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
                crate::finish(report, Zeroizing::default)
            }
        },
        TemplateSource::ExternalSecret(path) => external_secret(path, &data, namespace),
    }
}

fn text_outcome(name: &str, text: &str, data: &DataMap, origin: Option<Origin>) -> Outcome {
    let mut report = Report::default();
    let result = template::Template::parse(name, text, &template::Options::default())
        .and_then(|t| t.execute(data));
    match result {
        Ok(out) => Outcome {
            stdout: Zeroizing::new(out.expose().to_vec()),
            ..Default::default()
        },
        Err(e) => {
            let class = if e.is_unsupported() {
                crate::error::Class::Input
            } else {
                crate::error::Class::Resolve
            };
            let mut d = Diagnostic::new(class, e.to_string());
            if let Some(o) = origin {
                d = d.at(o);
            }
            report.push(d);
            crate::finish(report, Zeroizing::default)
        }
    }
}

fn external_secret(path: &std::path::Path, data: &DataMap, namespace: &str) -> Outcome {
    let mut report = Report::default();
    let (mut docs, mut errors) = (Vec::new(), Vec::new());
    load::read_inputs(
        &[Input::Path(path.to_path_buf())],
        &crate::sops::Keyring::default(),
        &mut docs,
        &mut errors,
    );
    let opts = LoadOptions {
        default_namespace: namespace.to_string(),
        template: template::Options::default(),
    };
    let m = Manifests::from_documents(docs, &opts, &mut errors);
    report.extend(errors);
    if report.is_empty() && m.external_secrets.len() != 1 {
        report.push(Diagnostic::input(format!(
            "{} holds {} ExternalSecrets: give exactly one",
            path.display(),
            m.external_secrets.len()
        )));
    }
    let Some(es) = m.external_secrets.first().filter(|_| report.is_empty()) else {
        return crate::finish(report, Zeroizing::default);
    };
    if es.spec.target.template.is_none() {
        report.push(
            crate::manifest::Located::error(
                es,
                Diagnostic::input("the ExternalSecret has no spec.target.template"),
                "spec.target",
            )
            .hint("without a template the Secret holds the data as given"),
        );
        return crate::finish(report, Zeroizing::default);
    }
    match render::render(es, data.clone(), &m.sources, &opts.template) {
        Ok(Rendered::Secret(s)) => crate::finish(report, || crate::output::to_yaml(&[s], &[])),
        Ok(Rendered::NotCreated | Rendered::Deleted) => {
            report.push(Diagnostic::input(
                "the ExternalSecret writes no Secret (creationPolicy None, or no data)",
            ));
            crate::finish(report, Zeroizing::default)
        }
        Err(d) => {
            report.push(d);
            crate::finish(report, Zeroizing::default)
        }
    }
}

/// The data file: one mapping of key to string (null is the empty string).
fn read_data(input: &Input) -> Result<DataMap, Vec<Diagnostic>> {
    let (mut docs, mut errors) = (Vec::new(), Vec::new());
    load::read_inputs(
        std::slice::from_ref(input),
        &crate::sops::Keyring::default(),
        &mut docs,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let what = match input {
        Input::Stdin => "<stdin>".to_string(),
        Input::Path(p) => p.display().to_string(),
        Input::Inline(i) => i.source.to_string(),
    };
    let doc: Document = match docs.len() {
        0 => return Ok(DataMap::new()),
        1 => docs.remove(0),
        n => {
            return Err(vec![Diagnostic::input(format!(
                "--data {what}: expected one YAML document, found {n}"
            ))]);
        }
    };
    let Value::Map(entries) = &doc.node.value else {
        return Err(vec![
            Diagnostic::input(format!(
                "--data: expected a mapping of key to string value, found {}",
                doc.node.value.kind_name()
            ))
            .at(doc.origin(doc.node.pos)),
        ]);
    };
    let mut data = DataMap::new();
    let mut errors = Vec::new();
    for (k, v) in entries {
        match &v.value {
            Value::Str(s) => {
                data.insert(k.text.clone(), SecretBytes::from(s.as_str()));
            }
            Value::Null => {
                data.insert(k.text.clone(), SecretBytes::from(""));
            }
            other => errors.push(
                Diagnostic::input(format!(
                    "--data: expected a string value, found {}",
                    other.kind_name()
                ))
                .at(doc.origin(v.pos))
                .field(k.text.clone())
                .hint("quote the value to make it a string"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}
