//! Reading inputs: files, directories (walked), or one stream on stdin, split into documents.
//!
//! Directories are walked in sorted order so output never depends on the file system; hidden
//! entries (`.git`, `.github`, …) are skipped; symlinks are followed only when they point to a
//! file inside the directory being walked, so a repository cannot make eso-render read
//! `/etc/…` or `~/.aws` through a link. Explicitly named files are read whatever their
//! extension.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Diagnostic, Origin, Source};
use crate::manifest::node::{Node, Pos};
use crate::manifest::yaml;

/// One parsed document and where it came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: Arc<Source>,
    pub node: Node,
}

impl Document {
    pub fn origin(&self, pos: Pos) -> Origin {
        Origin {
            source: self.source.clone(),
            pos,
        }
    }
}

/// What the user asked to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    pub fn parse(arg: &str) -> Self {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Reads every input and parses it into documents. Errors are collected, not returned early, so
/// one run reports every broken file.
pub fn read_inputs(inputs: &[Input], docs: &mut Vec<Document>, errors: &mut Vec<Diagnostic>) {
    let mut stdin_used = false;
    for input in inputs {
        match input {
            Input::Stdin => {
                if stdin_used {
                    errors.push(Diagnostic::input("`-` (stdin) was given more than once"));
                    continue;
                }
                stdin_used = true;
                let mut text = String::new();
                match std::io::stdin().read_to_string(&mut text) {
                    Ok(_) => parse_into(Arc::new(Source::Stdin), &text, docs, errors),
                    Err(e) => errors.push(Diagnostic::input(format!("cannot read stdin: {e}"))),
                }
            }
            Input::Path(path) => read_path(path, docs, errors),
        }
    }
}

fn read_path(path: &Path, docs: &mut Vec<Document>, errors: &mut Vec<Diagnostic>) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(Diagnostic::input(format!(
                "cannot read {}: {e}",
                path.display()
            )));
            return;
        }
    };
    if meta.is_file() {
        read_file(path, docs, errors);
        return;
    }
    let root = match std::fs::canonicalize(path) {
        Ok(r) => r,
        Err(e) => {
            errors.push(Diagnostic::input(format!(
                "cannot read {}: {e}",
                path.display()
            )));
            return;
        }
    };
    let walker = walkdir::WalkDir::new(path)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::input(format!(
                    "cannot walk {}: {e}",
                    path.display()
                )));
                continue;
            }
        };
        if entry.depth() == 0 || !has_manifest_extension(entry.path()) {
            continue;
        }
        let ft = entry.file_type();
        if ft.is_file() {
            read_file(entry.path(), docs, errors);
        } else if ft.is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(&root) && target.is_file() => {
                    read_file(entry.path(), docs, errors);
                }
                Ok(_) => tracing::warn!(
                    path = %entry.path().display(),
                    "skipping symlink that leaves {} or is not a file",
                    path.display()
                ),
                Err(e) => errors.push(Diagnostic::input(format!(
                    "cannot follow symlink {}: {e}",
                    entry.path().display()
                ))),
            }
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

fn read_file(path: &Path, docs: &mut Vec<Document>, errors: &mut Vec<Diagnostic>) {
    tracing::debug!(path = %path.display(), "reading");
    let source = Arc::new(Source::File(path.to_path_buf()));
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse_into(source, &text, docs, errors),
            Err(e) => errors.push(
                Diagnostic::input(format!(
                    "file is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ))
                .at(Origin {
                    source,
                    pos: Pos::default(),
                }),
            ),
        },
        Err(e) => errors.push(Diagnostic::input(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Parses one text into documents; public for tests and for callers holding text already.
pub fn parse_into(
    source: Arc<Source>,
    text: &str,
    docs: &mut Vec<Document>,
    errors: &mut Vec<Diagnostic>,
) {
    match yaml::parse_documents(text) {
        Ok(parsed) => docs.extend(parsed.into_iter().map(|d| Document {
            source: source.clone(),
            node: d.node,
        })),
        Err(e) => errors.push(Diagnostic::input(e.to_string()).at(Origin {
            source,
            pos: e.pos(),
        })),
    }
}
