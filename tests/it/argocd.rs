//! The Argo CD plugins of `argocd-plugin/`, run the way argocd-cmp-server runs them.
//!
//! Argo CD cannot be installed here, so [`generate`] is a harness written from Argo CD's source
//! (`cmpserver/plugin/plugin.go`, `reposerver/repository/repository.go`): a fresh copy of the
//! repository whose files lose their executable bit, the Application's path as working
//! directory, the sidecar's environment plus the build variables, `ARGOCD_ENV_*` and the
//! parameters, stdin closed, one deadline for `init` and `generate` with SIGKILL at its end, a
//! non-zero exit failing the application with stderr as the message, and stdout that must parse
//! as Kubernetes objects.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{parse_yaml, repo, testdata};

/// A plugin's commands, read from its plugin.yaml.
struct Plugin {
    init: Option<Vec<String>>,
    generate: Vec<String>,
    discover: Option<Vec<String>>,
}

fn command(spec: &Value) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    let mut c = strings(&spec["command"]);
    c.extend(strings(&spec["args"]));
    assert!(!c.is_empty(), "a command: {spec}");
    c
}

fn plugin(name: &str) -> Plugin {
    let p = parse_yaml(
        &std::fs::read_to_string(repo().join(format!("argocd-plugin/plugins/{name}.yaml")))
            .unwrap(),
    );
    assert_eq!(p["apiVersion"], "argoproj.io/v1alpha1");
    assert_eq!(p["kind"], "ConfigManagementPlugin");
    assert_eq!(p["metadata"]["name"], name);
    Plugin {
        init: p["spec"].get("init").map(command),
        generate: command(&p["spec"]["generate"]),
        discover: p["spec"]["discover"]["find"]
            .get("command")
            .map(|_| command(&p["spec"]["discover"]["find"])),
    }
}

/// One Application and the sidecar it runs in.
struct App {
    /// The repository checkout (copied before each run) and the Application's path in it.
    repo: PathBuf,
    path: &'static str,
    name: &'static str,
    namespace: &'static str,
    /// `spec.source.plugin.env`, without the `ARGOCD_ENV_` prefix.
    env: Vec<(&'static str, &'static str)>,
    /// `spec.source.plugin.parameters`.
    parameters: Value,
    /// The sidecar's own environment (its container spec), e.g. `ARGOCD_EXEC_TIMEOUT`.
    sidecar_env: Vec<(&'static str, String)>,
    /// Where the sidecar finds its tools besides eso-render.
    tools: Vec<PathBuf>,
    /// The cmp-server's deadline for init and generate together.
    deadline: Duration,
}

impl App {
    fn new(path: &'static str) -> Self {
        App {
            repo: testdata("argocd/repo"),
            path,
            name: "shop",
            namespace: "shop",
            env: Vec::new(),
            parameters: Value::Null,
            sidecar_env: Vec::new(),
            tools: Vec::new(),
            deadline: Duration::from_secs(90),
        }
    }
}

/// What a generation produced, as Argo CD sees it.
struct Generation {
    /// The objects, or the message Argo CD shows for a failed generation.
    result: Result<Vec<Value>, String>,
    stdout: String,
    stderr: String,
    /// Whether the deadline killed the plugin.
    killed: bool,
}

/// A copy of `from` as the repo-server makes it: files 0644, directories 0755.
fn copy_repo(from: &Path, to: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(to).unwrap();
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o755)).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let ft = entry.file_type().unwrap();
        if ft.is_dir() {
            copy_repo(&entry.path(), &target);
        } else if ft.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
}

/// `PARAM_*` variables as Argo CD derives them from the parameters.
fn param_vars(parameters: &Value) -> Vec<(String, String)> {
    let upper = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect::<String>()
    };
    let mut out = Vec::new();
    for p in parameters.as_array().into_iter().flatten() {
        let name = format!("PARAM_{}", upper(p["name"].as_str().unwrap()));
        if let Some(s) = p["string"].as_str() {
            out.push((name.clone(), s.to_string()));
        }
        for (i, v) in p["array"].as_array().into_iter().flatten().enumerate() {
            out.push((format!("{name}_{i}"), v.as_str().unwrap().to_string()));
        }
        for (k, v) in p["map"].as_object().into_iter().flatten() {
            out.push((
                format!("{name}_{}", upper(k)),
                v.as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

/// Runs `argv` in `cwd` until it ends or `deadline` passes (then SIGKILL to its process group).
fn run_bounded(
    argv: &[String],
    cwd: &Path,
    env: &BTreeMap<String, String>,
    deadline: Instant,
) -> (Option<i32>, String, String, bool) {
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(cwd)
        .env_clear()
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("fork/exec {}: {e}", argv[0]));
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).unwrap();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).unwrap();
        s
    });
    let mut killed = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            killed = true;
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{}", child.id())])
                .status();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code(),
        out_reader.join().unwrap(),
        err_reader.join().unwrap(),
        killed,
    )
}

