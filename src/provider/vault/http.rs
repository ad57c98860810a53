//! Vault's HTTP API as its Go client (`github.com/hashicorp/vault/api`) speaks it for ESO: the
//! `/v1/` prefix, `X-Vault-Token`, `X-Vault-Namespace`, `X-Vault-Request`, the store's extra
//! headers, and read-your-writes (`X-Vault-Index` states recorded from responses and sent back).
//!
//! Bodies are returned whole and unparsed: values are decoded later, keeping number text exactly
//! as Vault sent it (the Go client decodes with `UseNumber`). Response bodies are held as
//! [`SecretBytes`]; request bodies that carry credentials too.
//!
//! One hyper client (rustls with ring, HTTP/1.1) per store, because TLS settings (CA bundle,
//! client certificate) are per store.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::secret::SecretBytes;

/// The Go client's default request timeout.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// TLS material for one store.
#[derive(Default)]
pub struct Tls {
    /// PEM CA certificates that replace the system roots (ESO's `caBundle` / `caProvider`).
    pub ca_pem: Option<Vec<u8>>,
    /// A client certificate chain and key, PEM (`tls.*SecretRef`, or `auth.cert`).
    pub identity: Option<(SecretBytes, SecretBytes)>,
}

/// What an answer looked like.
pub struct Response {
    pub status: u16,
    pub body: SecretBytes,
}

/// One request: `/v1/<path>?<query>` with an optional token, namespace and JSON body.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub token: Option<&'a HeaderValue>,
    pub namespace: Option<&'a HeaderValue>,
    pub body: Option<&'a SecretBytes>,
}

/// A request failure before Vault answered.
#[derive(Debug)]
pub struct TransportError(pub String);

/// One store's connection to Vault.
pub struct Transport {
    /// `scheme://host:port` plus any path prefix, without a trailing slash.
    base: String,
    client: HyperClient<Connector, Full<Bytes>>,
    /// `headers` of the store, then `X-Vault-Inconsistent` when asked for.
    headers: Vec<(HeaderName, HeaderValue)>,
    read_your_writes: bool,
    /// Replication states seen so far (`X-Vault-Index`), sent with every later request.
    states: std::sync::Mutex<Vec<HeaderValue>>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`Transport`] that are not TLS.
pub struct Options<'a> {
    pub server: &'a str,
    pub headers: &'a std::collections::BTreeMap<String, String>,
    pub read_your_writes: bool,
    pub forward_inconsistent: bool,
}

