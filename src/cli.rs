//! Command line: clap structs (what the user typed) → a checked [`Plan`] (what to do).
//!
//! This is the only module that knows flag names and the environment variables that stand in
//! for them. Later subcommands (`template`, `apply`, `controller`, plugin modes) add variants to
//! [`Command`] and reuse [`InputArgs`] and [`BackendArgs`].

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::Diagnostic;
use crate::gocompat;
use crate::manifest::load::Input;

/// Environment variables eso-render reads, in one place.
pub mod env {
    /// Argo CD sets it for config-management plugins: the Application's destination namespace.
    pub const ARGOCD_APP_NAMESPACE: &str = "ARGOCD_APP_NAMESPACE";
    /// Argo CD's plugin timeout (Go duration); our deadline stays just under it.
    pub const ARGOCD_EXEC_TIMEOUT: &str = "ARGOCD_EXEC_TIMEOUT";
    pub const RUST_LOG: &str = "RUST_LOG";
    /// age identities (several per line allowed), as sops reads them.
    pub const SOPS_AGE_KEY: &str = "SOPS_AGE_KEY";
    /// A file of age identities.
    pub const SOPS_AGE_KEY_FILE: &str = "SOPS_AGE_KEY_FILE";
    /// A command whose output is age identities.
    pub const SOPS_AGE_KEY_CMD: &str = "SOPS_AGE_KEY_CMD";
    /// An SSH private key for files encrypted to `ssh-ed25519` / `ssh-rsa` recipients.
    pub const SOPS_AGE_SSH_PRIVATE_KEY_FILE: &str = "SOPS_AGE_SSH_PRIVATE_KEY_FILE";
}

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  a reference could not be resolved or a backend failed
  2  invalid input or usage (malformed manifests, ESO validation rules, missing or disallowed
     stores, features not supported yet)

On any error nothing is written to stdout, so a GitOps tool never sees a partial set of Secrets.";

