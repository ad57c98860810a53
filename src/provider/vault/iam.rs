//! `auth.iam`: Vault's AWS auth method, IAM flavour. The client signs an
//! `sts:GetCallerIdentity` request with AWS credentials and hands it to Vault, which sends it to
//! STS and logs in the identity STS answers with. This is what ESO does through Vault's Go helper
//! (`api/auth/aws` and `awsutil.GenerateLoginData`).
//!
//! The credentials are those of `jwt.serviceAccountRef` (the ServiceAccount's IAM role, as for
//! the AWS provider's `auth.jwt`), else `secretRef`, else the AWS SDK's default chain
//! (environment, profile, web identity, container, instance metadata: where ESO would use the
//! controller pod's IRSA or Pod Identity). When `role` is set, it is assumed first, with `externalID`. The request
//! is signed at each login, because a signature is only valid for a few minutes.

use std::sync::Arc;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::retry::RetryConfig;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::cluster::Cluster;
use crate::manifest::Sources;
use crate::manifest::model::{SecretKeySelector, StoreKind, VaultIamAuth};
use crate::provider::aws::auth::{RoleStep, ServiceAccountRole};
use crate::provider::{Error, aws};
use crate::secret::SecretBytes;

/// The region Vault's Go helper signs for when none is configured.
const DEFAULT_REGION: &str = "us-east-1";
/// The body of every `GetCallerIdentity` query request.
const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
/// The header Vault checks against its `iam_server_id_header_value`.
const SERVER_ID_HEADER: &str = "x-vault-aws-iam-server-id";

/// A resolved `auth.iam`: what each login signs with.
pub struct IamLogin {
    region: String,
    vault_role: String,
    server_id: Option<String>,
    /// From `secretRef`; `None` uses the SDK's default chain.
    credentials: Option<Credentials>,
    /// `jwt.serviceAccountRef`: the ServiceAccount's IAM role (IRSA), through the cluster.
    web_identity: Option<ServiceAccountRole>,
    /// `role` with `externalID`, assumed before signing.
    assume: Option<RoleStep>,
}

impl std::fmt::Debug for IamLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IamLogin")
            .field("region", &self.region)
            .field("vault_role", &self.vault_role)
            .field("assume", &self.assume.as_ref().map(|r| &r.arn))
            .finish_non_exhaustive()
    }
}

impl IamLogin {
    /// Reads `secretRef` from the input. As in ESO, a session token that cannot be read is left
    /// out rather than an error.
    pub fn new(
        spec: &VaultIamAuth,
        kind: StoreKind,
        es_namespace: &str,
        sources: &Sources,
    ) -> Result<Self, Error> {
        let web_identity = match &spec.jwt {
            Some(j) => Some(ServiceAccountRole::new(
                j.service_account_ref
                    .as_ref()
                    .ok_or_else(|| Error::Config {
                        field: "spec.provider.vault.auth.iam.jwt".into(),
                        message: "auth.iam.jwt needs serviceAccountRef".into(),
                    })?,
                kind,
                es_namespace,
            )),
            None => None,
        };
        // ESO prefers jwt; secretRef is then not read.
        let credentials = match spec.secret_ref.as_ref().filter(|_| web_identity.is_none()) {
            Some(r) => {
                let read = |sel: &SecretKeySelector, field: &str| {
                    super::auth::secret(
                        sel,
                        &format!("auth.iam.secretRef.{field}"),
                        kind,
                        es_namespace,
                        sources,
                    )
                    .map(|b| Zeroizing::new(String::from_utf8_lossy(b.expose()).into_owned()))
                };
                let id = read(&r.access_key_id, "accessKeyIDSecretRef")?;
                let secret = read(&r.secret_access_key, "secretAccessKeySecretRef")?;
                let token = r
                    .session_token
                    .as_ref()
                    .and_then(|sel| read(sel, "sessionTokenSecretRef").ok())
                    .map(|t| t.to_string());
                Some(Credentials::new(
                    id.as_str(),
                    secret.as_str(),
                    token,
                    None,
                    "secretRef",
                ))
            }
            None => None,
        };
        let region = if spec.region.is_empty() {
            DEFAULT_REGION.to_string()
        } else {
            spec.region.clone()
        };
        Ok(Self {
            region,
            vault_role: spec.vault_role.clone(),
            server_id: Some(spec.vault_aws_iam_server_id.clone()).filter(|s| !s.is_empty()),
            credentials,
            web_identity,
            assume: (!spec.role.is_empty()).then(|| RoleStep {
                arn: spec.role.clone(),
                external_id: Some(spec.external_id.clone()).filter(|s| !s.is_empty()),
                tags: Vec::new(),
                transitive_tag_keys: Vec::new(),
            }),
        })
    }

