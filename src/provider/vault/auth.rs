//! How a store logs in to Vault, as ESO's `providers/v1/vault/auth*.go` do it: the first
//! configured method in ESO's order (token, AppRole, Kubernetes, LDAP, userpass, JWT, cert, IAM
//! (in `iam.rs`), GCP), credentials read from Secrets of the input (plain or SOPS-decrypted)
//! exactly as ESO's `resolvers.SecretKeyRef` reads them from the cluster, and the login request
//! each method's Go helper sends.
//!
//! Credentials are resolved when the client is built, so a missing Secret fails before any
//! request; the login itself happens on first use (see `Client::token` in the parent module).

use http::HeaderValue;
use zeroize::Zeroizing;

use crate::cluster::{self, Cluster};
use crate::manifest::Sources;
use crate::manifest::model::{SecretKeySelector, ServiceAccountSelector, StoreKind, VaultProvider};
use crate::provider::{Error, secret_key_ref};
use crate::secret::SecretBytes;

/// Where a pod's service-account token is mounted (ESO's `serviceAccTokenPath`).
const SERVICE_ACCOUNT_TOKEN_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/// Overrides the mounted token path (`/var/run/secrets/kubernetes.io/serviceaccount/token`), for projected tokens mounted elsewhere (and tests).
pub const SERVICE_ACCOUNT_TOKEN_ENV: &str = "ESO_RENDER_SERVICE_ACCOUNT_TOKEN_FILE";

/// A configured login.
#[derive(Debug)]
pub enum Method {
    /// No `auth`: like Vault's Go client, the `VAULT_TOKEN` environment variable if set.
    None(Option<HeaderValue>),
    /// `tokenSecretRef`: used as is, checked once with `auth/token/lookup-self`.
    Token(HeaderValue),
    /// A login request: `POST auth/<mount>/login[/<user>]` with a JSON body.
    Login(Login),
}

#[derive(Debug)]
pub struct Login {
    /// `appRole`, `kubernetes`, … for messages.
    pub method: &'static str,
    /// The logical path, e.g. `auth/approle/login`.
    pub path: String,
    pub body: Body,
    /// `auth.cert`: the client certificate and key presented in the TLS handshake.
    pub identity: Option<(SecretBytes, SecretBytes)>,
}

/// What a login sends.
#[derive(Debug)]
pub enum Body {
    /// A fixed JSON body (it holds the credential).
    Json(SecretBytes),
    /// `auth.iam`: a request signed anew at each login.
    AwsIam(Box<super::iam::IamLogin>),
    /// `{"role", "jwt"}` with a service-account token requested at each login.
    ServiceAccount(ServiceAccountJwt),
}

/// A service-account token from the TokenRequest API, as ESO requests it for
/// `kubernetes.serviceAccountRef` and `jwt.kubernetesServiceAccountToken`.
#[derive(Debug)]
pub struct ServiceAccountJwt {
    pub namespace: String,
    pub name: String,
    pub audiences: Vec<String>,
    pub expiration_seconds: i64,
    pub role: String,
    /// The store field, for errors.
    pub field: &'static str,
    /// `kubernetes`: when TokenRequest fails, ESO falls back to the token Secret listed in the
    /// ServiceAccount (clusters before 1.24).
    pub legacy_fallback: bool,
}

impl ServiceAccountJwt {
    fn new(
        sel: &ServiceAccountSelector,
        kind: StoreKind,
        es_namespace: &str,
        extra_audiences: &[String],
        expiration_seconds: i64,
        role: &str,
        field: &'static str,
    ) -> Self {
        Self {
            namespace: crate::provider::service_account_namespace(sel, kind, es_namespace),
            name: sel.name.clone(),
            audiences: sel
                .audiences
                .iter()
                .chain(extra_audiences)
                .cloned()
                .collect(),
            expiration_seconds,
            role: role.to_string(),
            field,
            legacy_fallback: false,
        }
    }

