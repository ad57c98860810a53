//! The kustomize generator of `kustomize/`, run by the real tools: `kubectl kustomize
//! --enable-alpha-plugins` (legacy exec plugin), standalone `kustomize build
//! --enable-alpha-plugins --enable-exec` and `kpt fn eval --exec` (KRM function); and the KRM
//! protocol itself, fed by hand.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{eso_render, parse_yaml, repo, run};

/// PATH with the test binary and `kustomize/` (for `eso-render-fn`) first.
fn path_with_eso_render() -> String {
    let bin = assert_cmd::cargo::cargo_bin("eso-render");
    let mut dirs = vec![
        bin.parent().unwrap().to_path_buf(),
        repo().join("kustomize"),
    ];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap().into_string().unwrap()
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn tool(program: &Path, args: &[&str], cwd: &Path) -> Out {
    let out = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("PATH", path_with_eso_render())
        .env("KUSTOMIZE_PLUGIN_HOME", repo().join("kustomize/plugins"))
        .env_remove("ARGOCD_APP_NAMESPACE")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    Out {
        ok: out.status.success(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn objects(yaml: &str) -> Vec<Value> {
    eso_render::manifest::yaml::parse_documents(yaml)
        .unwrap()
        .iter()
        .map(|d| eso_render::output::json(&d.node))
        .filter(|v| !v.is_null())
        .collect()
}

/// `Kind/name` of each object, and each Secret's decoded data.
fn summary(objects: &[Value]) -> Vec<String> {
    use base64::Engine;
    objects
        .iter()
        .map(|o| {
            let mut s = format!(
                "{}/{}",
                o["kind"].as_str().unwrap(),
                o["metadata"]["name"].as_str().unwrap()
            );
            for (k, v) in o["data"].as_object().into_iter().flatten() {
                if o["kind"] == "Secret" {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(v.as_str().unwrap())
                        .unwrap();
                    s.push_str(&format!(" {k}={}", String::from_utf8(bytes).unwrap()));
                }
            }
            s
        })
        .collect()
}

/// The example's ESO manifests in a scratch copy of `kustomize/example`, optionally broken.
fn example_copy(break_reference: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = repo().join("kustomize/example");
    for sub in ["", "secrets", "krm"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(from.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                let mut text = std::fs::read_to_string(e.path()).unwrap();
                if break_reference && e.file_name() == "externalsecrets.yaml" {
                    text = text.replace("key: /shop/db\n", "key: /shop/gone\n");
                }
                std::fs::write(dir.path().join(sub).join(e.file_name()), text).unwrap();
            }
        }
    }
    dir
}

const RENDERED: [&str; 2] = [
    "Secret/shop-db api-token=token-1234 password=correct-horse-battery-staple username=shop",
    "Secret/smtp SMTP_password=s3cr3t-smtp SMTP_user=mailer",
];

/// Drops kustomize's name hash (`shop-db-g577mdm55h` → `shop-db`) for comparison.
fn unhashed(s: &str) -> String {
    let (head, tail) = s.split_once(' ').unwrap_or((s, ""));
    let head = match head.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 10 => name,
        _ => head,
    };
    format!("{head} {tail}").trim().to_string()
}

#[test]
fn legacy_exec_plugin_with_kubectl_kustomize() {
    if !crate::support::peer("kubectl") {
        return;
    }
    let kubectl = PathBuf::from("kubectl");
    let out = tool(
        &kubectl,
        &["kustomize", "--enable-alpha-plugins", "kustomize/example"],
        &repo(),
    );
    assert!(out.ok, "{}", out.stderr);
    let objs = objects(&out.stdout);
    let got: Vec<String> = summary(&objs).iter().map(|s| unhashed(s)).collect();
    assert_eq!(got, RENDERED);
    // nameSuffixHash: kustomize appended a content hash and consumed the request.
    let name = objs[0]["metadata"]["name"].as_str().unwrap();
    assert!(name.starts_with("shop-db-") && name.len() == "shop-db-".len() + 10);
    assert!(
        objs[0]["metadata"]["annotations"]
            .get("kustomize.config.k8s.io/needs-hash")
            .is_none()
    );

    // Without --enable-alpha-plugins kustomize refuses, loudly.
    let out = tool(&kubectl, &["kustomize", "kustomize/example"], &repo());
    assert!(!out.ok);

    // A reference that does not resolve fails the build, with nothing on stdout and the error
    // naming the file, line, object and field.
    let broken = example_copy(true);
    let out = tool(
        &kubectl,
        &["kustomize", "--enable-alpha-plugins", "."],
        broken.path(),
    );
    assert!(!out.ok);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "secrets/externalsecrets.yaml:19:7: ExternalSecret shop/db: \
             spec.data[0].remoteRef.key: Secret does not exist"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn krm_function_with_kpt() {
    if !crate::support::peer("kpt") {
        return;
    }
    let kpt = PathBuf::from("kpt");
    // As a transformer over a package: ESO objects replaced, the Namespace passed through.
    let out = tool(
        &kpt,
        &[
            "fn",
            "eval",
            "kustomize/example/secrets",
            "--exec",
            "eso-render-fn",
            "-o",
            "stdout",
        ],
        &repo(),
    );
    assert!(out.ok, "{}", out.stderr);
    let list = parse_yaml(&out.stdout);
    assert_eq!(list["kind"], "ResourceList");
    let items = list["items"].as_array().unwrap();
    let mut got = summary(items);
    got.retain(|s| !s.starts_with("Kustomization/"));
    assert_eq!(got[0], "Namespace/shop");
    assert_eq!(&got[1..], RENDERED);

    // As a generator: the config names the files, kpt gives an empty package.
    let empty = tempfile::tempdir().unwrap();
    let out = tool(
        &kpt,
        &[
            "fn",
            "eval",
            empty.path().to_str().unwrap(),
            "--exec",
            "eso-render-fn",
            "--fn-config",
            "generator.yaml",
            "-o",
            "stdout",
        ],
        &repo().join("kustomize/example"),
    );
    assert!(out.ok, "{}", out.stderr);
    let list = parse_yaml(&out.stdout);
    let got: Vec<String> = summary(list["items"].as_array().unwrap());
    assert_eq!(got, RENDERED);

    // A failure: kpt fails, shows our results with the object, field and file, and no Secret.
    let broken = example_copy(true);
    let out = tool(
        &kpt,
        &[
            "fn",
            "eval",
            "secrets",
            "--exec",
            "eso-render-fn",
            "-o",
            "stdout",
        ],
        broken.path(),
    );
    assert!(!out.ok);
    assert!(!out.stdout.contains("kind: Secret"), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "[error] external-secrets.io/v1/ExternalSecret/shop/db spec.data[0].remoteRef.key: \
             Secret does not exist"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn krm_function_with_standalone_kustomize() {
    let kustomize = match std::env::var("ESO_RENDER_TEST_KUSTOMIZE") {
        Ok(p) if !p.is_empty() => PathBuf::from(p),
        _ if crate::support::peer("kustomize") => PathBuf::from("kustomize"),
        _ => return,
    };
    let args = ["build", "--enable-alpha-plugins", "--enable-exec", "krm"];
    let out = tool(&kustomize, &args, &repo().join("kustomize/example"));
    assert!(out.ok, "{}", out.stderr);
    let got = summary(&objects(&out.stdout));
    assert_eq!(got[0], "Namespace/shop");
    assert_eq!(&got[1..], RENDERED);

    let broken = example_copy(true);
    let out = tool(&kustomize, &args, broken.path());
    assert!(!out.ok);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("ExternalSecret shop/db: spec.data[0].remoteRef.key: Secret does not exist"),
        "{}",
        out.stderr
    );
}

/// The KRM protocol fed by hand: kustomize's generator call (the config is both
/// `functionConfig` and an item marked local-config), a ConfigMap config, and bad input.
#[test]
fn krm_protocol() {
    let dir = repo().join("kustomize/example");
    let mut config = crate::support::read_yaml(&dir.join("generator.yaml"));
    config["metadata"]["annotations"] =
        serde_json::json!({"config.kubernetes.io/local-config": "true"});
    let list = serde_json::json!({
        "apiVersion": "config.kubernetes.io/v1",
        "kind": "ResourceList",
        "items": [config.clone()],
        "functionConfig": config,
    })
    .to_string();
    let r = run(eso_render()
        .current_dir(&dir)
        .arg("kustomize")
        .write_stdin(list));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = parse_yaml(&r.stdout);
    let kinds: Vec<String> = summary(out["items"].as_array().unwrap())
        .into_iter()
        .map(|s| unhashed(&s))
        .collect();
    // The config itself comes back (kustomize drops it), then the Secrets, hash requested.
    assert_eq!(kinds[0], "ExternalSecretGenerator/shop-secrets");
    assert_eq!(&kinds[1..], RENDERED);
    assert_eq!(
        out["items"][1]["metadata"]["annotations"]["kustomize.config.k8s.io/needs-hash"],
        "true"
    );

    // kpt's `-- key=value` config: a ConfigMap.
    let list = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n\
                functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  \
                data: {files: 'secrets/stores.yaml, secrets/externalsecrets.yaml', \
                namespace: shop}\n";
    let r = run(eso_render()
        .current_dir(&dir)
        .arg("kustomize")
        .write_stdin(list));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        summary(parse_yaml(&r.stdout)["items"].as_array().unwrap()),
        RENDERED
    );

    // Errors name the config object and field.
    for (data, needle) in [
        (
            "{files: ../../etc}",
            "ConfigMap c: data.files: \"../../etc\" is not a path inside the kustomization",
        ),
        (
            "{pasthrough: 'true'}",
            "ConfigMap c: data.pasthrough: unknown setting",
        ),
        (
            "{passthrough: 'yes'}",
            "data.passthrough: expected \"true\" or \"false\"",
        ),
    ] {
        let list = format!(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n\
             functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: c}}\n  \
             data: {data}\n"
        );
        let r = run(eso_render()
            .current_dir(&dir)
            .arg("kustomize")
            .write_stdin(list));
        r.assert_failed(2, &[needle]);
    }
    let r = run(eso_render()
        .current_dir(&dir)
        .arg("kustomize")
        .write_stdin("kind: Deployment\n"));
    r.assert_failed(2, &["stdin is not a KRM ResourceList"]);
}

#[test]
fn legacy_config_errors_name_the_generator_and_field() {
    let dir = tempfile::tempdir().unwrap();
    for (spec, needle) in [
        (
            "{}",
            "ExternalSecretGenerator g: spec.files: list the ESO manifests to render",
        ),
        (
            "{files: [a], nameSufixHash: true}",
            "ExternalSecretGenerator g: spec.nameSufixHash: unknown field `nameSufixHash`",
        ),
        (
            "{files: [/etc/passwd]}",
            "spec.files[0]: \"/etc/passwd\" is not a path inside",
        ),
        (
            "{files: [a], timeout: soon}",
            "ExternalSecretGenerator g: --timeout \"soon\"",
        ),
    ] {
        let config = dir.path().join("config.yaml");
        std::fs::write(
            &config,
            format!(
                "apiVersion: eso-render.io/v1alpha1\nkind: ExternalSecretGenerator\n\
                 metadata: {{name: g}}\nspec: {spec}\n"
            ),
        )
        .unwrap();
        let r = run(eso_render()
            .current_dir(dir.path())
            .arg("kustomize")
            .arg(&config));
        r.assert_failed(2, &[needle]);
    }
}
