//! Backends behind one contract, mirroring the read half of ESO's `SecretsClient`
//! (`apis/externalsecrets/v1/provider.go`): `GetSecret`, `GetSecretMap`, `GetAllSecrets`, and the
//! sentinel `NoSecretErr` ([`Error::NotFound`]).
//!
//! Each backend is split in two, so the resolver can deduplicate and batch: a raw *read* of a
//! remote secret (I/O; [`Backend::read_many`] receives every distinct read of one store at once)
//! and pure *selection* on the payload it returned ([`Backend::get_secret`] for `property`,
//! [`Backend::get_secret_map`] for the JSON explode). `find` is I/O too and is deduplicated per
//! store. Backends are a closed set, dispatched by `match` in [`Client`].

pub mod aws;
pub mod fake;
pub mod kubernetes;
pub mod vault;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::manifest::model::{Find, RemoteRef, SecretKeySelector, StoreKind};
use crate::manifest::{ProviderSpec, Sources, Store};
use crate::secret::{DataMap, SecretBytes};

/// Failures of a backend. Messages never contain a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// ESO's `NoSecretErr`: the secret (or, for some providers, the property) does not exist.
    #[error("Secret does not exist")]
    NotFound,
    /// The backend answered, but with something ESO's provider rejects (ESO's own wording).
    #[error("{0}")]
    Invalid(String),
    /// The store uses a provider eso-render does not implement yet.
    #[error("provider {0} is not supported yet")]
    Unsupported(String),
    #[error("access denied: {0}")]
    AccessDenied(String),
    /// Rate limited; retried with backoff.
    #[error("throttled: {0}")]
    Throttled(String),
    /// Network or server failure; retried with backoff.
    #[error("transport error: {0}")]
    Transport(String),
    /// The store's configuration cannot work (a credential Secret missing, say); `field` is the
    /// path inside the store, for the diagnostic's position.
    #[error("{message}")]
    Config { field: String, message: String },
    /// The backend answered with an error after any retries: already a complete sentence with
    /// the operation, the remote id and the backend's error code.
    #[error("{0}")]
    Backend(String),
}

impl Error {
    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Throttled(_) | Error::Transport(_))
    }
}

/// One raw read of a remote secret: the unit of deduplication ("never fetch the same remote
/// secret twice in one run"). Properties are not part of it: every property of one secret is
/// selected from the same payload.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Read {
    pub key: String,
    pub version: Option<String>,
    /// `metadataPolicy: Fetch` reads tags/metadata instead of the value.
    pub metadata: bool,
}

impl Read {
    pub fn of(r: &RemoteRef) -> Self {
        Self {
            key: r.key.clone(),
            version: r.version.clone().filter(|v| !v.is_empty()),
            metadata: r.metadata_policy == Some(crate::manifest::model::MetadataPolicy::Fetch),
        }
    }
}

/// What a read returned, in the backend's own shape.
#[derive(Debug)]
pub enum Payload {
    Fake(fake::Entry),
    Aws(aws::Value),
    Vault(vault::Value),
    Kubernetes(kubernetes::Value),
}

/// Retry policy for retryable errors: exponential backoff with jitter.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// Shared by every backend call of one run.
#[derive(Debug, Clone)]
pub struct Context {
    /// Bounds requests in flight across all stores (`--concurrency`).
    pub permits: Arc<Semaphore>,
    pub retry: RetryPolicy,
    /// The cluster, for credentials only it can give (service-account tokens).
    pub cluster: Arc<crate::cluster::Cluster>,
}

