//! No input may panic: every fixture, mutated thousands of ways (bytes deleted, duplicated,
//! replaced with YAML-significant characters, lines swapped), goes through the whole library
//! pipeline — parse, type, validate, resolve, render, print — and must come back with either
//! output or diagnostics.

use std::sync::Arc;

use eso_render::error::Source;
use eso_render::manifest::load::parse_into;
use eso_render::manifest::{LoadOptions, Manifests};
use eso_render::{output, render, resolve};

use crate::support::{cases, testdata};

/// A tiny deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPICE: &[&str] = &[
    ":", "- ", "{", "}", "[", "]", "'", "\"", "&a ", "*a", "<<: ", "!!int ", "\n", "  ", "#", "|",
    ">", "~", "null", "yes", "0x", "---\n", "\t", "é", "\u{0}", "%", "@", "`",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(3) {
        if s.is_empty() {
            break;
        }
        let at = rng.below(s.len());
        match rng.below(4) {
            0 => {
                let end = (at + rng.below(8)).min(s.len());
                s.drain(at..end);
            }
            1 => {
                let end = (at + rng.below(40)).min(s.len());
                let copy: Vec<char> = s[at..end].to_vec();
                s.splice(at..at, copy);
            }
            2 => {
                let spice = SPICE[rng.below(SPICE.len())];
                s.splice(at..at, spice.chars());
            }
            _ => {
                let lines: Vec<String> = s
                    .iter()
                    .collect::<String>()
                    .lines()
                    .map(String::from)
                    .collect();
                if lines.len() > 2 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    let mut lines = lines;
                    lines.swap(a, b);
                    s = lines.join("\n").chars().collect();
                }
            }
        }
    }
    s.into_iter().collect()
}

fn pipeline(text: &str) {
    let (mut docs, mut errors) = (Vec::new(), Vec::new());
    parse_into(Arc::new(Source::Stdin), text, &mut docs, &mut errors);
    let opts = LoadOptions {
        default_namespace: "default".into(),
        template: Default::default(),
    };
    let m = Manifests::from_documents(docs, &opts, &mut errors);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let resolved = rt.block_on(resolve::resolve(
        &m,
        &resolve::Options {
            concurrency: 4,
            timeout: std::time::Duration::from_secs(5),
            controller_class: "default".into(),
            offline: false,
            retry: Default::default(),
            cluster: Default::default(),
        },
    ));
    let mut secrets = Vec::new();
    for (es, r) in m.external_secrets.iter().zip(&resolved) {
        if let Ok(data) = r.data()
            && let Ok(render::Rendered::Secret(s)) =
                render::render(es, data, &m.sources, &opts.template)
        {
            secrets.push(s);
        }
    }
    let text = output::to_yaml(&secrets, &m.passthrough);
    let _ = output::to_json(&secrets, &m.passthrough);
    // Whatever we print must read back.
    eso_render::manifest::yaml::parse_documents(&text).expect("our own output parses");
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut inputs: Vec<String> = cases("eso")
        .into_iter()
        .chain(cases("errors"))
        .map(|d| std::fs::read_to_string(d.join("input.yaml")).unwrap())
        .collect();
    for f in ["stores.yaml", "externalsecrets.yaml"] {
        inputs.push(std::fs::read_to_string(testdata("../examples/quickstart").join(f)).unwrap());
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for input in &inputs {
        pipeline(input);
        for _ in 0..60 {
            let mutated = mutate(input, &mut rng);
            let outcome = std::panic::catch_unwind(|| pipeline(&mutated));
            assert!(outcome.is_ok(), "panicked on input:\n{mutated}");
        }
    }
}

const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{{- ",
    " -}}",
    ".a",
    ".b",
    ".a.b",
    "$",
    "$x",
    " := ",
    " = ",
    " | ",
    "range ",
    "if ",
    "else ",
    "else if ",
    "end",
    "with ",
    "define \"t\"",
    "template \"t\" .",
    "block \"u\" .",
    "\"s\"",
    "`raw`",
    "1",
    "-2",
    "1.5",
    "0x1F",
    "'c'",
    "(",
    ")",
    "printf ",
    "\"%d %s %v\" ",
    "index ",
    "len ",
    "slice ",
    "eq ",
    "lt ",
    "and ",
    "or ",
    "not ",
    "b64enc",
    "b64dec",
    "toJson",
    "fromJson",
    "dict ",
    "list ",
    "until ",
    "break",
    "continue",
    "nil",
    "true",
    " ",
    "\n",
    "text",
    "/*",
    "*/",
    "{{/* c */}}",
    "print ",
    "html ",
    "js ",
    "urlquery ",
    "upper",
    "default ",
    "toYaml",
    "fromYaml",
    "keys ",
    "join ",
    "split ",
    "replace ",
    "trunc ",
    "indent ",
    "quote ",
];

#[test]
fn random_templates_never_panic_and_stop() {
    use eso_render::secret::{DataMap, SecretBytes};
    use eso_render::template::{Options, Template};
    let data: DataMap = [
        ("a".to_string(), SecretBytes::from("x")),
        (
            "b".to_string(),
            SecretBytes::from(r#"{"k": [1, "two", {"n": null}]}"#),
        ),
    ]
    .into_iter()
    .collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let opts = Options::default();
    for _ in 0..20_000 {
        let n = 1 + rng.below(24);
        let text: String = (0..n).map(|_| TOKENS[rng.below(TOKENS.len())]).collect();
        let outcome = std::panic::catch_unwind(|| {
            if let Ok(t) = Template::parse("t", &text, &opts) {
                let _ = t.execute(&data);
            }
        });
        assert!(outcome.is_ok(), "panicked on template {text:?}");
    }
    // Runaway templates stop with an error instead of hanging or exhausting memory.
    for text in [
        r#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#,
        "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}",
        "{{ range until 100000 }}{{ range until 1000 }}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{ end }}{{ end }}",
    ] {
        let t = Template::parse("t", text, &opts).unwrap();
        assert!(t.execute(&data).is_err(), "{text} should stop");
    }
}