/// Render External Secrets Operator manifests into Kubernetes Secrets.
#[derive(Debug, Parser)]
#[command(name = "eso-render", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// More logging on stderr (-v debug, -vv trace); RUST_LOG overrides. Values are never logged.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Resolve every ExternalSecret and print the Secrets (all of them, or nothing on error).
    #[command(after_help = AFTER_HELP)]
    Render(RenderArgs),
    /// Resolve every reference and report, per ExternalSecret and key, ok or the error; never
    /// prints a value.
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Render one template with given data, for debugging templates (ESO's `esoctl template`).
    ///
    /// With `-e`/`-f`, prints the rendered text exactly, nothing added. With
    /// `--external-secret`, prints the Secret that ExternalSecret's `spec.target.template` makes
    /// from the data (ConfigMaps and Secrets in the same file serve `templateFrom`).
    #[command(after_help = AFTER_HELP)]
    Template(TemplateArgs),
    /// Argo CD config-management plugin: the commands of a plugin.yaml (see argocd-plugin/).
    #[command(subcommand)]
    Cmp(CmpCommand),
    /// kustomize generator: with CONFIG, the legacy exec plugin (`kubectl kustomize
    /// --enable-alpha-plugins`); without, a KRM function reading a ResourceList on stdin
    /// (`kustomize build --enable-alpha-plugins --enable-exec`, `kpt fn eval --exec`).
    #[command(after_help = AFTER_HELP)]
    Kustomize(KustomizeArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Where manifests come from and how they are read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories of manifests (walked recursively: *.yaml, *.yml, *.json); `-` reads
    /// one stream from stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How manifests are read.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Namespace for objects without metadata.namespace [default: $ARGOCD_APP_NAMESPACE, else
    /// "default"]
    #[arg(short, long)]
    pub namespace: Option<String>,

    /// Serve only stores whose spec.controller is empty or equals this class (ESO's
    /// --controller-class).
    #[arg(long, default_value = "default")]
    pub controller_class: String,

    /// Left delimiter of target templates (ESO's controller flag of the same name; rewrite
    /// transforms always use `{{`).
    #[arg(long, default_value = "{{", value_name = "DELIM")]
    pub template_left_delimiter: String,

    /// Right delimiter of target templates.
    #[arg(long, default_value = "}}", value_name = "DELIM")]
    pub template_right_delimiter: String,

    /// An age identity file that opens SOPS-encrypted inputs (repeatable), in addition to
    /// SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD and ~/.config/sops/age/keys.txt.
    #[arg(long, value_name = "FILE")]
    pub age_identity: Vec<PathBuf>,

    /// An armored OpenPGP secret key file (`gpg --export-secret-keys --armor`, no passphrase)
    /// that opens SOPS files encrypted to PGP fingerprints (repeatable).
    #[arg(long, value_name = "FILE")]
    pub pgp_key: Vec<PathBuf>,
}

/// How backends are called.
#[derive(Debug, Args)]
pub struct BackendArgs {
    /// Maximum backend requests in flight.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,

    /// Deadline for all backend requests (Go duration like 45s or 2m, or seconds) [default: just
    /// under $ARGOCD_EXEC_TIMEOUT, else 60s]
    #[arg(long)]
    pub timeout: Option<String>,

    /// A kubeconfig file for stores that need the cluster (service-account tokens) [default:
    /// $KUBECONFIG, ~/.kube/config, else the pod's in-cluster configuration]
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use [default: its current context]
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Multi-document YAML.
    Yaml,
    /// A `v1` `List`.
    Json,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub backend: BackendArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Yaml)]
    pub output: OutputFormat,

    /// Also print every object of the input that is not an ESO object, unchanged (for a plugin
    /// that renders a whole application).
    #[arg(long)]
    pub passthrough: bool,

    /// Write each Secret as a SOPS document encrypted to this recipient, `age1…` or an SSH
    /// public key (repeatable, or comma-separated as sops takes it), for committing rendered
    /// Secrets that Flux or `sops -d` decrypt. Fresh data key and IVs per document; other
    /// objects stay plain.
    #[arg(long, value_name = "RECIPIENT", value_delimiter = ',', value_parser = parse_age_recipient)]
    pub sops_age_recipient: Vec<crate::sops::Recipient>,

    /// Keys whose values are encrypted, at any depth (Go regexp, as sops' --encrypted-regex).
    #[arg(
        long,
        value_name = "REGEX",
        default_value = "^(data|stringData)$",
        requires = "sops_age_recipient"
    )]
    pub sops_encrypted_regex: String,

    /// Print each Secret with its values replaced by keyed digests (`hmac-sha256:<hex>` under
    /// `stringData`), for pull-request diffs that show which keys changed without showing
    /// values. Needs --digest-key-env.
    #[arg(
        long,
        requires = "digest_key_env",
        conflicts_with = "sops_age_recipient"
    )]
    pub redact: bool,

    /// With --redact: the environment variable whose content keys the digests (the same key
    /// as `check --digest-key-env` gives the same digests).
    #[arg(long, value_name = "VAR", requires = "redact")]
    pub digest_key_env: Option<String>,

    /// Annotate every Secret `kustomize.toolkit.fluxcd.io/substitute: disabled`, so Flux's
    /// post-build substitution leaves `${…}` in values alone.
    #[arg(long)]
    pub flux: bool,

    /// Print one Secret `[NAMESPACE/]NAME` holding every rendered key instead of the Secrets,
    /// labelled `reconcile.fluxcd.io/watch: Enabled`, for Flux's `postBuild.substituteFrom`
    /// (keys must be Flux variable names; the namespace defaults to --namespace).
    #[arg(long, value_name = "[NAMESPACE/]NAME")]
    pub vars_secret: Option<String>,
}

fn parse_age_recipient(s: &str) -> Result<crate::sops::Recipient, String> {
    crate::sops::parse_recipient(s)
}

