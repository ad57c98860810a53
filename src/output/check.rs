//! The `check` report: per ExternalSecret and key, the store, the remote reference and ok or the
//! error. Values are never printed; with `--digest-key-env` a keyed HMAC-SHA256 of each value is,
//! so a reviewer sees *that* a value changed without a hash that could be brute-forced.

use std::fmt::Write;

use crate::Run;
use crate::cli::CheckFormat;
use crate::error::{Diagnostic, Report};
use crate::manifest::Located;
use crate::resolve::{self, EntryResult};
use crate::secret::SecretBytes;

/// One line of the report.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub field: String,
    /// The Secret key, when the entry produced keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    pub reference: String,
    /// `ok`, `overridden` (a later entry writes the key), `skipped`, `not-checked` or `error`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    pub object: String,
    pub location: String,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Check {
    pub objects: Vec<Object>,
}

impl Check {
    pub fn new(run: &Run, digest_key: Option<&SecretBytes>) -> Self {
        let objects = run
            .manifests
            .external_secrets
            .iter()
            .zip(&run.resolved)
            .map(|(es, resolved)| Object {
                object: es.id(),
                location: es.origin("metadata.name").to_string(),
                rows: {
                    // data[] beats dataFrom, later entries beat earlier ones: only the last
                    // writer of a key ends up in the Secret.
                    let mut last_writer = std::collections::HashMap::new();
                    for (i, e) in resolved.entries.iter().enumerate() {
                        if let EntryResult::Ok(map) = &e.result {
                            for k in map.keys() {
                                last_writer.insert(k.as_str(), i);
                            }
                        }
                    }
                    resolved
                        .entries
                        .iter()
                        .enumerate()
                        .flat_map(|(i, e)| rows(e, digest_key, |k| last_writer.get(k) == Some(&i)))
                        .collect()
                },
            })
            .collect();
        Self { objects }
    }

    pub fn format(&self, format: CheckFormat, report: &Report) -> String {
        match format {
            CheckFormat::Text => self.text(report),
            CheckFormat::Json => self.json(report),
            CheckFormat::Github => self.github(report),
        }
    }

    fn counts(&self) -> (usize, usize, usize) {
        let rows = self.objects.iter().flat_map(|o| &o.rows);
        let ok = rows.clone().filter(|r| r.status == "ok").count();
        let failed = rows.filter(|r| r.status == "error").count();
        (self.objects.len(), ok, failed)
    }

    fn summary(&self, report: &Report) -> String {
        let (objects, ok, failed) = self.counts();
        format!(
            "{objects} ExternalSecret(s): {ok} key(s) ok, {failed} reference(s) failed, {} error(s) in total",
            report.diagnostics.len()
        )
    }

    fn text(&self, report: &Report) -> String {
        let mut out = String::new();
        for o in &self.objects {
            let _ = writeln!(out, "{} ({})", o.object, o.location);
            for r in &o.rows {
                let _ = write!(
                    out,
                    "  {:<7} {:<24} {:<18} {} {}",
                    r.status,
                    r.key.as_deref().unwrap_or("-"),
                    r.field,
                    r.store.as_deref().unwrap_or("-"),
                    r.reference
                );
                if let Some(d) = &r.digest {
                    let _ = write!(out, " hmac-sha256:{d}");
                }
                if let Some(e) = &r.error {
                    let _ = write!(out, ": {e}");
                }
                out.push('\n');
            }
        }
        let _ = writeln!(out, "{}", self.summary(report));
        out
    }

    fn json(&self, report: &Report) -> String {
        let errors: Vec<_> = report.diagnostics.iter().map(diagnostic_json).collect();
        let (objects, ok, failed) = self.counts();
        let v = serde_json::json!({
            "externalSecrets": self.objects,
            "errors": errors,
            "summary": {"externalSecrets": objects, "keysOk": ok, "referencesFailed": failed},
        });
        let mut s = serde_json::to_string_pretty(&v).expect("a JSON value always serializes");
        s.push('\n');
        s
    }

    fn github(&self, report: &Report) -> String {
        let mut out = String::new();
        for d in &report.diagnostics {
            let mut props = Vec::new();
            if let Some(o) = &d.origin {
                props.push(format!("file={}", escape_property(&o.source.to_string())));
                if o.pos.line > 0 {
                    props.push(format!("line={}", o.pos.line));
                    props.push(format!("col={}", o.pos.col));
                }
            }
            if let Some(obj) = &d.object {
                props.push(format!("title={}", escape_property(obj)));
            }
            let mut message = d
                .field
                .as_ref()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            message.push_str(&d.message);
            for c in &d.causes {
                message.push_str(&format!("\ncaused by: {c}"));
            }
            if let Some(h) = &d.hint {
                message.push_str(&format!("\nhint: {h}"));
            }
            let _ = writeln!(
                out,
                "::error {}::{}",
                props.join(","),
                escape_data(&message)
            );
        }
        let _ = writeln!(
            out,
            "::notice title=eso-render check::{}",
            escape_data(&self.summary(report))
        );
        out
    }
}

fn rows(
    e: &resolve::Entry,
    digest_key: Option<&SecretBytes>,
    is_final: impl Fn(&str) -> bool,
) -> Vec<Row> {
    let row = |key: Option<String>, status, digest, error| Row {
        field: e.field.clone(),
        key,
        store: e.store.clone(),
        reference: e.reference.clone(),
        status,
        digest,
        error,
    };
    match &e.result {
        EntryResult::Ok(map) => map
            .iter()
            .map(|(k, v)| {
                if !is_final(k) {
                    return row(Some(k.clone()), "overridden", None, None);
                }
                let digest = digest_key.map(|key| digest(key.expose(), v));
                row(Some(k.clone()), "ok", digest, None)
            })
            .collect(),
        EntryResult::Skipped => vec![row(
            None,
            "skipped",
            None,
            Some("Secret does not exist".into()),
        )],
        EntryResult::NotChecked => vec![row(None, "not-checked", None, None)],
        EntryResult::Failed(d) => vec![row(None, "error", None, Some(d.message.clone()))],
    }
}

use super::digest;

fn diagnostic_json(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "file": d.origin.as_ref().map(|o| o.source.to_string()),
        "line": d.origin.as_ref().map(|o| o.pos.line),
        "column": d.origin.as_ref().map(|o| o.pos.col),
        "object": d.object,
        "field": d.field,
        "message": d.message,
        "causes": d.causes,
        "hint": d.hint,
        "class": match d.class { crate::error::Class::Input => "input", crate::error::Class::Resolve => "resolve" },
    })
}

/// GitHub workflow-command escaping for the message part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// … and for `key=value` properties, which also escape `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(
            escape_property("ExternalSecret a/b: x,y"),
            "ExternalSecret a/b%3A x%2Cy"
        );
    }
}
