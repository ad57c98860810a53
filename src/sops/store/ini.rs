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

/// The INI text sops prints for a decrypted branch, as ini.v1's pretty writer lays it out:
/// `DEFAULT` keys first without a header, a blank line between sections, keys padded to the
/// longest in their section, each key's comment above it as `; …`, values quoted where ini.v1
/// would not read them back otherwise.
pub fn emit(branch: &Branch) -> String {
    let mut sections = Vec::new();
    for (name, v) in branch.pairs() {
        let Value::Map(section) = v else { continue };
        if name == "DEFAULT" && section.0.is_empty() {
            continue;
        }
        sections.push((name, section));
    }
    let mut out = String::new();
    for (i, (name, section)) in sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut entries = section.0.iter().peekable();
        if let Some(Entry::Comment(c)) = entries.peek() {
            push_comment(c, &mut out);
            entries.next();
        }
        if !(i == 0 && *name == "DEFAULT") {
            out.push_str(&format!("[{name}]\n"));
        }
        // A comment filed after a key belongs to it (the last one wins, as in sops).
        let mut keys: Vec<(&str, String, Option<&str>)> = Vec::new();
        for e in entries {
            match e {
                Entry::Pair(k, v) => keys.push((k, value_text(v), None)),
                Entry::Comment(c) => {
                    if let Some(last) = keys.last_mut() {
                        last.2 = Some(c);
                    }
                }
            }
        }
        let names: Vec<String> = keys.iter().map(|(k, _, _)| key_text(k)).collect();
        let width = names.iter().map(String::len).max().unwrap_or(0);
        for ((_, value, comment), name) in keys.iter().zip(&names) {
            if let Some(c) = comment {
                push_comment(c, &mut out);
            }
            out.push_str(name);
            out.extend(std::iter::repeat_n(' ', width - name.len()));
            out.push_str(" = ");
            out.push_str(&quote_value(value));
            out.push('\n');
        }
    }
    out
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Scalar(Scalar::Str(s)) => s.clone(),
        Value::Scalar(s) => String::from_utf8_lossy(&s.to_bytes()).into_owned(),
        _ => String::new(),
    }
}

/// ini.v1's key quoting: `` ` `` around keys holding `"`, `=` or `:`; `"""` around keys with
/// a backtick.
fn key_text(k: &str) -> String {
    if k.contains(['"', '=', ':']) {
        format!("`{k}`")
    } else if k.contains('`') {
        format!("\"\"\"{k}\"\"\"")
    } else {
        k.to_owned()
    }
}

/// ini.v1's value quoting: `"""` for line breaks and backticks, `` ` `` for `#` and `;`, `"`
/// for surrounding spaces.
fn quote_value(v: &str) -> String {
    if v.contains(['\n', '`']) {
        format!("\"\"\"{v}\"\"\"")
    } else if v.contains(['#', ';']) {
        format!("`{v}`")
    } else if v.trim() != v {
        format!("\"{v}\"")
    } else {
        v.to_owned()
    }
}

/// A comment as ini.v1 writes it: `; ` unless it already starts with `#` or `;`, every line.
fn push_comment(c: &str, out: &mut String) {
    let c = match c.chars().next() {
        Some(first @ ('#' | ';')) => format!("{first} {}", c[1..].trim()),
        _ => format!("; {c}"),
    };
    out.push_str(&c.replace('\n', "\n; "));
    out.push('\n');
}
