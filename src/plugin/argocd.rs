//! Argo CD config-management plugin (`eso-render cmp generate` / `discover`).
//!
//! argocd-cmp-server runs the plugin's commands in a fresh copy of the repository, in the
//! Application's path, with the Application's settings in the environment: its destination
//! namespace (`ARGOCD_APP_NAMESPACE`), its plugin parameters as JSON (`ARGOCD_APP_PARAMETERS`)
//! and its plugin `env` entries prefixed `ARGOCD_ENV_`. Whoever may edit an Application sets
//! those, so parameter paths are kept inside the repository: they must not reach the sidecar's
//! key files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::cli::{self, CmpGenerateArgs, Env, OutputFormat, Plan};
use crate::error::Diagnostic;

pub const ARGOCD_APP_NAME: &str = "ARGOCD_APP_NAME";
pub const ARGOCD_APP_PARAMETERS: &str = "ARGOCD_APP_PARAMETERS";
/// The Application's path inside the repository (the working directory's tail).
pub const ARGOCD_APP_SOURCE_PATH: &str = "ARGOCD_APP_SOURCE_PATH";

/// Argo CD 3 bounds a plugin by the repo-server's request deadline too (60 s by default), not
/// only by `ARGOCD_EXEC_TIMEOUT`: without that variable, finish well before 60 s.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(55);

/// The parameters this plugin announces in plugin.yaml, and their `ARGOCD_ENV_` fallbacks.
const PARAMETERS: &[(&str, &str)] = &[
    ("paths", "ARGOCD_ENV_PATHS"),
    ("passthrough", "ARGOCD_ENV_PASSTHROUGH"),
    ("namespace", "ARGOCD_ENV_NAMESPACE"),
    ("controller-class", "ARGOCD_ENV_CONTROLLER_CLASS"),
];

/// One entry of `ARGOCD_APP_PARAMETERS`, as Argo CD encodes it.
#[derive(Debug, Deserialize)]
struct Parameter {
    name: String,
    string: Option<String>,
    array: Option<Vec<String>>,
    map: Option<BTreeMap<String, String>>,
}

/// The Application's settings for this plugin.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub paths: Option<Vec<String>>,
    pub passthrough: Option<bool>,
    pub namespace: Option<String>,
    pub controller_class: Option<String>,
}

impl Settings {
    /// Parameters first, then `ARGOCD_ENV_*` for what they leave unset.
    ///
    /// # Errors
    /// Malformed parameters JSON, an unknown parameter (a typo would otherwise be ignored), a
    /// value of the wrong type.
    pub fn from_env(env: &dyn Env) -> Result<Self, Diagnostic> {
        let mut s = Settings::default();
        if let Some(json) = env.var(ARGOCD_APP_PARAMETERS).filter(|v| !v.is_empty()) {
            let params: Option<Vec<Parameter>> = serde_json::from_str(&json).map_err(|e| {
                Diagnostic::input(format!(
                    "{ARGOCD_APP_PARAMETERS} is not Argo CD's JSON: {e}"
                ))
            })?;
            for p in params.unwrap_or_default() {
                s.set_parameter(p)?;
            }
        }
        for (name, var) in PARAMETERS {
            if let Some(v) = env.var(var).filter(|v| !v.is_empty()) {
                s.set_env(name, var, &v)?;
            }
        }
        Ok(s)
    }

