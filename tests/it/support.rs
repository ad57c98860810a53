//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use eso_render::manifest::yaml;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn testdata(rel: &str) -> PathBuf {
    repo().join("testdata").join(rel)
}

/// The binary with a clean environment: no Argo CD variables, no RUST_LOG from the developer.
pub fn eso_render() -> Command {
    let mut cmd = Command::cargo_bin("eso-render").expect("the binary is built for tests");
    cmd.env_remove("ARGOCD_APP_NAMESPACE")
        .env_remove("ARGOCD_EXEC_TIMEOUT")
        .env_remove("RUST_LOG");
    cmd
}

/// Output of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// A failed run: exit `code`, nothing on stdout, and every `needle` in stderr.
    pub fn assert_failed(&self, code: i32, needles: &[&str]) {
        assert_eq!(self.code, code, "{}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
        self.assert_stderr(needles);
    }

    /// Every `needle` is in stderr.
    pub fn assert_stderr(&self, needles: &[&str]) {
        for n in needles {
            assert!(self.stderr.contains(n), "{n:?} not in:\n{}", self.stderr);
        }
    }

    /// No `secret` is in stderr.
    pub fn assert_hides(&self, secrets: &[&str]) {
        for s in secrets {
            assert!(!self.stderr.contains(s), "{s:?} leaked:\n{}", self.stderr);
        }
    }
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Parses a YAML file into JSON with eso-render's own Kubernetes-flavoured YAML reader.
pub fn read_yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_yaml(&text)
}

pub fn parse_yaml(text: &str) -> serde_json::Value {
    let docs = yaml::parse_documents(text).expect("valid YAML");
    assert_eq!(docs.len(), 1, "one document expected");
    eso_render::output::json(&docs[0].node)
}

/// Case directories under `testdata/<dir>`, sorted.
pub fn cases(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(testdata(dir))
        .expect("testdata directory exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no cases in testdata/{dir}");
    out
}

/// Whether an external peer program can be run. Missing, a test skips with a note, except in
/// CI (`CI=true`), where `tests/run.sh` installs every peer and a missing one is a failure.
#[expect(
    clippy::print_stderr,
    reason = "a skipped test says why on the test output"
)]
pub fn peer(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{program} is required in CI (tests/run.sh installs it)"
        );
        eprintln!("skipping: {program} is not installed");
    }
    found
}
