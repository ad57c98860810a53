//! Leak canary: a unique value planted in the backend must never appear in stderr (logs at
//! TRACE included), in `check` output, or in a temporary file, whatever path a run takes. Only
//! the stdout of a successful `render` carries it, base64-encoded as Kubernetes wants.

use base64::Engine;

use crate::support::{eso_render, run};

const CANARY: &str = "CANARY-q7Zt3xW9vLp2";
const NUMERIC_CANARY: &str = "918273645546372819";

fn store(values: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: ns}\nspec:\n  provider:\n    fake:\n      data:\n",
    );
    for (k, v) in values {
        s.push_str(&format!(
            "      - key: {k}\n        value: {}\n",
            serde_json::to_string(v).unwrap()
        ));
    }
    s
}

fn es(name: &str, body: &str) -> String {
    format!(
        "---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: {name}, namespace: ns}}\nspec:\n  secretStoreRef: {{name: fake}}\n{body}"
    )
}

fn forms() -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    vec![
        CANARY.to_string(),
        b64(CANARY),
        NUMERIC_CANARY.to_string(),
        // A fragment, in case something truncates.
        CANARY[7..].to_string(),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for f in forms() {
        assert!(!text.contains(&f), "{what} leaks the canary ({f}):\n{text}");
    }
}

