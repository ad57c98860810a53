//! `spec.provider.aws`: Secrets Manager and SSM Parameter Store, read with the bytes and errors
//! of ESO's `providers/v1/aws`, but planned for the whole run.
//!
//! ESO reads one secret per `GetSecretValue`/`GetParameter` call and caches only within one
//! ExternalSecret. Here every distinct (secret, version) of a store is read once per run, in
//! batches (`BatchGetSecretValue` ≤ 20 ids, `GetParameters` ≤ 10 names), concurrently under the
//! run's permits. When a batch API is denied (it needs its own IAM permission), the store falls
//! back to single reads for the rest of the run, so a narrow IAM policy still works.
//!
//! Retries are the SDK's standard mode (exponential backoff on throttling and 5xx), shaped by the
//! store's `retrySettings` as ESO shapes them; the run's deadline bounds everything. Each store has
//! one SDK client, built on first use; all share one rustls HTTP client and connection pool.

pub mod auth;
mod parameter_store;
mod secrets_manager;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

pub use parameter_store::ParameterStore;
pub use secrets_manager::SecretsManager;

use crate::esutils;
use crate::gocompat;
use std::sync::Arc;

use crate::cluster::Cluster;
use crate::manifest::model::{AwsProvider, AwsService, Find, RemoteRef, RetrySettings, StoreKind};
use crate::manifest::{Sources, Store};
use crate::provider::{Context, Error, Payload, Read};
use crate::secret::{DataMap, SecretBytes};

/// What one read returned: `SecretString`/`SecretBinary` (Secrets Manager), `Value` (Parameter
/// Store, in `string`), or the tags as Go JSON (`metadataPolicy: Fetch`, in `string`).
#[derive(Debug, Default)]
pub struct Value {
    pub string: Option<SecretBytes>,
    pub binary: Option<SecretBytes>,
}

/// One store's client.
#[derive(Debug)]
pub enum Client {
    SecretsManager(SecretsManager),
    ParameterStore(ParameterStore),
}

impl Client {
    /// Reads credentials from the input now (so a missing Secret fails before any request);
    /// the SDK configuration is built on first use.
    pub fn new(
        store: &Store,
        spec: &AwsProvider,
        es_namespace: &str,
        sources: &Sources,
    ) -> Result<Self, Error> {
        let session = Session::new(store, spec, es_namespace, sources)?;
        match spec.service {
            AwsService::SecretsManager => Ok(Client::SecretsManager(SecretsManager::new(session))),
            AwsService::ParameterStore => Ok(Client::ParameterStore(ParameterStore::new(session))),
            AwsService::CertificateManager => Err(Error::Unsupported(
                "aws (service CertificateManager)".into(),
            )),
        }
    }

    pub async fn read_many(
        &self,
        ctx: &Context,
        reads: Vec<Read>,
    ) -> Vec<(Read, Result<Arc<Payload>, Error>)> {
        if let Err(e) = self.session().ready(ctx).await {
            return reads.into_iter().map(|r| (r, Err(e.clone()))).collect();
        }
        match self {
            Client::SecretsManager(c) => c.read_many(ctx, reads).await,
            Client::ParameterStore(c) => c.read_many(ctx, reads).await,
        }
    }

    pub async fn find(&self, ctx: &Context, find: &Find) -> Result<DataMap, Error> {
        self.session().ready(ctx).await?;
        match self {
            Client::SecretsManager(c) => c.find(ctx, find).await,
            Client::ParameterStore(c) => c.find(ctx, find).await,
        }
    }

    pub fn get_secret(&self, payload: &Payload, r: &RemoteRef) -> Result<SecretBytes, Error> {
        let nil = match self {
            Client::SecretsManager(_) => secrets_manager::NO_VALUE,
            Client::ParameterStore(_) => parameter_store::NO_VALUE,
        };
        get_secret(value(payload), r, nil)
    }

    pub fn get_secret_map(&self, payload: &Payload, r: &RemoteRef) -> Result<DataMap, Error> {
        explode(&self.get_secret(payload, r)?, &r.key)
    }

    pub fn requests(&self) -> usize {
        self.session().requests.load(Ordering::Relaxed)
    }