    fn set_parameter(&mut self, p: Parameter) -> Result<(), Diagnostic> {
        let what = format!("plugin parameter {:?}", p.name);
        let string = |p: Parameter| match (p.string, p.array, p.map) {
            (Some(s), None, None) => Ok(s),
            _ => Err(Diagnostic::input(format!(
                "{what}: expected a string value"
            ))),
        };
        match p.name.as_str() {
            "paths" => {
                self.paths = Some(match (p.string, p.array, p.map) {
                    (None, Some(a), None) => a,
                    (Some(s), None, None) => vec![s],
                    _ => {
                        return Err(Diagnostic::input(format!(
                            "{what}: expected an array of paths"
                        )));
                    }
                });
            }
            "passthrough" => self.passthrough = Some(boolean(&what, &string(p)?)?),
            "namespace" => self.namespace = Some(string(p)?),
            "controller-class" => self.controller_class = Some(string(p)?),
            other => {
                let known: Vec<&str> = PARAMETERS.iter().map(|(n, _)| *n).collect();
                return Err(Diagnostic::input(format!(
                    "unknown plugin parameter {other:?} (known: {})",
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }

    fn set_env(&mut self, name: &str, var: &str, value: &str) -> Result<(), Diagnostic> {
        match name {
            "paths" if self.paths.is_none() => {
                self.paths = Some(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(String::from)
                        .collect(),
                );
            }
            "passthrough" if self.passthrough.is_none() => {
                self.passthrough = Some(boolean(var, value)?);
            }
            "namespace" if self.namespace.is_none() => self.namespace = Some(value.into()),
            "controller-class" if self.controller_class.is_none() => {
                self.controller_class = Some(value.into());
            }
            _ => {}
        }
        Ok(())
    }
}

fn boolean(what: &str, v: &str) -> Result<bool, Diagnostic> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Diagnostic::input(format!(
            "{what}: expected \"true\" or \"false\""
        ))),
    }
}

/// The repository root: the working directory less the Application's path.
fn repo_root(cwd: &Path, source_path: Option<&str>) -> PathBuf {
    let tail: Vec<_> = source_path
        .map(|p| {
            Path::new(p)
                .components()
                .filter(|c| matches!(c, std::path::Component::Normal(_)))
                .collect()
        })
        .unwrap_or_default();
    let mut root = cwd.to_path_buf();
    for c in tail.iter().rev() {
        if root.file_name() != Some(c.as_os_str()) {
            // The working directory is not the Application's path: trust nothing above it.
            return cwd.to_path_buf();
        }
        root.pop();
    }
    root
}

/// The plan of `cmp generate`: a render with the Application's settings.
///
/// # Errors
/// Bad settings (see [`Settings::from_env`]), parameter paths that leave the repository or
/// read stdin, and every error a `render` flag can have.
pub fn plan(a: CmpGenerateArgs, env: &dyn Env) -> Result<Plan, Diagnostic> {
    let settings = Settings::from_env(env)?;
    let paths = match (a.paths.is_empty(), settings.paths) {
        (false, Some(_)) => {
            return Err(Diagnostic::input(
                "the \"paths\" parameter cannot be used with this plugin: its command names \
                 its own input",
            ));
        }
        (false, None) => a.paths,
        (true, Some(paths)) => {
            confine(&paths, env)?;
            if paths.is_empty() {
                vec![".".to_string()]
            } else {
                paths
            }
        }
        (true, None) => vec![".".to_string()],
    };
    let mut read = a.read;
    if read.namespace.is_none() {
        read.namespace = settings.namespace;
    }
    if let Some(class) = settings.controller_class
        && read.controller_class == "default"
    {
        read.controller_class = class;
    }
    let deadline_set = a.backend.timeout.is_some()
        || env
            .var(cli::env::ARGOCD_EXEC_TIMEOUT)
            .is_some_and(|v| !v.is_empty());
    let mut common = cli::common(&paths, read, a.backend, env)?;
    if !deadline_set {
        common.timeout = DEFAULT_DEADLINE;
    }
    tracing::debug!(
        app = env.var(ARGOCD_APP_NAME).unwrap_or_default(),
        namespace = common.namespace,
        "argo cd plugin"
    );
    Ok(Plan::Render {
        common,
        format: OutputFormat::Yaml,
        passthrough: a.passthrough || settings.passthrough.unwrap_or(false),
        sops: None,
        redact: None,
        annotations: Vec::new(),
        vars_secret: None,
    })
}

/// Parameter paths stay inside the repository copy and never read stdin.
fn confine(paths: &[String], env: &dyn Env) -> Result<(), Diagnostic> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| Diagnostic::input(format!("cannot read the working directory: {e}")))?;
    let root = repo_root(&cwd, env.var(ARGOCD_APP_SOURCE_PATH).as_deref());
    for p in paths {
        if p == "-" || super::confined(&root, &cwd, p).is_none() {
            return Err(Diagnostic::input(format!(
                "plugin parameter \"paths\": {p:?} is not a path inside the repository"
            )));
        }
    }
    Ok(())
}

