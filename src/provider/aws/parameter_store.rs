//! AWS SSM Parameter Store (`providers/v1/aws/parameterstore/parameterstore.go`).
//!
//! Values go through `GetParameters` (10 names a call, `WithDecryption`); a version or label
//! (`name:selector`, as ESO builds it) through `GetParameter`; `metadataPolicy: Fetch` through
//! `ListTagsForResource`. Names a batch does not answer (a rejected batch) are read with
//! `GetParameter`, so errors read as ESO's.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_sdk_ssm as ssm;
use aws_sdk_ssm::types::{ParameterStringFilter, ResourceTypeForTagging};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures_util::future::join_all;

use super::{Results, Session, Value, value};
use crate::manifest::model::Find;
use crate::provider::{Context, Error, Payload, Read};
use crate::secret::{DataMap, SecretBytes};

/// `GetParameters` takes at most 10 names.
const BATCH: usize = 10;
pub(super) const NO_VALUE: &str = "invalid secret received. parameter value is nil for key";

#[derive(Debug)]
pub struct ParameterStore {
    pub(super) session: Session,
    client: tokio::sync::OnceCell<ssm::Client>,
    /// Set when `GetParameters` is denied (it is a separate IAM action from `GetParameter`).
    batch_denied: AtomicBool,
    /// Values of plain names read this run.
    current: super::Cache,
}

impl ParameterStore {
    pub(super) fn new(session: Session) -> Self {
        Self {
            session,
            client: tokio::sync::OnceCell::new(),
            batch_denied: AtomicBool::new(false),
            current: super::Cache::default(),
        }
    }

    async fn client(&self, ctx: &Context) -> &ssm::Client {
        self.client
            .get_or_init(|| async {
                let mut b = ssm::config::Builder::from(self.session.config(ctx).await);
                if let Some(url) = super::eso_endpoint("AWS_SSM_ENDPOINT") {
                    b = b.endpoint_url(url);
                }
                ssm::Client::from_conf(b.build())
            })
            .await
    }

