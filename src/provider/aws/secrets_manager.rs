//! AWS Secrets Manager (`providers/v1/aws/secretsmanager/secretsmanager.go`).
//!
//! Reads of the current version go through `BatchGetSecretValue` (20 ids a call); versions and
//! stages through `GetSecretValue`; `metadataPolicy: Fetch` through `DescribeSecret`. A per-run
//! cache of current values serves `find` by name, which ESO fetches one by one.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_sdk_secretsmanager as sm;
use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures_util::future::join_all;

use super::{Results, Session, Value, value};
use crate::manifest::model::Find;
use crate::provider::{Context, Error, Payload, Read};
use crate::secret::{DataMap, SecretBytes};

/// `BatchGetSecretValue` takes at most 20 ids.
const BATCH: usize = 20;
pub(super) const NO_VALUE: &str = "invalid secret received. no secret string nor binary for key";

#[derive(Debug)]
pub struct SecretsManager {
    pub(super) session: Session,
    client: tokio::sync::OnceCell<sm::Client>,
    /// Set when `BatchGetSecretValue` is denied: single reads for the rest of the run.
    batch_denied: AtomicBool,
    /// Current versions read this run, by secret id.
    current: super::Cache,
}

/// Which version a read asks for, as ESO maps `remoteRef.version`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Version {
    /// Empty or `AWSCURRENT`: what the batch API returns.
    Current,
    Stage(String),
    /// `uuid/<id>`.
    Id(String),
}

impl Version {
    fn of(v: Option<&str>) -> Self {
        match v {
            None | Some("" | "AWSCURRENT") => Version::Current,
            Some(v) => match v.strip_prefix("uuid/") {
                Some(id) => Version::Id(id.to_string()),
                None => Version::Stage(v.to_string()),
            },
        }
    }
}

impl SecretsManager {
    pub(super) fn new(session: Session) -> Self {
        Self {
            session,
            client: tokio::sync::OnceCell::new(),
            batch_denied: AtomicBool::new(false),
            current: super::Cache::default(),
        }
    }

    async fn client(&self, ctx: &Context) -> &sm::Client {
        self.client
            .get_or_init(|| async {
                let mut b = sm::config::Builder::from(self.session.config(ctx).await);
                if let Some(url) = super::eso_endpoint("AWS_SECRETSMANAGER_ENDPOINT") {
                    b = b.endpoint_url(url);
                }
                sm::Client::from_conf(b.build())
            })
            .await
    }

    pub async fn read_many(
        &self,
        ctx: &Context,
        reads: Vec<Read>,
    ) -> Vec<(Read, Result<Arc<Payload>, Error>)> {
        let mut current: BTreeMap<String, Vec<Read>> = BTreeMap::new();
        let mut single = Vec::new();
        let mut metadata = Vec::new();
        for r in reads {
            let id = format!("{}{}", self.session.prefix, r.key);
            if r.metadata {
                metadata.push((id, r));
            } else {
                match Version::of(r.version.as_deref()) {
                    Version::Current => current.entry(id).or_default().push(r),
                    v => single.push((id, v, r)),
                }
            }
        }
        let ids: Vec<String> = current.keys().cloned().collect();
        let (batched, singles, described) = tokio::join!(
            self.current_many(ctx, &ids),
            join_all(single.into_iter().map(|(id, v, r)| async move {
                let out = self.get_value(ctx, &id, &v).await;
                (r, out)
            })),
            join_all(metadata.into_iter().map(|(id, r)| async move {
                let out = self.describe(ctx, &id).await;
                (r, out)
            })),
        );
        let mut out = Vec::new();
        for (id, result) in batched {
            for r in current.remove(&id).unwrap_or_default() {
                out.push((r, result.clone()));
            }
        }
        out.extend(singles);
        out.extend(described);
        out
    }

    /// Current values of `ids`: from this run's cache, else in batches of 20.
    async fn current_many(&self, ctx: &Context, ids: &[String]) -> Results {
        self.current
            .read(ids, |missing| {
                super::in_batches(missing, BATCH, |chunk| self.batch(ctx, chunk))
            })
            .await
    }