    /// What this client reads, for errors: a secret that "does not exist" may live in another
    /// region or under another prefix.
    pub fn describe(&self) -> String {
        let service = match self {
            Client::SecretsManager(_) => "AWS Secrets Manager",
            Client::ParameterStore(_) => "AWS SSM Parameter Store",
        };
        let session = self.session();
        let mut s = format!("{service} in region {:?}", session.region);
        if !session.prefix.is_empty() {
            s.push_str(&format!(" with prefix {:?}", session.prefix));
        }
        s
    }

    fn session(&self) -> &Session {
        match self {
            Client::SecretsManager(c) => &c.session,
            Client::ParameterStore(c) => &c.session,
        }
    }
}

/// Whether a store's client depends on the ExternalSecret's namespace: ESO's referent auth (a
/// ClusterSecretStore whose credential Secrets name no namespace) and session tags that carry
/// the namespace.
pub fn depends_on_namespace(kind: StoreKind, spec: &AwsProvider) -> bool {
    use crate::manifest::model::SessionTagsPolicy;
    if kind != StoreKind::ClusterSecretStore {
        return false;
    }
    let referent = spec.auth.secret_ref.as_ref().is_some_and(|r| {
        r.access_key_id.namespace.is_none()
            || r.secret_access_key.namespace.is_none()
            || r.session_token
                .as_ref()
                .is_some_and(|t| t.namespace.is_none())
    });
    // A ServiceAccount without a namespace is looked up in the ExternalSecret's.
    let service_account = spec
        .auth
        .jwt
        .as_ref()
        .and_then(|j| j.service_account_ref.as_ref())
        .is_some_and(|s| s.namespace.is_none());
    referent
        || service_account
        || (!spec.role.is_empty() && spec.session_tags_policy != SessionTagsPolicy::None)
}

/// ESO's `ValidateStore` for AWS (webhook and `NewClient` checks): `(message, field)` pairs.
pub fn validate_store(
    kind: StoreKind,
    namespace: Option<&str>,
    spec: &AwsProvider,
    retry: Option<&RetrySettings>,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    if !region_resolves(spec.service, &spec.region) {
        errors.push((
            format!("region not found: {}", spec.region),
            "spec.provider.aws.region".to_string(),
        ));
    }
    if let Some(sm) = &spec.secrets_manager {
        let days = sm.recovery_window_in_days;
        if days != 0 && !(7..=30).contains(&days) {
            errors.push((
                "invalid SecretsManager settings: invalid DeleteSecretInput: RecoveryWindowInDays \
                 must be between 7 and 30 days"
                    .into(),
                "spec.provider.aws.secretsManager.recoveryWindowInDays".into(),
            ));
        } else if days != 0 && sm.force_delete_without_recovery {
            errors.push((
                "invalid SecretsManager settings: invalid DeleteSecretInput: \
                 ForceDeleteWithoutRecovery conflicts with RecoveryWindowInDays"
                    .into(),
                "spec.provider.aws.secretsManager.forceDeleteWithoutRecovery".into(),
            ));
        }
    }
    // ESO's ValidateReferentSecretSelector: a SecretStore reads only its own namespace.
    let mut selector = |ns: &Option<String>, what: &str, field: &str| {
        if crate::provider::foreign_namespace(kind, namespace, ns.as_deref()) {
            errors.push((
                format!("invalid {what}: {}", crate::provider::FOREIGN_NAMESPACE),
                field.to_string(),
            ));
        }
    };
    if let Some(r) = &spec.auth.secret_ref {
        let base = "spec.provider.aws.auth.secretRef";
        selector(
            &r.access_key_id.namespace,
            "Auth.SecretRef.AccessKeyID",
            &format!("{base}.accessKeyIDSecretRef.namespace"),
        );
        selector(
            &r.secret_access_key.namespace,
            "Auth.SecretRef.SecretAccessKey",
            &format!("{base}.secretAccessKeySecretRef.namespace"),
        );
        if let Some(t) = &r.session_token {
            selector(
                &t.namespace,
                "Auth.SecretRef.SessionToken",
                &format!("{base}.sessionTokenSecretRef.namespace"),
            );
        }
    }
    if let Some(sa) = spec
        .auth
        .jwt
        .as_ref()
        .and_then(|j| j.service_account_ref.as_ref())
    {
        selector(
            &sa.namespace,
            "Auth.JWT.ServiceAccountRef",
            "spec.provider.aws.auth.jwt.serviceAccountRef.namespace",
        );
    }
    if let Some(i) = retry.and_then(|r| r.retry_interval.as_deref())
        && let Err(e) = gocompat::duration::parse(i)
    {
        errors.push((
            format!("unable to initialize aws provider: invalid retryInterval {i:?}: {e}"),
            "spec.retrySettings.retryInterval".into(),
        ));
    }
    errors
}