/// `eso-render cmp …`: what Argo CD's cmp-server runs.
#[derive(Debug, Subcommand)]
pub enum CmpCommand {
    /// Render the application in the working directory, as `render` does, with settings from the
    /// cmp-server's environment: parameters (`paths`, `passthrough`, `namespace`,
    /// `controller-class`) from $ARGOCD_APP_PARAMETERS, else $ARGOCD_ENV_PATHS,
    /// $ARGOCD_ENV_PASSTHROUGH, $ARGOCD_ENV_NAMESPACE, $ARGOCD_ENV_CONTROLLER_CLASS; the default
    /// namespace $ARGOCD_APP_NAMESPACE; a deadline under $ARGOCD_EXEC_TIMEOUT (55s when unset,
    /// under the repo-server's 60s); one short line per error.
    #[command(after_help = AFTER_HELP)]
    Generate(Box<CmpGenerateArgs>),
    /// Print the files under PATH that hold an ExternalSecret, one per line (for plugin.yaml's
    /// `discover.find.command`: any output means the plugin applies). Never fails.
    Discover {
        #[arg(value_name = "PATH", default_value = ".")]
        path: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct CmpGenerateArgs {
    /// Files or directories (`-` for stdin) [default: the `paths` parameter, else "."].
    /// Parameter paths must stay inside the repository.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub backend: BackendArgs,

    /// Also print every object of the input that is not an ESO object, unchanged [default: the
    /// `passthrough` parameter, else false].
    #[arg(long)]
    pub passthrough: bool,
}

#[derive(Debug, Args)]
pub struct KustomizeArgs {
    /// The generator's config (an `ExternalSecretGenerator`), as kustomize passes it to a legacy
    /// exec plugin. Without it, a KRM `ResourceList` is read from stdin.
    #[arg(value_name = "CONFIG")]
    pub config: Option<PathBuf>,
}

/// How the diagnostics of a run are written to stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportStyle {
    /// Compiler style: causes and hints on their own lines.
    #[default]
    Full,
    /// One line per error, at most a screenful (Argo CD shows stderr in its UI).
    Short,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    /// GitHub Actions `::error file=…,line=…::` annotations.
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub backend: BackendArgs,

    /// Check structure and store wiring only; contact no backend.
    #[arg(long)]
    pub offline: bool,

    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Add an HMAC-SHA256 digest of each value, keyed by the content of this environment
    /// variable, so reviewers see that a value changed without seeing it.
    #[arg(long, value_name = "VAR")]
    pub digest_key_env: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["expr", "file", "external_secret"])))]
pub struct TemplateArgs {
    /// YAML or JSON map of key to string value: the template's data (`.key`); `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub data: String,

    /// The template text.
    #[arg(short = 'e', long = "expr", value_name = "TEMPLATE")]
    pub expr: Option<String>,

    /// A file holding the template text.
    #[arg(short = 'f', long, value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// An ExternalSecret manifest whose spec.target.template is rendered into a Secret.
    #[arg(long, value_name = "FILE")]
    pub external_secret: Option<PathBuf>,

    /// Namespace for objects without metadata.namespace.
    #[arg(short, long, default_value = "default")]
    pub namespace: String,
}

/// What `eso-render template` renders.
#[derive(Debug, Clone)]
pub enum TemplateSource {
    Text(String),
    File(PathBuf),
    ExternalSecret(PathBuf),
}

/// Checked settings shared by every command that reads manifests.
#[derive(Debug, Clone)]
pub struct Common {
    pub inputs: Vec<Input>,
    pub namespace: String,
    pub controller_class: String,
    pub concurrency: usize,
    pub timeout: Duration,
    /// Where the cluster is, for stores that need it.
    pub cluster: crate::cluster::Options,
    /// Options of target templates (delimiters; `missingkey=error` as ESO sets it).
    pub template: crate::template::Options,
    /// Where age identities for SOPS-encrypted inputs are looked for.
    pub sops_keys: crate::sops::KeySources,
}