    /// One `BatchGetSecretValue` call; ids it could not answer exactly (errors other than not
    /// found, entries it did not return) are read singly, so errors read as ESO's.
    async fn batch(&self, ctx: &Context, ids: Vec<String>) -> Results {
        if self.batch_denied.load(Ordering::Relaxed) {
            return self.get_each(ctx, ids).await;
        }
        let client = self.client(ctx).await;
        let response = {
            let _permit = ctx.permit().await;
            self.session.count();
            client
                .batch_get_secret_value()
                .set_secret_id_list(Some(ids.clone()))
                .send()
                .await
        };
        let out = match response {
            Ok(out) => out,
            Err(e) if batch_unavailable(e.code()) => {
                if !self.batch_denied.swap(true, Ordering::Relaxed) {
                    tracing::info!(
                        code = e.code().unwrap_or(""),
                        "BatchGetSecretValue is not allowed; reading secrets one by one with \
                         GetSecretValue (grant secretsmanager:BatchGetSecretValue to batch)"
                    );
                }
                return self.get_each(ctx, ids).await;
            }
            Err(e) => {
                let err = self
                    .session
                    .error("BatchGetSecretValue", &ids.join(","), &e);
                return ids.into_iter().map(|id| (id, Err(err.clone()))).collect();
            }
        };
        let mut results: HashMap<String, Result<Arc<Payload>, Error>> = HashMap::new();
        for v in out.secret_values() {
            let Some(id) = ids
                .iter()
                .find(|id| Some(id.as_str()) == v.name() || Some(id.as_str()) == v.arn())
            else {
                continue;
            };
            let value = Value {
                string: v.secret_string().map(SecretBytes::from),
                binary: v
                    .secret_binary()
                    .map(|b| SecretBytes::from_slice(b.as_ref())),
            };
            results.insert(id.clone(), Ok(Arc::new(Payload::Aws(value))));
        }
        for e in out.errors() {
            if let Some(id) = e.secret_id()
                && not_found(e.error_code(), e.message())
            {
                results.insert(id.to_string(), Err(Error::NotFound));
            }
        }
        super::complete(ids, results, |rest| self.get_each(ctx, rest)).await
    }

    async fn get_each(&self, ctx: &Context, ids: Vec<String>) -> Results {
        join_all(ids.into_iter().map(|id| async move {
            let out = self.get_value(ctx, &id, &Version::Current).await;
            (id, out)
        }))
        .await
    }

    /// ESO's `constructSecretValue` for values: `GetSecretValue` with a stage or a version id.
    async fn get_value(
        &self,
        ctx: &Context,
        id: &str,
        version: &Version,
    ) -> Result<Arc<Payload>, Error> {
        let client = self.client(ctx).await;
        let request = client.get_secret_value().secret_id(id);
        let request = match version {
            Version::Current => request.version_stage("AWSCURRENT"),
            Version::Stage(s) => request.version_stage(s),
            Version::Id(v) => request.version_id(v),
        };
        let _permit = ctx.permit().await;
        self.session.count();
        match request.send().await {
            Ok(out) => Ok(Arc::new(Payload::Aws(Value {
                string: out.secret_string().map(SecretBytes::from),
                binary: out
                    .secret_binary()
                    .map(|b| SecretBytes::from_slice(b.as_ref())),
            }))),
            Err(e) if not_found(e.code(), e.message()) => Err(Error::NotFound),
            Err(e) => Err(self.session.error("GetSecretValue", id, &e)),
        }
    }

    /// `metadataPolicy: Fetch`: the tags as a JSON object. ESO treats a missing secret here as
    /// an error, not as `NoSecretErr`.
    async fn describe(&self, ctx: &Context, id: &str) -> Result<Arc<Payload>, Error> {
        let client = self.client(ctx).await;
        let _permit = ctx.permit().await;
        self.session.count();
        let out = client
            .describe_secret()
            .secret_id(id)
            .send()
            .await
            .map_err(|e| self.session.error("DescribeSecret", id, &e))?;
        let tags = out
            .tags()
            .iter()
            .map(|t| (t.key().unwrap_or(""), t.value().unwrap_or("")));
        Ok(Arc::new(Payload::Aws(Value {
            string: Some(super::tags_json(tags)),
            binary: None,
        })))
    }