/// ESO validates the region with the SDK's endpoint rules (`region not found: …`); the Rust SDK
/// ships the same rule set.
fn region_resolves(service: AwsService, region: &str) -> bool {
    use aws_sdk_secretsmanager::config::endpoint as sm;
    use aws_sdk_ssm::config::endpoint as ssm;
    use std::task::{Context, Poll, Waker};
    fn ready<T>(f: impl Future<Output = T>) -> Option<T> {
        // The generated resolvers answer synchronously, in a future that is already ready.
        match std::pin::pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => Some(v),
            Poll::Pending => None,
        }
    }
    let ok = match service {
        AwsService::ParameterStore => ssm::Params::builder()
            .region(region)
            .build()
            .ok()
            .and_then(|p| {
                ready(ssm::ResolveEndpoint::resolve_endpoint(
                    &ssm::DefaultResolver::new(),
                    &p,
                ))
            })
            .is_some_and(|r| r.is_ok()),
        // ACM shares the partition rules; Secrets Manager's resolver stands in for it.
        AwsService::SecretsManager | AwsService::CertificateManager => sm::Params::builder()
            .region(region)
            .build()
            .ok()
            .and_then(|p| {
                ready(sm::ResolveEndpoint::resolve_endpoint(
                    &sm::DefaultResolver::new(),
                    &p,
                ))
            })
            .is_some_and(|r| r.is_ok()),
    };
    ok && !region.is_empty()
}

/// Everything one store's SDK configuration is built from, and the configuration once built.
#[derive(Debug)]
pub struct Session {
    service: AwsService,
    region: String,
    /// `spec.provider.aws.prefix`: prepended to every `remoteRef.key` (not to `find`).
    prefix: String,
    credentials: Option<Credentials>,
    /// `auth.jwt`: the ServiceAccount's IAM role, through the cluster.
    web_identity: Option<auth::ServiceAccountRole>,
    roles: Vec<auth::RoleStep>,
    retry: RetryConfig,
    config: tokio::sync::OnceCell<SdkConfig>,
    /// API operations sent (not counting the SDK's retries): for the debug log and tests.
    requests: AtomicUsize,
}

impl Session {
    fn new(
        store: &Store,
        spec: &AwsProvider,
        es_namespace: &str,
        sources: &Sources,
    ) -> Result<Self, Error> {
        let credentials = auth::static_credentials(spec, store.kind, es_namespace, sources)?;
        let web_identity = match &spec.auth.jwt {
            Some(j) => Some(auth::ServiceAccountRole::new(
                j.service_account_ref
                    .as_ref()
                    .ok_or_else(|| Error::Config {
                        field: "spec.provider.aws.auth.jwt".into(),
                        message: "auth.jwt needs serviceAccountRef".into(),
                    })?,
                store.kind,
                es_namespace,
            )),
            None => None,
        };
        let retry =
            retry_config(store.spec.retry_settings.as_ref()).map_err(|e| Error::Config {
                field: "spec.retrySettings.retryInterval".into(),
                message: format!("unable to initialize aws provider: {e}"),
            })?;
        Ok(Self {
            service: spec.service,
            region: spec.region.clone(),
            prefix: spec.prefix.clone(),
            credentials,
            web_identity,
            roles: auth::role_chain(spec, store.kind, &store.name, es_namespace),
            retry,
            config: tokio::sync::OnceCell::new(),
            requests: AtomicUsize::new(0),
        })
    }

    /// The SDK configuration, built once per session.
    async fn config(&self, ctx: &Context) -> &SdkConfig {
        self.config
            .get_or_init(|| {
                let base = match (&self.web_identity, &self.credentials) {
                    (Some(account), _) => Base::WebIdentity(ctx.cluster.clone(), account),
                    (None, Some(c)) => Base::Static(c),
                    (None, None) => Base::Default,
                };
                sdk_config(&self.region, base, &self.roles, self.retry.clone())
            })
            .await
    }

