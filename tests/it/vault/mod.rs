//! The Vault provider against a Vault server on loopback.
//!
//! By default that server is the EMULATOR in `tests/peers/vault_emulator.py` (written from
//! Vault's API docs; no Vault or OpenBao is installable here), started once per test process
//! with a plain and a TLS listener. With `VAULT_ADDR` and `VAULT_TOKEN` set (a root token), the
//! tests that a stock Vault can serve run against that server instead; tests that need what only
//! the emulator offers (fault injection, request logs, LDAP and Kubernetes logins, namespaces,
//! TLS listeners) always use the emulator. `ESO_RENDER_VAULT_FEATURES` narrows what the real
//! server is trusted with (e.g. `kv1,token,approle,userpass` for RustyVault); the rest falls back
//! to the emulator, so nothing is skipped.
//!
//! Tests isolate themselves with their own mounts and auth paths ([`unique`]), and tag their
//! requests with an `X-Test-Id` store header to count them in the emulator's log.

mod auth;
mod cluster;
mod kv;
mod transport;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::support::{Run, eso_render, repo, run};

/// What a test needs from the server.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Kv1,
    Kv2,
    Token,
    AppRole,
    UserPass,
    Jwt,
    /// The AWS auth method (IAM), with an STS the server reaches at the test's moto address.
    AwsIam,
    /// Only the emulator: faults, logs, LDAP, Kubernetes, namespaces, TLS.
    Emulator,
}

impl Needs {
    fn name(self) -> &'static str {
        match self {
            Needs::Kv1 => "kv1",
            Needs::Kv2 => "kv2",
            Needs::Token => "token",
            Needs::AppRole => "approle",
            Needs::UserPass => "userpass",
            Needs::Jwt => "jwt",
            Needs::AwsIam => "aws",
            Needs::Emulator => "emulator",
        }
    }
}

/// A Vault server and its root token.
pub struct Vault {
    pub addr: String,
    pub token: String,
    /// The emulator's TLS listener and the files of its PKI.
    pub tls: Option<Tls>,
    pub emulated: bool,
}

pub struct Tls {
    pub addr: String,
    pub ca_pem: String,
    pub client_cert_pem: String,
    pub client_key_pem: String,
}

/// The server for a test needing `needs`.
pub fn vault(needs: &[Needs]) -> &'static Vault {
    if let Some(real) = real()
        && needs.iter().all(|n| real_supports(*n))
    {
        return real;
    }
    emulator()
}

fn real_supports(n: Needs) -> bool {
    if n == Needs::Emulator {
        return false;
    }
    match std::env::var("ESO_RENDER_VAULT_FEATURES") {
        Ok(list) => list.split(',').any(|f| f.trim() == n.name()),
        Err(_) => true,
    }
}

fn real() -> Option<&'static Vault> {
    static REAL: OnceLock<Option<Vault>> = OnceLock::new();
    REAL.get_or_init(|| {
        let addr = std::env::var("VAULT_ADDR").ok().filter(|a| !a.is_empty())?;
        let token = std::env::var("VAULT_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())?;
        Some(Vault {
            addr,
            token,
            tls: None,
            emulated: false,
        })
    })
    .as_ref()
}

pub fn emulator() -> &'static Vault {
    static EMULATOR: OnceLock<(Vault, Child)> = OnceLock::new();
    &EMULATOR.get_or_init(start_emulator).0
}

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs (tests/run.sh installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
fn make_pki() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eso-render-vault-pki-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut args = vec!["req", "-x509"];
    args.extend(ec);
    args.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=eso-render test CA",
    ]);
    openssl(&dir, &args);
    for (name, cn, ext) in [
        (
            "server",
            "/CN=127.0.0.1",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        ),
        (
            "client",
            "/CN=eso-render client",
            "extendedKeyUsage=clientAuth\n",
        ),
    ] {
        std::fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        let mut args = vec!["req"];
        args.extend(ec);
        let key = format!("{name}.key");
        let csr = format!("{name}.csr");
        args.extend(["-keyout", &key, "-out", &csr, "-subj", cn]);
        openssl(&dir, &args);
        let crt = format!("{name}.crt");
        let extfile = format!("{name}.ext");
        openssl(
            &dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &crt,
                "-days",
                "2",
                "-extfile",
                &extfile,
            ],
        );
    }
    dir
}

fn start_emulator() -> (Vault, Child) {
    let pki = make_pki();
    let token = format!("emulator-root-{}", std::process::id());
    let script = repo().join("tests/peers/vault_emulator.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .args(["--root-token", &token])
        .arg("--tls-cert")
        .arg(pki.join("server.crt"))
        .arg("--tls-key")
        .arg(pki.join("server.key"))
        .arg("--client-ca")
        .arg(pki.join("ca.crt"))
        // The emulator lives until this pipe closes, which is when this test process ends.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs the Vault emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ports: Vec<&str> = line
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("the Vault emulator did not start: {line:?}"))
        .split_whitespace()
        .collect();
    let read = |f: &str| std::fs::read_to_string(pki.join(f)).unwrap();
    let vault = Vault {
        addr: format!("http://127.0.0.1:{}", ports[0]),
        token,
        tls: Some(Tls {
            addr: format!("https://127.0.0.1:{}", ports[1]),
            ca_pem: read("ca.crt"),
            client_cert_pem: read("client.crt"),
            client_key_pem: read("client.key"),
        }),
        emulated: true,
    };
    (vault, child)
}