/// Runs the plugin's init and generate commands for `app`, as argocd-cmp-server does.
fn generate(plugin: &Plugin, app: &App) -> Generation {
    let checkout = tempfile::tempdir().unwrap();
    let root = checkout.path().join("repo");
    copy_repo(&app.repo, &root);
    let cwd = root.join(app.path);

    let bin = assert_cmd::cargo::cargo_bin("eso-render");
    let mut path: Vec<PathBuf> = vec![bin.parent().unwrap().to_path_buf()];
    path.extend(app.tools.iter().cloned());
    path.push("/usr/bin".into());
    path.push("/bin".into());
    let mut env = BTreeMap::new();
    env.insert(
        "PATH".to_string(),
        std::env::join_paths(path).unwrap().into_string().unwrap(),
    );
    env.insert("HOME".into(), checkout.path().to_string_lossy().into());
    for (k, v) in &app.sidecar_env {
        env.insert((*k).to_string(), v.clone());
    }
    let revision = "3f9a3c1b6e0d4c2a8b7e5f1d9c0a2b4e6f8d0c1a";
    for (k, v) in [
        ("ARGOCD_APP_NAME", app.name),
        ("ARGOCD_APP_NAMESPACE", app.namespace),
        ("ARGOCD_APP_PROJECT_NAME", "default"),
        ("ARGOCD_APP_REVISION", revision),
        ("ARGOCD_APP_REVISION_SHORT", &revision[..7]),
        ("ARGOCD_APP_REVISION_SHORT_8", &revision[..8]),
        (
            "ARGOCD_APP_SOURCE_REPO_URL",
            "https://git.example.com/shop.git",
        ),
        ("ARGOCD_APP_SOURCE_PATH", app.path),
        ("ARGOCD_APP_SOURCE_TARGET_REVISION", "HEAD"),
        ("KUBE_VERSION", "1.33.1"),
        ("KUBE_API_VERSIONS", "v1,apps/v1,external-secrets.io/v1"),
    ] {
        env.insert(k.to_string(), v.to_string());
    }
    for (k, v) in &app.env {
        env.insert(format!("ARGOCD_ENV_{k}"), (*v).to_string());
    }
    env.insert(
        "ARGOCD_APP_PARAMETERS".into(),
        serde_json::to_string(&app.parameters).unwrap(),
    );
    env.extend(param_vars(&app.parameters));

    let deadline = Instant::now() + app.deadline;
    if let Some(init) = &plugin.init {
        let (code, _, stderr, killed) = run_bounded(init, &cwd, &env, deadline);
        if code != Some(0) {
            return Generation {
                result: Err(format!("`{}` failed: {stderr}", init.join(" "))),
                stdout: String::new(),
                stderr,
                killed,
            };
        }
    }
    let argv = &plugin.generate;
    let (code, stdout, stderr, killed) = run_bounded(argv, &cwd, &env, deadline);
    let result = match code {
        Some(0) if !killed => parse_manifests(&stdout),
        _ if killed => Err("context deadline exceeded".to_string()),
        code => Err(format!(
            "`{}` failed exit status {}: {stderr}",
            argv.join(" "),
            code.unwrap_or(-1)
        )),
    };
    Generation {
        result,
        stdout,
        stderr,
        killed,
    }
}

/// stdout as the repo-server splits it: a YAML stream of objects that each have a `kind`.
fn parse_manifests(stdout: &str) -> Result<Vec<Value>, String> {
    let docs = eso_render::manifest::yaml::parse_documents(stdout)
        .map_err(|e| format!("failed to unmarshal manifest: {e}"))?;
    let mut out = Vec::new();
    for d in docs {
        let v = eso_render::output::json(&d.node);
        if v.is_null() {
            continue;
        }
        if v.get("kind")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(format!("object has no kind: {v}"));
        }
        out.push(v);
    }
    Ok(out)
}

fn named<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {objects:#?}"))
}

fn decoded(secret: &Value, key: &str) -> String {
    use base64::Engine;
    let b64 = secret["data"][key].as_str().unwrap();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap()
}