impl Transport {
    /// Checks the server address and builds the TLS configuration; errors are ESO's field
    /// names' problems, worded for the user.
    pub fn new(opts: &Options<'_>, tls: &Tls) -> Result<Self, (String, String)> {
        let base =
            server_base(opts.server).map_err(|e| ("spec.provider.vault.server".to_string(), e))?;
        let mut headers = Vec::new();
        for (k, v) in opts.headers {
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| {
                (
                    "spec.provider.vault.headers".to_string(),
                    format!("invalid header name {k:?}"),
                )
            })?;
            let value = HeaderValue::from_str(v).map_err(|_| {
                (
                    "spec.provider.vault.headers".to_string(),
                    format!("the value of header {k:?} is not a valid HTTP header value"),
                )
            })?;
            headers.push((name, value));
        }
        if opts.read_your_writes && opts.forward_inconsistent {
            headers.push((
                HeaderName::from_static("x-vault-inconsistent"),
                HeaderValue::from_static("forward-active-node"),
            ));
        }
        let config = client_config(tls)?;
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .build();
        let client = HyperClient::builder(TokioExecutor::new()).build(connector);
        Ok(Self {
            base,
            client,
            headers,
            // ESO turns read-your-writes on for either option.
            read_your_writes: opts.read_your_writes || opts.forward_inconsistent,
            states: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The server, for messages.
    pub fn server(&self) -> &str {
        &self.base
    }

    /// Sends one request to `/v1/<path>` and returns Vault's answer, whatever its status.
    pub async fn send(&self, r: Request<'_>) -> Result<Response, TransportError> {
        let Request {
            method,
            path,
            query,
            token,
            namespace,
            body,
        } = r;
        let mut uri = format!("{}/v1/{}", self.base, escape_path(path));
        if let Some(q) = query {
            uri.push('?');
            uri.push_str(q);
        }
        let mut req = http::Request::builder().method(method.clone()).uri(&uri);
        let headers = req.headers_mut().expect("a fresh builder has headers");
        headers.insert("x-vault-request", HeaderValue::from_static("true"));
        if let Some(t) = token {
            headers.insert("x-vault-token", t.clone());
        }
        if let Some(ns) = namespace {
            headers.insert("x-vault-namespace", ns.clone());
        }
        for (k, v) in &self.headers {
            headers.append(k.clone(), v.clone());
        }
        if self.read_your_writes {
            for state in self.states.lock().unwrap_or_else(|e| e.into_inner()).iter() {
                headers.append("x-vault-index", state.clone());
            }
        }
        let payload = match body {
            Some(b) => {
                headers.insert("content-type", HeaderValue::from_static("application/json"));
                Bytes::copy_from_slice(b.expose())
            }
            None => Bytes::new(),
        };
        let req = req
            .body(Full::new(payload))
            .map_err(|e| TransportError(format!("cannot build the request for {uri}: {e}")))?;
        let what = format!("{method} {uri}");
        let response = tokio::time::timeout(REQUEST_TIMEOUT, self.client.request(req))
            .await
            .map_err(|_| TransportError(format!("{what}: no answer within {REQUEST_TIMEOUT:?}")))?
            .map_err(|e| TransportError(format!("{what}: {}", error_chain(&e))))?;
        let status = response.status().as_u16();
        if self.read_your_writes
            && let Some(state) = response.headers().get("x-vault-index")
        {
            let mut states = self.states.lock().unwrap_or_else(|e| e.into_inner());
            if !states.contains(state) {
                states.push(state.clone());
            }
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| TransportError(format!("{what}: reading the answer: {e}")))?
            .to_bytes();
        Ok(Response {
            status,
            body: SecretBytes::from_slice(&body),
        })
    }
}

/// The server address without a trailing slash, or why it cannot be one.
fn server_base(server: &str) -> Result<String, String> {
    let uri: http::Uri = server
        .parse()
        .map_err(|e| format!("invalid Vault server address {server:?}: {e}"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => {
            return Err(format!(
                "invalid Vault server address {server:?}: it must start with https:// or http://"
            ));
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!("invalid Vault server address {server:?}: no host"));
    }
    if uri.query().is_some() {
        return Err(format!(
            "invalid Vault server address {server:?}: it must not have a query"
        ));
    }
    Ok(server.trim_end_matches('/').to_string())
}

/// Percent-encodes a logical path as Go's `url.URL.EscapedPath` does for path segments.
fn escape_path(path: &str) -> String {
    percent_encode(path, b"-._~/$&+,:;=@!'()*", "%20")
}

/// Go's `url.QueryEscape`, for query values.
pub fn query_escape(v: &str) -> String {
    percent_encode(v, b"-._~", "+")
}

/// ASCII letters, digits and `keep` as they are, a space as `space`, other bytes as `%XX`.
fn percent_encode(s: &str, keep: &[u8], space: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push_str(space);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

/// System roots, read once per process.
fn native_roots() -> Arc<rustls::RootCertStore> {
    static ROOTS: std::sync::OnceLock<Arc<rustls::RootCertStore>> = std::sync::OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let mut store = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            let (added, _ignored) = store.add_parsable_certificates(found.certs);
            tracing::debug!(added, "loaded system CA certificates");
            Arc::new(store)
        })
        .clone()
}

fn client_config(tls: &Tls) -> Result<rustls::ClientConfig, (String, String)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ("spec.provider.vault".to_string(), e.to_string()))?;
    let roots = match &tls.ca_pem {
        None => native_roots(),
        Some(pem) => {
            let mut store = rustls::RootCertStore::empty();
            // Go's AppendCertsFromPEM skips blocks it cannot parse.
            for cert in CertificateDer::pem_slice_iter(pem).flatten() {
                let _ = store.add(cert);
            }
            if store.is_empty() {
                return Err((
                    "spec.provider.vault.caBundle".into(),
                    "cannot set Vault CA certificate: failed to parse certificates from CertPool"
                        .into(),
                ));
            }
            Arc::new(store)
        }
    };
    let builder = builder.with_root_certificates(roots);
    match &tls.identity {
        None => Ok(builder.with_no_client_auth()),
        Some((cert, key)) => {
            let bad = |e: String| {
                (
                    "spec.provider.vault.tls".to_string(),
                    format!("error from Client TLS Auth: {e:?}"),
                )
            };
            let chain = CertificateDer::pem_slice_iter(cert.expose())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| bad(format!("tls: failed to read the certificate: {e}")))?;
            if chain.is_empty() {
                return Err(bad(
                    "tls: failed to find any PEM data in certificate input".into()
                ));
            }
            let key = PrivateKeyDer::from_pem_slice(key.expose())
                .map_err(|_| bad("tls: failed to find any PEM data in key input".into()))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| bad(format!("tls: {e}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_escaped_like_go() {
        assert_eq!(escape_path("secret/data/a b"), "secret/data/a%20b");
        assert_eq!(escape_path("kv/data/x?y#z%"), "kv/data/x%3Fy%23z%25");
        assert_eq!(escape_path("kv/data/ä"), "kv/data/%C3%A4");
        assert_eq!(escape_path("kv/data/a@b:c"), "kv/data/a@b:c");
    }

    #[test]
    fn server_addresses_are_checked() {
        assert_eq!(
            server_base("https://vault.example:8200/").unwrap(),
            "https://vault.example:8200"
        );
        assert_eq!(
            server_base("http://127.0.0.1:8200/prefix").unwrap(),
            "http://127.0.0.1:8200/prefix"
        );
        for bad in [
            "vault.example",
            "ftp://x",
            "https://",
            "http://x/?a=b",
            "not a url",
        ] {
            assert!(server_base(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_ca_bundle_without_certificates_is_refused() {
        let tls = Tls {
            ca_pem: Some(b"not pem".to_vec()),
            identity: None,
        };
        let (field, msg) = client_config(&tls).unwrap_err();
        assert_eq!(field, "spec.provider.vault.caBundle");
        assert!(msg.contains("failed to parse certificates"), "{msg}");
        let tls = Tls {
            ca_pem: None,
            identity: Some((SecretBytes::from("x"), SecretBytes::from("y"))),
        };
        let (_, msg) = client_config(&tls).unwrap_err();
        assert!(msg.starts_with("error from Client TLS Auth"), "{msg}");
    }
}
