//! A fault-injecting, counting HTTP proxy between eso-render and moto.
//!
//! AWS JSON APIs name the operation in `X-Amz-Target` (`secretsmanager.GetSecretValue`,
//! `AmazonSSM.GetParameters`); STS's query API in the form body (`Action=AssumeRole`). The proxy
//! counts every request by operation, keeps request bodies and the `Authorization` header for
//! assertions, and answers chosen operations with an AWS error instead of forwarding them.
//! Plain blocking HTTP/1.1 with `Connection: close`: moto closes every connection anyway.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct State {
    counts: BTreeMap<String, usize>,
    requests: Vec<Seen>,
    faults: Vec<Fault>,
}

/// One request as the proxy saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub op: String,
    pub body: String,
    pub authorization: String,
}

struct Fault {
    op: String,
    /// Requests still to fail; `usize::MAX` for always.
    remaining: usize,
    status: u16,
    code: String,
}

pub struct Proxy {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream` (`http://host:port`).
    pub fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let state = shared.clone();
                let upstream = upstream.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &upstream, &state);
                });
            }
        });
        Proxy { url, state }
    }

    /// Answers the next `times` requests of `op` (`usize::MAX`: all) with `status` and AWS error
    /// `code` instead of forwarding them.
    pub fn fail(&self, op: &str, times: usize, status: u16, code: &str) {
        self.state.lock().unwrap().faults.push(Fault {
            op: op.to_string(),
            remaining: times,
            status,
            code: code.to_string(),
        });
    }

    pub fn count(&self, op: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .counts
            .get(op)
            .copied()
            .unwrap_or(0)
    }

    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.state.lock().unwrap().counts.clone()
    }

    pub fn requests(&self, op: &str) -> Vec<Seen> {
        let state = self.state.lock().unwrap();
        state
            .requests
            .iter()
            .filter(|s| s.op == op)
            .cloned()
            .collect()
    }
}

fn serve(conn: TcpStream, upstream: &str, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut head = Vec::new();
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    let mut target = String::new();
    let mut authorization = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("x-amz-target:") {
            target = line["x-amz-target:".len()..].trim().to_string();
        }
        if lower.starts_with("authorization:") {
            authorization = line["authorization:".len()..].trim().to_string();
        }
        // Hop-by-hop: the proxy closes every connection itself.
        if !lower.starts_with("connection:") {
            head.push(line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body_text = String::from_utf8_lossy(&body).into_owned();
    let op = match target.split_once('.') {
        Some((_, op)) => op.to_string(),
        None => body_text
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .unwrap_or("unknown")
            .to_string(),
    };

    let fault = {
        let mut s = state.lock().unwrap();
        *s.counts.entry(op.clone()).or_default() += 1;
        s.requests.push(Seen {
            op: op.clone(),
            body: body_text,
            authorization,
        });
        s.faults
            .iter_mut()
            .find(|f| f.op == op && f.remaining > 0)
            .map(|f| {
                if f.remaining != usize::MAX {
                    f.remaining -= 1;
                }
                (f.status, f.code.clone())
            })
    };
    let mut conn = conn;
    if let Some((status, code)) = fault {
        let payload = format!(r#"{{"__type":"{code}","message":"injected by the test proxy"}}"#);
        write!(
            conn,
            "HTTP/1.1 {status} Injected\r\ncontent-type: application/x-amz-json-1.1\r\n\
             x-amzn-errortype: {code}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{payload}",
            payload.len()
        )?;
        return conn.flush();
    }
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(request_line.as_bytes())?;
    for line in &head {
        up.write_all(line.as_bytes())?;
    }
    up.write_all(b"connection: close\r\n\r\n")?;
    up.write_all(&body)?;
    up.flush()?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    conn.write_all(&response)?;
    conn.flush()
}
