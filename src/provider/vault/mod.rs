//! `spec.provider.vault`: HashiCorp Vault (and OpenBao, which speaks the same API) KV v1 and v2,
//! read with the bytes and errors of ESO's `providers/v1/vault`, but planned for the whole run.
//!
//! ESO logs in and reads per ExternalSecret. Here each store logs in once per run (again only
//! when the token's lease runs out, which the controller will need), and every distinct
//! (path, version) is read once: concurrent references to one path wait for the same request,
//! and `find` shares those reads.
//!
//! Vault is spoken to directly over hyper and rustls (see its `http` module) rather than through
//! `vaultrs`: ESO's values depend on the exact number text of Vault's JSON (the Go client decodes
//! with `UseNumber`; `vaultrs` decodes into `serde_json::Value`, so `1.50` would become `1.5` and
//! big integers would round), and the requests need read-your-writes headers and per-store TLS.
//!
//! Retries follow the Go client ESO configures: 2 retries unless `retrySettings` says otherwise,
//! on connection errors, 412, 429 and 5xx except 501.

pub mod auth;
mod http;
mod iam;
pub mod path;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ::http::{HeaderValue, Method};

use crate::esutils;
use crate::gocompat::{self, json};
use crate::manifest::model::{
    CaProviderType, Find, RemoteRef, RetrySettings, StoreKind, VaultKvVersion, VaultProvider,
};
use crate::manifest::{Sources, Store};
use crate::provider::{Context, Error, Payload, Read, foreign_namespace, secret_key_ref};
use crate::secret::{DataMap, SecretBytes};

/// ESO's `errReadSecret` prefix.
const READ_ERROR: &str = "cannot read secret data from Vault";

/// What one read returned: a JSON object as Vault sent it (KV v1 `data`, KV v2 `data.data`), or
/// for `metadataPolicy: Fetch` the metadata map ESO builds, as a JSON object of strings.
#[derive(Debug)]
pub struct Value {
    json: SecretBytes,
    /// ESO returns a nil value (an empty one) for empty metadata.
    nil: bool,
}

/// One run's read of one remote path, shared by every reference to it.
type Cell = Arc<tokio::sync::OnceCell<Result<Arc<Payload>, Error>>>;

/// A token and when it must be renewed.
struct Token {
    header: HeaderValue,
    renew_at: Option<Instant>,
}