/// A tool the kustomize and helm plugins call, from `var` (tests/run.sh sets it) or PATH; the
/// directory to put on the sidecar's PATH with the tool under `name`.
fn tool(var: &str, name: &str) -> Option<PathBuf> {
    let path = match std::env::var(var) {
        Ok(p) if !p.is_empty() => PathBuf::from(p),
        _ => {
            if !crate::support::peer(name) {
                return None;
            }
            let out = Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .unwrap();
            PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
        }
    };
    let dir = tempfile::Builder::new()
        .prefix("tools-")
        .tempdir()
        .unwrap()
        .keep();
    std::os::unix::fs::symlink(&path, dir.join(name)).unwrap();
    Some(dir)
}

#[test]
fn plain_plugin_renders_the_application_path() {
    let g = generate(&plugin("eso-render"), &App::new("apps/shop"));
    let objects = g.result.unwrap_or_else(|e| panic!("{e}"));
    // Both ExternalSecrets (one in a subdirectory), in the destination namespace; the
    // ConfigMap is not the plugin's business without passthrough.
    assert_eq!(objects.len(), 2, "{objects:#?}");
    let db = named(&objects, "Secret", "shop-db");
    assert_eq!(db["metadata"]["namespace"], "shop");
    assert_eq!(decoded(db, "password"), "argo-horse-battery");
    assert_eq!(
        decoded(named(&objects, "Secret", "shop-db-user"), "user"),
        "shop"
    );
    assert!(g.stderr.is_empty(), "{}", g.stderr);
}

#[test]
fn parameters_and_plugin_env_choose_paths_passthrough_and_namespace() {
    let mut app = App::new("apps/shop");
    app.parameters = json!([
        {"name": "paths", "array": ["externalsecret.yaml", "store.yaml"]},
        {"name": "passthrough", "string": "true"},
    ]);
    app.env = vec![("NAMESPACE", "shop-staging")];
    let objects = generate(&plugin("eso-render"), &app).result.unwrap();
    let kinds: Vec<_> = objects
        .iter()
        .map(|o| format!("{}/{}", o["kind"], o["metadata"]["name"]).replace('"', ""))
        .collect();
    assert_eq!(kinds, ["ConfigMap/shop-config", "Secret/shop-db"]);
    assert_eq!(objects[1]["metadata"]["namespace"], "shop-staging");

    // Plugin env alone, when no parameter says otherwise.
    let mut app = App::new("apps/shop");
    app.env = vec![("PATHS", "extra"), ("PASSTHROUGH", "false")];
    let g = generate(&plugin("eso-render"), &app);
    // extra/ has no store: the error names the ExternalSecret and field on one line.
    let err = g.result.unwrap_err();
    assert!(err.contains("failed exit status 2"), "{err}");
    assert!(
        g.stderr
            .contains("ExternalSecret shop/db-user: spec.secretStoreRef"),
        "{}",
        g.stderr
    );
}

#[test]
fn a_failed_render_fails_the_application_with_short_errors_and_no_output() {
    let repo = tempfile::tempdir().unwrap();
    copy_repo(&testdata("argocd/repo"), repo.path());
    let es = repo.path().join("apps/shop/externalsecret.yaml");
    let text = std::fs::read_to_string(&es).unwrap();
    std::fs::write(&es, text.replace("key: /shop/db", "key: /shop/missing")).unwrap();
    let mut app = App::new("apps/shop");
    app.repo = repo.path().to_path_buf();
    let g = generate(&plugin("eso-render"), &app);
    let err = g.result.unwrap_err();
    assert!(err.contains("failed exit status 1"), "{err}");
    assert!(g.stdout.is_empty(), "{}", g.stdout);
    // Argo CD shows stderr in its UI: one line per error, no hints, a closing count.
    let lines: Vec<_> = g.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", g.stderr);
    assert!(
        lines[0].starts_with(
            "error: ./externalsecret.yaml:13:7: ExternalSecret shop/db: \
             spec.dataFrom[0].extract.key: Secret does not exist"
        ),
        "{}",
        g.stderr
    );
    assert_eq!(lines[1], "1 error; nothing was written to stdout");
    assert!(!g.stderr.contains("argo-horse-battery"));
}

