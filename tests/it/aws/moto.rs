//! moto, a real AWS API server (Secrets Manager, SSM, STS) on loopback, shared by the tests.
//!
//! `ESO_RENDER_TEST_MOTO=http://host:port` uses a running server; otherwise `moto_server` from
//! PATH (tests/run.sh installs it into a venv) is started on a free port for this test process
//! and stopped by a watchdog when the process ends. Tests isolate themselves by region: moto
//! keeps separate state per region.

use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The moto endpoint, or `None` (with a note) when moto is unavailable outside CI.
#[expect(
    clippy::print_stderr,
    reason = "a skipped test says why on the test output"
)]
pub fn endpoint() -> Option<&'static str> {
    static ENDPOINT: OnceLock<Option<String>> = OnceLock::new();
    let found = ENDPOINT.get_or_init(|| {
        if let Ok(url) = std::env::var("ESO_RENDER_TEST_MOTO") {
            return Some(url);
        }
        let installed = Command::new("moto_server")
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "moto_server is required in CI (tests/run.sh installs it)"
            );
            eprintln!("skipping: moto_server is not installed (see tests/run.sh)");
            return None;
        }
        Some(start())
    });
    found.as_deref()
}

#[expect(
    clippy::zombie_processes,
    reason = "the watchdog shell lives as long as this process and ends by itself"
)]
fn start() -> String {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let log = std::env::temp_dir().join(format!("eso-render-moto-{port}.log"));
    // The shell outlives nothing: it stops moto as soon as this test process is gone.
    let script = format!(
        "moto_server -H 127.0.0.1 -p {port} >'{}' 2>&1 & m=$!; \
         while kill -0 $PPID 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 0.5; done; \
         kill $m 2>/dev/null",
        log.display()
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sh starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not start on port {port}; see {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    format!("http://127.0.0.1:{port}")
}