/// One store's client.
pub struct Client {
    mount: Option<String>,
    version: VaultKvVersion,
    transport: http::Transport,
    method: auth::Method,
    namespace: Option<HeaderValue>,
    /// `auth.namespace`, for the login only.
    auth_namespace: Option<HeaderValue>,
    token: tokio::sync::Mutex<Option<Token>>,
    attempts: u32,
    interval: Option<Duration>,
    requests: AtomicUsize,
    cells: std::sync::Mutex<HashMap<(String, Option<String>), Cell>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("vault::Client")
            .field("server", &self.transport.server())
            .field("mount", &self.mount)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Reads credentials and TLS material from the input now (so a missing Secret fails before
    /// any request); logs in on first use.
    pub fn new(
        store: &Store,
        spec: &VaultProvider,
        es_namespace: &str,
        sources: &Sources,
    ) -> Result<Self, Error> {
        let kind = store.kind;
        let method = auth::method(spec, kind, es_namespace, sources)?;
        let tls = http::Tls {
            ca_pem: ca_pem(spec, kind, es_namespace, sources)?,
            identity: auth::client_identity(spec, &method, kind, es_namespace, sources)?,
        };
        let transport = http::Transport::new(
            &http::Options {
                server: &spec.server,
                headers: &spec.headers,
                read_your_writes: spec.read_your_writes,
                forward_inconsistent: spec.forward_inconsistent,
            },
            &tls,
        )
        .map_err(|(field, message)| Error::Config { field, message })?;
        let header = |v: Option<&str>, field: &str| {
            v.filter(|s| !s.is_empty())
                .map(|s| {
                    HeaderValue::from_str(s).map_err(|_| Error::Config {
                        field: field.into(),
                        message: format!("{s:?} is not a valid Vault namespace"),
                    })
                })
                .transpose()
        };
        let namespace = header(spec.namespace.as_deref(), "spec.provider.vault.namespace")?;
        let auth_namespace = match spec.auth.as_ref().and_then(|a| a.namespace.as_deref()) {
            Some(ns) => header(Some(ns), "spec.provider.vault.auth.namespace")?,
            None => namespace.clone(),
        };
        let (attempts, interval) =
            retries(store.spec.retry_settings.as_ref()).map_err(|message| Error::Config {
                field: "spec.retrySettings.retryInterval".into(),
                message,
            })?;
        Ok(Self {
            mount: spec.path.clone(),
            version: spec.version,
            transport,
            method,
            namespace,
            auth_namespace,
            token: tokio::sync::Mutex::new(None),
            attempts,
            interval,
            requests: AtomicUsize::new(0),
            cells: std::sync::Mutex::new(HashMap::new()),
        })
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// What this client reads, for errors.
    pub fn describe(&self) -> String {
        let version = match self.version {
            VaultKvVersion::V1 => "v1",
            VaultKvVersion::V2 => "v2",
        };
        match &self.mount {
            Some(m) => format!(
                "Vault at {} (KV {version} mount {m:?})",
                self.transport.server()
            ),
            None => format!("Vault at {} (KV {version})", self.transport.server()),
        }
    }

    pub async fn read_many(
        &self,
        ctx: &Context,
        reads: Vec<Read>,
    ) -> Vec<(Read, Result<Arc<Payload>, Error>)> {
        let futures = reads.into_iter().map(|r| async move {
            let result = if r.metadata {
                self.read_metadata(ctx, &r.key).await
            } else {
                self.read(ctx, &r.key, r.version.as_deref()).await
            };
            (r, result)
        });
        futures_util::future::join_all(futures).await
    }

    /// ESO's `GetAllSecrets`: LIST the metadata tree under `find.path` recursively, keep names
    /// matching `name.regexp` (or, without a name, secrets whose metadata carries every tag),
    /// and read each one's whole value. Secrets that do not exist (deleted versions) are skipped.
    pub async fn find(&self, ctx: &Context, find: &Find) -> Result<DataMap, Error> {
        if self.version == VaultKvVersion::V1 && !find.tags.is_empty() {
            return Err(Error::Invalid(
                "cannot perform find by tag operations with kv version v1".into(),
            ));
        }
        let matcher = match &find.name {
            Some(n) => Some(gocompat::regexp::compile(&n.regexp).map_err(|e| {
                Error::Invalid(format!(
                    "could not compile find.name.regexp [{}]: {e}",
                    n.regexp
                ))
            })?),
            None => None,
        };
        let search = find
            .path
            .as_ref()
            .map(|p| format!("{p}/"))
            .unwrap_or_default();
        let names = self.list(ctx, search).await?;
        let candidates: Vec<String> = match &matcher {
            Some(re) => names.into_iter().filter(|n| re.is_match(n)).collect(),
            None => {
                // ESO reads every candidate's metadata, even with no tags to compare.
                let metadata = futures_util::future::join_all(
                    names.iter().map(|n| self.read_metadata(ctx, n)),
                )
                .await;
                let mut kept = Vec::new();
                for (name, m) in names.into_iter().zip(metadata) {
                    let m = m?;
                    let Payload::Vault(v) = m.as_ref() else {
                        continue;
                    };
                    let map = json::unmarshal_raw_map(v.json.expose()).unwrap_or_default();
                    let matches = find.tags.iter().all(|(k, want)| {
                        map.get(k)
                            .and_then(|raw| json::unmarshal_string(raw))
                            .is_some_and(|got| &got == want)
                    });
                    if matches {
                        kept.push(name);
                    }
                }
                kept
            }
        };
        let values =
            futures_util::future::join_all(candidates.iter().map(|n| self.read(ctx, n, None)))
                .await;
        let mut out = DataMap::new();
        for (name, value) in candidates.into_iter().zip(values) {
            match value {
                Err(Error::NotFound) => {}
                Err(e) => return Err(e),
                Ok(p) => {
                    out.insert(name, whole(value_of(&p))?);
                }
            }
        }
        Ok(out)
    }

    /// ESO's `GetSecret` selection on a read payload.
    pub fn get_secret(&self, payload: &Payload, r: &RemoteRef) -> Result<SecretBytes, Error> {
        select(value_of(payload), r.property.as_deref().unwrap_or(""))
    }

    /// ESO's `GetSecretMap`: `GetSecret`, then the JSON object decoded as Go's `map[string]any`
    /// (numbers become float64) and each member rendered by `GetByteValue`.
    pub fn get_secret_map(&self, payload: &Payload, r: &RemoteRef) -> Result<DataMap, Error> {
        let bytes = self.get_secret(payload, r)?;
        let map = json::unmarshal_map(bytes.expose())
            .map_err(|e| Error::Invalid(e.to_string()))?
            .unwrap_or_default();
        let mut out = DataMap::new();
        for (k, v) in map {
            out.insert(k, esutils::value::byte_value(&v));
            esutils::value::scrub(v);
        }
        Ok(out)
    }

    // -----------------------------------------------------------------------------------------
    // Reads

    /// The value at `key` (ESO's `readSecret`), read once per run.
    async fn read(
        &self,
        ctx: &Context,
        key: &str,
        version: Option<&str>,
    ) -> Result<Arc<Payload>, Error> {
        let path = path::data_path(self.mount.as_deref(), self.version, key);
        let cell = self.cell(&path, version.map(str::to_string));
        cell.get_or_init(|| async {
            let query = version.map(|v| format!("version={}", http::query_escape(v)));
            let r = self
                .request(ctx, &Method::GET, &path, query.as_deref())
                .await?;
            let body = success(r, "GET", &path, Error::NotFound)?;
            self.secret_data(&body)
                .map(|json| Arc::new(Payload::Vault(Value { json, nil: false })))
        })
        .await
        .clone()
    }

    /// The metadata map ESO builds for `metadataPolicy: Fetch` and tag finds
    /// (`readSecretMetadata`), read once per run.
    async fn read_metadata(&self, ctx: &Context, key: &str) -> Result<Arc<Payload>, Error> {
        if self.version == VaultKvVersion::V1 {
            return Err(Error::Invalid(
                "cannot perform metadata fetch operations with kv version v1".into(),
            ));
        }
        let path = path::metadata_path(self.mount.as_deref(), self.version, key)
            .map_err(Error::Invalid)?;
        let cell = self.cell(&path, None);
        cell.get_or_init(|| async {
            let r = self.request(ctx, &Method::GET, &path, None).await?;
            // ESO: a nil answer is `secret not found`, an error, not a missing secret.
            let body = success(r, "GET", &path, Error::Invalid("secret not found".into()))?;
            let data = data_member(&body, "GET", &path)?;
            let mut map = serde_json::Map::new();
            for key in ["created_time", "current_version", "delete_version_after"] {
                if let Some(raw) = data.get(key).filter(|raw| **raw != *b"null") {
                    map.insert(key.into(), serde_json::Value::String(go_format(raw)));
                }
            }
            if let Some(custom) = data.get("custom_metadata")
                && let Ok(custom) = json::unmarshal_raw_map(custom)
            {
                for (k, raw) in custom {
                    map.insert(k, serde_json::Value::String(go_format(raw)));
                }
            }
            let nil = map.is_empty();
            let value = serde_json::Value::Object(map);
            let text = json::marshal(&value, true);
            esutils::value::scrub(value);
            Ok(Arc::new(Payload::Vault(Value {
                json: SecretBytes::from(text),
                nil,
            })))
        })
        .await
        .clone()
    }

    /// Every secret name under `search` (which ends with `/`, or is empty for the mount root),
    /// relative to the mount. Directories at one level are listed concurrently.
    async fn list(&self, ctx: &Context, search: String) -> Result<Vec<String>, Error> {
        let mut names = Vec::new();
        let mut level = vec![search];
        let mut first = true;
        while !level.is_empty() {
            let answers =
                futures_util::future::join_all(level.iter().map(|dir| self.list_one(ctx, dir)))
                    .await;
            let mut next = Vec::new();
            for (dir, keys) in level.iter().zip(answers) {
                let keys = match keys {
                    // A directory that vanished between two LISTs is NoSecretErr in ESO too.
                    Err(Error::NotFound) if !first => return Err(Error::NotFound),
                    other => other?,
                };
                for k in keys {
                    let full = format!("{dir}{k}");
                    if k.ends_with('/') {
                        next.push(full);
                    } else {
                        names.push(full);
                    }
                }
            }
            level = next;
            first = false;
        }
        Ok(names)
    }

    async fn list_one(&self, ctx: &Context, dir: &str) -> Result<Vec<String>, Error> {
        let path = path::metadata_path(self.mount.as_deref(), self.version, dir)
            .map_err(Error::Invalid)?;
        let r = self.request(ctx, &list_method(), &path, None).await?;
        let body = success(r, "LIST", &path, Error::NotFound)?;
        let data = data_member(&body, "LIST", &path)?;
        let Some(keys) = data.get("keys") else {
            return Ok(Vec::new());
        };
        match json::unmarshal_any(keys) {
            Ok(serde_json::Value::Array(items)) => Ok(items
                .into_iter()
                .filter_map(|i| match i {
                    serde_json::Value::String(s) => Some(s),
                    _ => None,
                })
                .collect()),
            _ => Err(Error::Backend(format!(
                "{READ_ERROR}: LIST {path}: the answer's data.keys is not a list of names"
            ))),
        }
    }

    /// The secret's data object from a read answer (ESO's checks on `vaultSecret.Data`).
    fn secret_data(&self, body: &SecretBytes) -> Result<SecretBytes, Error> {
        if body.expose().iter().all(u8::is_ascii_whitespace) {
            return Err(Error::NotFound);
        }
        let top = json::unmarshal_raw_map(body.expose())
            .map_err(|e| Error::Backend(format!("{READ_ERROR}: invalid answer: {e}")))?;
        let data = top.get("data").copied().filter(|d| *d != b"null");
        let data = match self.version {
            VaultKvVersion::V1 => match data {
                None => return Err(Error::NotFound),
                Some(d) => d,
            },
            VaultKvVersion::V2 => {
                let Some(outer) = data else {
                    return Err(Error::Invalid("failed to find data field".into()));
                };
                let outer = json::unmarshal_raw_map(outer)
                    .map_err(|_| Error::Invalid("failed to unmarshall JSON".into()))?;
                match outer.get("data").copied() {
                    None => return Err(Error::Invalid("failed to find data field".into())),
                    // A deleted or destroyed version.
                    Some(b"null") => return Err(Error::NotFound),
                    Some(d) => d,
                }
            }
        };
        if data.first() != Some(&b'{') {
            return Err(Error::Invalid("failed to unmarshall JSON".into()));
        }
        Ok(SecretBytes::from_slice(data))
    }

    fn cell(&self, path: &str, version: Option<String>) -> Cell {
        let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
        cells
            .entry((path.to_string(), version))
            .or_default()
            .clone()
    }

    // -----------------------------------------------------------------------------------------
    // Requests and tokens

    /// One API request with the store's token, logging in first when needed.
    async fn request(
        &self,
        ctx: &Context,
        method: &Method,
        path: &str,
        query: Option<&str>,
    ) -> Result<http::Response, Error> {
        let token = self.token(ctx).await?;
        self.call(
            ctx,
            http::Request {
                method,
                path,
                query,
                token: token.as_ref(),
                namespace: self.namespace.as_ref(),
                body: None,
            },
        )
        .await
    }

    /// Sends a request under a concurrency permit, retried as the Go client retries. Returns
    /// Vault's answer whatever its status (after the last retry), unless every attempt failed
    /// to reach Vault.
    async fn call(&self, ctx: &Context, req: http::Request<'_>) -> Result<http::Response, Error> {
        let mut attempt = 0;
        loop {
            let result = {
                let _permit = ctx.permit().await;
                self.requests.fetch_add(1, Ordering::Relaxed);
                self.transport.send(req).await
            };
            let retry = match &result {
                Err(_) => true,
                Ok(r) => matches!(r.status, 412 | 429) || (r.status >= 500 && r.status != 501),
            };
            if !retry || attempt + 1 >= self.attempts {
                return result.map_err(|e| {
                    Error::Transport(format!(
                        "{} (gave up after {} attempts)",
                        e.0, self.attempts
                    ))
                });
            }
            let delay = self
                .interval
                .unwrap_or_else(|| super::backoff(ctx.retry, attempt));
            tracing::debug!(attempt, ?delay, path = req.path, "retrying Vault request");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// The token for API requests: logs in once, again when the lease is about to run out.
    async fn token(&self, ctx: &Context) -> Result<Option<HeaderValue>, Error> {
        let mut guard = self.token.lock().await;
        if let Some(t) = guard.as_ref()
            && t.renew_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(Some(t.header.clone()));
        }
        let token = match &self.method {
            auth::Method::None(None) => return Ok(None),
            auth::Method::None(Some(t)) => Token {
                header: t.clone(),
                renew_at: None,
            },
            auth::Method::Token(t) => {
                self.lookup_self(ctx, t).await?;
                Token {
                    header: t.clone(),
                    renew_at: None,
                }
            }
            auth::Method::Login(l) => self.login(ctx, l).await?,
        };
        let header = token.header.clone();
        *guard = Some(token);
        Ok(Some(header))
    }

    /// ESO's store validation for a static token (`checkToken`): a token Vault rejects makes
    /// the store unusable.
    async fn lookup_self(&self, ctx: &Context, token: &HeaderValue) -> Result<(), Error> {
        let path = "auth/token/lookup-self";
        let r = self
            .call(
                ctx,
                http::Request {
                    method: &Method::GET,
                    path,
                    query: None,
                    token: Some(token),
                    namespace: self.namespace.as_ref(),
                    body: None,
                },
            )
            .await
            .map_err(|e| match e {
                Error::Transport(m) => Error::Transport(format!("invalid vault credentials: {m}")),
                other => other,
            })?;
        if (200..300).contains(&r.status) {
            return Ok(());
        }
        Err(status_error(
            "invalid vault credentials",
            &format!("GET {path}"),
            &r,
        ))
    }

    async fn login(&self, ctx: &Context, l: &auth::Login) -> Result<Token, Error> {
        let signed;
        let body = match &l.body {
            auth::Body::Json(b) => b,
            auth::Body::AwsIam(iam) => {
                signed = iam.body(&ctx.cluster).await?;
                &signed
            }
            auth::Body::ServiceAccount(sa) => {
                signed = sa.body(&ctx.cluster).await?;
                &signed
            }
        };
        let r = self
            .call(
                ctx,
                http::Request {
                    method: &Method::POST,
                    path: &l.path,
                    query: None,
                    token: None,
                    namespace: self.auth_namespace.as_ref(),
                    body: Some(body),
                },
            )
            .await?;
        let context = format!("cannot log in to Vault with auth.{}", l.method);
        if !(200..300).contains(&r.status) {
            return Err(status_error(&context, &format!("POST {}", l.path), &r));
        }
        let no_token = || {
            Error::Backend(format!(
                "{context}: POST {}: the answer carries no auth.client_token",
                l.path
            ))
        };
        let top = json::unmarshal_raw_map(r.body.expose()).map_err(|_| no_token())?;
        let auth = top
            .get("auth")
            .and_then(|a| json::unmarshal_raw_map(a).ok())
            .ok_or_else(no_token)?;
        let token = auth
            .get("client_token")
            .and_then(|t| json::unmarshal_string(t))
            .filter(|t| !t.is_empty())
            .map(zeroize::Zeroizing::new)
            .ok_or_else(no_token)?;
        let lease = auth
            .get("lease_duration")
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| d.parse::<u64>().ok())
            .unwrap_or(0);
        let header = auth::token_header(token.as_bytes()).map_err(|m| {
            Error::Backend(format!(
                "{context}: POST {}: the token Vault returned {m}",
                l.path
            ))
        })?;
        // Renew a minute before the lease ends (ESO treats tokens under 60 s as expired), or
        // halfway through a shorter lease.
        let renew_at = (lease > 0).then(|| {
            let lease = Duration::from_secs(lease);
            Instant::now() + lease - lease.min(Duration::from_secs(60)).min(lease / 2)
        });
        tracing::debug!(method = l.method, lease_seconds = ?renew_at.map(|_| lease), "logged in to Vault");
        Ok(Token { header, renew_at })
    }
}

/// An error for a non-success answer: the operation and Vault's `errors`, never the body
/// otherwise (it is not expected to hold values, but a proxy's page could).
fn status_error(context: &str, what: &str, r: &http::Response) -> Error {
    let errors = json::unmarshal_raw_map(r.body.expose())
        .ok()
        .and_then(|m| m.get("errors").and_then(|e| json::unmarshal_any(e).ok()))
        .and_then(|e| match e {
            serde_json::Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            _ => None,
        })
        .filter(|s| !s.is_empty());
    let mut text = format!("{context}: {what}: Vault answered {}", r.status);
    if let Some(e) = errors {
        text.push_str(": ");
        text.push_str(&e);
    }
    match r.status {
        403 => Error::AccessDenied(text),
        412 | 429 => Error::Throttled(text),
        s if s >= 500 => Error::Transport(text),
        _ => Error::Backend(text),
    }
}

/// The body of a successful answer to a read or `LIST`; `not_found` for 404, ESO's read error
/// with Vault's status otherwise.
fn success(
    r: http::Response,
    verb: &str,
    path: &str,
    not_found: Error,
) -> Result<SecretBytes, Error> {
    match r.status {
        200..=299 => Ok(r.body),
        404 => Err(not_found),
        _ => Err(status_error(READ_ERROR, &format!("{verb} {path}"), &r)),
    }
}

/// The members of an answer's `data` object (none when it has none).
fn data_member<'a>(
    body: &'a SecretBytes,
    verb: &str,
    path: &str,
) -> Result<std::collections::BTreeMap<String, &'a [u8]>, Error> {
    let top = json::unmarshal_raw_map(body.expose())
        .map_err(|e| Error::Backend(format!("{READ_ERROR}: {verb} {path}: invalid answer: {e}")))?;
    Ok(top
        .get("data")
        .and_then(|d| json::unmarshal_raw_map(d).ok())
        .unwrap_or_default())
}

