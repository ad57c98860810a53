//! The JSON text sops prints for a decrypted tree (`stores/json/store.go`): Go's `json.Marshal`
//! of each value (HTML characters escaped), keys in tree order, re-indented with tabs by
//! `json.Indent`, and a final newline. Comments are not printed.

use base64::Engine;

use crate::gocompat::json::{format_float_json, write_string};
use crate::sops::tree::{Branch, Entry, Item, Scalar, Value};

pub fn emit(branch: &Branch) -> String {
    let mut out = String::new();
    write_map(branch, 0, &mut out);
    out.push('\n');
    out
}

fn newline(depth: usize, out: &mut String) {
    out.push('\n');
    out.extend(std::iter::repeat_n('\t', depth));
}

fn write_map(b: &Branch, depth: usize, out: &mut String) {
    let pairs: Vec<(&String, &Value)> =
        b.0.iter()
            .filter_map(|e| match e {
                Entry::Pair(k, v) => Some((k, v)),
                Entry::Comment(_) => None,
            })
            .collect();
    if pairs.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push('{');
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        newline(depth + 1, out);
        write_string(out, k, true);
        out.push_str(": ");
        write_value(v, depth + 1, out);
    }
    newline(depth, out);
    out.push('}');
}

fn write_value(v: &Value, depth: usize, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Map(b) => write_map(b, depth, out),
        Value::List(items) => {
            let values: Vec<&Value> = items
                .iter()
                .filter_map(|i| match i {
                    Item::Value(v) => Some(v),
                    Item::Comment(_) => None,
                })
                .collect();
            if values.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, v) in values.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(depth + 1, out);
                write_value(v, depth + 1, out);
            }
            newline(depth, out);
            out.push(']');
        }
        Value::Scalar(s) => match s {
            Scalar::Str(s) | Scalar::Time(s) => write_string(out, s, true),
            Scalar::Int(i) => out.push_str(&i.to_string()),
            // Go's encoder refuses NaN and infinities; sops then fails, and so do we by
            // writing `null`, which no sops file holds.
            Scalar::Float(f) => out.push_str(format_float_json(*f).as_deref().unwrap_or("null")),
            Scalar::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Scalar::Bytes(b) => {
                let text = base64::engine::general_purpose::STANDARD.encode(b);
                write_string(out, &text, true);
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_sops() {
        let docs = crate::sops::store::yaml::parse(
            r#"{"a": "x<y>&z", "n": 1, "f": 1.5, "b": true, "z": null, "l": [1, {}], "m": {}, "e": []}"#,
            false,
        )
        .unwrap();
        assert_eq!(
            emit(&docs[0].branch),
            "{\n\t\"a\": \"x\\u003cy\\u003e\\u0026z\",\n\t\"n\": 1,\n\t\"f\": 1.5,\n\t\"b\": true,\n\t\"z\": null,\n\t\"l\": [\n\t\t1,\n\t\t{}\n\t],\n\t\"m\": {},\n\t\"e\": []\n}\n"
        );
    }
}