    /// The login request body: resolves the credentials (assuming `role`), then signs.
    pub async fn body(&self, cluster: &Arc<Cluster>) -> Result<SecretBytes, Error> {
        let roles: Vec<RoleStep> = self.assume.iter().cloned().collect();
        let base = match (&self.web_identity, &self.credentials) {
            (Some(account), _) => {
                cluster.reachable().await.map_err(|e| Error::Config {
                    field: "spec.provider.vault.auth.iam.jwt.serviceAccountRef".into(),
                    message: e.to_string(),
                })?;
                aws::Base::WebIdentity(cluster.clone(), account)
            }
            (None, Some(c)) => aws::Base::Static(c),
            (None, None) => aws::Base::Default,
        };
        let config = aws::sdk_config(&self.region, base, &roles, RetryConfig::standard()).await;
        let provider = config.credentials_provider().ok_or_else(|| Error::Config {
            field: "spec.provider.vault.auth.iam".into(),
            message: "no AWS credentials: set auth.iam.secretRef, or provide them as the AWS \
                          SDK looks for them (AWS_ACCESS_KEY_ID, AWS_PROFILE, \
                          AWS_WEB_IDENTITY_TOKEN_FILE, …)"
                .into(),
        })?;
        let credentials = provider.provide_credentials().await.map_err(|e| {
            Error::Backend(format!(
                "cannot log in to Vault with auth.iam: no AWS credentials: {}",
                aws::sanitize(&DisplayErrorContext(&e).to_string())
            ))
        })?;
        login_data(
            &credentials,
            &self.region,
            self.server_id.as_deref(),
            &self.vault_role,
            SystemTime::now(),
        )
    }
}