/// What to do, fully checked.
#[derive(Debug)]
pub enum Plan {
    Render {
        common: Common,
        format: OutputFormat,
        passthrough: bool,
        /// Encrypt-on-render: Secrets are written as SOPS documents.
        sops: Option<crate::sops::Encryption>,
        /// `--redact`: the digest key; values are replaced by keyed digests.
        redact: Option<crate::secret::SecretBytes>,
        /// Added to every Secret printed (`--flux`'s substitution opt-out, kustomize's
        /// name-hash request).
        annotations: Vec<(String, String)>,
        /// `--vars-secret`: (namespace, name) of the one Secret printed instead.
        vars_secret: Option<(String, String)>,
    },
    /// A KRM function run: a ResourceList in (already read into `common.inputs`), one out.
    Krm {
        common: Common,
        /// Also print the non-ESO objects of the config's `files` (items always pass).
        passthrough: bool,
        /// Ask kustomize to append a content hash to each Secret's name.
        name_suffix_hash: bool,
    },
    /// `cmp discover`.
    Discover(PathBuf),
    Check {
        common: Common,
        offline: bool,
        format: CheckFormat,
        /// The digest key's bytes; never printed.
        digest_key: Option<crate::secret::SecretBytes>,
    },
    Template {
        data: Input,
        source: TemplateSource,
        namespace: String,
    },
    Completions(clap_complete::Shell),
}

/// Reads the environment through one door so tests can pass their own.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Cli {
    /// How errors are written: short lines for Argo CD, whose UI shows stderr.
    pub fn report_style(&self) -> ReportStyle {
        match self.command {
            Command::Cmp(_) => ReportStyle::Short,
            _ => ReportStyle::Full,
        }
    }

    /// Turns parsed flags into a plan.
    ///
    /// # Errors
    /// Invalid values (a timeout that does not parse, an unset digest variable).
    pub fn plan(self, env: &dyn Env) -> Result<Plan, Diagnostic> {
        Ok(match self.command {
            Command::Render(a) => {
                let sops = if a.sops_age_recipient.is_empty() {
                    None
                } else if a.output == OutputFormat::Json {
                    return Err(Diagnostic::input(
                        "--sops-age-recipient writes YAML documents, one per Secret: it cannot \
                         be combined with --output json",
                    ));
                } else {
                    Some(
                        crate::sops::Encryption::new(a.sops_age_recipient, &a.sops_encrypted_regex)
                            .map_err(|e| {
                                Diagnostic::input(format!("--sops-encrypted-regex: {e}"))
                            })?,
                    )
                };
                let common = common(&a.input.paths, a.input.read, a.backend, env)?;
                let vars_secret = match &a.vars_secret {
                    None => None,
                    Some(v) => {
                        let (ns, name) = match v.split_once('/') {
                            Some((ns, name)) => (ns.to_string(), name.to_string()),
                            None => (common.namespace.clone(), v.clone()),
                        };
                        if !crate::manifest::validate::is_dns_label(&ns)
                            || !crate::manifest::validate::is_dns_subdomain(&name)
                        {
                            return Err(Diagnostic::input(format!(
                                "--vars-secret {v:?}: expected [NAMESPACE/]NAME of a Secret"
                            )));
                        }
                        Some((ns, name))
                    }
                };
                Plan::Render {
                    redact: digest_key(a.digest_key_env.as_deref(), env)?,
                    vars_secret,
                    common,
                    format: a.output,
                    passthrough: a.passthrough,
                    sops,
                    annotations: if a.flux {
                        vec![(
                            crate::output::FLUX_SUBSTITUTE_ANNOTATION.to_string(),
                            "disabled".to_string(),
                        )]
                    } else {
                        Vec::new()
                    },
                }
            }
            Command::Check(a) => {
                let digest_key = digest_key(a.digest_key_env.as_deref(), env)?;
                Plan::Check {
                    common: common(&a.input.paths, a.input.read, a.backend, env)?,
                    offline: a.offline,
                    format: a.format,
                    digest_key,
                }
            }
            Command::Template(a) => Plan::Template {
                data: Input::parse(&a.data),
                source: match (a.expr, a.file, a.external_secret) {
                    (Some(t), _, _) => TemplateSource::Text(t),
                    (None, Some(f), _) => TemplateSource::File(f),
                    (None, None, Some(es)) => TemplateSource::ExternalSecret(es),
                    (None, None, None) => unreachable!("clap requires one of them"),
                },
                namespace: a.namespace,
            },
            Command::Cmp(CmpCommand::Generate(a)) => crate::plugin::argocd::plan(*a, env)?,
            Command::Cmp(CmpCommand::Discover { path }) => Plan::Discover(path),
            Command::Kustomize(a) => crate::plugin::kustomize::plan(a.config.as_deref(), env)?,
            Command::Completions { shell } => Plan::Completions(shell),
        })
    }
}