/// Go's `fmt.Sprintf("%v", v)` for a value decoded with `UseNumber`, as ESO formats metadata.
fn go_format(raw: &[u8]) -> String {
    match raw.first() {
        Some(b'"') => json::unmarshal_string(raw).unwrap_or_default(),
        Some(b'n') => "<nil>".into(),
        // Numbers (json.Number keeps its text) and booleans print as written.
        _ => String::from_utf8_lossy(raw).into_owned(),
    }
}

/// Vault's `LIST` verb (the Go client's `ListWithContext`).
fn list_method() -> Method {
    Method::from_bytes(b"LIST").expect("LIST is a valid method token")
}

fn value_of(p: &Payload) -> &Value {
    match p {
        Payload::Vault(v) => v,
        _ => unreachable!("a Vault client only sees Vault payloads"),
    }
}

/// ESO's `getSecretValue` with no property: Go's `json.Marshal` of the map.
fn whole(v: &Value) -> Result<SecretBytes, Error> {
    if v.nil {
        return Ok(SecretBytes::new(Vec::new()));
    }
    byte_value(v.json.expose())
}

/// ESO's `getSecretValue`: the whole map, an exact top-level key, or a gjson path.
fn select(v: &Value, property: &str) -> Result<SecretBytes, Error> {
    if v.nil || property.is_empty() {
        return whole(v);
    }
    let map =
        json::unmarshal_raw_map(v.json.expose()).map_err(|e| Error::Invalid(e.to_string()))?;
    if let Some(raw) = map.get(property) {
        return byte_value(raw);
    }
    let all = whole(v)?;
    let text = String::from_utf8_lossy(all.expose());
    gocompat::gjson::get_string(&text, property)
        .map(SecretBytes::from)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "cannot find secret data for key: {}",
                gocompat::unicode::quote(property)
            ))
        })
}