/// `cmp discover`: the files under `path` that hold an ExternalSecret, one per line. Files
/// that do not parse or decrypt are not ESO manifests for this purpose; it never fails.
pub fn discover(path: &Path) -> crate::Outcome {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    crate::manifest::load::read_inputs(
        &[crate::manifest::load::Input::Path(path.to_path_buf())],
        &crate::sops::Keyring::default(),
        &mut docs,
        &mut errors,
    );
    let mut out = String::new();
    let mut last = None;
    for d in &docs {
        let field = |f: &str| d.node.get(f).and_then(crate::manifest::node::Node::as_str);
        let eso = field("apiVersion").is_some_and(|v| v.starts_with("external-secrets.io/"))
            && field("kind") == Some("ExternalSecret");
        if eso && last != Some(&d.source) {
            out.push_str(&d.source.to_string());
            out.push('\n');
            last = Some(&d.source);
        }
    }
    crate::Outcome {
        stdout: zeroize::Zeroizing::new(out.into_bytes()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct MapEnv(HashMap<&'static str, &'static str>);
    impl Env for MapEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|s| s.to_string())
        }
    }
    fn settings(vars: &[(&'static str, &'static str)]) -> Result<Settings, Diagnostic> {
        Settings::from_env(&MapEnv(vars.iter().copied().collect()))
    }

    #[test]
    fn parameters_then_env() {
        let s = settings(&[
            (
                ARGOCD_APP_PARAMETERS,
                r#"[{"name":"paths","array":["a","b/c"]},{"name":"passthrough","string":"true"}]"#,
            ),
            ("ARGOCD_ENV_PATHS", "x"),
            ("ARGOCD_ENV_NAMESPACE", "team-a"),
            ("ARGOCD_ENV_CONTROLLER_CLASS", "dev"),
        ])
        .unwrap();
        assert_eq!(
            s,
            Settings {
                paths: Some(vec!["a".into(), "b/c".into()]),
                passthrough: Some(true),
                namespace: Some("team-a".into()),
                controller_class: Some("dev".into()),
            }
        );
        let s = settings(&[
            ("ARGOCD_ENV_PATHS", " a, b ,"),
            (ARGOCD_APP_PARAMETERS, "null"),
        ])
        .unwrap();
        assert_eq!(s.paths, Some(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn bad_parameters_are_named() {
        let err = |vars| settings(vars).unwrap_err().message;
        assert!(
            err(&[(ARGOCD_APP_PARAMETERS, r#"[{"name":"path","array":["a"]}]"#)])
                .contains("unknown plugin parameter \"path\" (known: paths,")
        );
        assert!(
            err(&[(
                ARGOCD_APP_PARAMETERS,
                r#"[{"name":"passthrough","string":"yes"}]"#
            )])
            .contains("expected \"true\" or \"false\"")
        );
        assert!(
            err(&[(
                ARGOCD_APP_PARAMETERS,
                r#"[{"name":"namespace","array":["a"]}]"#
            )])
            .contains("expected a string value")
        );
        assert!(err(&[(ARGOCD_APP_PARAMETERS, "{")]).contains("is not Argo CD's JSON"));
        assert!(err(&[("ARGOCD_ENV_PASSTHROUGH", "1")]).contains("ARGOCD_ENV_PASSTHROUGH"));
    }

    #[test]
    fn the_repository_root_is_the_cwd_less_the_app_path() {
        let cwd = Path::new("/tmp/x/repo/apps/db");
        assert_eq!(repo_root(cwd, Some("apps/db")), Path::new("/tmp/x/repo"));
        assert_eq!(repo_root(cwd, Some("./apps/db/")), Path::new("/tmp/x/repo"));
        assert_eq!(repo_root(cwd, Some(".")), cwd);
        assert_eq!(repo_root(cwd, None), cwd);
        assert_eq!(repo_root(cwd, Some("other/db")), cwd);
    }
}
