//! ESO's template engine v2: Go `text/template` with Sprig and ESO's functions, over byte
//! strings.
//!
//! This module owns parsing ([`Template::parse`]) and execution ([`Template::execute`]) of one
//! template text, with ESO's options (delimiters, `missingkey=error`), and Go's error texts
//! (`template: <name>:<line>: …` for parse errors, `template: <name>:<line>:<col>: executing
//! "<name>" at <<node>>: …` for execution errors). The engine's specification is the shared
//! `templating.md`; the behaviour reference is Go's `text/template` (Go 1.26) and ESO's
//! `runtime/template/v2/template.go`. Submodules: `lex` and `parse` (Go's `parse` package),
//! `value` (the value model), `exec` (Go's `exec.go`), `fmt` (Go's `fmt` printing), `funcs`
//! (builtins, Sprig, ESO).
//!
//! The root `.` is the provider data as Go's `map[string]string` (bytes kept as they are).
//! Output bytes are secret: they are built in a zeroizing buffer and returned as
//! [`SecretBytes`].
//!
//! Must not: put a data value in an [`Error`] (Go sometimes prints values in errors; here they
//! are replaced by their type name), panic on any template text or data, or know about ESO
//! resources (the render layer wraps these errors with key and field).

mod exec;
mod fmt;
mod funcs;
mod lex;
mod parse;
mod value;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::secret::{DataMap, SecretBytes};

/// Engine options: ESO's delimiter flags and the `missingkey=error` option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub left_delim: String,
    pub right_delim: String,
    pub missing_key_error: bool,
}

impl Default for Options {
    /// ESO's `template.data` settings: `{{ }}` and `missingkey=error`.
    fn default() -> Self {
        Options {
            left_delim: "{{".into(),
            right_delim: "}}".into(),
            missing_key_error: true,
        }
    }
}

/// A template failure with Go's message text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The text does not parse: `template: <name>:<line>: <message>`.
    #[error("template: {name}:{line}: {message}")]
    Parse {
        name: String,
        line: usize,
        message: String,
    },
    /// Execution failed at a node: `template: <name>:<line>:<col>: executing "<executing>" at
    /// <<context>>: <message>`. `offset` is the node's byte offset in the template text; `col`
    /// is Go's 0-based byte column.
    #[error(
        "template: {name}:{line}:{col}: executing {} at <{context}>: {message}",
        crate::gocompat::unicode::quote(.executing)
    )]
    Exec {
        name: String,
        line: usize,
        col: usize,
        offset: usize,
        executing: String,
        context: String,
        message: String,
    },
}

impl Error {
    /// Whether the failure is a function or feature eso-render lacks rather than a template
    /// error ESO would also report.
    pub fn is_unsupported(&self) -> bool {
        let m = match self {
            Error::Parse { message, .. } | Error::Exec { message, .. } => message,
        };
        m.contains("not supported by eso-render yet")
    }
}

/// A parsed template, reusable for many executions.
#[derive(Debug)]
pub struct Template {
    name: String,
    text: String,
    trees: parse::TreeSet,
    missing_key_error: bool,
    /// The functions the template calls.
    functions: std::collections::BTreeSet<&'static str>,
}

impl Template {
    /// Parses `text` as the template `name`, with its `define`s and `block`s.
    pub fn parse(name: &str, text: &str, opts: &Options) -> Result<Template, Error> {
        let (trees, functions) = parse::parse(name, text, &opts.left_delim, &opts.right_delim)
            .map_err(|e| Error::Parse {
                name: name.to_owned(),
                line: e.line,
                message: e.message,
            })?;
        Ok(Template {
            name: name.to_owned(),
            text: text.to_owned(),
            trees,
            missing_key_error: opts.missing_key_error,
            functions,
        })
    }

    /// The functions the template calls whose output differs from one run to the next (the
    /// clock, randomness, random salts and keys), in name order.
    pub fn unreproducible_functions(&self) -> Vec<&'static str> {
        self.functions
            .iter()
            .copied()
            .filter(|f| funcs::UNREPRODUCIBLE.contains(f))
            .collect()
    }

    /// The template's name (ESO uses the data key).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs the template with `data` as the root map (Go's `map[string]string`).
    pub fn execute(&self, data: &DataMap) -> Result<SecretBytes, Error> {
        let entries: BTreeMap<Vec<u8>, value::Value> = data
            .iter()
            .map(|(k, v)| {
                (
                    k.as_bytes().to_vec(),
                    value::Value::str(v.expose().to_vec()),
                )
            })
            .collect();
        // A flat map of strings is one level deep, far below the nesting cap.
        let root = value::Value::map(value::Elem::Str, entries).unwrap_or(value::Value::Nil);
        match exec::execute(&self.trees, &self.name, root, self.missing_key_error) {
            Ok(mut out) => Ok(SecretBytes::new(std::mem::take(&mut *out))),
            Err(e) => Err(self.exec_error(e)),
        }
    }

    /// Go's `ErrorContext`: line and 0-based byte column of the node, and the node's text.
    fn exec_error(&self, e: exec::ExecError) -> Error {
        let pos = e.pos.min(self.text.len());
        let before = self.text.get(..pos).unwrap_or("");
        let line = 1 + before.matches('\n').count();
        let col = match before.rfind('\n') {
            Some(i) => pos - (i + 1),
            None => pos,
        };
        let context = e.context;
        Error::Exec {
            name: self.name.clone(),
            line,
            col,
            offset: pos,
            executing: e.executing,
            context,
            message: e.message,
        }
    }
}