/// ESO's `GetByteValue` for a member decoded with `UseNumber`: strings as is, numbers as their
/// text, objects and arrays as Go JSON, null as empty.
fn byte_value(raw: &[u8]) -> Result<SecretBytes, Error> {
    match raw.first() {
        Some(b'"') => Ok(SecretBytes::from(
            json::unmarshal_string(raw).unwrap_or_default(),
        )),
        Some(b'n') => Ok(SecretBytes::new(Vec::new())),
        Some(b'{' | b'[') => json::marshal_use_number(raw, true)
            .map(SecretBytes::from)
            .map_err(|e| Error::Invalid(e.to_string())),
        _ => Ok(SecretBytes::from_slice(raw)),
    }
}

/// The CA certificates that replace the system roots: `caBundle` (base64 in the manifest, then
/// PEM or base64 of PEM, as ESO's `FetchCACertFromSource` accepts) or `caProvider`.
fn ca_pem(
    spec: &VaultProvider,
    kind: StoreKind,
    es_namespace: &str,
    sources: &Sources,
) -> Result<Option<Vec<u8>>, Error> {
    let config = |field: &str, message: String| Error::Config {
        field: field.into(),
        message,
    };
    if let Some(bundle) = spec.ca_bundle.as_deref().filter(|b| !b.is_empty()) {
        let field = "spec.provider.vault.caBundle";
        let bytes = gocompat::base64::decode_std(bundle.as_bytes())
            .map_err(|e| config(field, format!("caBundle is not base64: {e}")))?;
        if is_pem_certificate(&bytes) {
            return Ok(Some(bytes));
        }
        let again = esutils::decoding::decode(
            esutils::decoding::DecodingStrategy::Auto,
            &SecretBytes::new(bytes),
        )
        .map(|v| v.expose().to_vec())
        .unwrap_or_default();
        if is_pem_certificate(&again) {
            return Ok(Some(again));
        }
        return Err(config(
            field,
            "failed to decode ca bundle: failed to parse the new certificate, not valid pem data"
                .into(),
        ));
    }
    let Some(p) = &spec.ca_provider else {
        return Ok(None);
    };
    let field = "spec.provider.vault.caProvider";
    if kind == StoreKind::ClusterSecretStore && p.namespace.is_none() {
        return Err(config(
            field,
            "missing namespace on caProvider secret".into(),
        ));
    }
    if kind != StoreKind::ClusterSecretStore
        && p.namespace.as_deref().is_some_and(|ns| ns != es_namespace)
    {
        return Err(config(
            field,
            "namespace not allowed with namespaced SecretStore".into(),
        ));
    }
    let ns = match kind {
        StoreKind::ClusterSecretStore => p.namespace.clone().unwrap_or_default(),
        StoreKind::SecretStore => es_namespace.to_string(),
    };
    match p.kind {
        CaProviderType::Secret => {
            let sel = crate::manifest::model::SecretKeySelector {
                name: p.name.clone(),
                namespace: p.namespace.clone(),
                key: p.key.clone(),
            };
            secret_key_ref(&sel, kind, es_namespace, sources)
                .map(|v| Some(v.expose().to_vec()))
                .map_err(|e| {
                    config(
                        field,
                        format!(
                            "failed to get cert from secret: failed to resolve secret key ref: {e}"
                        ),
                    )
                })
        }
        CaProviderType::ConfigMap => {
            let cm = sources
                .config_maps
                .get(&(ns.clone(), p.name.clone()))
                .ok_or_else(|| {
                    config(
                        field,
                        format!(
                            "failed to get cert from configmap: failed to get caProvider secret \
                             {}: ConfigMap {ns}/{} not found in the input",
                            p.name, p.name
                        ),
                    )
                })?;
            cm.get(&p.key)
                .map(|v| Some(v.as_bytes().to_vec()))
                .ok_or_else(|| {
                    config(
                        field,
                        format!(
                            "failed to get cert from configmap: failed to get caProvider configMap \
                         {} -> {}",
                            p.name, p.key
                        ),
                    )
                })
        }
    }
}