#[test]
fn parameter_paths_cannot_leave_the_repository() {
    for bad in ["../../..", "/etc", "-"] {
        let mut app = App::new("apps/shop");
        app.parameters = json!([{"name": "paths", "array": [bad]}]);
        let g = generate(&plugin("eso-render"), &app);
        assert!(g.result.is_err());
        assert!(
            g.stderr
                .contains(&format!("{bad:?} is not a path inside the repository")),
            "{}",
            g.stderr
        );
    }
    // Another Application's path in the same repository is fine.
    let mut app = App::new("apps/shop");
    app.parameters = json!([{"name": "paths", "array": ["../shop/extra", "store.yaml"]}]);
    let objects = generate(&plugin("eso-render"), &app).result.unwrap();
    assert_eq!(objects.len(), 1);

    let mut app = App::new("apps/shop");
    app.parameters = json!([{"name": "pathz", "array": ["x"]}]);
    let g = generate(&plugin("eso-render"), &app);
    assert!(g.stderr.contains("unknown plugin parameter \"pathz\""));
}

#[test]
fn discover_claims_only_paths_with_an_external_secret() {
    let p = plugin("eso-render");
    let discover = Plugin {
        init: None,
        generate: p.discover.clone().unwrap(),
        discover: None,
    };
    let found = generate(&discover, &App::new("apps/shop"));
    assert_eq!(
        found.stdout,
        "./externalsecret.yaml\n./extra/externalsecret.yaml\n"
    );
    let none = generate(&discover, &App::new("apps/plain"));
    assert_eq!(none.result, Ok(Vec::new()));
    assert_eq!(none.stdout, "");
}

/// A store whose backend accepts connections and never answers.
fn hanging_repo() -> (tempfile::TempDir, std::net::TcpListener) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join("app")).unwrap();
    std::fs::write(
        repo.path().join("app/es.yaml"),
        format!(
            "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: vault}}\n\
             spec:\n  provider:\n    vault:\n      server: http://127.0.0.1:{port}\n      \
             path: secret\n      auth:\n        tokenSecretRef: {{name: vault-token, key: token}}\n\
             ---\napiVersion: v1\nkind: Secret\nmetadata: {{name: vault-token}}\n\
             stringData: {{token: hvs.test}}\n---\n\
             apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: db}}\n\
             spec:\n  secretStoreRef: {{name: vault}}\n  data:\n  - secretKey: pw\n    \
             remoteRef: {{key: db, property: pw}}\n"
        ),
    )
    .unwrap();
    (repo, listener)
}

#[test]
fn a_hanging_backend_ends_in_our_error_before_argo_cd_kills_the_plugin() {
    let (repo, _listener) = hanging_repo();
    let mut app = App::new("app");
    app.repo = repo.path().to_path_buf();
    app.sidecar_env = vec![("ARGOCD_EXEC_TIMEOUT", "4s".to_string())];
    app.deadline = Duration::from_secs(4);
    let started = Instant::now();
    let g = generate(&plugin("eso-render"), &app);
    assert!(
        !g.killed,
        "the cmp-server had to kill the plugin: {}",
        g.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(4));
    let err = g.result.unwrap_err();
    assert!(err.contains("failed exit status 1"), "{err}");
    assert!(
        g.stderr
            .contains("timed out after 3.6s waiting for backends"),
        "{}",
        g.stderr
    );
    assert!(g.stdout.is_empty());
}

#[test]
fn kustomize_plugin_renders_the_build_and_passes_the_rest() {
    let Some(kustomize) = tool("ESO_RENDER_TEST_KUSTOMIZE", "kustomize") else {
        return;
    };
    let mut app = App::new("apps/shop-kustomize");
    app.tools = vec![kustomize];
    let objects = generate(&plugin("eso-render-kustomize"), &app)
        .result
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<_> = objects.iter().map(|o| o["kind"].clone()).collect();
    assert_eq!(kinds, ["ConfigMap", "Secret"]);
    let db = named(&objects, "Secret", "shop-db");
    assert_eq!(db["metadata"]["namespace"], "shop");
    assert_eq!(
        db["metadata"]["labels"]["app.kubernetes.io/part-of"],
        "shop"
    );
    assert_eq!(decoded(db, "username"), "shop");

    // A kustomize failure fails the application even though eso-render saw its (empty) output.
    let repo = tempfile::tempdir().unwrap();
    copy_repo(&testdata("argocd/repo"), repo.path());
    std::fs::write(
        repo.path().join("apps/shop-kustomize/kustomization.yaml"),
        "resources: [missing.yaml]\n",
    )
    .unwrap();
    app.repo = repo.path().to_path_buf();
    let g = generate(&plugin("eso-render-kustomize"), &app);
    assert!(g.result.is_err());
    assert!(g.stderr.contains("missing.yaml"), "{}", g.stderr);
}

