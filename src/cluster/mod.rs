//! Access to a Kubernetes cluster, for what a manifest cannot carry: service-account tokens from
//! the TokenRequest API. `render` works offline; the cluster is contacted only when a store needs
//! it, and then found as kubectl finds it: `--kubeconfig`, else `KUBECONFIG` or
//! `~/.kube/config` (with `--context` or the current context), else the pod's in-cluster
//! configuration.

use std::path::PathBuf;
use std::sync::Arc;

use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use kube::api::{Api, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use zeroize::Zeroizing;

/// Why the cluster could not give what was asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// No configuration, or one that cannot be used: the user's to fix.
    #[error("{0}")]
    NoAccess(Arc<str>),
    /// The API server refused or could not be reached.
    #[error("{0}")]
    Api(String),
}

/// Where the cluster is (the `--kubeconfig` and `--context` flags).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

/// A lazily connected cluster, shared by every store of a run.
#[derive(Default)]
pub struct Cluster {
    options: Options,
    client: tokio::sync::OnceCell<Result<kube::Client, Arc<str>>>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("options", &self.options)
            .field("connected", &self.client.initialized())
            .finish()
    }
}

impl Cluster {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            client: tokio::sync::OnceCell::new(),
        }
    }

    /// The client, built on first use; the error says how to give cluster access.
    async fn client(&self) -> Result<kube::Client, Error> {
        let result = self
            .client
            .get_or_init(|| async {
                connect(&self.options).await.map_err(|e| {
                    Arc::from(format!(
                        "no access to a Kubernetes cluster: {e} (give one with --kubeconfig, \
                         KUBECONFIG or ~/.kube/config, and --context, or run in a pod)"
                    ))
                })
            })
            .await;
        result.clone().map_err(Error::NoAccess)
    }

    /// Whether a cluster is configured (the connection itself is tried by the first call).
    pub async fn reachable(&self) -> Result<(), Error> {
        self.client().await.map(|_| ())
    }

    /// The annotations of ServiceAccount `namespace/name`.
    pub async fn service_account_annotations(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<std::collections::BTreeMap<String, String>, Error> {
        let sa = Api::<ServiceAccount>::namespaced(self.client().await?, namespace)
            .get(name)
            .await
            .map_err(|e| {
                Error::Api(format!(
                    "cannot get Kubernetes service account {name:?} in namespace \
                     {namespace:?}: {}",
                    api_error(&e)
                ))
            })?;
        Ok(sa.metadata.annotations.unwrap_or_default())
    }

    /// A token for `namespace/name` from the TokenRequest API (`serviceaccounts/token`);
    /// without an expiration the API server's default applies (one hour).
    pub async fn service_account_token(
        &self,
        namespace: &str,
        name: &str,
        audiences: &[String],
        expiration_seconds: Option<i64>,
    ) -> Result<Zeroizing<String>, Error> {
        let api: Api<ServiceAccount> = Api::namespaced(self.client().await?, namespace);
        let request = TokenRequest {
            spec: TokenRequestSpec {
                audiences: audiences.to_vec(),
                expiration_seconds,
                ..Default::default()
            },
            ..Default::default()
        };
        let answer = api
            .create_token_request(name, &PostParams::default(), &request)
            .await
            .map_err(|e| Error::Api(api_error(&e)))?;
        Ok(Zeroizing::new(
            answer.status.map(|s| s.token).unwrap_or_default(),
        ))
    }

    /// The `token` of the first readable Secret listed in the ServiceAccount's `secrets` (the
    /// long-lived tokens of clusters before 1.24), as ESO's `secretKeyRefForServiceAccount`.
    pub async fn legacy_service_account_token(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Zeroizing<String>, Error> {
        let client = self.client().await?;
        let sa = Api::<ServiceAccount>::namespaced(client.clone(), namespace)
            .get(name)
            .await
            .map_err(|e| {
                Error::Api(format!(
                    "cannot get Kubernetes service account {name:?}: {}",
                    api_error(&e)
                ))
            })?;
        let refs = sa.secrets.unwrap_or_default();
        if refs.is_empty() {
            return Err(Error::Api(format!(
                "cannot find secrets bound to service account: {name:?}"
            )));
        }
        let secrets: Api<Secret> = Api::namespaced(client, namespace);
        for r in refs {
            let Some(secret_name) = r.name else { continue };
            let Ok(secret) = secrets.get(&secret_name).await else {
                continue;
            };
            if let Some(token) = secret.data.and_then(|mut d| d.remove("token")) {
                return Ok(Zeroizing::new(
                    String::from_utf8_lossy(&Zeroizing::new(token.0)).into_owned(),
                ));
            }
        }
        Err(Error::Api(format!(
            "cannot find token in secrets bound to service account: {name:?}"
        )))
    }
}

async fn connect(options: &Options) -> Result<kube::Client, String> {
    let kc_options = KubeConfigOptions {
        context: options.context.clone(),
        ..Default::default()
    };
    let config = match (&options.kubeconfig, &options.context) {
        (Some(path), _) => {
            let kubeconfig = Kubeconfig::read_from(path).map_err(|e| e.to_string())?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &kc_options)
                .await
                .map_err(|e| e.to_string())?
        }
        (None, Some(_)) => kube::Config::from_kubeconfig(&kc_options)
            .await
            .map_err(|e| e.to_string())?,
        (None, None) => kube::Config::infer().await.map_err(|e| e.to_string())?,
    };
    kube::Client::try_from(config).map_err(|e| e.to_string())
}

/// The API server's status (code, reason, message) or the transport failure.
fn api_error(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) => format!("{} {}: {}", s.code, s.reason, s.message),
        other => other.to_string(),
    }
}