    /// ESO `GetAllSecrets`.
    pub async fn find(&self, ctx: &Context, find: &Find) -> Result<DataMap, Error> {
        let has_name = find.name.is_some();
        let has_tags = !find.tags.is_empty();
        let mut filters = Vec::new();
        for (k, v) in &find.tags {
            filters.push(filter(FilterNameStringType::TagKey, k));
            filters.push(filter(FilterNameStringType::TagValue, v));
        }
        let matcher = match &find.name {
            Some(n) => Some(crate::gocompat::regexp::compile(&n.regexp).map_err(|e| {
                Error::Invalid(format!(
                    "could not compile find.name.regexp [{}]: {e}",
                    n.regexp
                ))
            })?),
            None => None,
        };
        if !has_name && !has_tags {
            return Err(Error::Invalid("unexpected find operator".into()));
        }
        if let Some(path) = &find.path {
            filters.push(filter(FilterNameStringType::Name, path));
            return self.find_with_batch(ctx, filters, matcher.as_ref()).await;
        }
        if !has_name {
            return self.find_with_batch(ctx, filters, None).await;
        }
        // Name without path: ListSecrets, then the current value of every match. ESO fetches
        // each match through its GetSecret path, which prepends the store prefix once more.
        let names = self.list(ctx, &filters, matcher.as_ref()).await?;
        let pairs = names
            .into_iter()
            .map(|n| (format!("{}{n}", self.session.prefix), n))
            .collect();
        self.values_of(ctx, pairs).await
    }

    /// ESO's `fetchAndSet` for `(secret id, result key)` pairs, read in batches: the first
    /// failure fails the find.
    async fn values_of(
        &self,
        ctx: &Context,
        pairs: Vec<(String, String)>,
    ) -> Result<DataMap, Error> {
        let ids: Vec<String> = pairs.iter().map(|(id, _)| id.clone()).collect();
        let mut values: HashMap<String, Result<Arc<Payload>, Error>> =
            self.current_many(ctx, &ids).await.into_iter().collect();
        let mut data = DataMap::new();
        for (id, name) in pairs {
            match values.remove(&id) {
                Some(Ok(p)) => {
                    if let Some(v) = value_of(&p) {
                        data.insert(name, v);
                    }
                }
                Some(Err(e)) => return Err(e),
                None => return Err(Error::NotFound),
            }
        }
        Ok(data)
    }

    /// ESO `fetchWithBatch`: `BatchGetSecretValue` with filters, paginated; where the batch API
    /// is denied, the same filters through `ListSecrets` and single reads.
    async fn find_with_batch(
        &self,
        ctx: &Context,
        filters: Vec<Filter>,
        matcher: Option<&crate::gocompat::regexp::Regexp>,
    ) -> Result<DataMap, Error> {
        if !self.batch_denied.load(Ordering::Relaxed) {
            match self.batch_filtered(ctx, &filters, matcher).await {
                Err(BatchError::Unavailable) => {
                    self.batch_denied.store(true, Ordering::Relaxed);
                }
                Err(BatchError::Failed(e)) => return Err(e),
                Ok(data) => return Ok(data),
            }
        }
        let names = self.list(ctx, &filters, matcher).await?;
        let pairs = names.into_iter().map(|n| (n.clone(), n)).collect();
        self.values_of(ctx, pairs).await
    }

    async fn batch_filtered(
        &self,
        ctx: &Context,
        filters: &[Filter],
        matcher: Option<&crate::gocompat::regexp::Regexp>,
    ) -> Result<DataMap, BatchError> {
        let client = self.client(ctx).await;
        let mut data = DataMap::new();
        let mut token = None;
        loop {
            let response = {
                let _permit = ctx.permit().await;
                self.session.count();
                client
                    .batch_get_secret_value()
                    .set_filters(Some(filters.to_vec()))
                    .set_next_token(token.take())
                    .send()
                    .await
            };
            let out = match response {
                Ok(out) => out,
                Err(e) if batch_unavailable(e.code()) => return Err(BatchError::Unavailable),
                Err(e) => {
                    return Err(BatchError::Failed(self.session.error(
                        "BatchGetSecretValue",
                        &filter_text(filters),
                        &e,
                    )));
                }
            };
            for v in out.secret_values() {
                let Some(name) = v.name() else { continue };
                if matcher.is_some_and(|m| !m.is_match(name)) {
                    continue;
                }
                // Binary wins when both are set, as in ESO's setSecretValues.
                let value = v
                    .secret_binary()
                    .map(|b| SecretBytes::from_slice(b.as_ref()))
                    .or_else(|| v.secret_string().map(SecretBytes::from));
                if let Some(value) = value {
                    data.insert(name.to_string(), value);
                }
            }
            token = out.next_token;
            if token.is_none() {
                return Ok(data);
            }
        }
    }