    /// ESO's `parameterNameWithVersion`.
    fn name(&self, r: &Read) -> String {
        match r.version.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => format!("{}{}:{v}", self.session.prefix, r.key),
            None => format!("{}{}", self.session.prefix, r.key),
        }
    }

    pub async fn read_many(
        &self,
        ctx: &Context,
        reads: Vec<Read>,
    ) -> Vec<(Read, Result<Arc<Payload>, Error>)> {
        let mut values: BTreeMap<String, Vec<Read>> = BTreeMap::new();
        let mut tags = Vec::new();
        for r in reads {
            let name = self.name(&r);
            if r.metadata {
                tags.push((name, r));
            } else {
                values.entry(name).or_default().push(r);
            }
        }
        let names: Vec<String> = values.keys().cloned().collect();
        let (batched, tagged) = tokio::join!(
            self.get_many(ctx, &names),
            join_all(tags.into_iter().map(|(name, r)| async move {
                let out = self.tags(ctx, &name).await;
                (r, out)
            })),
        );
        let mut out = Vec::new();
        for (name, result) in batched {
            for r in values.remove(&name).unwrap_or_default() {
                out.push((r, result.clone()));
            }
        }
        out.extend(tagged);
        out
    }

    /// Values of `names`: plain names in batches of 10, names with a version or label singly
    /// (a batch answer names the parameter, and only real AWS adds the selector), concurrently.
    async fn get_many(&self, ctx: &Context, names: &[String]) -> Results {
        let (selected, plain): (Vec<String>, Vec<String>) =
            names.iter().cloned().partition(|n| n.contains(':'));
        let (batched, single) = tokio::join!(
            self.current.read(&plain, |missing| {
                super::in_batches(missing, BATCH, |chunk| self.batch(ctx, chunk))
            }),
            self.get_each(ctx, selected),
        );
        batched.into_iter().chain(single).collect()
    }

    async fn batch(&self, ctx: &Context, names: Vec<String>) -> Results {
        if self.batch_denied.load(Ordering::Relaxed) || names.len() == 1 {
            return self.get_each(ctx, names).await;
        }
        let client = self.client(ctx).await;
        let response = {
            let _permit = ctx.permit().await;
            self.session.count();
            client
                .get_parameters()
                .set_names(Some(names.clone()))
                .with_decryption(true)
                .send()
                .await
        };
        let out = match response {
            Ok(out) => out,
            Err(e) => {
                if matches!(e.code(), Some("AccessDeniedException" | "AccessDenied"))
                    && !self.batch_denied.swap(true, Ordering::Relaxed)
                {
                    tracing::info!(
                        "GetParameters is not allowed; reading parameters one by one with \
                         GetParameter (grant ssm:GetParameters to batch)"
                    );
                }
                // Denied, or one bad name spoils the batch (ValidationException): read singly
                // so every name gets its own answer.
                return self.get_each(ctx, names).await;
            }
        };
        let mut results: HashMap<String, Result<Arc<Payload>, Error>> = HashMap::new();
        for p in out.parameters() {
            let Some(name) = p.name() else { continue };
            let value = Value {
                string: p.value().map(SecretBytes::from),
                binary: None,
            };
            results.insert(name.to_string(), Ok(Arc::new(Payload::Aws(value))));
        }
        for name in out.invalid_parameters() {
            results.insert(name.clone(), Err(Error::NotFound));
        }
        super::complete(names, results, |rest| self.get_each(ctx, rest)).await
    }

    async fn get_each(&self, ctx: &Context, names: Vec<String>) -> Results {
        join_all(names.into_iter().map(|name| async move {
            let out = self.get(ctx, &name).await;
            (name, out)
        }))
        .await
    }

    async fn get(&self, ctx: &Context, name: &str) -> Result<Arc<Payload>, Error> {
        let client = self.client(ctx).await;
        let _permit = ctx.permit().await;
        self.session.count();
        match client
            .get_parameter()
            .name(name)
            .with_decryption(true)
            .send()
            .await
        {
            Ok(out) => Ok(Arc::new(Payload::Aws(Value {
                string: out
                    .parameter()
                    .and_then(|p| p.value())
                    .map(SecretBytes::from),
                binary: None,
            }))),
            Err(e) if e.code() == Some("ParameterNotFound") => Err(Error::NotFound),
            Err(e) => Err(self.session.error("GetParameter", name, &e)),
        }
    }

    /// `metadataPolicy: Fetch`: the parameter's tags as a JSON object.
    async fn tags(&self, ctx: &Context, name: &str) -> Result<Arc<Payload>, Error> {
        let client = self.client(ctx).await;
        let _permit = ctx.permit().await;
        self.session.count();
        let out = client
            .list_tags_for_resource()
            .resource_type(ResourceTypeForTagging::Parameter)
            .resource_id(name)
            .send()
            .await
            .map_err(|e| self.session.error("ListTagsForResource", name, &e))?;
        let tags = out.tag_list().iter().map(|t| (t.key(), t.value()));
        Ok(Arc::new(Payload::Aws(Value {
            string: Some(super::tags_json(tags)),
            binary: None,
        })))
    }

    /// ESO `GetAllSecrets`: by name (`GetParametersByPath`, tags ignored), else by tags
    /// (`DescribeParameters`). Keys are full parameter names; the store prefix is not applied.
    pub async fn find(&self, ctx: &Context, find: &Find) -> Result<DataMap, Error> {
        if let Some(name) = &find.name {
            let matcher = crate::gocompat::regexp::compile(&name.regexp).map_err(|e| {
                Error::Invalid(format!(
                    "could not compile find.name.regexp [{}]: {e}",
                    name.regexp
                ))
            })?;
            let path = find.path.clone().unwrap_or_else(|| "/".to_string());
            return match self.by_path(ctx, &path, &matcher).await {
                Err(ByPath::Denied) => {
                    tracing::info!(
                        path,
                        "GetParametersByPath: access denied; falling back to DescribeParameters \
                         (grant ssm:GetParametersByPath to avoid it)"
                    );
                    let filters = find.path.iter().map(|p| path_filter(p)).collect();
                    let names = self.describe(ctx, filters, Some(&matcher)).await?;
                    self.values_of(ctx, names).await
                }
                Err(ByPath::Failed(e)) => Err(e),
                Ok(data) => Ok(data),
            };
        }
        if find.tags.is_empty() {
            return Err(Error::Invalid("unexpected find operator".into()));
        }
        let mut filters: Vec<ParameterStringFilter> = find
            .tags
            .iter()
            .map(|(k, v)| {
                ParameterStringFilter::builder()
                    .key(format!("tag:{k}"))
                    .option("Equals")
                    .values(v)
                    .build()
            })
            .collect::<Result<_, _>>()
            .map_err(|e| Error::Invalid(e.to_string()))?;
        filters.extend(find.path.iter().map(|p| path_filter(p)));
        let names = self.describe(ctx, filters, None).await?;
        self.values_of(ctx, names).await
    }

    async fn by_path(
        &self,
        ctx: &Context,
        path: &str,
        matcher: &crate::gocompat::regexp::Regexp,
    ) -> Result<DataMap, ByPath> {
        let client = self.client(ctx).await;
        let mut data = DataMap::new();
        let mut token = None;
        loop {
            let response = {
                let _permit = ctx.permit().await;
                self.session.count();
                client
                    .get_parameters_by_path()
                    .path(path)
                    .recursive(true)
                    .with_decryption(true)
                    .set_next_token(token.take())
                    .send()
                    .await
            };
            let out = match response {
                Ok(out) => out,
                Err(e) if e.code() == Some("AccessDeniedException") => return Err(ByPath::Denied),
                Err(e) => {
                    let err = self.session.error("GetParametersByPath", path, &e);
                    return Err(ByPath::Failed(Error::Backend(format!(
                        "fetching parameters by path {path}: {err}"
                    ))));
                }
            };
            for p in out.parameters() {
                if let Some(name) = p.name()
                    && matcher.is_match(name)
                {
                    data.insert(
                        name.to_string(),
                        SecretBytes::from(p.value().unwrap_or_default()),
                    );
                }
            }
            token = out.next_token;
            if token.is_none() {
                return Ok(data);
            }
        }
    }

    /// `DescribeParameters` with `filters`, paginated: the matching names.
    async fn describe(
        &self,
        ctx: &Context,
        filters: Vec<ParameterStringFilter>,
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
                    .describe_parameters()
                    .set_parameter_filters(Some(filters.clone()).filter(|f| !f.is_empty()))
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| self.session.error("DescribeParameters", "", &e))?
            };
            for p in out.parameters() {
                if let Some(name) = p.name()
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

    /// ESO's `fetchAndSet` for every name, batched: any failure (a missing parameter too) fails
    /// the find.
    async fn values_of(&self, ctx: &Context, names: Vec<String>) -> Result<DataMap, Error> {
        let mut data = DataMap::new();
        for (name, result) in self.get_many(ctx, &names).await {
            match result {
                Ok(p) => {
                    let v = value(&p)
                        .string
                        .clone()
                        .unwrap_or_else(|| SecretBytes::from(""));
                    data.insert(name, v);
                }
                Err(Error::NotFound) => {
                    return Err(Error::Backend(format!(
                        "GetParameter {name:?}: ParameterNotFound"
                    )));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(data)
    }
}

enum ByPath {
    Denied,
    Failed(Error),
}

fn path_filter(path: &str) -> ParameterStringFilter {
    ParameterStringFilter::builder()
        .key("Path")
        .option("Recursive")
        .values(path)
        .build()
        .expect("the key is set")
}