/// The content of `--digest-key-env`'s variable, which must be set.
fn digest_key(
    var: Option<&str>,
    env: &dyn Env,
) -> Result<Option<crate::secret::SecretBytes>, Diagnostic> {
    let Some(var) = var else { return Ok(None) };
    match env.var(var) {
        Some(v) if !v.is_empty() => Ok(Some(crate::secret::SecretBytes::from(v))),
        _ => Err(Diagnostic::input(format!(
            "--digest-key-env: environment variable {var} is not set or empty"
        ))),
    }
}

/// The settings shared by every command that reads manifests, from flags and `env`.
pub(crate) fn common(
    paths: &[String],
    input: ReadArgs,
    backend: BackendArgs,
    env: &dyn Env,
) -> Result<Common, Diagnostic> {
    let namespace = input
        .namespace
        .or_else(|| env.var(env::ARGOCD_APP_NAMESPACE).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "default".to_string());
    if !crate::manifest::validate::is_dns_label(&namespace) {
        return Err(Diagnostic::input(format!(
            "--namespace {namespace:?} is not a valid namespace name"
        ))
        .hint(crate::manifest::validate::NS_HINT));
    }
    let timeout = match backend.timeout {
        Some(t) => {
            parse_timeout(&t).map_err(|e| Diagnostic::input(format!("--timeout {t:?}: {e}")))?
        }
        None => match env.var(env::ARGOCD_EXEC_TIMEOUT).filter(|s| !s.is_empty()) {
            Some(t) => {
                let total = parse_timeout(&t).map_err(|e| {
                    Diagnostic::input(format!("{}={t:?}: {e}", env::ARGOCD_EXEC_TIMEOUT))
                })?;
                // Leave Argo CD time to read our error rather than kill us mid-way.
                total - (total / 10).min(Duration::from_secs(5))
            }
            None => Duration::from_secs(60),
        },
    };
    Ok(Common {
        inputs: paths.iter().map(|p| Input::parse(p)).collect(),
        namespace,
        controller_class: input.controller_class,
        template: crate::template::Options {
            left_delim: input.template_left_delimiter,
            right_delim: input.template_right_delimiter,
            missing_key_error: true,
        },
        concurrency: usize::from(backend.concurrency),
        timeout,
        cluster: crate::cluster::Options {
            kubeconfig: backend.kubeconfig,
            context: backend.context,
        },
        sops_keys: sops_key_sources(input.age_identity, input.pgp_key, env),
    })
}

