//! Credentials for a store, as ESO's `providers/v1/aws/auth` builds them: the ServiceAccount's
//! IAM role (`auth.jwt`, see [`WebIdentity`]), static keys from `auth.secretRef` (Secrets of the
//! input) or the SDK's default chain, then `additionalRoles` assumed in order, then `role` with
//! `externalID` and session tags.
//!
//! The SDK's own `AssumeRoleProvider` cannot send `TransitiveTagKeys`, so the role chain uses
//! [`AssumeRole`], a small provider over STS `AssumeRole`; the SDK's identity cache in each
//! client keeps the assumed credentials until they expire.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{self, ProvideCredentials, error::CredentialsError, future};
use aws_sdk_sts::types::Tag;
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::cluster::{self, Cluster};
use crate::manifest::Sources;
use crate::manifest::model::{AwsProvider, SecretKeySelector, ServiceAccountSelector, StoreKind};
use crate::provider::Error;

/// ESO's `RoleSessionName` for web identity; the assumed roles use the SDK's naming scheme with
/// our own base, so CloudTrail shows which tool assumed them.
const SESSION_NAME_BASE: &str = "eso-render";

/// One `sts:AssumeRole` step of the chain.
#[derive(Debug, Clone)]
pub struct RoleStep {
    pub arn: String,
    pub external_id: Option<String>,
    pub tags: Vec<(String, String)>,
    pub transitive_tag_keys: Vec<String>,
}

/// The chain ESO builds: `additionalRoles` plain, then `role` with its options.
/// `namespace` feeds `sessionTagsPolicy` (the ExternalSecret's namespace).
pub fn role_chain(spec: &AwsProvider, kind: StoreKind, store: &str, ns: &str) -> Vec<RoleStep> {
    use crate::manifest::model::SessionTagsPolicy;
    let mut steps: Vec<RoleStep> = spec
        .additional_roles
        .iter()
        .map(|arn| RoleStep {
            arn: arn.clone(),
            external_id: None,
            tags: Vec::new(),
            transitive_tag_keys: Vec::new(),
        })
        .collect();
    if spec.role.is_empty() {
        return steps;
    }
    let tags: Vec<(String, String)> = match spec.session_tags_policy {
        SessionTagsPolicy::None => spec
            .session_tags
            .iter()
            .map(|t| (t.key.clone(), t.value.clone()))
            .collect(),
        policy => {
            // ESO's buildSessionTags: custom tags with empty keys or values are dropped and the
            // three injected tags win.
            let mut m = std::collections::BTreeMap::new();
            if policy == SessionTagsPolicy::Custom {
                for (k, v) in &spec.custom_session_tags {
                    if !k.is_empty() && !v.is_empty() {
                        m.insert(k.clone(), v.clone());
                    }
                }
            }
            m.insert("esoNamespace".to_string(), ns.to_string());
            m.insert("esoStoreName".to_string(), store.to_string());
            m.insert("esoStoreKind".to_string(), kind.as_str().to_string());
            m.into_iter().collect()
        }
    };
    steps.push(RoleStep {
        arn: spec.role.clone(),
        external_id: Some(spec.external_id.clone()).filter(|s| !s.is_empty()),
        transitive_tag_keys: if tags.is_empty() {
            Vec::new()
        } else {
            spec.transitive_tag_keys.clone()
        },
        tags,
    });
    steps
}

/// Static credentials from `auth.secretRef`, read from Secrets of the input as ESO's
/// `resolvers.SecretKeyRef` reads them from the cluster. `auth.jwt` comes first in ESO, so
/// with it there are none.
pub fn static_credentials(
    spec: &AwsProvider,
    kind: StoreKind,
    es_namespace: &str,
    sources: &Sources,
) -> Result<Option<Credentials>, Error> {
    if spec.auth.jwt.is_some() {
        return Ok(None);
    }
    let Some(r) = &spec.auth.secret_ref else {
        return Ok(None);
    };
    let base = "spec.provider.aws.auth.secretRef";
    let read = |sel: &SecretKeySelector, field: &str, what: &str| {
        secret_key(sel, kind, es_namespace, sources).map_err(|e| Error::Config {
            field: format!("{base}.{field}"),
            message: format!("could not fetch {what} secret: {e}"),
        })
    };
    // ESO reads the secret key first, then the key id, then the token: same order, same errors.
    let secret = read(
        &r.secret_access_key,
        "secretAccessKeySecretRef",
        "SecretAccessKey",
    )?;
    let id = read(&r.access_key_id, "accessKeyIDSecretRef", "accessKeyID")?;
    let token = match &r.session_token {
        Some(sel) => Some(read(sel, "sessionTokenSecretRef", "SessionToken")?),
        None => None,
    };
    Ok(Some(Credentials::new(id, secret, token, None, "secretRef")))
}