/// The STS endpoint Vault's Go helper signs for: the AWS SDK for Go v1's resolver with its
/// default legacy setting, which keeps the global endpoint for the regions that had it.
fn sts_url(region: &str) -> String {
    const LEGACY_GLOBAL: [&str; 15] = [
        "ap-northeast-1",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ca-central-1",
        "eu-central-1",
        "eu-north-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ];
    if LEGACY_GLOBAL.contains(&region) {
        "https://sts.amazonaws.com/".to_string()
    } else if region.starts_with("cn-") {
        format!("https://sts.{region}.amazonaws.com.cn/")
    } else {
        format!("https://sts.{region}.amazonaws.com/")
    }
}

/// Vault's `iam_*` login fields for a `GetCallerIdentity` request signed with `credentials` at
/// `time`: method, then URL, body and headers (a Go `http.Header` as JSON) base64-encoded.
fn login_data(
    credentials: &Credentials,
    region: &str,
    server_id: Option<&str>,
    vault_role: &str,
    time: SystemTime,
) -> Result<SecretBytes, Error> {
    let url = sts_url(region);
    let mut headers: Vec<(&str, &str)> = vec![("content-type", CONTENT_TYPE)];
    if let Some(id) = server_id {
        headers.push((SERVER_ID_HEADER, id));
    }
    let identity = credentials.clone().into();
    let params: aws_sigv4::http_request::SigningParams<'_> = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| sign_error(&e))?
        .into();
    let request = SignableRequest::new(
        "POST",
        url.as_str(),
        headers.iter().copied(),
        SignableBody::Bytes(BODY.as_bytes()),
    )
    .map_err(|e| sign_error(&e))?;
    let (instructions, _) = sign(request, &params)
        .map_err(|e| sign_error(&e))?
        .into_parts();
    let mut go_headers = serde_json::Map::new();
    for (name, value) in headers.into_iter().chain(instructions.headers()) {
        go_headers.insert(go_canonical(name), serde_json::json!([value]));
    }
    let headers = Zeroizing::new(serde_json::Value::Object(go_headers).to_string());
    let body = serde_json::json!({
        "iam_http_request_method": "POST",
        "iam_request_url": STANDARD.encode(&url),
        "iam_request_body": STANDARD.encode(BODY),
        "iam_request_headers": STANDARD.encode(headers.as_bytes()),
        "role": vault_role,
    });
    Ok(super::auth::secret_json(body))
}

fn sign_error(e: &dyn std::fmt::Display) -> Error {
    Error::Backend(format!(
        "cannot log in to Vault with auth.iam: cannot sign the STS request: {e}"
    ))
}

/// Go's `http.CanonicalHeaderKey`: `x-amz-date` → `X-Amz-Date`.
fn go_canonical(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(v: &serde_json::Value, field: &str) -> String {
        String::from_utf8(STANDARD.decode(v[field].as_str().unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn endpoints_follow_the_go_v1_resolver() {
        assert_eq!(sts_url("us-east-1"), "https://sts.amazonaws.com/");
        assert_eq!(sts_url("eu-west-1"), "https://sts.amazonaws.com/");
        assert_eq!(
            sts_url("eu-south-1"),
            "https://sts.eu-south-1.amazonaws.com/"
        );
        assert_eq!(
            sts_url("cn-north-1"),
            "https://sts.cn-north-1.amazonaws.com.cn/"
        );
    }

    #[test]
    fn canonical_header_keys_are_gos() {
        assert_eq!(go_canonical("x-amz-date"), "X-Amz-Date");
        assert_eq!(
            go_canonical("x-vault-aws-iam-server-id"),
            "X-Vault-Aws-Iam-Server-Id"
        );
        assert_eq!(go_canonical("authorization"), "Authorization");
    }

    /// The login fields carry a SigV4 signature over the server-id header and the session
    /// token, and the secret key appears nowhere.
    #[test]
    fn login_data_is_a_signed_get_caller_identity() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "canary-secret-key",
            Some("canary-session".into()),
            None,
            "test",
        );
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let body =
            login_data(&creds, "eu-south-1", Some("vault.example.com"), "dev", time).unwrap();
        let text = String::from_utf8(body.expose().to_vec()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["iam_http_request_method"], "POST");
        assert_eq!(v["role"], "dev");
        assert_eq!(
            decode(&v, "iam_request_url"),
            "https://sts.eu-south-1.amazonaws.com/"
        );
        assert_eq!(decode(&v, "iam_request_body"), BODY);
        let headers: serde_json::Value =
            serde_json::from_str(&decode(&v, "iam_request_headers")).unwrap();
        assert_eq!(headers["X-Vault-Aws-Iam-Server-Id"][0], "vault.example.com");
        assert_eq!(headers["X-Amz-Date"][0], "20231114T221320Z");
        assert_eq!(headers["X-Amz-Security-Token"][0], "canary-session");
        assert_eq!(headers["Content-Type"][0], CONTENT_TYPE);
        let auth = headers["Authorization"][0].as_str().unwrap();
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/eu-south-1/sts/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;\
                 x-vault-aws-iam-server-id, Signature="
            ),
            "{auth}"
        );
        assert!(!text.contains("canary-secret-key"));
        assert!(!headers.to_string().contains("canary-secret-key"));
        // Another time, another signature.
        let later = login_data(
            &creds,
            "eu-south-1",
            None,
            "dev",
            time + std::time::Duration::from_secs(60),
        )
        .unwrap();
        assert_ne!(later.expose(), body.expose());
    }
}