    /// `auth.jwt` needs a cluster: without one, every read fails with the store field.
    async fn ready(&self, ctx: &Context) -> Result<(), Error> {
        if self.web_identity.is_none() {
            return Ok(());
        }
        ctx.cluster.reachable().await.map_err(|e| Error::Config {
            field: "spec.provider.aws.auth.jwt.serviceAccountRef".into(),
            message: e.to_string(),
        })
    }

    fn count(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    fn attempts(&self) -> u32 {
        self.retry.max_attempts()
    }

    /// Turns an SDK failure into our error: the operation, the remote id, AWS's error code and
    /// message (never a value: AWS messages name resources, not contents).
    fn error<E>(&self, op: &str, id: &str, err: &SdkError<E, HttpResponse>) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let what = format!("{op} {id:?}");
        match err {
            SdkError::ServiceError(_) => {
                let code = err.code().unwrap_or("UnknownError");
                let message = sanitize(err.message().unwrap_or(""));
                let text = format!("{what}: {code}: {message}");
                match code {
                    c if is_throttling(c) => Error::Throttled(format!(
                        "{text} (gave up after {} attempts)",
                        self.attempts()
                    )),
                    "AccessDeniedException" | "AccessDenied" => Error::AccessDenied(text),
                    "ExpiredTokenException"
                    | "ExpiredToken"
                    | "UnrecognizedClientException"
                    | "InvalidClientTokenId"
                    | "InvalidSignatureException"
                    | "SignatureDoesNotMatch"
                    | "IncompleteSignature" => Error::Backend(format!(
                        "{text} (the credentials were rejected: expired, revoked or for \
                         another partition)"
                    )),
                    _ if err
                        .raw_response()
                        .is_some_and(|r| r.status().is_server_error()) =>
                    {
                        Error::Transport(format!(
                            "{text} (server error, gave up after {} attempts)",
                            self.attempts()
                        ))
                    }
                    _ => Error::Backend(text),
                }
            }
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                let service = match self.service {
                    AwsService::ParameterStore => "SSM",
                    _ => "Secrets Manager",
                };
                Error::Transport(format!(
                    "{what}: cannot reach AWS {service} in region {:?}: {}",
                    self.region,
                    sanitize(&DisplayErrorContext(err).to_string())
                ))
            }
            _ => Error::Backend(format!(
                "{what}: {}",
                sanitize(&DisplayErrorContext(err).to_string())
            )),
        }
    }
}

fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "ThrottlingException"
            | "Throttling"
            | "ThrottledException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "RequestThrottled"
            | "RequestThrottledException"
            | "ProvisionedThroughputExceededException"
            | "SlowDown"
            | "PriorRequestNotComplete"
    )
}

/// ESO's `SanitizeErr`: request ids and signature fragments are dropped from error text.
pub(crate) fn sanitize(text: &str) -> String {
    static RE: OnceLock<[regex::Regex; 2]> = OnceLock::new();
    let res = RE.get_or_init(|| {
        [
            regex::Regex::new(r"request id: \S+").expect("constant regex"),
            regex::Regex::new(r" Credential=.+").expect("constant regex"),
        ]
    });
    let mut out = text.to_string();
    for re in res {
        out = re.replace_all(&out, "").into_owned();
    }
    out
}

/// ESO's `retrySettings` for AWS: when the block is present, `maxRetries` (default 3) is the
/// SDK's total attempts and `retryInterval` a fixed delay between them.
fn retry_config(settings: Option<&RetrySettings>) -> Result<RetryConfig, String> {
    let Some(s) = settings else {
        return Ok(RetryConfig::standard());
    };
    let attempts = u32::try_from(s.max_retries.unwrap_or(3))
        .unwrap_or(0)
        .max(1);
    let mut config = RetryConfig::standard().with_max_attempts(attempts);
    if let Some(i) = s.retry_interval.as_deref() {
        let delay = gocompat::duration::parse(i).map_err(|e| format!("{i:?}: {e}"))?;
        if delay > Duration::ZERO {
            // A static exponential base and a cap equal to the first delay: a fixed delay.
            config = config
                .with_initial_backoff(delay)
                .with_max_backoff(delay)
                .with_use_static_exponential_base(true);
        }
    }
    Ok(config)
}