#[test]
fn helm_plugin_renders_the_chart_for_the_application() {
    let Some(helm) = tool("ESO_RENDER_TEST_HELM", "helm") else {
        return;
    };
    let mut app = App::new("apps/shop-chart");
    app.name = "web";
    app.tools = vec![helm];
    app.env = vec![("HELM_ARGS", "--set password=from-plugin-env")];
    // helm wants writable cache directories; the sidecar points them at /tmp.
    let tmp = tempfile::tempdir().unwrap();
    app.sidecar_env = vec![
        (
            "HELM_CACHE_HOME",
            tmp.path().join("c").display().to_string(),
        ),
        (
            "HELM_CONFIG_HOME",
            tmp.path().join("f").display().to_string(),
        ),
        ("HELM_DATA_HOME", tmp.path().join("d").display().to_string()),
    ];
    let objects = generate(&plugin("eso-render-helm"), &app)
        .result
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<_> = objects.iter().map(|o| o["kind"].clone()).collect();
    assert_eq!(kinds, ["Service", "Secret"]);
    let secret = named(&objects, "Secret", "web-db");
    assert_eq!(secret["metadata"]["namespace"], "shop");
    assert_eq!(decoded(secret, "password"), "from-plugin-env");
    assert_eq!(named(&objects, "Service", "web")["kind"], "Service");
}

#[test]
fn the_component_adds_hardened_sidecars_for_every_plugin() {
    if !crate::support::peer("kubectl") {
        return;
    }
    let out = Command::new("kubectl")
        .arg("kustomize")
        .arg(testdata("argocd/install"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs =
        eso_render::manifest::yaml::parse_documents(std::str::from_utf8(&out.stdout).unwrap())
            .unwrap();
    let objects: Vec<Value> = docs
        .iter()
        .map(|d| eso_render::output::json(&d.node))
        .collect();
    let config = named(&objects, "ConfigMap", "eso-render-plugins");
    let deploy = named(&objects, "Deployment", "argocd-repo-server");
    let spec = &deploy["spec"]["template"]["spec"];
    let volumes: Vec<&str> = spec["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    let plugins = ["eso-render", "eso-render-kustomize", "eso-render-helm"];
    for name in plugins {
        // The ConfigMap carries the plugin.yaml the harness above runs.
        let file = format!("{name}.yaml");
        assert_eq!(
            parse_yaml(config["data"][&file].as_str().unwrap()),
            crate::support::read_yaml(&repo().join("argocd-plugin/plugins").join(&file))
        );
        let c = spec["containers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no sidecar {name}"));
        assert_eq!(c["command"], json!(["/var/run/argocd/argocd-cmp-server"]));
        let sc = &c["securityContext"];
        assert_eq!(sc["runAsUser"], 999);
        assert_eq!(sc["runAsNonRoot"], true);
        assert_eq!(sc["readOnlyRootFilesystem"], true);
        assert_eq!(sc["allowPrivilegeEscalation"], false);
        let mounts = c["volumeMounts"].as_array().unwrap();
        let mount = |path: &str| {
            mounts
                .iter()
                .find(|m| m["mountPath"] == path)
                .unwrap_or_else(|| panic!("{name}: nothing mounted at {path}"))
        };
        assert_eq!(
            mount("/home/argocd/cmp-server/config/plugin.yaml")["subPath"],
            file
        );
        mount("/var/run/argocd");
        mount("/home/argocd/cmp-server/plugins");
        mount("/tmp");
        assert_eq!(mount("/custom-tools")["readOnly"], true);
        for m in mounts {
            let v = m["name"].as_str().unwrap();
            assert!(volumes.contains(&v), "{name} mounts unknown volume {v}");
        }
        let path = c["env"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "PATH")
            .unwrap();
        assert!(
            path["value"]
                .as_str()
                .unwrap()
                .starts_with("/custom-tools:")
        );
    }
    // The repo-server itself is untouched, and the binary arrives by the init container.
    assert!(
        spec["containers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "argocd-repo-server")
    );
    let init = &spec["initContainers"].as_array().unwrap();
    let install = init
        .iter()
        .find(|c| c["name"] == "eso-render-install")
        .unwrap();
    assert_eq!(install["command"][2], "/custom-tools/eso-render");
    assert_eq!(install["securityContext"]["runAsUser"], 999);
}