    /// The login body with a fresh token.
    pub async fn body(&self, cluster: &Cluster) -> Result<SecretBytes, Error> {
        let token = match cluster
            .service_account_token(
                &self.namespace,
                &self.name,
                &self.audiences,
                Some(self.expiration_seconds),
            )
            .await
        {
            Ok(t) if !t.is_empty() => t,
            Err(cluster::Error::NoAccess(m)) => return Err(config(self.field, &m)),
            first => {
                let first = match first {
                    Err(e) => e.to_string(),
                    Ok(_) => "the answer carries no token".into(),
                };
                let fallback = if self.legacy_fallback {
                    cluster
                        .legacy_service_account_token(&self.namespace, &self.name)
                        .await
                        .map_err(|e| format!("{first}; then {e}"))
                } else {
                    Err(first)
                };
                fallback.map_err(|m| {
                    Error::Backend(format!(
                        "cannot request Kubernetes service account token for service account \
                         {:?} in namespace {:?} (spec.provider.vault.auth.{}): {m}",
                        self.name, self.namespace, self.field
                    ))
                })?
            }
        };
        Ok(secret_json(
            serde_json::json!({"role": self.role, "jwt": token.as_str()}),
        ))
    }
}

/// Resolves the store's credentials. `field` of a config error is the store field to fix.
pub fn method(
    spec: &VaultProvider,
    kind: StoreKind,
    es_namespace: &str,
    sources: &Sources,
) -> Result<Method, Error> {
    let Some(auth) = &spec.auth else {
        let env = std::env::var("VAULT_TOKEN").ok().filter(|t| !t.is_empty());
        let header = env
            .map(|t| {
                token_header(t.as_bytes())
                    .map_err(|m| config("", &format!("the VAULT_TOKEN environment variable {m}")))
            })
            .transpose()?;
        return Ok(Method::None(header));
    };
    let read = |sel: &SecretKeySelector, field: &str| {
        secret(sel, &format!("auth.{field}"), kind, es_namespace, sources)
    };
    let login = |method: &'static str, mount: &str, user: Option<&str>, body: serde_json::Value| {
        let mut path = format!("auth/{mount}/login");
        if let Some(u) = user {
            path.push('/');
            path.push_str(u);
        }
        let body = Body::Json(secret_json(body));
        Login {
            method,
            path,
            body,
            identity: None,
        }
    };
    // Credentials are text to Go (`string(bytes)`); the copies are wiped when dropped.
    let text = |b: SecretBytes| Zeroizing::new(String::from_utf8_lossy(b.expose()).into_owned());

    if let Some(sel) = &auth.token_secret_ref {
        let token = read(sel, "tokenSecretRef")?;
        return token_header(token.expose())
            .map(Method::Token)
            .map_err(|m| config("tokenSecretRef", &format!("the token {m}")));
    }
    if let Some(a) = &auth.app_role {
        let role_id = if !a.role_id.is_empty() {
            Zeroizing::new(a.role_id.trim().to_string())
        } else if let Some(r) = &a.role_ref {
            text(read(r, "appRole.roleRef")?)
        } else {
            return Err(config(
                "appRole",
                "invalid Auth.AppRole: neither `roleId` nor `roleRef` was supplied",
            ));
        };
        let secret_id = text(read(&a.secret_ref, "appRole.secretRef")?);
        return Ok(Method::Login(login(
            "appRole",
            &a.path,
            None,
            serde_json::json!({"role_id": role_id.as_str(), "secret_id": secret_id.as_str()}),
        )));
    }
    if let Some(k) = &auth.kubernetes {
        let jwt = if let Some(sa) = &k.service_account_ref {
            // ESO asks for 10 minutes with the selector's audiences only.
            let mut request = ServiceAccountJwt::new(
                sa,
                kind,
                es_namespace,
                &[],
                600,
                &k.role,
                "kubernetes.serviceAccountRef",
            );
            request.legacy_fallback = true;
            return Ok(Method::Login(Login {
                method: "kubernetes",
                path: format!("auth/{}/login", k.mount_path),
                body: Body::ServiceAccount(request),
                identity: None,
            }));
        } else if let Some(sel) = &k.secret_ref {
            let mut sel = sel.clone();
            if sel.key.is_empty() {
                sel.key = "token".into();
            }
            text(read(&sel, "kubernetes.secretRef")?)
        } else {
            mounted_token()?
        };
        return Ok(Method::Login(login(
            "kubernetes",
            &k.mount_path,
            None,
            serde_json::json!({"role": k.role, "jwt": jwt.as_str()}),
        )));
    }
    if let Some(l) = &auth.ldap {
        let password = text(read(&l.secret_ref, "ldap.secretRef")?);
        return Ok(Method::Login(login(
            "ldap",
            &l.path,
            Some(l.username.trim()),
            serde_json::json!({ "password": password.as_str() }),
        )));
    }
    if let Some(u) = &auth.user_pass {
        let password = text(read(&u.secret_ref, "userPass.secretRef")?);
        return Ok(Method::Login(login(
            "userPass",
            &u.path,
            Some(u.username.trim()),
            serde_json::json!({ "password": password.as_str() }),
        )));
    }
    if let Some(j) = &auth.jwt {
        let jwt = if let Some(sel) = &j.secret_ref {
            text(read(sel, "jwt.secretRef")?)
        } else if let Some(t) = &j.kubernetes_service_account_token {
            // ESO adds `audiences` (default `vault`) to the selector's and asks for
            // `expirationSeconds` (default 10 minutes).
            let extra = t.audiences.clone().unwrap_or_else(|| vec!["vault".into()]);
            let request = ServiceAccountJwt::new(
                &t.service_account_ref,
                kind,
                es_namespace,
                &extra,
                t.expiration_seconds.unwrap_or(600),
                j.role.trim(),
                "jwt.kubernetesServiceAccountToken",
            );
            return Ok(Method::Login(Login {
                method: "jwt",
                path: format!("auth/{}/login", j.path),
                body: Body::ServiceAccount(request),
                identity: None,
            }));
        } else {
            return Err(config(
                "jwt",
                "neither `secretRef` nor `kubernetesServiceAccountToken` was supplied as token \
                 source for jwt authentication",
            ));
        };
        return Ok(Method::Login(login(
            "jwt",
            &j.path,
            None,
            serde_json::json!({"role": j.role.trim(), "jwt": jwt.as_str()}),
        )));
    }
    if let Some(c) = &auth.cert {
        // The certificate itself is presented in the TLS handshake (see `client_identity`).
        let mount = if c.path.is_empty() { "cert" } else { &c.path };
        let body = if c.vault_role.is_empty() {
            serde_json::json!({})
        } else {
            serde_json::json!({ "name": c.vault_role })
        };
        // ESO reads the key first, then the certificate.
        let key = read(&c.secret_ref, "cert.secretRef")?;
        let cert = read(&c.client_cert, "cert.clientCert")?;
        let mut l = login("cert", mount, None, body);
        l.identity = Some((cert, key));
        return Ok(Method::Login(l));
    }
    if let Some(i) = &auth.iam {
        let mount = if i.path.is_empty() { "aws" } else { &i.path };
        let iam = super::iam::IamLogin::new(i, kind, es_namespace, sources)?;
        return Ok(Method::Login(Login {
            method: "iam",
            path: format!("auth/{mount}/login"),
            body: Body::AwsIam(Box::new(iam)),
            identity: None,
        }));
    }
    if auth.gcp.is_some() {
        return Err(Error::Unsupported("vault (auth.gcp)".into()));
    }
    Err(config(
        "",
        "cannot initialize Vault client: no valid auth method specified",
    ))
}