/// Where a configuration's first credentials come from.
pub(crate) enum Base<'a> {
    /// The SDK's default chain (environment, profile, web identity, container, IMDS).
    Default,
    Static(&'a Credentials),
    /// A ServiceAccount's IAM role, with tokens from the cluster.
    WebIdentity(Arc<Cluster>, &'a auth::ServiceAccountRole),
}

/// An SDK configuration: region, credentials (`base`, then the role chain), retries, the shared
/// HTTP client. Endpoints follow `AWS_ENDPOINT_URL[_SERVICE]` and ESO's
/// `AWS_<SERVICE>_ENDPOINT` variables. Vault's `auth.iam` signs with the same credentials.
pub(crate) async fn sdk_config(
    region: &str,
    base: Base<'_>,
    roles: &[auth::RoleStep],
    retry: RetryConfig,
) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .http_client(http_client())
        .retry_config(retry);
    if let Base::Static(c) = base {
        loader = loader.credentials_provider(c.clone());
    }
    let mut config = loader.load().await;
    if let Base::WebIdentity(cluster, account) = base {
        let provider = auth::WebIdentity {
            cluster,
            account: account.clone(),
            sts: sts_client(&config),
        };
        config = config
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build();
    }
    for step in roles {
        let provider = auth::AssumeRole {
            sts: sts_client(&config),
            step: step.clone(),
        };
        config = config
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build();
    }
    config
}

/// An STS client signing with `config`'s credentials, at ESO's `AWS_STS_ENDPOINT` if set.
fn sts_client(config: &SdkConfig) -> aws_sdk_sts::Client {
    let mut sts = aws_sdk_sts::config::Builder::from(config);
    if let Some(url) = eso_endpoint("AWS_STS_ENDPOINT") {
        sts = sts.endpoint_url(url);
    }
    aws_sdk_sts::Client::from_conf(sts.build())
}

/// One rustls (ring) HTTPS client for every store of the process: one connection pool.
pub(crate) fn http_client() -> SharedHttpClient {
    static CLIENT: OnceLock<SharedHttpClient> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            use aws_smithy_http_client::tls;
            aws_smithy_http_client::Builder::new()
                .tls_provider(tls::Provider::Rustls(
                    tls::rustls_provider::CryptoMode::Ring,
                ))
                .build_https()
        })
        .clone()
}

