//! Fixture cases: `testdata/eso/*` (ESO's test vectors, fake provider) and `testdata/errors/*`
//! (every error a user can cause: exit code, empty stdout, and the message naming file:line,
//! object and field).

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use sha3::Digest;

use crate::support::{cases, eso_render, read_yaml, run};

/// The data-hash rule of ESO (`%+v` of `map[string][]byte`), written independently of the
/// crate's implementation so the two check each other.
fn go_map_hash(data: &BTreeMap<String, Vec<u8>>) -> String {
    let body = data
        .iter()
        .map(|(k, v)| {
            let bytes = v.iter().map(u8::to_string).collect::<Vec<_>>().join(" ");
            format!("{k}:[{bytes}]")
        })
        .collect::<Vec<_>>()
        .join(" ");
    hex::encode(sha3::Sha3_224::digest(format!("map[{body}]").as_bytes()))
}

fn check_ok_case(dir: &Path, expect: &serde_json::Value) {
    let out = run(eso_render()
        .current_dir(dir)
        .args(["render", "-o", "json", "input.yaml"]));
    assert_eq!(out.code, 0, "{}: stderr:\n{}", dir.display(), out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON output");
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().expect("items");
    let wanted = expect["secrets"].as_array().expect("secrets");
    assert_eq!(
        items.len(),
        wanted.len(),
        "{}: number of Secrets",
        dir.display()
    );
    for want in wanted {
        let got = items
            .iter()
            .find(|i| i["metadata"]["name"] == want["name"])
            .unwrap_or_else(|| panic!("{}: no Secret {}", dir.display(), want["name"]));
        assert_eq!(
            got["metadata"]["namespace"],
            want["namespace"],
            "{}",
            dir.display()
        );
        let ty = want
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or("Opaque");
        assert_eq!(got["type"], ty, "{}", dir.display());
        let data: BTreeMap<String, Vec<u8>> = got["data"]
            .as_object()
            .expect("data")
            .iter()
            .map(|(k, v)| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v.as_str().expect("base64 string"))
                    .expect("valid base64");
                (k.clone(), bytes)
            })
            .collect();
        let want_data: BTreeMap<String, Vec<u8>> = want["data"]
            .as_object()
            .expect("expected data")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("string").as_bytes().to_vec()))
            .collect();
        assert_eq!(data, want_data, "{}: data", dir.display());
        for field in ["labels", "annotations"] {
            if let Some(want) = want.get(field).and_then(|l| l.as_object()) {
                for (k, v) in want {
                    assert_eq!(
                        &got["metadata"][field][k],
                        v,
                        "{}: {field} {k}",
                        dir.display()
                    );
                }
            }
        }
        assert_eq!(
            got["metadata"]["labels"]["reconcile.external-secrets.io/managed"],
            "true",
            "{}",
            dir.display()
        );
        assert_eq!(
            got["metadata"]["annotations"]["reconcile.external-secrets.io/data-hash"],
            go_map_hash(&data),
            "{}: data-hash",
            dir.display()
        );
    }
}

fn check_error_case(dir: &Path, expect: &serde_json::Value, stderr_key: &str) {
    let out = run(eso_render().current_dir(dir).args(["render", "input.yaml"]));
    let code = expect["exit"].as_i64().expect("exit code") as i32;
    assert_eq!(out.code, code, "{}: stderr:\n{}", dir.display(), out.stderr);
    assert_eq!(
        out.stdout,
        "",
        "{}: stdout must be empty on failure",
        dir.display()
    );
    let wanted: Vec<&str> = match &expect[stderr_key] {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Array(items) => {
            items.iter().map(|s| s.as_str().expect("string")).collect()
        }
        other => panic!("{}: bad {stderr_key}: {other}", dir.display()),
    };
    for w in wanted {
        assert!(
            out.stderr.contains(w),
            "{}: stderr lacks {w:?}:\n{}",
            dir.display(),
            out.stderr
        );
    }
}

#[test]
fn eso_test_vectors() {
    for dir in cases("eso") {
        let expect = read_yaml(&dir.join("expect.yaml"));
        if expect.get("secrets").is_some() {
            check_ok_case(&dir, &expect);
        } else {
            check_error_case(&dir, &expect, "error");
        }
    }
}

#[test]
fn user_errors_name_file_object_and_field() {
    for dir in cases("errors") {
        let expect = read_yaml(&dir.join("expect.yaml"));
        check_error_case(&dir, &expect, "stderr");
    }
}
