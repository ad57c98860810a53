//! Diagnostics: every failure a user can cause, with where it happened, and the exit code.
//!
//! Library modules return their own `thiserror` enums; the layer that knows the context turns
//! them into a [`Diagnostic`] with an origin (`file:line:col`), the object (`ExternalSecret
//! ns/name`) and the field path (`spec.data[1].remoteRef.key`). `main.rs` prints them
//! compiler-style through [`Report`]. Messages name keys and paths, never values.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::manifest::node::Pos;

/// Where an input came from: a file, the stdin stream, or one resource handed over by a tool
/// (an item of a KRM `ResourceList`, named by the file it came from when the tool says so).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    File(PathBuf),
    Stdin,
    /// Lines and columns of such a resource are those of our own re-serialization, which mean
    /// nothing to the user, so they are never printed.
    Resource(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Stdin => f.write_str("<stdin>"),
            Source::Resource(name) => f.write_str(name),
        }
    }
}

/// A position in an input: file plus line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    pub source: Arc<Source>,
    pub pos: Pos,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line == 0 || matches!(*self.source, Source::Resource(_)) {
            write!(f, "{}", self.source)
        } else {
            write!(f, "{}:{}", self.source, self.pos)
        }
    }
}

/// What kind of failure: decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Invalid input or usage; retrying cannot help (exit 2).
    Input,
    /// A reference did not resolve or a backend failed (exit 1).
    Resolve,
}

/// One failure, with all the context the layers above could attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub class: Class,
    pub origin: Option<Origin>,
    /// `ExternalSecret prod/db`
    pub object: Option<String>,
    /// `spec.data[1].remoteRef.key`
    pub field: Option<String>,
    pub message: String,
    pub causes: Vec<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(class: Class, message: impl Into<String>) -> Self {
        Self {
            class,
            origin: None,
            object: None,
            field: None,
            message: message.into(),
            causes: Vec::new(),
            hint: None,
        }
    }

    pub fn input(message: impl Into<String>) -> Self {
        Self::new(Class::Input, message)
    }

    pub fn resolve(message: impl Into<String>) -> Self {
        Self::new(Class::Resolve, message)
    }

    pub fn at(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    pub fn object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = (!field.is_empty()).then_some(field);
        self
    }

    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds every `source()` of `err` as a cause line, outermost first.
    pub fn causes_of(mut self, err: &dyn std::error::Error) -> Self {
        let mut next = err.source();
        while let Some(e) = next {
            self.causes.push(e.to_string());
            next = e.source();
        }
        self
    }

    /// The one-line form: `file:line:col: Kind ns/name: field: message`.
    pub fn headline(&self) -> String {
        let mut s = String::new();
        if let Some(o) = &self.origin {
            s.push_str(&o.to_string());
            s.push_str(": ");
        }
        if let Some(o) = &self.object {
            s.push_str(o);
            s.push_str(": ");
        }
        if let Some(f) = &self.field {
            s.push_str(f);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        s
    }

    /// The whole diagnostic on one line, causes appended, no hint: for tools that show stderr
    /// in a narrow place (Argo CD's UI).
    pub fn one_line(&self) -> String {
        let mut s = self.headline();
        for c in &self.causes {
            s.push_str(": ");
            s.push_str(c);
        }
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn sort_key(&self) -> (Option<&Origin>, Option<&String>, Option<&String>, &String) {
        (
            self.origin.as_ref(),
            self.object.as_ref(),
            self.field.as_ref(),
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.headline())?;
        for c in &self.causes {
            write!(f, "\n  caused by: {c}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Process exit codes, documented in `--help`.
pub mod exit {
    pub const OK: i32 = 0;
    pub const RESOLVE: i32 = 1;
    pub const INPUT: i32 = 2;
}

/// Every failure of one run, sorted by origin, deduplicated.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(ds);
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    pub fn has_input_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.class == Class::Input)
    }

    /// Exit code: 2 if any input error, else 1 if any resolution error, else 0.
    pub fn exit_code(&self) -> i32 {
        if self.has_input_errors() {
            exit::INPUT
        } else if self.is_empty() {
            exit::OK
        } else {
            exit::RESOLVE
        }
    }

    /// The closing line of the report: how many errors, and whether stdout stayed empty (a
    /// failed `render` writes nothing; `check` always writes its report).
    pub fn summary(&self, stdout_written: bool) -> Option<String> {
        let n = self.diagnostics.len();
        let errors = match n {
            0 => return None,
            1 => "1 error".to_string(),
            _ => format!("{n} errors"),
        };
        Some(if stdout_written {
            errors
        } else {
            format!("{errors}; nothing was written to stdout")
        })
    }

    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.diagnostics.dedup();
    }
}

impl Report {
    /// At most `limit` diagnostics, one line each, then how many were left out.
    pub fn short(&self, limit: usize) -> String {
        let mut out = String::new();
        for d in self.diagnostics.iter().take(limit) {
            out.push_str("error: ");
            out.push_str(&d.one_line());
            out.push('\n');
        }
        if self.diagnostics.len() > limit {
            out.push_str(&format!(
                "error: … and {} more\n",
                self.diagnostics.len() - limit
            ));
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_compiler_style() {
        let d = Diagnostic::resolve("secret \"db\" not found")
            .at(Origin {
                source: Arc::new(Source::File("apps/db.yaml".into())),
                pos: Pos { line: 14, col: 9 },
            })
            .object("ExternalSecret prod/db")
            .field("spec.data[1].remoteRef.key")
            .cause("Secret does not exist")
            .hint("check the key");
        assert_eq!(
            d.to_string(),
            "error: apps/db.yaml:14:9: ExternalSecret prod/db: spec.data[1].remoteRef.key: \
             secret \"db\" not found\n  caused by: Secret does not exist\n  hint: check the key"
        );
    }

    #[test]
    fn short_form_is_one_line_per_error() {
        let mut r = Report::default();
        for i in 0..4 {
            r.push(
                Diagnostic::resolve(format!("failed\n  badly {i}"))
                    .object("ExternalSecret a/b")
                    .cause("because")
                    .hint("not shown"),
            );
        }
        assert_eq!(
            r.short(2),
            "error: ExternalSecret a/b: failed badly 0: because\n\
             error: ExternalSecret a/b: failed badly 1: because\n\
             error: … and 2 more\n"
        );
    }

    #[test]
    fn resources_are_named_without_positions() {
        let o = Origin {
            source: Arc::new(Source::Resource("apps/es.yaml".into())),
            pos: Pos { line: 3, col: 1 },
        };
        assert_eq!(o.to_string(), "apps/es.yaml");
    }

    #[test]
    fn input_errors_win_the_exit_code() {
        let mut r = Report::default();
        assert_eq!(r.exit_code(), 0);
        r.push(Diagnostic::resolve("x"));
        assert_eq!(r.exit_code(), 1);
        r.push(Diagnostic::input("y"));
        assert_eq!(r.exit_code(), 2);
    }
}