/// A credential as text: Go's `string(bytes)` keeps invalid UTF-8 as is, which no signer
/// accepts anyway.
fn secret_key(
    sel: &SecretKeySelector,
    kind: StoreKind,
    es_namespace: &str,
    sources: &Sources,
) -> Result<String, String> {
    let value = crate::provider::secret_key_ref(sel, kind, es_namespace, sources)?;
    Ok(String::from_utf8_lossy(value.expose()).into_owned())
}

/// IRSA as ESO's `credsFromServiceAccount` does it: the IAM role named by the ServiceAccount's
/// `eks.amazonaws.com/role-arn` annotation, assumed with `sts:AssumeRoleWithWebIdentity` and a
/// token from the TokenRequest API for `eks.amazonaws.com/audience` (default
/// `sts.amazonaws.com`) plus the selector's audiences.
#[derive(Debug, Clone)]
pub struct ServiceAccountRole {
    pub namespace: String,
    pub name: String,
    pub audiences: Vec<String>,
}

const ROLE_ARN_ANNOTATION: &str = "eks.amazonaws.com/role-arn";
const AUDIENCE_ANNOTATION: &str = "eks.amazonaws.com/audience";
const DEFAULT_AUDIENCE: &str = "sts.amazonaws.com";
/// ESO's session name for web identity.
const WEB_IDENTITY_SESSION: &str = "external-secrets-provider-aws";

impl ServiceAccountRole {
    pub fn new(sel: &ServiceAccountSelector, kind: StoreKind, es_namespace: &str) -> Self {
        Self {
            namespace: crate::provider::service_account_namespace(sel, kind, es_namespace),
            name: sel.name.clone(),
            audiences: sel.audiences.clone(),
        }
    }
}

/// The credentials provider for [`ServiceAccountRole`]; the SDK's identity cache asks again
/// when the credentials expire, which requests a new token.
#[derive(Debug)]
pub struct WebIdentity {
    pub cluster: Arc<Cluster>,
    pub account: ServiceAccountRole,
    pub sts: aws_sdk_sts::Client,
}

impl WebIdentity {
    async fn assume(&self) -> provider::Result {
        let ServiceAccountRole {
            namespace, name, ..
        } = &self.account;
        let failed = |e: cluster::Error| CredentialsError::provider_error(e.to_string());
        let annotations = self
            .cluster
            .service_account_annotations(namespace, name)
            .await
            .map_err(failed)?;
        let role = annotations
            .get(ROLE_ARN_ANNOTATION)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| {
                CredentialsError::invalid_configuration(format!(
                    "an IAM role must be associated with service account {name} (namespace: \
                     {namespace}): no {ROLE_ARN_ANNOTATION} annotation"
                ))
            })?;
        let audience = annotations
            .get(AUDIENCE_ANNOTATION)
            .filter(|a| !a.is_empty())
            .map_or(DEFAULT_AUDIENCE, String::as_str);
        let audiences: Vec<String> = std::iter::once(audience.to_string())
            .chain(self.account.audiences.iter().cloned())
            .collect();
        let token = self
            .cluster
            .service_account_token(namespace, name, &audiences, None)
            .await
            .map_err(failed)?;
        let out = self
            .sts
            .assume_role_with_web_identity()
            .role_arn(role)
            .role_session_name(WEB_IDENTITY_SESSION)
            .web_identity_token(token.as_str())
            .send()
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!(
                    "AssumeRoleWithWebIdentity {role}: {}",
                    super::sanitize(&DisplayErrorContext(&e).to_string())
                ))
            })?;
        let c = out.credentials.ok_or_else(|| {
            CredentialsError::provider_error(format!(
                "AssumeRoleWithWebIdentity {role}: STS returned no credentials"
            ))
        })?;
        Ok(Credentials::new(
            c.access_key_id,
            c.secret_access_key,
            Some(c.session_token),
            SystemTime::try_from(c.expiration).ok(),
            "WebIdentity",
        ))
    }
}

impl ProvideCredentials for WebIdentity {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.assume())
    }
}

/// Credentials from `sts:AssumeRole`, signed with the previous step's credentials.
#[derive(Debug)]
pub struct AssumeRole {
    pub sts: aws_sdk_sts::Client,
    pub step: RoleStep,
}

impl AssumeRole {
    async fn assume(&self) -> provider::Result {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let tags = self
            .step
            .tags
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(CredentialsError::invalid_configuration)?;
        let out = self
            .sts
            .assume_role()
            .role_arn(&self.step.arn)
            .role_session_name(format!("{SESSION_NAME_BASE}-{now}"))
            .set_external_id(self.step.external_id.clone())
            .set_tags(Some(tags).filter(|t| !t.is_empty()))
            .set_transitive_tag_keys(
                Some(self.step.transitive_tag_keys.clone()).filter(|t| !t.is_empty()),
            )
            .send()
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!(
                    "AssumeRole {}: {}",
                    self.step.arn,
                    super::sanitize(&DisplayErrorContext(&e).to_string())
                ))
            })?;
        let c = out.credentials.ok_or_else(|| {
            CredentialsError::provider_error(format!(
                "AssumeRole {}: STS returned no credentials",
                self.step.arn
            ))
        })?;
        let expiry = SystemTime::try_from(c.expiration).ok();
        Ok(Credentials::new(
            c.access_key_id,
            c.secret_access_key,
            Some(c.session_token),
            expiry,
            "AssumeRole",
        ))
    }
}