/// A name no other test uses: mounts, auth paths, test ids.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl Vault {
    /// Runs `tests/peers/vault_admin.py` with `ops`; returns one result per operation.
    pub fn admin(&self, ops: Value) -> Vec<Value> {
        let mut child = Command::new("python3")
            .arg(repo().join("tests/peers/vault_admin.py"))
            .env("VAULT_ADDR", &self.addr)
            .env("VAULT_TOKEN", &self.token)
            .env_remove("VAULT_CACERT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs vault_admin.py");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(ops.to_string().as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "vault_admin.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Mounts a KV engine of `version` at a fresh path and returns the path.
    pub fn kv(&self, version: u8) -> String {
        let mount = unique(&format!("kv{version}"));
        self.admin(
            json!([{"method": "POST", "path": format!("sys/mounts/{mount}"),
            "body": {"type": "kv", "options": {"version": version.to_string()}}}]),
        );
        mount
    }

    /// Writes secrets: `(path under the mount, JSON data)`; KV v2 writes add versions.
    pub fn put(&self, mount: &str, version: u8, items: &[(&str, Value)]) {
        let ops: Vec<Value> = items
            .iter()
            .map(|(path, data)| {
                if version == 2 {
                    json!({"method": "POST", "path": format!("{mount}/data/{path}"), "body": {"data": data}})
                } else {
                    json!({"method": "POST", "path": format!("{mount}/{path}"), "body": data})
                }
            })
            .collect();
        self.admin(Value::Array(ops));
    }

    /// A policy and a token holding it; `rules` are `(path glob, capabilities)`.
    pub fn token_with(&self, rules: &[(&str, &[&str])]) -> String {
        let name = unique("policy");
        let hcl: String = rules
            .iter()
            .map(|(p, caps)| {
                let caps: Vec<String> = caps.iter().map(|c| format!("\"{c}\"")).collect();
                format!("path \"{p}\" {{ capabilities = [{}] }}\n", caps.join(", "))
            })
            .collect();
        let out = self.admin(json!([
            {"method": "PUT", "path": format!("sys/policies/acl/{name}"), "body": {"policy": hcl}},
            {"method": "POST", "path": "auth/token/create", "body": {"policies": [name], "ttl": "1h"}},
        ]));
        out[1]["body"]["auth"]["client_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The emulator's log of requests sent with `X-Test-Id: id`.
    pub fn requests(&self, id: &str) -> Vec<Value> {
        assert!(self.emulated, "request logs come from the emulator");
        let out = self.admin(json!([{"method": "GET", "path": "/_emulator/requests"}]));
        out[0]["body"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["test"] == id)
            .cloned()
            .collect()
    }

    /// How many requests sent with `X-Test-Id: id` went to `path`.
    pub fn count(&self, id: &str, path: &str) -> usize {
        self.requests(id)
            .iter()
            .filter(|r| r["path"] == path)
            .count()
    }

    /// Makes the next `count` requests under `path` fail with `status` and Vault's `errors`.
    pub fn fault(&self, path: &str, status: u16, errors: &[&str], count: u32) {
        assert!(self.emulated, "faults are injected by the emulator");
        self.admin(json!([{"method": "POST", "path": "/_emulator/faults",
            "body": {"path": path, "status": status, "errors": errors, "count": count}}]));
    }
}

/// A SecretStore `apps/<name>` for this server with provider fields in YAML flow style
/// (`server` is added), and a Secret `apps/vault-token` holding `token`.
pub fn store(name: &str, server: &str, provider: &str, token: Option<&str>) -> String {
    let mut out = format!(
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: {name}, namespace: apps}}\n\
         spec:\n  provider:\n    vault: {{server: \"{server}\", {provider}}}\n---\n"
    );
    if let Some(t) = token {
        out.push_str(&secret(name, &[("token", t)]));
    }
    out
}

/// A Secret `apps/<name>` with string data.
pub fn secret(name: &str, data: &[(&str, &str)]) -> String {
    let data: serde_json::Map<String, Value> = data
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: apps}}\nstringData: {}\n---\n",
        Value::Object(data)
    )
}

/// [`store`] at `v`'s plain address, logging in with `v`'s root token from a Secret.
pub fn token_store(name: &str, v: &Vault, provider: &str) -> String {
    store(
        name,
        &v.addr,
        &format!("{provider}, {}", token_auth(name)),
        Some(&v.token),
    )
}

/// `auth: {tokenSecretRef: ...}` for a store made by [`store`] with a token.
pub fn token_auth(store: &str) -> String {
    format!("auth: {{tokenSecretRef: {{name: {store}, key: token}}}}")
}

pub fn render(manifests: &str) -> Run {
    render_env(manifests, &[])
}

pub fn render_env(manifests: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = eso_render();
    cmd.arg("render").arg("-");
    for var in ["VAULT_TOKEN", "VAULT_ADDR", "VAULT_NAMESPACE"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.write_stdin(manifests.to_string());
    run(&mut cmd)
}

pub use crate::aws::{external_secret, secrets};

/// The rendered Secret `name` as key → text.
pub fn values(out: &Run, name: &str) -> BTreeMap<String, String> {
    secrets(out)
        .remove(name)
        .unwrap_or_else(|| panic!("no Secret {name} in:\n{}", out.stdout))
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}
