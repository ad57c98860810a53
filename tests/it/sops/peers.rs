//! The real `sops` (ESO_RENDER_TEST_SOPS, else `sops` on PATH) and `age-keygen`. Outside CI a
//! missing peer skips the test with a note; with CI=true it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Peers {
    sops: PathBuf,
}

impl Peers {
    #[allow(
        clippy::print_stderr,
        reason = "a skipped test says why on the test output"
    )]
    pub fn get() -> Option<Peers> {
        let sops = std::env::var_os("ESO_RENDER_TEST_SOPS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("sops"));
        let works = |cmd: &Path, arg: &str| {
            Command::new(cmd)
                .arg(arg)
                .env("SOPS_DISABLE_VERSION_CHECK", "1")
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if works(&sops, "--version") && works(Path::new("age-keygen"), "--version") {
            return Some(Peers { sops });
        }
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "sops and age-keygen are required in CI (tests/run.sh installs them)"
        );
        eprintln!("skipping: sops or age-keygen is not installed (see tests/run.sh)");
        None
    }

    /// A new age identity file in `dir` and its recipient.
    pub fn keygen(&self, dir: &Path, name: &str) -> (PathBuf, String) {
        let file = dir.join(format!("{name}.txt"));
        let out = Command::new("age-keygen")
            .arg("-o")
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "age-keygen failed");
        let out = Command::new("age-keygen")
            .arg("-y")
            .arg(&file)
            .output()
            .unwrap();
        (
            file,
            String::from_utf8(out.stdout).unwrap().trim().to_owned(),
        )
    }

    /// A new SSH key pair (`ed25519` or `rsa`) in `dir`, with an optional passphrase; returns
    /// the private key file and the public key line.
    pub fn ssh_keygen(&self, dir: &Path, kind: &str, passphrase: &str) -> (PathBuf, String) {
        let file = dir.join(format!("id_{kind}"));
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-N", passphrase, "-C", "test", "-f"])
            .arg(&file)
            .output()
            .expect("ssh-keygen runs (openssh-client)");
        assert!(out.status.success(), "ssh-keygen failed");
        let public = std::fs::read_to_string(file.with_extension("pub")).unwrap();
        (file, public.trim().to_owned())
    }

    /// sops with no key from the developer's environment: HOME points at `dir`.
    fn sops(&self, dir: &Path) -> Command {
        let mut c = Command::new(&self.sops);
        c.current_dir(dir)
            .env("SOPS_DISABLE_VERSION_CHECK", "1")
            .env("HOME", dir)
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("SOPS_AGE_KEY")
            .env_remove("SOPS_AGE_KEY_CMD")
            .env_remove("SOPS_AGE_SSH_PRIVATE_KEY_FILE")
            .env_remove("SOPS_AGE_KEY_FILE");
        c
    }

    /// `sops encrypt` of `plain` into `out` (a `.sops.yaml` in the directory applies when
    /// `recipient` is empty).
    pub fn encrypt(&self, plain: &Path, out: &Path, recipient: &str, args: &[&str], kind: &str) {
        self.encrypt_env(plain, out, recipient, args, kind, &[]);
    }

    /// [`Peers::encrypt`] with extra environment variables (AWS endpoint and credentials).
    pub fn encrypt_env(
        &self,
        plain: &Path,
        out: &Path,
        recipient: &str,
        args: &[&str],
        kind: &str,
        env: &[(&str, &str)],
    ) {
        let mut c = self.sops(plain.parent().unwrap());
        c.envs(env.iter().copied());
        c.arg("encrypt")
            .args(["--input-type", kind, "--output-type", kind])
            .args(args);
        if !recipient.is_empty() {
            c.args(["--age", recipient]);
        }
        let o = c.arg(plain).output().unwrap();
        assert!(
            o.status.success(),
            "sops encrypt: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::write(out, o.stdout).unwrap();
    }

    pub fn decrypt_bytes(&self, file: &Path, key: &Path, kind: &str) -> Vec<u8> {
        self.decrypt_with(file, kind, "SOPS_AGE_KEY_FILE", key)
    }

    /// `sops decrypt` with one key variable set (`SOPS_AGE_KEY_FILE`,
    /// `SOPS_AGE_SSH_PRIVATE_KEY_FILE`, …).
    pub fn decrypt_with(&self, file: &Path, kind: &str, var: &str, key: &Path) -> Vec<u8> {
        let key = key.to_str().unwrap();
        self.decrypt_env(file, kind, &[(var, key)])
    }

    /// `sops decrypt` with extra environment variables.
    pub fn decrypt_env(&self, file: &Path, kind: &str, env: &[(&str, &str)]) -> Vec<u8> {
        let input = if kind == "binary" { "json" } else { kind };
        self.decrypt_as(file, input, kind, env)
    }

    /// `sops decrypt --input-type <input> --output-type <output>`.
    pub fn decrypt_as(
        &self,
        file: &Path,
        input: &str,
        output: &str,
        env: &[(&str, &str)],
    ) -> Vec<u8> {
        let o = self
            .sops(file.parent().unwrap())
            .envs(env.iter().copied())
            .arg("decrypt")
            .args(["--input-type", input])
            .args(["--output-type", output])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "sops decrypt: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    }

    pub fn decrypt(&self, file: &Path, key: &Path, kind: &str) -> String {
        String::from_utf8(self.decrypt_bytes(file, key, kind)).unwrap()
    }
}
