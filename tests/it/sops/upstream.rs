//! Files the reference sops wrote over the years (3.3 to 3.13), PGP-encrypted, from
//! getsops/sops and Flux: each decrypts to what sops 3.11.0 printed for it (provenance in
//! testdata/sops/README.md).

use eso_render::sops::store::{dotenv, ini, json, yaml};
use eso_render::sops::tree::{Branch, Entry, Item, Value};
use eso_render::sops::{self, Format, KeySources, Keyring, Plain};

use crate::support::{eso_render, parse_yaml, run, testdata};

fn keyring(pgp: &str) -> Keyring {
    Keyring::new(KeySources {
        pgp_key_files: vec![testdata(pgp)],
        ..KeySources::default()
    })
}

/// The tree without comment lines (sops prints decrypted comments; eso-render's values are
/// what counts).
fn without_comments(b: &Branch) -> Branch {
    fn value(v: &Value) -> Value {
        match v {
            Value::Map(b) => Value::Map(without_comments(b)),
            Value::List(items) => Value::List(
                items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Value(v) => Some(Item::Value(value(v))),
                        Item::Comment(_) => None,
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    Branch(
        b.0.iter()
            .filter_map(|e| match e {
                Entry::Pair(k, v) => Some(Entry::Pair(k.clone(), value(v))),
                Entry::Comment(_) => None,
            })
            .collect(),
    )
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(testdata(rel)).unwrap()
}

#[test]
fn getsops_examples_decrypt_to_what_sops_printed() {
    let keys = keyring("sops/getsops/pgp/sops_functional_tests_key.asc");
    let files = [
        "example.yaml",
        "example.json",
        "example.ini",
        "example.txt",
        "examples/all_in_one/config/secret.enc.json",
        "examples/per_file/config.enc/static_github.json",
        "functional-tests/res/format.enc.yaml",
        "functional-tests/res/format.enc.json",
        "functional-tests/res/format.enc.env",
        "functional-tests/res/format.enc.ini",
        "functional-tests/res/format-2.enc.ini",
        "functional-tests/res/comments.enc.yaml",
        "functional-tests/res/multiple_keys.yaml",
    ];
    for file in files {
        let text = read(&format!("sops/getsops/{file}"));
        let want = read(&format!("sops/getsops/expected/{file}.decrypted"));
        let format = match file.rsplit('.').next() {
            Some("txt") => Format::Binary,
            Some("env") => Format::Dotenv,
            Some("ini") => Format::Ini,
            Some("json") => Format::Json,
            _ => Format::Yaml,
        };
        let plain =
            sops::decrypt_file(&text, format, &keys).unwrap_or_else(|e| panic!("{file}: {e}"));
        match plain {
            Plain::Docs(docs) => {
                if format == Format::Json {
                    assert_eq!(
                        json::emit(&docs[0].branch),
                        want,
                        "{file}: JSON as sops prints it"
                    );
                }
                let expected = yaml::parse(&want, false).unwrap();
                assert_eq!(docs.len(), expected.len(), "{file}");
                for (got, want) in docs.iter().zip(&expected) {
                    assert_eq!(
                        without_comments(&got.branch),
                        without_comments(&want.branch),
                        "{file}"
                    );
                }
            }
            Plain::Dotenv(b) => assert_eq!(
                without_comments(&b),
                without_comments(&dotenv::parse(&want).unwrap()),
                "{file}"
            ),
            Plain::Ini(b) => assert_eq!(
                without_comments(&b),
                without_comments(&ini::parse(&want).unwrap()),
                "{file}"
            ),
            Plain::Binary(bytes) => assert_eq!(&bytes[..], want.as_bytes(), "{file}"),
        }
    }

    // A file without a MAC is refused (sops needs --ignore-mac, which eso-render does not have).
    let text = read("sops/getsops/functional-tests/res/no_mac.yaml");
    let Err(err) = sops::decrypt_file(&text, Format::Yaml, &keys) else {
        panic!("no_mac.yaml decrypted")
    };
    assert!(err.to_string().contains("MAC"), "{err}");
}

#[test]
fn pgp_encrypted_secrets_render_with_pgp_key() {
    let file = testdata("sops/flux/algorithms/pgp.yaml");
    let r = run(eso_render()
        .arg("render")
        .arg("--pgp-key")
        .arg(testdata("sops/flux/keys/pgp.asc"))
        .arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want = parse_yaml(&read("sops/flux/expected/algorithms/pgp.yaml.decrypted"));
    assert_eq!(parse_yaml(&r.stdout), want);

    // Without the key: the error names the PGP fingerprint tried, and where keys were looked
    // for; with the wrong key file it says so.
    for args in [
        vec![],
        vec![
            "--pgp-key".to_owned(),
            testdata("sops/getsops/pgp/sops_functional_tests_key.asc")
                .display()
                .to_string(),
        ],
    ] {
        let r = run(eso_render()
            .env("HOME", "/nonexistent")
            .env_remove("SOPS_AGE_KEY_FILE")
            .env_remove("SOPS_AGE_KEY")
            .arg("render")
            .args(&args)
            .arg(&file));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr
                .contains("PGP 35C1A64CD7FC0AB6EB66756B2445463C3234ECE1"),
            "{}",
            r.stderr
        );
    }
}
