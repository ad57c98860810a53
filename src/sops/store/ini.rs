//! INI files as sops reads them with `gopkg.in/ini.v1` (`stores/ini/store.go`): sections hold
//! `key = value` pairs; keys before the first section belong to `DEFAULT`, which always exists;
//! a comment block before a key is filed after that key (sops' order, which matters only to the
//! comment rules); metadata is the `[sops]` section with flattened keys and `\n` escapes.

use crate::sops::Error;
use crate::sops::tree::{Branch, Entry, Scalar, Value};

pub fn parse(text: &str) -> Result<Branch, Error> {
    let mut sections: Vec<(String, Branch)> = vec![("DEFAULT".into(), Branch::default())];
    let mut comments: Vec<String> = Vec::new();
    let mut lines = text.split('\n').enumerate();
    while let Some((i, raw)) = lines.next() {
        let line = raw.trim();
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') || line.starts_with(';') {
            comments.push(strip_comment_char(line).to_owned());
            continue;
        }
        let current = sections.len() - 1;
        if let Some(rest) = line.strip_prefix('[') {
            let Some(end) = rest.find(']') else {
                return Err(Error::Syntax {
                    line: line_no,
                    message: "unclosed section header".into(),
                });
            };
            let name = rest[..end].trim().to_owned();
            let mut branch = Branch::default();
            if !comments.is_empty() {
                branch.0.push(Entry::Comment(comments.join("\n")));
                comments.clear();
            }
            // ini.v1 merges repeated sections unless non-unique sections are allowed, which
            // sops allows: each header starts a new one.
            sections.push((name, branch));
            continue;
        }
        let Some(sep) = line.find(['=', ':']) else {
            return Err(Error::Syntax {
                line: line_no,
                message: "an INI line must be key = value".into(),
            });
        };
        let key = line[..sep].trim().to_owned();
        let raw_value = line[sep + 1..].trim_start();
        let value = match raw_value.strip_prefix(TRIPLE) {
            // ini.v1 reads a `"""` value over several lines, newlines kept, up to the last
            // `"""` of the line that closes it (sops 3.13 writes multi-line values so).
            Some(first) if !first.contains(TRIPLE) => {
                let mut value = first.to_owned();
                loop {
                    let Some((_, next)) = lines.next() else {
                        return Err(Error::Syntax {
                            line: line_no,
                            message: "a \"\"\" value is not closed".into(),
                        });
                    };
                    value.push('\n');
                    if let Some(end) = next.rfind(TRIPLE) {
                        value.push_str(&next[..end]);
                        break;
                    }
                    value.push_str(next);
                }
                value
            }
            _ => unquote(raw_value.trim_end()),
        };
        let branch = &mut sections[current].1;
        branch
            .0
            .push(Entry::Pair(key, Value::Scalar(Scalar::Str(value))));
        if !comments.is_empty() {
            branch.0.push(Entry::Comment(comments.join("\n")));
            comments.clear();
        }
    }
    Ok(Branch(
        sections
            .into_iter()
            .map(|(name, b)| Entry::Pair(name, Value::Map(b)))
            .collect(),
    ))
}

const TRIPLE: &str = "\"\"\"";

fn strip_comment_char(line: &str) -> &str {
    if line.starts_with(';') {
        line.trim_start_matches([';', ' '])
    } else {
        line.trim_start_matches(['#', ' '])
    }
}

/// ini.v1's value reading: surrounding quotes (`"…"`, `'…'`, `` `…` ``, `"""…"""`) are removed;
/// an unquoted value ends at an inline `#` or `;` comment.
fn unquote(v: &str) -> String {
    for q in ["\"\"\"", "`", "\"", "'"] {
        if v.len() >= 2 * q.len()
            && let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q))
        {
            return inner.to_owned();
        }
    }
    match v.find(['#', ';']) {
        Some(i) => v[..i].trim_end().to_owned(),
        None => v.to_owned(),
    }
}

/// The INI text sops prints for a decrypted branch (sections, `key = value`).
pub fn emit(branch: &Branch) -> String {
    let mut out = String::new();
    for (name, v) in branch.pairs() {
        let Value::Map(section) = v else { continue };
        if name == "DEFAULT" && section.pairs().next().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("[{name}]\n"));
        for (k, v) in section.pairs() {
            let text = match v {
                Value::Scalar(Scalar::Str(s)) => s.clone(),
                Value::Scalar(s) => String::from_utf8_lossy(&s.to_bytes()).into_owned(),
                _ => String::new(),
            };
            out.push_str(&format!("{k} = {text}\n"));
        }
    }
    out
}