/// ESO's `parseCertificateBytes`: the first PEM block is a certificate that parses.
/// (A structural check of the DER: rustls verifies the certificates themselves.)
fn is_pem_certificate(bytes: &[u8]) -> bool {
    use crate::pki::der;
    let Some((block, _)) = crate::pki::pem::decode(bytes) else {
        return false;
    };
    der::expect_only(&block.bytes, 0x30)
        .and_then(|body| {
            let (_, rest) = der::expect(body, 0x30)?;
            let (_, rest) = der::expect(rest, 0x30)?;
            der::expect_only(rest, 0x03)
        })
        .is_some()
}

/// The Go client's retries as ESO configures them: `(attempts, fixed delay)`.
fn retries(settings: Option<&RetrySettings>) -> Result<(u32, Option<Duration>), String> {
    let Some(s) = settings else {
        // Vault's DefaultConfig: MaxRetries 2.
        return Ok((3, None));
    };
    let retries = u32::try_from(s.max_retries.unwrap_or(0)).unwrap_or(0);
    let interval = match s.retry_interval.as_deref() {
        Some(i) => Some(
            gocompat::duration::parse(i)
                .map_err(|e| format!("invalid retryInterval {i:?}: {e}"))?,
        ),
        None => None,
    };
    Ok((retries.saturating_add(1), interval))
}