impl Context {
    pub fn new(concurrency: usize, retry: RetryPolicy) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            retry,
            cluster: Arc::default(),
        }
    }

    pub fn with_cluster(mut self, cluster: crate::cluster::Cluster) -> Self {
        self.cluster = Arc::new(cluster);
        self
    }

    /// A concurrency permit, for backends whose SDK retries by itself; hold it for the request.
    pub async fn permit(&self) -> tokio::sync::SemaphorePermit<'_> {
        self.permits
            .acquire()
            .await
            .expect("the semaphore is never closed")
    }

    /// Runs one backend request under a concurrency permit, retrying retryable errors with
    /// exponential backoff and jitter. The overall deadline is enforced by the caller.
    pub async fn call<T, F, Fut>(&self, mut op: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let mut attempt = 0;
        loop {
            let result = {
                let _permit = self
                    .permits
                    .acquire()
                    .await
                    .expect("the semaphore is never closed");
                op().await
            };
            match result {
                Err(e) if e.is_retryable() && attempt + 1 < self.retry.max_attempts => {
                    let delay = backoff(self.retry, attempt);
                    tracing::debug!(attempt, ?delay, error = %e, "retrying backend request");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// `base * 2^attempt`, capped, with up to 50 % random-ish jitter so clients spread out.
fn backoff(p: RetryPolicy, attempt: u32) -> Duration {
    let exp = p.base_delay.saturating_mul(1 << attempt.min(16));
    let capped = exp.min(p.max_delay);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let jitter = capped.mul_f64(f64::from(nanos % 1000) / 2000.0);
    capped - jitter
}

/// The contract every backend implements.
pub trait Backend {
    /// Reads every distinct secret this run needs from this store. Backends batch where the
    /// API allows and issue requests through [`Context::call`]. Returns one result per read,
    /// in any order.
    fn read_many(
        &self,
        ctx: &Context,
        reads: Vec<Read>,
    ) -> impl Future<Output = Vec<(Read, Result<Arc<Payload>, Error>)>>;

    /// ESO `GetAllSecrets`: key = remote name, value = whole payload.
    fn find(&self, ctx: &Context, find: &Find) -> impl Future<Output = Result<DataMap, Error>>;

    /// ESO `GetSecret` applied to an already read payload (property selection).
    fn get_secret(&self, payload: &Payload, r: &RemoteRef) -> Result<SecretBytes, Error>;

    /// ESO `GetSecretMap` applied to an already read payload.
    fn get_secret_map(&self, payload: &Payload, r: &RemoteRef) -> Result<DataMap, Error>;
}

/// ESO's `resolvers.SecretKeyRef` over the Secrets of the input: the selector's namespace counts
/// only in a ClusterSecretStore; otherwise the ExternalSecret's (which is the SecretStore's own).
/// The error is ESO's wording plus where eso-render looked.
pub fn secret_key_ref(
    sel: &SecretKeySelector,
    kind: StoreKind,
    es_namespace: &str,
    sources: &Sources,
) -> Result<SecretBytes, String> {
    let ns = match (&sel.namespace, kind) {
        (Some(ns), StoreKind::ClusterSecretStore) => ns.as_str(),
        _ => es_namespace,
    };
    let data = sources
        .secrets
        .get(&(ns.to_string(), sel.name.clone()))
        .ok_or_else(|| {
            format!(
                "cannot get Kubernetes secret {:?} from namespace {ns:?}: not found in the input \
                 (eso-render reads store credentials from Secrets among its input files)",
                sel.name
            )
        })?;
    data.get(&sel.key)
        .cloned()
        .ok_or_else(|| format!("cannot find secret data for key: {:?}", sel.key))
}

/// ESO's `ValidateReferentSecretSelector` / `ValidateReferentServiceAccountSelector`: a
/// SecretStore may only name its own namespace.
pub fn foreign_namespace(kind: StoreKind, store_ns: Option<&str>, sel_ns: Option<&str>) -> bool {
    kind == StoreKind::SecretStore && sel_ns.is_some_and(|ns| Some(ns) != store_ns)
}

/// The namespace of the ServiceAccount a store names, as ESO picks it for TokenRequest: a
/// ClusterSecretStore's `serviceAccountRef.namespace`, else the ExternalSecret's (a SecretStore
/// only ever names its own).
pub fn service_account_namespace(
    sel: &crate::manifest::model::ServiceAccountSelector,
    kind: StoreKind,
    es_namespace: &str,
) -> String {
    match (&sel.namespace, kind) {
        (Some(ns), StoreKind::ClusterSecretStore) => ns.clone(),
        _ => es_namespace.to_string(),
    }
}

/// ESO's error for [`foreign_namespace`], after `invalid <what>: `.
pub const FOREIGN_NAMESPACE: &str = "namespace should either be empty or match the namespace of \
     the SecretStore for a namespaced SecretStore";

/// What a client may need besides its store.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    /// Secrets and ConfigMaps of the input: store credentials are read from them.
    pub sources: &'a Sources,
    /// The namespace of the ExternalSecrets served (ESO's referent auth reads from it).
    pub namespace: &'a str,
}

/// A configured client for one store.
#[derive(Debug)]
pub enum Client {
    Fake(fake::Client),
    Aws(Box<aws::Client>),
    Vault(Box<vault::Client>),
    Kubernetes(kubernetes::Client),
    /// Never answers: for tests of the deadline.
    #[cfg(test)]
    Stalled,
}

impl Client {
    /// Builds the client for `store` serving ExternalSecrets of `env.namespace`; fails for
    /// providers not implemented yet and for credentials that cannot be found.
    pub fn new(store: &Store, env: &Env<'_>) -> Result<Self, Error> {
        match &store.provider {
            ProviderSpec::Fake(spec) => Ok(Client::Fake(fake::Client::new(spec))),
            ProviderSpec::Aws(spec) => Ok(Client::Aws(Box::new(aws::Client::new(
                store,
                spec,
                env.namespace,
                env.sources,
            )?))),
            ProviderSpec::Vault(spec) => Ok(Client::Vault(Box::new(vault::Client::new(
                store,
                spec,
                env.namespace,
                env.sources,
            )?))),
            ProviderSpec::Kubernetes(spec) => Ok(Client::Kubernetes(kubernetes::Client::new(
                spec,
                env.sources,
            ))),
            ProviderSpec::Unsupported(name) => Err(Error::Unsupported(name.clone())),
        }
    }

    /// The namespace a store's client is specific to, if any: clients are shared by every
    /// ExternalSecret with the same (store, scope).
    pub fn scope(store: &Store, es_namespace: &str) -> Option<String> {
        match &store.provider {
            ProviderSpec::Aws(spec) if aws::depends_on_namespace(store.kind, spec) => {
                Some(es_namespace.to_string())
            }
            ProviderSpec::Vault(spec) if vault::depends_on_namespace(store.kind, spec) => {
                Some(es_namespace.to_string())
            }
            _ => None,
        }
    }

    /// Backend requests issued so far (reads and finds), for the debug log and tests.
    pub fn requests(&self) -> usize {
        match self {
            Client::Fake(c) => c.requests(),
            Client::Aws(c) => c.requests(),
            Client::Vault(c) => c.requests(),
            Client::Kubernetes(c) => c.requests(),
            #[cfg(test)]
            Client::Stalled => 0,
        }
    }

    /// What the client reads, when that helps a reader of an error (region, prefix).
    pub fn describe(&self) -> Option<String> {
        match self {
            Client::Aws(c) => Some(c.describe()),
            Client::Vault(c) => Some(c.describe()),
            Client::Kubernetes(c) => Some(c.describe()),
            _ => None,
        }
    }

    /// ESO's flood gate: a store whose validation fails is not ready.
    pub fn is_ready(&self) -> bool {
        match self {
            Client::Fake(c) => c.is_ready(),
            Client::Aws(_) | Client::Vault(_) | Client::Kubernetes(_) => true,
            #[cfg(test)]
            Client::Stalled => true,
        }
    }
}

impl Backend for Client {
    async fn read_many(
        &self,
        ctx: &Context,
        reads: Vec<Read>,
    ) -> Vec<(Read, Result<Arc<Payload>, Error>)> {
        match self {
            Client::Fake(c) => c.read_many(ctx, reads).await,
            Client::Aws(c) => c.read_many(ctx, reads).await,
            Client::Vault(c) => c.read_many(ctx, reads).await,
            Client::Kubernetes(c) => c.read_many(ctx, reads).await,
            #[cfg(test)]
            Client::Stalled => std::future::pending().await,
        }
    }

    async fn find(&self, ctx: &Context, find: &Find) -> Result<DataMap, Error> {
        match self {
            Client::Fake(c) => c.find(ctx, find).await,
            Client::Aws(c) => c.find(ctx, find).await,
            Client::Vault(c) => c.find(ctx, find).await,
            Client::Kubernetes(c) => c.find(ctx, find).await,
            #[cfg(test)]
            Client::Stalled => std::future::pending().await,
        }
    }

    fn get_secret(&self, payload: &Payload, r: &RemoteRef) -> Result<SecretBytes, Error> {
        match self {
            Client::Fake(c) => c.get_secret(payload, r),
            Client::Aws(c) => c.get_secret(payload, r),
            Client::Vault(c) => c.get_secret(payload, r),
            Client::Kubernetes(c) => c.get_secret(payload, r),
            #[cfg(test)]
            Client::Stalled => Err(Error::NotFound),
        }
    }

    fn get_secret_map(&self, payload: &Payload, r: &RemoteRef) -> Result<DataMap, Error> {
        match self {
            Client::Fake(c) => c.get_secret_map(payload, r),
            Client::Aws(c) => c.get_secret_map(payload, r),
            Client::Vault(c) => c.get_secret_map(payload, r),
            Client::Kubernetes(c) => c.get_secret_map(payload, r),
            #[cfg(test)]
            Client::Stalled => Err(Error::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fast() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
        }
    }

    #[tokio::test]
    async fn call_retries_retryable_errors_then_succeeds() {
        let ctx = Context::new(2, fast());
        let calls = AtomicU32::new(0);
        let out = ctx
            .call(|| async {
                if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                    Err(Error::Throttled("slow down".into()))
                } else {
                    Ok(7)
                }
            })
            .await;
        assert_eq!(out, Ok(7));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn call_gives_up_after_max_attempts_and_never_retries_not_found() {
        let ctx = Context::new(1, fast());
        let calls = AtomicU32::new(0);
        let out: Result<(), _> = ctx
            .call(|| async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(Error::Transport("reset".into()))
            })
            .await;
        assert!(matches!(out, Err(Error::Transport(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 4);

        let calls = AtomicU32::new(0);
        let out: Result<(), _> = ctx
            .call(|| async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(Error::NotFound)
            })
            .await;
        assert_eq!(out, Err(Error::NotFound));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        assert!(backoff(p, 0) <= Duration::from_millis(100));
        assert!(backoff(p, 0) >= Duration::from_millis(50));
        assert!(backoff(p, 3) >= Duration::from_millis(400));
        assert!(backoff(p, 9) <= Duration::from_millis(1000));
    }
}