impl ProvideCredentials for AssumeRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.assume())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::model::{
        AwsAuth, AwsAuthSecretRef, AwsService, AwsTag, SessionTagsPolicy,
    };
    use crate::secret::{DataMap, SecretBytes};

    fn spec() -> AwsProvider {
        AwsProvider {
            service: AwsService::SecretsManager,
            auth: AwsAuth::default(),
            role: String::new(),
            region: "eu-west-1".into(),
            additional_roles: Vec::new(),
            external_id: String::new(),
            session_tags: Vec::new(),
            secrets_manager: None,
            transitive_tag_keys: Vec::new(),
            session_tags_policy: SessionTagsPolicy::None,
            custom_session_tags: Default::default(),
            prefix: String::new(),
        }
    }

    #[test]
    fn additional_roles_come_first_and_only_role_gets_options() {
        let mut s = spec();
        s.additional_roles = vec!["arn:a".into(), "arn:b".into()];
        s.role = "arn:r".into();
        s.external_id = "x".into();
        s.session_tags = vec![AwsTag {
            key: "team".into(),
            value: "db".into(),
        }];
        s.transitive_tag_keys = vec!["team".into()];
        let chain = role_chain(&s, StoreKind::SecretStore, "st", "ns");
        let arns: Vec<_> = chain.iter().map(|c| c.arn.as_str()).collect();
        assert_eq!(arns, ["arn:a", "arn:b", "arn:r"]);
        assert!(chain[0].external_id.is_none() && chain[0].tags.is_empty());
        assert_eq!(chain[2].external_id.as_deref(), Some("x"));
        assert_eq!(chain[2].tags, [("team".to_string(), "db".to_string())]);
        assert_eq!(chain[2].transitive_tag_keys, ["team"]);
    }

    #[test]
    fn session_tags_policy_injects_store_and_namespace() {
        let mut s = spec();
        s.role = "arn:r".into();
        s.session_tags_policy = SessionTagsPolicy::Custom;
        s.custom_session_tags = [("a", "1"), ("empty", ""), ("esoStoreName", "mine")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let chain = role_chain(&s, StoreKind::ClusterSecretStore, "shared", "team-a");
        let tags: Vec<_> = chain[0]
            .tags
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            tags,
            [
                "a=1",
                "esoNamespace=team-a",
                "esoStoreKind=ClusterSecretStore",
                "esoStoreName=shared"
            ]
        );
    }

    fn sources() -> Sources {
        let mut s = Sources::default();
        let data: DataMap = [
            ("id".to_string(), SecretBytes::from("AKIDEXAMPLE")),
            ("key".to_string(), SecretBytes::from("canary-secret-key")),
        ]
        .into_iter()
        .collect();
        s.secrets.insert(("apps".into(), "aws".into()), data);
        s
    }

    fn secret_ref(ns: Option<&str>, key: &str) -> AwsAuthSecretRef {
        let sel = |k: &str| SecretKeySelector {
            name: "aws".into(),
            namespace: ns.map(str::to_string),
            key: k.into(),
        };
        AwsAuthSecretRef {
            access_key_id: sel("id"),
            secret_access_key: sel(key),
            session_token: None,
        }
    }

    #[test]
    fn secret_ref_reads_the_input_and_errors_name_field_never_value() {
        let mut s = spec();
        s.auth.secret_ref = Some(secret_ref(None, "key"));
        let c = static_credentials(&s, StoreKind::SecretStore, "apps", &sources())
            .unwrap()
            .unwrap();
        assert_eq!(c.access_key_id(), "AKIDEXAMPLE");
        assert!(!format!("{c:?}").contains("canary"));

        // Referent: a ClusterSecretStore without namespace reads the ExternalSecret's.
        let err =
            static_credentials(&s, StoreKind::ClusterSecretStore, "other", &sources()).unwrap_err();
        let Error::Config { field, message } = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            field,
            "spec.provider.aws.auth.secretRef.secretAccessKeySecretRef"
        );
        assert!(
            message.starts_with(
                "could not fetch SecretAccessKey secret: cannot get Kubernetes secret \"aws\" \
                 from namespace \"other\""
            ),
            "{message}"
        );
        // An explicit namespace counts in a ClusterSecretStore.
        s.auth.secret_ref = Some(secret_ref(Some("apps"), "nope"));
        let err =
            static_credentials(&s, StoreKind::ClusterSecretStore, "other", &sources()).unwrap_err();
        assert!(
            err.to_string()
                .contains("cannot find secret data for key: \"nope\""),
            "{err}"
        );
    }
}