/// Whether a store's client depends on the ExternalSecret's namespace (ESO's referent auth).
pub fn depends_on_namespace(kind: StoreKind, spec: &VaultProvider) -> bool {
    kind == StoreKind::ClusterSecretStore && auth::is_referent(spec)
}

/// ESO's `ValidateStore` for Vault: `(message, field)` pairs.
pub fn validate_store(
    kind: StoreKind,
    namespace: Option<&str>,
    spec: &VaultProvider,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let mut check = |ns: Option<&str>, what: &str, field: &str| {
        if foreign_namespace(kind, namespace, ns) {
            errors.push((
                format!("invalid {what}: {}", crate::provider::FOREIGN_NAMESPACE),
                format!("spec.provider.vault.{field}.namespace"),
            ));
        }
    };
    if let Some(a) = &spec.auth {
        if let Some(r) = &a.app_role {
            check(
                r.secret_ref.namespace.as_deref(),
                "Auth.AppRole.SecretRef",
                "auth.appRole.secretRef",
            );
            if r.role_id.is_empty()
                && let Some(rr) = &r.role_ref
            {
                check(
                    rr.namespace.as_deref(),
                    "Auth.AppRole.RoleRef",
                    "auth.appRole.roleRef",
                );
            }
        }
        if let Some(c) = &a.cert {
            check(
                c.client_cert.namespace.as_deref(),
                "Auth.Cert.ClientCert",
                "auth.cert.clientCert",
            );
            check(
                c.secret_ref.namespace.as_deref(),
                "Auth.Cert.SecretRef",
                "auth.cert.secretRef",
            );
        }
        if let Some(j) = &a.jwt {
            if let Some(s) = &j.secret_ref {
                check(
                    s.namespace.as_deref(),
                    "Auth.Jwt.SecretRef",
                    "auth.jwt.secretRef",
                );
            } else if let Some(t) = &j.kubernetes_service_account_token {
                check(
                    t.service_account_ref.namespace.as_deref(),
                    "Auth.Jwt.KubernetesServiceAccountToken.ServiceAccountRef",
                    "auth.jwt.kubernetesServiceAccountToken.serviceAccountRef",
                );
            }
        }
        if let Some(k) = &a.kubernetes {
            if let Some(s) = &k.service_account_ref {
                check(
                    s.namespace.as_deref(),
                    "Auth.Kubernetes.ServiceAccountRef",
                    "auth.kubernetes.serviceAccountRef",
                );
            }
            if let Some(s) = &k.secret_ref {
                check(
                    s.namespace.as_deref(),
                    "Auth.Kubernetes.SecretRef",
                    "auth.kubernetes.secretRef",
                );
            }
        }
        if let Some(l) = &a.ldap {
            check(
                l.secret_ref.namespace.as_deref(),
                "Auth.Ldap.SecretRef",
                "auth.ldap.secretRef",
            );
        }
        if let Some(u) = &a.user_pass {
            check(
                u.secret_ref.namespace.as_deref(),
                "Auth.UserPass.SecretRef",
                "auth.userPass.secretRef",
            );
        }
        if let Some(t) = &a.token_secret_ref {
            check(
                t.namespace.as_deref(),
                "Auth.TokenSecretRef",
                "auth.tokenSecretRef",
            );
        }
        if let Some(i) = &a.iam {
            // ESO reports every IAM reference as an invalid Auth.TokenSecretRef.
            if let Some(s) = i.jwt.as_ref().and_then(|j| j.service_account_ref.as_ref()) {
                check(
                    s.namespace.as_deref(),
                    "Auth.TokenSecretRef",
                    "auth.iam.jwt.serviceAccountRef",
                );
            }
            if let Some(r) = &i.secret_ref {
                check(
                    r.access_key_id.namespace.as_deref(),
                    "Auth.TokenSecretRef",
                    "auth.iam.secretRef.accessKeyIDSecretRef",
                );
                check(
                    r.secret_access_key.namespace.as_deref(),
                    "Auth.TokenSecretRef",
                    "auth.iam.secretRef.secretAccessKeySecretRef",
                );
                if let Some(t) = &r.session_token {
                    check(
                        t.namespace.as_deref(),
                        "Auth.TokenSecretRef",
                        "auth.iam.secretRef.sessionTokenSecretRef",
                    );
                }
            }
        }
    }
    let tls = &spec.client_tls;
    match (&tls.cert_secret_ref, &tls.key_secret_ref) {
        (Some(c), Some(k)) => {
            check(
                c.namespace.as_deref(),
                "ClientTLS.ClientCert",
                "tls.certSecretRef",
            );
            check(
                k.namespace.as_deref(),
                "ClientTLS.SecretRef",
                "tls.keySecretRef",
            );
        }
        (None, None) => {}
        _ => errors.push((
            "when provided, both ClientTLS.ClientCert and ClientTLS.SecretRef should be provided"
                .into(),
            "spec.provider.vault.tls".into(),
        )),
    }
    if let Some(a) = &spec.auth {
        if let Some(r) = &a.app_role
            && r.role_id.is_empty()
            && r.role_ref.is_none()
        {
            errors.push((
                "invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied".into(),
                "spec.provider.vault.auth.appRole".into(),
            ));
        }
        if let Some(j) = &a.jwt
            && j.secret_ref.is_none()
            && j.kubernetes_service_account_token.is_none()
        {
            errors.push((
                "neither `secretRef` nor `kubernetesServiceAccountToken` was supplied as token \
                 source for jwt authentication"
                    .into(),
                "spec.provider.vault.auth.jwt".into(),
            ));
        }
    }
    if spec.check_and_set.as_ref().is_some_and(|c| c.required) && spec.version == VaultKvVersion::V1
    {
        errors.push((
            "checkAndSet is not supported with Vault KV version v1".into(),
            "spec.provider.vault.checkAndSet.required".into(),
        ));
    }
    errors
}

#[cfg(test)]
mod tests;