/// A login body that holds a credential, as bytes that are wiped when dropped; the JSON value's
/// strings are wiped too.
pub(super) fn secret_json(body: serde_json::Value) -> SecretBytes {
    let text = body.to_string();
    crate::esutils::value::scrub(body);
    SecretBytes::from(text)
}

/// A token as the `X-Vault-Token` header, marked sensitive so it never prints. Go refuses to
/// send a header value with a line break (a token Secret ending in a newline); so does this.
pub fn token_header(token: &[u8]) -> Result<HeaderValue, &'static str> {
    let mut h = HeaderValue::from_bytes(token)
        .map_err(|_| "is not a valid HTTP header value (does it end with a newline?)")?;
    h.set_sensitive(true);
    Ok(h)
}

/// The TLS client certificate and key the store presents: those of `auth.cert` when it is the
/// login, else `tls` (ESO sets the login's as the transport's `GetClientCertificate`, which Go
/// prefers).
pub fn client_identity(
    spec: &VaultProvider,
    method: &Method,
    kind: StoreKind,
    es_namespace: &str,
    sources: &Sources,
) -> Result<Option<(SecretBytes, SecretBytes)>, Error> {
    if let Method::Login(Login {
        identity: Some(id), ..
    }) = method
    {
        return Ok(Some(id.clone()));
    }
    let tls = &spec.client_tls;
    let (Some(cert), Some(key)) = (&tls.cert_secret_ref, &tls.key_secret_ref) else {
        return Ok(None);
    };
    let with_default = |sel: &SecretKeySelector, default: &str| {
        let mut sel = sel.clone();
        if sel.key.is_empty() {
            sel.key = default.into();
        }
        sel
    };
    let key = secret(
        &with_default(key, "tls.key"),
        "tls.keySecretRef",
        kind,
        es_namespace,
        sources,
    )?;
    let cert = secret(
        &with_default(cert, "tls.crt"),
        "tls.certSecretRef",
        kind,
        es_namespace,
        sources,
    )?;
    Ok(Some((cert, key)))
}

