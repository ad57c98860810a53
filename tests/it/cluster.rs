//! A kube-apiserver emulator (`tests/peers/kube_emulator.py`) reached through a kubeconfig, for
//! stores whose credentials only the cluster gives (service-account tokens).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::support::repo;

pub struct Cluster {
    /// `http://127.0.0.1:<port>`.
    pub addr: String,
    token: String,
    /// A kubeconfig whose current context is the emulator, with a second context `nowhere`
    /// pointing at a closed port.
    pub kubeconfig: PathBuf,
}

/// The emulator of this test process, started on first use.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<(Cluster, Child)> = OnceLock::new();
    &CLUSTER.get_or_init(start).0
}

fn start() -> (Cluster, Child) {
    let token = format!("emulator-admin-{}", std::process::id());
    let mut child = Command::new("python3")
        .arg(repo().join("tests/peers/kube_emulator.py"))
        .args(["--token", &token])
        // The emulator lives until this pipe closes, which is when this test process ends.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs the kube-apiserver emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("the kube-apiserver emulator did not start: {line:?}"))
        .trim()
        .to_string();
    let addr = format!("http://127.0.0.1:{port}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let kubeconfig =
        std::env::temp_dir().join(format!("eso-render-kubeconfig-{}", std::process::id()));
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: emulator\n\
             clusters:\n\
             - {{name: emulator, cluster: {{server: '{addr}'}}}}\n\
             - {{name: nowhere, cluster: {{server: 'http://127.0.0.1:{closed}'}}}}\n\
             users:\n- {{name: admin, user: {{token: {token}}}}}\n\
             contexts:\n\
             - {{name: emulator, context: {{cluster: emulator, user: admin}}}}\n\
             - {{name: nowhere, context: {{cluster: nowhere, user: admin}}}}\n"
        ),
    )
    .unwrap();
    (
        Cluster {
            addr,
            token,
            kubeconfig,
        },
        child,
    )
}

impl Cluster {
    /// One HTTP/1.1 request to the emulator; returns (status, JSON body).
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let host = self.addr.trim_start_matches("http://");
        let mut s = TcpStream::connect(host).unwrap();
        let body = body.map(Value::to_string).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.token,
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (code, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    /// Creates a namespaced core/v1 object (`serviceaccounts`, `secrets`).
    pub fn create(&self, namespace: &str, resource: &str, object: Value) {
        let (code, out) = self.call(
            "POST",
            &format!("/api/v1/namespaces/{namespace}/{resource}"),
            Some(&object),
        );
        assert_eq!(code, 201, "{out}");
    }

    pub fn service_account(&self, namespace: &str, name: &str) {
        self.create(
            namespace,
            "serviceaccounts",
            json!({"metadata": {"name": name}}),
        );
    }

    /// The TokenRequests sent for `namespace/name`: their `spec`s.
    pub fn token_requests(&self, namespace: &str, name: &str) -> Vec<Value> {
        let path = format!("/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token");
        let (_, log) = self.call("GET", "/_emulator/requests", None);
        log.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["path"] == path)
            .map(|r| r["body"]["spec"].clone())
            .collect()
    }

    /// Makes the next `count` requests under `path` fail with `status`.
    pub fn fault(&self, path: &str, status: u16, count: u32) {
        self.call(
            "POST",
            "/_emulator/faults",
            Some(&json!({"path": path, "status": status, "count": count})),
        );
    }

    /// The service-account signing key, PEM.
    pub fn public_key(&self) -> String {
        let (_, out) = self.call("GET", "/_emulator/public-key", None);
        out["pem"].as_str().unwrap().to_string()
    }
}