/// ESO's own endpoint variables (`AWS_SECRETSMANAGER_ENDPOINT`, `AWS_SSM_ENDPOINT`,
/// `AWS_STS_ENDPOINT`), honoured so deployments configured for ESO work unchanged.
fn eso_endpoint(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

/// ESO's `GetSecret` selection on a read value. Secrets Manager prefers `SecretString` without a
/// property and `SecretBinary` with one; Parameter Store has only the string.
fn get_secret(value: &Value, r: &RemoteRef, nil_message: &str) -> Result<SecretBytes, Error> {
    let Some(property) = r.property.as_deref().filter(|p| !p.is_empty()) else {
        return value
            .string
            .clone()
            .or_else(|| value.binary.clone())
            .ok_or_else(|| Error::Invalid(format!("{nil_message}: {}", r.key)));
    };
    let payload = value
        .binary
        .as_ref()
        .or(value.string.as_ref())
        .map(|v| String::from_utf8_lossy(v.expose()))
        .unwrap_or_default();
    // A property with dots names a top-level key with dots if there is one, else a nested path.
    let hit = property
        .contains('.')
        .then(|| gocompat::gjson::get_string(&payload, &property.replace('.', "\\.")))
        .flatten()
        .or_else(|| gocompat::gjson::get_string(&payload, property));
    hit.map(SecretBytes::from)
        .ok_or_else(|| Error::Invalid(format!("key {property} does not exist in secret {}", r.key)))
}

/// ESO's `GetSecretMap` after `GetSecret`: the JSON object exploded into keys.
fn explode(v: &SecretBytes, key: &str) -> Result<DataMap, Error> {
    esutils::explode::json_object_to_map(v.expose())
        .map_err(|e| Error::Invalid(format!("unable to unmarshal secret {key}: {e}")))
}

fn value(p: &Payload) -> &Value {
    match p {
        Payload::Aws(v) => v,
        _ => unreachable!("an AWS client only sees AWS payloads"),
    }
}

/// Tags as ESO returns them for `metadataPolicy: Fetch`: Go's `json.Marshal` of a
/// `map[string]string` (sorted keys, HTML-escaped).
fn tags_json<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> SecretBytes {
    let map: serde_json::Map<String, serde_json::Value> = tags
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
        .collect();
    SecretBytes::from(gocompat::json::marshal(&serde_json::Value::Object(map), true).as_str())
}

/// Results of reads by remote id (secret id or parameter name).
type Results = Vec<(String, Result<Arc<Payload>, Error>)>;

/// Current values read this run, by remote id: `find` and reads share them, so no value is
/// fetched twice in one run.
#[derive(Debug, Default)]
struct Cache(std::sync::Mutex<std::collections::HashMap<String, Arc<Payload>>>);

impl Cache {
    /// Reads `ids` through the cache: `fetch` gets the ids not cached yet, its successes are
    /// kept.
    async fn read<F: Future<Output = Results>>(
        &self,
        ids: &[String],
        fetch: impl FnOnce(Vec<String>) -> F,
    ) -> Results {
        let mut out = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        {
            let cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
            for id in ids {
                match cache.get(id) {
                    Some(p) => out.push((id.clone(), Ok(p.clone()))),
                    None => missing.push(id.clone()),
                }
            }
        }
        if missing.is_empty() {
            return out;
        }
        let fetched = fetch(missing).await;
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for (id, result) in fetched {
            if let Ok(p) = &result {
                cache.insert(id.clone(), p.clone());
            }
            out.push((id, result));
        }
        out
    }
}

/// Completes one batch call's answer: `ids` it answered come from `answered`, the others (an
/// entry it did not return, an error worth ESO's exact text) are read by `single`.
async fn complete<F: Future<Output = Results>>(
    ids: Vec<String>,
    mut answered: std::collections::HashMap<String, Result<Arc<Payload>, Error>>,
    single: impl FnOnce(Vec<String>) -> F,
) -> Results {
    let mut done = Vec::with_capacity(ids.len());
    let mut rest = Vec::new();
    for id in ids {
        match answered.remove(&id) {
            Some(r) => done.push((id, r)),
            None => rest.push(id),
        }
    }
    if !rest.is_empty() {
        done.extend(single(rest).await);
    }
    done
}

/// Runs `batch` over `ids` in chunks of `size`: the first chunk alone (so a denied batch API
/// is found out once, not once per chunk), then the others concurrently.
async fn in_batches<F: Future<Output = Results>>(
    ids: Vec<String>,
    size: usize,
    batch: impl Fn(Vec<String>) -> F,
) -> Results {
    let mut chunks = ids.chunks(size).map(<[String]>::to_vec);
    let Some(first) = chunks.next() else {
        return Vec::new();
    };
    let mut out = batch(first).await;
    let rest = futures_util::future::join_all(chunks.map(batch)).await;
    out.extend(rest.into_iter().flatten());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_account_without_namespace_is_the_external_secrets() {
        let spec = |sa: serde_json::Value| -> AwsProvider {
            serde_json::from_value(serde_json::json!({"service": "SecretsManager",
                "region": "eu-west-1", "auth": {"jwt": {"serviceAccountRef": sa}}}))
            .unwrap()
        };
        let bare = spec(serde_json::json!({"name": "eso"}));
        assert!(depends_on_namespace(StoreKind::ClusterSecretStore, &bare));
        assert!(!depends_on_namespace(StoreKind::SecretStore, &bare));
        let pinned = spec(serde_json::json!({"name": "eso", "namespace": "platform"}));
        assert!(!depends_on_namespace(
            StoreKind::ClusterSecretStore,
            &pinned
        ));
    }

    fn value(string: Option<&str>, binary: Option<&str>) -> Value {
        Value {
            string: string.map(SecretBytes::from),
            binary: binary.map(SecretBytes::from),
        }
    }

    fn rr(key: &str, property: Option<&str>) -> RemoteRef {
        RemoteRef {
            key: key.into(),
            property: property.map(str::to_string),
            ..Default::default()
        }
    }

    fn get(v: &Value, property: Option<&str>) -> Result<String, Error> {
        get_secret(v, &rr("k", property), "no value for key")
            .map(|b| String::from_utf8(b.expose().to_vec()).unwrap())
    }

    // ESO secretsmanager_test.go TestSecretsManagerGetSecret (semantics TV23).
    #[test]
    fn selection_matches_eso_secrets_manager() {
        let v = value(Some(r#"{"/shmoo": "bang"}"#), None);
        assert_eq!(get(&v, Some("/shmoo")), Ok("bang".into()));
        let e = get(&v, Some("INVALPROP")).unwrap_err();
        assert_eq!(e.to_string(), "key INVALPROP does not exist in secret k");
        let e = get(&value(Some("------"), None), Some("INVALPROP")).unwrap_err();
        assert_eq!(e.to_string(), "key INVALPROP does not exist in secret k");
        assert_eq!(
            get(&value(None, Some("yesplease")), None),
            Ok("yesplease".into())
        );
        assert_eq!(
            get(&value(None, None), None).unwrap_err().to_string(),
            "no value for key: k"
        );
        let nested = value(None, Some(r#"{"foobar":{"baz":"nestedval"}}"#));
        assert_eq!(get(&nested, Some("foobar.baz")), Ok("nestedval".into()));
        let dotted = value(None, Some(r#"{"foobar.baz":"nestedval"}"#));
        assert_eq!(get(&dotted, Some("foobar.baz")), Ok("nestedval".into()));
        // Without a property the string wins; with one the binary does.
        let both = value(Some(r#"{"a":"s"}"#), Some(r#"{"a":"b"}"#));
        assert_eq!(get(&both, None), Ok(r#"{"a":"s"}"#.into()));
        assert_eq!(get(&both, Some("a")), Ok("b".into()));
        // Numbers render as gjson's String().
        let n = value(Some(r#"{"port": 5432, "ratio": 1.50}"#), None);
        assert_eq!(get(&n, Some("port")), Ok("5432".into()));
        assert_eq!(get(&n, Some("ratio")), Ok("1.5".into()));
    }

    // ESO TestGetSecretMap (semantics TV24).
    #[test]
    fn secret_map_matches_eso() {
        let map = |s: &str| {
            let v = get_secret(&value(Some(s), None), &rr("k", None), "nil").unwrap();
            explode(&v, "k").map(|m| {
                m.into_iter()
                    .map(|(k, v)| (k, String::from_utf8(v.expose().to_vec()).unwrap()))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            map(r#"{"foobar":{"baz":"nestedval"}}"#).unwrap(),
            [("foobar".into(), r#"{"baz":"nestedval"}"#.into())]
        );
        assert_eq!(
            map(r#"{ "port" : 3306, "ratio": 1.50, "x": null }"#).unwrap(),
            [
                ("port".to_string(), "3306".to_string()),
                ("ratio".into(), "1.50".into()),
                ("x".into(), String::new())
            ]
        );
        let e = map("-----------------").unwrap_err().to_string();
        assert!(e.starts_with("unable to unmarshal secret k: "), "{e}");
    }

    #[test]
    fn tags_are_go_json() {
        let t = tags_json([("b", "<x>"), ("a", "1")]);
        assert_eq!(t.expose(), br#"{"a":"1","b":"\u003cx\u003e"}"#);
    }

    #[test]
    fn retry_settings_map_onto_the_sdk_as_eso_does() {
        assert_eq!(retry_config(None).unwrap().max_attempts(), 3);
        let s = RetrySettings {
            max_retries: Some(5),
            retry_interval: Some("10ms".into()),
        };
        let c = retry_config(Some(&s)).unwrap();
        assert_eq!(c.max_attempts(), 5);
        assert_eq!(c.initial_backoff(), Duration::from_millis(10));
        let s = RetrySettings {
            max_retries: None,
            retry_interval: Some("soon".into()),
        };
        assert!(retry_config(Some(&s)).is_err());
        let s = RetrySettings {
            max_retries: Some(0),
            retry_interval: None,
        };
        assert_eq!(retry_config(Some(&s)).unwrap().max_attempts(), 1);
    }

    #[test]
    fn regions_resolve_as_in_the_sdk() {
        assert!(region_resolves(AwsService::SecretsManager, "eu-west-1"));
        assert!(region_resolves(AwsService::ParameterStore, "us-gov-west-1"));
        assert!(!region_resolves(AwsService::SecretsManager, ""));
        assert!(!region_resolves(AwsService::ParameterStore, "not a region"));
    }

    #[test]
    fn sanitize_drops_request_ids() {
        assert_eq!(sanitize("boom, request id: 1234-abc, more"), "boom,  more");
    }
}