/// A key of a Secret of the input; a failure is a config error at `spec.provider.vault.<field>`.
pub(super) fn secret(
    sel: &SecretKeySelector,
    field: &str,
    kind: StoreKind,
    es_namespace: &str,
    sources: &Sources,
) -> Result<SecretBytes, Error> {
    secret_key_ref(sel, kind, es_namespace, sources).map_err(|message| Error::Config {
        field: format!("spec.provider.vault.{field}"),
        message,
    })
}

/// ESO's `isReferentSpec`: a ClusterSecretStore whose credentials name no namespace reads them
/// from each ExternalSecret's namespace.
pub fn is_referent(spec: &VaultProvider) -> bool {
    let Some(a) = &spec.auth else {
        return false;
    };
    let none = |s: &SecretKeySelector| s.namespace.is_none();
    a.token_secret_ref.as_ref().is_some_and(none)
        || a.app_role.as_ref().is_some_and(|r| none(&r.secret_ref))
        || a.kubernetes.as_ref().is_some_and(|k| {
            k.secret_ref.as_ref().is_some_and(none)
                || k.service_account_ref
                    .as_ref()
                    .is_some_and(|s| s.namespace.is_none())
        })
        || a.ldap.as_ref().is_some_and(|l| none(&l.secret_ref))
        || a.user_pass.as_ref().is_some_and(|u| none(&u.secret_ref))
        || a.jwt.as_ref().is_some_and(|j| {
            j.secret_ref.as_ref().is_some_and(none)
                || j.kubernetes_service_account_token
                    .as_ref()
                    .is_some_and(|t| t.service_account_ref.namespace.is_none())
        })
        || a.cert.as_ref().is_some_and(|c| none(&c.secret_ref))
        || a.iam.as_ref().is_some_and(|i| {
            i.jwt
                .as_ref()
                .and_then(|j| j.service_account_ref.as_ref())
                .is_some_and(|s| s.namespace.is_none())
                || i.secret_ref.as_ref().is_some_and(|r| {
                    none(&r.access_key_id)
                        || none(&r.secret_access_key)
                        || r.session_token.as_ref().is_some_and(none)
                })
        })
}

fn config(field: &str, message: &str) -> Error {
    let field = if field.is_empty() {
        "spec.provider.vault.auth".to_string()
    } else {
        format!("spec.provider.vault.auth.{field}")
    };
    Error::Config {
        field,
        message: message.into(),
    }
}

/// The pod's service-account token, as ESO reads it when `auth.kubernetes` names no source.
fn mounted_token() -> Result<Zeroizing<String>, Error> {
    let path = std::env::var(SERVICE_ACCOUNT_TOKEN_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| SERVICE_ACCOUNT_TOKEN_PATH.to_string());
    std::fs::read(&path)
        .map(|b| Zeroizing::new(String::from_utf8_lossy(&Zeroizing::new(b)).into_owned()))
        .map_err(|e| {
            config(
                "kubernetes",
                &format!(
                    "cannot read Kubernetes service account token from file system: {path}: {e} \
                     (outside a pod, set auth.kubernetes.secretRef, or {SERVICE_ACCOUNT_TOKEN_ENV})"
                ),
            )
        })
}
