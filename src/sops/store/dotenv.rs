//! dotenv files as sops reads them (`stores/dotenv/store.go`): one `KEY=value` per line, split at
//! the first `=`; `#` lines are comments; `\n` in a value is a newline; metadata keys are the
//! flattened `sops_…` entries.

use crate::sops::Error;
use crate::sops::tree::{Branch, Entry, Scalar, Value};

pub fn parse(text: &str) -> Result<Branch, Error> {
    let mut branch = Branch::default();
    for (i, line) in text.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            branch.0.push(Entry::Comment(comment.to_owned()));
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(Error::Syntax {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                message: "a dotenv line must be KEY=value".into(),
            });
        };
        branch.0.push(Entry::Pair(
            key.to_owned(),
            Value::Scalar(Scalar::Str(value.replace("\\n", "\n"))),
        ));
    }
    Ok(branch)
}

/// The dotenv text sops prints for a decrypted branch.
pub fn emit(branch: &Branch) -> String {
    let mut out = String::new();
    for e in &branch.0 {
        match e {
            Entry::Comment(c) => {
                out.push('#');
                out.push_str(c);
            }
            Entry::Pair(k, v) => {
                out.push_str(k);
                out.push('=');
                if let Value::Scalar(s) = v {
                    match s {
                        Scalar::Str(s) => out.push_str(&s.replace('\n', "\\n")),
                        other => out.push_str(&String::from_utf8_lossy(&other.to_bytes())),
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}