/// The places sops looks for age identities, read from `env` (sops' variables, Go's
/// `os.UserConfigDir`: `$XDG_CONFIG_HOME`, else `$HOME/.config`, and `$HOME/.ssh`).
fn sops_key_sources(
    identity_files: Vec<PathBuf>,
    pgp_key_files: Vec<PathBuf>,
    env: &dyn Env,
) -> crate::sops::KeySources {
    let set = |name: &str| env.var(name).filter(|v| !v.is_empty());
    crate::sops::KeySources {
        age_key: set(env::SOPS_AGE_KEY),
        age_key_file: set(env::SOPS_AGE_KEY_FILE).map(PathBuf::from),
        age_key_cmd: set(env::SOPS_AGE_KEY_CMD),
        user_config_dir: set("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| set("HOME").map(|h| PathBuf::from(h).join(".config"))),
        identity_files,
        ssh_key_file: set(env::SOPS_AGE_SSH_PRIVATE_KEY_FILE).map(PathBuf::from),
        home_dir: set("HOME").map(PathBuf::from),
        pgp_key_files,
    }
}

/// A Go duration (`90s`, `1m30s`) or a plain number of seconds.
pub(crate) fn parse_timeout(s: &str) -> Result<Duration, String> {
    let d = match s.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => gocompat::duration::parse(s).map_err(|e| e.to_string())?,
    };
    if d.is_zero() {
        return Err("must be greater than zero".into());
    }
    // A day is far beyond any plugin or CI budget, and keeps deadline arithmetic in range.
    if d > Duration::from_secs(24 * 3600) {
        return Err("must be at most 24h".into());
    }
    Ok(d)
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

    fn plan(args: &[&str], env: &[(&'static str, &'static str)]) -> Result<Plan, Diagnostic> {
        let cli = Cli::try_parse_from(std::iter::once("eso-render").chain(args.iter().copied()))
            .expect("arguments parse");
        cli.plan(&MapEnv(env.iter().copied().collect()))
    }

    fn common_of(p: Plan) -> Common {
        match p {
            Plan::Render { common, .. } | Plan::Check { common, .. } => common,
            Plan::Krm { common, .. } => common,
            _ => panic!("no common settings"),
        }
    }

    #[test]
    fn namespace_defaults_to_argocd_then_default() {
        assert_eq!(
            common_of(plan(&["render"], &[]).unwrap()).namespace,
            "default"
        );
        let c = common_of(plan(&["render"], &[("ARGOCD_APP_NAMESPACE", "team-a")]).unwrap());
        assert_eq!(c.namespace, "team-a");
        let c = common_of(
            plan(
                &["render", "-n", "x"],
                &[("ARGOCD_APP_NAMESPACE", "team-a")],
            )
            .unwrap(),
        );
        assert_eq!(c.namespace, "x");
    }

    #[test]
    fn timeout_stays_under_argocd_exec_timeout() {
        assert_eq!(
            common_of(plan(&["render"], &[]).unwrap()).timeout,
            Duration::from_secs(60)
        );
        let c = common_of(plan(&["render"], &[("ARGOCD_EXEC_TIMEOUT", "90s")]).unwrap());
        assert_eq!(c.timeout, Duration::from_secs(85));
        let c = common_of(plan(&["render"], &[("ARGOCD_EXEC_TIMEOUT", "10s")]).unwrap());
        assert_eq!(c.timeout, Duration::from_secs(9));
        let c = common_of(
            plan(
                &["render", "--timeout", "2m"],
                &[("ARGOCD_EXEC_TIMEOUT", "10s")],
            )
            .unwrap(),
        );
        assert_eq!(c.timeout, Duration::from_secs(120));
        assert!(plan(&["render", "--timeout", "soon"], &[]).is_err());
        assert!(plan(&["render", "--timeout", "0"], &[]).is_err());
        assert!(plan(&["render", "--timeout", "18446744073709551615"], &[]).is_err());
        assert!(plan(&["render", "--timeout", "25h"], &[]).is_err());
    }

    #[test]
    fn digest_key_must_be_set() {
        assert!(plan(&["check", "--digest-key-env", "K"], &[]).is_err());
        assert!(plan(&["check", "--digest-key-env", "K"], &[("K", "k3y")]).is_ok());
    }

    #[test]
    fn stdin_is_an_input() {
        let c = common_of(plan(&["render", "-", "dir"], &[]).unwrap());
        assert_eq!(c.inputs, vec![Input::Stdin, Input::Path("dir".into())]);
    }
}