/// Every error path we can drive with values planted: each must fail, and leak nothing.
fn failing_scenarios() -> Vec<(&'static str, String)> {
    let json = format!(r#"{{"user":"u","password":"{CANARY}","nested":{{"p":"{CANARY}"}}}}"#);
    let nul = format!("{CANARY}\u{0}");
    let base = store(&[
        ("json", &json),
        ("plain", CANARY),
        ("nul", &nul),
        (
            "merge",
            &format!(r#"{{"a":"{{\"x\":\"{CANARY}\"}}","b":"{CANARY} not json"}}"#),
        ),
        (
            "conflict",
            &format!(r#"{{"a":"{{\"x\":\"{CANARY}\"}}","b":"{{\"x\":\"{CANARY}\"}}"}}"#),
        ),
        ("badkeys", &format!(r#"{{"a/b":"{CANARY}"}}"#)),
        (
            "collide",
            &format!(r#"{{"a/b":"{CANARY}","a_b":"{CANARY}"}}"#),
        ),
    ]);
    let with = |body: &str| base.clone() + &es("es", body);
    vec![
        (
            "missing property",
            with("  data:\n  - {secretKey: k, remoteRef: {key: json, property: nope}}\n"),
        ),
        (
            "missing key",
            with("  data:\n  - {secretKey: k, remoteRef: {key: nope}}\n"),
        ),
        (
            "extract of non-JSON",
            with("  dataFrom:\n  - extract: {key: plain}\n"),
        ),
        (
            "extract of a non-object property",
            with("  dataFrom:\n  - extract: {key: json, property: password}\n"),
        ),
        (
            "invalid base64",
            with(
                "  data:\n  - {secretKey: k, remoteRef: {key: plain, decodingStrategy: Base64}}\n",
            ),
        ),
        (
            "null bytes",
            with("  data:\n  - {secretKey: k, remoteRef: {key: nul, nullBytePolicy: Fail}}\n"),
        ),
        (
            "merge of non-JSON",
            with("  dataFrom:\n  - extract: {key: merge}\n    rewrite: [{merge: {}}]\n"),
        ),
        (
            "merge conflict",
            with("  dataFrom:\n  - extract: {key: conflict}\n    rewrite: [{merge: {}}]\n"),
        ),
        (
            "invalid keys",
            with(
                "  dataFrom:\n  - extract: {key: badkeys}\n    rewrite: [{regexp: {source: x, target: y}}]\n",
            ),
        ),
        (
            "conversion collision",
            with("  dataFrom:\n  - extract: {key: collide}\n"),
        ),
        (
            "retain with no keys",
            with("  dataFrom:\n  - find: {name: {regexp: nomatch}}\n"),
        ),
        (
            "duplicate target",
            with("  target: {name: t}\n  data:\n  - {secretKey: k, remoteRef: {key: plain}}\n")
                + &es(
                    "es2",
                    "  target: {name: t}\n  data:\n  - {secretKey: k, remoteRef: {key: plain}}\n",
                ),
        ),
        (
            "a tag the value does not fit",
            store(&[]).replace(
                "data:\n",
                &format!("data:\n      - {{key: t, value: !!int {CANARY}}}\n"),
            ) + &es("es", "  data:\n  - {secretKey: k, remoteRef: {key: t}}\n"),
        ),
        (
            "one good and one bad ExternalSecret",
            with("  data:\n  - {secretKey: k, remoteRef: {key: plain}}\n")
                + &es(
                    "es2",
                    "  data:\n  - {secretKey: k, remoteRef: {key: nope}}\n",
                ),
        ),
        (
            "wrong type in a store value",
            store(&[]).replace(
                "data:\n",
                &format!("data:\n      - {{key: n, value: {NUMERIC_CANARY}}}\n"),
            ) + &es("es", "  data:\n  - {secretKey: k, remoteRef: {key: n}}\n"),
        ),
        (
            "template: missing key",
            with(
                "  target: {template: {data: {k: '{{ .password }}{{ .nokey }}'}}}\n  dataFrom:\n  - extract: {key: json}\n",
            ),
        ),
        (
            "template: comparison of a secret with a number",
            with(
                "  target: {template: {data: {k: '{{ if eq .password 1 }}x{{ end }}'}}}\n  dataFrom:\n  - extract: {key: json}\n",
            ),
        ),
        (
            "template: fail with a secret",
            with(
                "  target: {template: {data: {k: '{{ fail .password }}'}}}\n  dataFrom:\n  - extract: {key: json}\n",
            ),
        ),
        (
            "template: range over a secret",
            with(
                "  target: {template: {data: {k: '{{ range .password }}{{ end }}'}}}\n  dataFrom:\n  - extract: {key: json}\n",
            ),
        ),
        (
            "template: literal renders a secret that is not a mapping",
            with(
                "  target: {template: {templateFrom: [{literal: '{{ .password }}'}]}}\n  dataFrom:\n  - extract: {key: json}\n",
            ),
        ),
        (
            "template: decoding a rendered secret fails",
            with(
                "  target: {template: {templateFrom: [{literal: 'k: {{ .password }}', valuesDecodingStrategy: Base64}]}}\n  dataFrom:\n  - extract: {key: json}\n",
            ),
        ),
        (
            "transform rewrite on secret keys fails",
            with(
                "  dataFrom:\n  - extract: {key: json}\n    rewrite: [{transform: {template: '{{ .value | fail }}'}}]\n",
            ),
        ),
    ]
}

#[test]
fn canary_never_leaks_on_any_error_path() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, input) in failing_scenarios() {
        for args in [
            &["render", "-vv", "-"][..],
            &["render", "-o", "json", "-"],
            &["check", "-vv", "-"],
        ] {
            let out = run(eso_render()
                .env("RUST_LOG", "trace")
                .env("TMPDIR", tmp.path())
                .args(args)
                .write_stdin(input.clone()));
            assert_ne!(out.code, 0, "{name} ({args:?}) must fail:\n{}", out.stderr);
            assert!(!out.stderr.is_empty(), "{name}: no diagnostics");
            assert_clean(&format!("{name} {args:?} stderr"), &out.stderr);
            assert_clean(&format!("{name} {args:?} stdout"), &out.stdout);
            if args[0] == "render" {
                assert_eq!(
                    out.stdout, "",
                    "{name}: render printed something on failure"
                );
            }
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(
        leftovers.is_empty(),
        "temporary files were written: {leftovers:?}"
    );
}

#[test]
fn canary_only_in_stdout_of_a_successful_render() {
    let input = store(&[("plain", CANARY)])
        + &es(
            "es",
            "  data:\n  - {secretKey: k, remoteRef: {key: plain}}\n",
        );
    let out = run(eso_render()
        .env("RUST_LOG", "trace")
        .args(["render", "-vv", "-"])
        .write_stdin(input.clone()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&base64::engine::general_purpose::STANDARD.encode(CANARY))
    );
    assert_clean("stderr of a successful render", &out.stderr);

    let out = run(eso_render()
        .env("RUST_LOG", "trace")
        .env("DIGEST_KEY", "reviewer-key")
        .args(["check", "-vv", "--digest-key-env", "DIGEST_KEY", "-"])
        .write_stdin(input));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_clean("check stdout", &out.stdout);
    assert_clean("check stderr", &out.stderr);
}