    /// Names of the secrets `ListSecrets` returns for `filters` that match `matcher`.
    async fn list(
        &self,
        ctx: &Context,
        filters: &[Filter],
        matcher: Option<&crate::gocompat::regexp::Regexp>,
    ) -> Result<Vec<String>, Error> {
        let client = self.client(ctx).await;
        let mut names = Vec::new();
        let mut token = None;
        loop {
            let out = {
                let _permit = ctx.permit().await;
                self.session.count();
                client
                    .list_secrets()
                    .set_filters(Some(filters.to_vec()).filter(|f| !f.is_empty()))
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| self.session.error("ListSecrets", &filter_text(filters), &e))?
            };
            for s in out.secret_list() {
                if let Some(name) = s.name()
                    && matcher.is_none_or(|m| m.is_match(name))
                {
                    names.push(name.to_string());
                }
            }
            token = out.next_token;
            if token.is_none() {
                return Ok(names);
            }
        }
    }
}

enum BatchError {
    Unavailable,
    Failed(Error),
}

/// ESO's `fetchAndSet`: the binary when there is one, else the string.
fn value_of(p: &Payload) -> Option<SecretBytes> {
    let v = value(p);
    v.binary.clone().or_else(|| v.string.clone())
}

/// ESO's `NoSecretErr` cases: `ResourceNotFoundException`, and `InvalidParameterException` for a
/// secret scheduled for deletion.
fn not_found(code: Option<&str>, message: Option<&str>) -> bool {
    match code {
        Some("ResourceNotFoundException") => true,
        Some("InvalidParameterException") => {
            message.is_some_and(|m| m.contains("was marked for deletion"))
        }
        _ => false,
    }
}

/// The batch API is missing from the caller's IAM policy, or from the endpoint.
fn batch_unavailable(code: Option<&str>) -> bool {
    matches!(
        code,
        Some(
            "AccessDeniedException"
                | "AccessDenied"
                | "UnknownOperationException"
                | "InvalidAction"
                | "NotImplemented"
        )
    )
}

fn filter(key: FilterNameStringType, value: &str) -> Filter {
    Filter::builder().key(key).values(value).build()
}

fn filter_text(filters: &[Filter]) -> String {
    let parts: Vec<String> = filters
        .iter()
        .map(|f| {
            format!(
                "{}={}",
                f.key().map(|k| k.as_str()).unwrap_or(""),
                f.values().join("|")
            )
        })
        .collect();
    format!("filters[{}]", parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_map_as_in_eso() {
        assert_eq!(Version::of(None), Version::Current);
        assert_eq!(Version::of(Some("")), Version::Current);
        assert_eq!(Version::of(Some("AWSCURRENT")), Version::Current);
        assert_eq!(
            Version::of(Some("AWSPREVIOUS")),
            Version::Stage("AWSPREVIOUS".into())
        );
        assert_eq!(Version::of(Some("1234")), Version::Stage("1234".into()));
        assert_eq!(
            Version::of(Some("uuid/1234-5678")),
            Version::Id("1234-5678".into())
        );
    }

    #[test]
    fn not_found_cases() {
        assert!(not_found(Some("ResourceNotFoundException"), None));
        assert!(not_found(
            Some("InvalidParameterException"),
            Some(
                "You can't perform this operation on the secret because it was marked for deletion."
            )
        ));
        assert!(!not_found(Some("InvalidParameterException"), Some("bad")));
        assert!(!not_found(Some("InvalidRequestException"), None));
    }
}
