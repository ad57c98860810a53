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
use crate::sops::Keyring;

/// One parsed document and where it came from.
#[derive(Clone)]
pub struct Document {
    pub source: Arc<Source>,
    pub node: Node,
    /// Whether it was SOPS-encrypted in the input (and is decrypted here).
    pub decrypted: bool,
}

/// Input documents hold Secrets (decrypted ones too): `Debug` names the document, never its
/// values.
impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = |path: &str| self.node.find_node(path).and_then(Node::as_str);
        f.debug_struct("Document")
            .field("source", &self.source)
            .field("pos", &self.node.pos)
            .field("kind", &field("kind"))
            .field("name", &field("metadata.name"))
            .field("decrypted", &self.decrypted)
            .finish_non_exhaustive()
    }
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
    /// A text another tool handed over in memory (an item of a KRM `ResourceList`).
    Inline(Inline),
}

/// A manifest text held in memory, named by where it came from.
#[derive(Clone, PartialEq, Eq)]
pub struct Inline {
    pub source: Arc<Source>,
    /// May hold Secrets: wiped when dropped, never printed by `Debug`.
    pub text: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for Inline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inline")
            .field("source", &self.source)
            .field("len", &self.text.len())
            .finish()
    }
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

/// Reads every input and parses it into documents, decrypting SOPS-encrypted files with `keys`.
/// Errors are collected, not returned early, so one run reports every broken file. Files are
/// parsed (and decrypted) concurrently, each once even when named twice; documents keep input
/// order.
pub fn read_inputs(
    inputs: &[Input],
    keys: &Keyring,
    docs: &mut Vec<Document>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut texts = Texts::default();
    collect_inputs(inputs, &mut texts, errors);
    for (parsed, errs) in parse_all(&texts.items, keys) {
        docs.extend(parsed);
        errors.extend(errs);
    }
}

/// File texts in input order, with the canonical paths already read.
#[derive(Default)]
struct Texts {
    items: Vec<(Arc<Source>, String)>,
    seen: std::collections::HashSet<PathBuf>,
}

type Parsed = (Vec<Document>, Vec<Diagnostic>);

/// Parses every text, on up to one thread per core.
fn parse_all(items: &[(Arc<Source>, String)], keys: &Keyring) -> Vec<Parsed> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len());
    if workers <= 1 {
        return items
            .iter()
            .map(|(s, t)| parse_source(s, t, keys))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Parsed>> = (0..items.len()).map(|_| None).collect();
    let chunks: Vec<Vec<(usize, Parsed)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((s, t)) = items.get(i) else { break };
                        done.push((i, parse_source(s, t, keys)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, r) in chunks.into_iter().flatten() {
        results[i] = Some(r);
    }
    results.into_iter().map(Option::unwrap_or_default).collect()
}

fn collect_inputs(inputs: &[Input], texts: &mut Texts, errors: &mut Vec<Diagnostic>) {
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
                    Ok(_) => texts.items.push((Arc::new(Source::Stdin), text)),
                    Err(e) => errors.push(Diagnostic::input(format!("cannot read stdin: {e}"))),
                }
            }
            Input::Path(path) => read_path(path, texts, errors),
            Input::Inline(inline) => texts
                .items
                .push((inline.source.clone(), inline.text.to_string())),
        }
    }
}

fn read_path(path: &Path, texts: &mut Texts, errors: &mut Vec<Diagnostic>) {
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
        read_file(path, texts, errors);
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
            read_file(entry.path(), texts, errors);
        } else if ft.is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(&root) && target.is_file() => {
                    read_file(entry.path(), texts, errors);
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

fn read_file(path: &Path, texts: &mut Texts, errors: &mut Vec<Diagnostic>) {
    if let Ok(canonical) = std::fs::canonicalize(path)
        && !texts.seen.insert(canonical)
    {
        return;
    }
    tracing::debug!(path = %path.display(), "reading");
    let source = Arc::new(Source::File(path.to_path_buf()));
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => texts.items.push((source, text)),
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

/// Parses one text into documents; public for tests and for callers holding text already. SOPS
/// files cannot be opened here (no keys): they are reported as such.
pub fn parse_into(
    source: Arc<Source>,
    text: &str,
    docs: &mut Vec<Document>,
    errors: &mut Vec<Diagnostic>,
) {
    let (parsed, errs) = parse_source(&source, text, &Keyring::default());
    docs.extend(parsed);
    errors.extend(errs);
}

/// Parses one text; a text with SOPS metadata is decrypted first.
fn parse_source(source: &Arc<Source>, text: &str, keys: &Keyring) -> Parsed {
    let at = |pos| Origin {
        source: source.clone(),
        pos,
    };
    let parsed = match yaml::parse_documents(text) {
        Ok(p) => p,
        Err(e) => {
            return (
                Vec::new(),
                vec![Diagnostic::input(e.to_string()).at(at(e.pos()))],
            );
        }
    };
    let nodes = if parsed.iter().any(|d| super::sops::has_metadata(&d.node)) {
        match super::sops::decrypt(text, parsed, keys) {
            Ok(nodes) => nodes,
            Err((pos, e)) => {
                return (
                    Vec::new(),
                    vec![
                        Diagnostic::input("cannot decrypt this SOPS-encrypted file")
                            .at(at(pos))
                            .cause(e.to_string()),
                    ],
                );
            }
        }
    } else {
        parsed.into_iter().map(|d| (d.node, false)).collect()
    };
    let mut docs = Vec::with_capacity(nodes.len());
    let mut errors = Vec::new();
    for (mut node, mut decrypted) in nodes {
        // As in Flux, values are looked into only in Secrets that were not SOPS files themselves.
        let embedded = if decrypted {
            Ok(false)
        } else {
            super::sops::decrypt_embedded(&mut node, keys)
        };
        match embedded {
            Ok(changed) => decrypted |= changed,
            Err((pos, key, e)) => {
                let name = node
                    .get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(Node::as_str)
                    .unwrap_or_default()
                    .to_owned();
                errors.push(
                    Diagnostic::input(format!(
                        "cannot decrypt the SOPS file held in data.{key} of Secret {name}"
                    ))
                    .at(at(pos))
                    .cause(e.to_string()),
                );
                continue;
            }
        }
        docs.push(Document {
            source: source.clone(),
            node,
            decrypted,
        });
    }
    if !errors.is_empty() {
        // Fail closed per file: none of its documents is used.
        docs.clear();
    }
    (docs, errors)
}
