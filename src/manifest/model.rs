//! Typed ESO API: `ExternalSecret`, `SecretStore`, `ClusterSecretStore` (`external-secrets.io/v1`,
//! `v1beta1` read with the same meaning).
//!
//! Mirrors `apis/externalsecrets/v1/externalsecret_types.go` and the CRD schemas in
//! `config/crds/bases/`: fields and enum values are spelled as ESO spells them so the Rust can be
//! grepped against the CRD. Unknown fields are rejected (`deny_unknown_fields`), as the API server
//! rejects them. CRD defaults live in `Default` impls and `#[serde(default)]`, so code after
//! loading never sees an empty policy. Rules that need more than the shape (patterns, ESO's
//! webhook) live in `validate.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `metadata` of any object; fields we do not use are ignored, as `kubectl get -o yaml` output
/// carries many of them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

/// The top level of every ESO object. `status` is accepted and ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Object<S> {
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub spec: S,
    #[serde(default, rename = "status")]
    _status: Option<serde_json::Value>,
}

// ---------------------------------------------------------------------------------------------
// ExternalSecret

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExternalSecretSpec {
    #[serde(default)]
    pub secret_store_ref: StoreRef,
    #[serde(default)]
    pub target: Target,
    #[serde(default)]
    pub refresh_policy: Option<RefreshPolicy>,
    /// Go duration; CRD default `1h0m0s`. Validated, then only used by the controller.
    #[serde(default)]
    pub refresh_interval: Option<String>,
    /// Gates periodic refreshes only; a render is not periodic, so it is parsed and ignored.
    #[serde(default)]
    pub sync_windows: Option<SyncWindows>,
    #[serde(default)]
    pub data: Vec<Data>,
    #[serde(default)]
    pub data_from: Vec<DataFrom>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StoreRef {
    #[serde(default)]
    pub name: String,
    /// Empty is treated as `SecretStore` (ESO `getStore`).
    #[serde(default)]
    pub kind: Option<StoreKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum StoreKind {
    SecretStore,
    ClusterSecretStore,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::SecretStore => "SecretStore",
            StoreKind::ClusterSecretStore => "ClusterSecretStore",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum RefreshPolicy {
    CreatedOnce,
    Periodic,
    OnChange,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SyncWindows {
    pub kind: SyncWindowKind,
    pub windows: Vec<SyncWindow>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SyncWindowKind {
    Allow,
    Deny,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SyncWindow {
    pub schedule: String,
    pub duration: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Target {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub creation_policy: CreationPolicy,
    #[serde(default)]
    pub deletion_policy: DeletionPolicy,
    #[serde(default)]
    pub template: Option<Template>,
    #[serde(default)]
    pub manifest: Option<ManifestReference>,
    #[serde(default)]
    pub immutable: bool,
}

impl Default for Target {
    fn default() -> Self {
        Self {
            name: None,
            creation_policy: CreationPolicy::Owner,
            deletion_policy: DeletionPolicy::Retain,
            template: None,
            manifest: None,
            immutable: false,
        }
    }
}

/// `spec.target.template` (`ExternalSecretTemplate`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Template {
    /// Secret type; empty keeps the existing type (`Opaque` for a new Secret).
    #[serde(default, rename = "type")]
    pub type_: String,
    /// Only `v2` exists (CRD enum and default).
    #[serde(default)]
    pub engine_version: EngineVersion,
    #[serde(default)]
    pub metadata: TemplateMetadata,
    #[serde(default)]
    pub merge_policy: MergePolicy,
    /// Secret key → template of its value. A `BTreeMap`: ESO's order (Go map) does not matter,
    /// each key is independent.
    #[serde(default)]
    pub data: BTreeMap<String, String>,
    #[serde(default)]
    pub template_from: Vec<TemplateFrom>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum EngineVersion {
    #[default]
    #[serde(rename = "v2")]
    V2,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TemplateMetadata {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub finalizers: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum MergePolicy {
    #[default]
    Replace,
    Merge,
}

/// `templateFrom[]`: within one entry ESO applies `configMap`, then `secret`, then `literal`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TemplateFrom {
    #[serde(default)]
    pub config_map: Option<TemplateRef>,
    #[serde(default)]
    pub secret: Option<TemplateRef>,
    /// `Data` (CRD default), `Annotations` or `Labels`, matched case-insensitively.
    #[serde(default = "default_template_target")]
    pub target: String,
    #[serde(default)]
    pub literal: Option<String>,
    #[serde(default)]
    pub values_decoding_strategy: Option<DecodingStrategy>,
}

fn default_template_target() -> String {
    "Data".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TemplateRef {
    pub name: String,
    pub items: Vec<TemplateRefItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TemplateRefItem {
    pub key: String,
    #[serde(default)]
    pub template_as: TemplateScope,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum TemplateScope {
    #[default]
    Values,
    KeysAndValues,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ManifestReference {
    pub api_version: String,
    pub kind: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum CreationPolicy {
    #[default]
    Owner,
    Orphan,
    Merge,
    None,
    CreateOrMerge,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum DeletionPolicy {
    Delete,
    Merge,
    #[default]
    Retain,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Data {
    pub secret_key: String,
    pub remote_ref: RemoteRef,
    #[serde(default)]
    pub source_ref: Option<DataSourceRef>,
}

/// `data[].sourceRef`: only `storeRef` is implemented by ESO for `data[]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DataSourceRef {
    #[serde(default)]
    pub store_ref: Option<StoreRef>,
    #[serde(default)]
    pub generator_ref: Option<GeneratorRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RemoteRef {
    pub key: String,
    #[serde(default)]
    pub metadata_policy: Option<MetadataPolicy>,
    #[serde(default)]
    pub property: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub conversion_strategy: Option<ConversionStrategy>,
    #[serde(default)]
    pub decoding_strategy: Option<DecodingStrategy>,
    #[serde(default)]
    pub null_byte_policy: Option<NullBytePolicy>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum MetadataPolicy {
    None,
    Fetch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum ConversionStrategy {
    Default,
    Unicode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum DecodingStrategy {
    Auto,
    Base64,
    #[serde(rename = "Base64URL")]
    Base64Url,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum NullBytePolicy {
    Ignore,
    Fail,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DataFrom {
    #[serde(default)]
    pub extract: Option<RemoteRef>,
    #[serde(default)]
    pub find: Option<Find>,
    #[serde(default)]
    pub rewrite: Vec<Rewrite>,
    #[serde(default)]
    pub source_ref: Option<DataFromSourceRef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DataFromSourceRef {
    #[serde(default)]
    pub store_ref: Option<StoreRef>,
    #[serde(default)]
    pub generator_ref: Option<GeneratorRef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GeneratorRef {
    #[serde(default)]
    pub api_version: Option<String>,
    pub kind: GeneratorKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum GeneratorKind {
    ACRAccessToken,
    BeyondtrustWorkloadCredentialsDynamicSecret,
    ClusterGenerator,
    CloudsmithAccessToken,
    ECRAuthorizationToken,
    Fake,
    GCRAccessToken,
    GithubAccessToken,
    GitlabDeployToken,
    QuayAccessToken,
    Password,
    SSHKey,
    STSSessionToken,
    UUID,
    VaultDynamicSecret,
    Webhook,
    Grafana,
    MFA,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Find {
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub name: Option<FindName>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub conversion_strategy: Option<ConversionStrategy>,
    #[serde(default)]
    pub decoding_strategy: Option<DecodingStrategy>,
    #[serde(default)]
    pub null_byte_policy: Option<NullBytePolicy>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindName {
    #[serde(default)]
    pub regexp: String,
}

/// One `rewrite[]` item; the CRD demands exactly one member (checked in `validate.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Rewrite {
    #[serde(default)]
    pub merge: Option<RewriteMerge>,
    #[serde(default)]
    pub regexp: Option<RewriteRegexp>,
    #[serde(default)]
    pub transform: Option<RewriteTransform>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RewriteMerge {
    #[serde(default)]
    pub into: String,
    #[serde(default)]
    pub priority: Vec<String>,
    #[serde(default)]
    pub priority_policy: PriorityPolicy,
    #[serde(default)]
    pub conflict_policy: ConflictPolicy,
    #[serde(default)]
    pub strategy: MergeStrategy,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum PriorityPolicy {
    #[default]
    Strict,
    IgnoreNotFound,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum ConflictPolicy {
    #[default]
    Error,
    Ignore,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum MergeStrategy {
    #[default]
    Extract,
    #[serde(rename = "JSON")]
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewriteRegexp {
    pub source: String,
    pub target: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewriteTransform {
    pub template: String,
}

// ---------------------------------------------------------------------------------------------
// SecretStore / ClusterSecretStore

/// `spec` of both store kinds. `provider` is kept raw here and parsed by `store.rs`, because
/// ESO has about forty providers and only the one in use decides whether we can serve it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StoreSpec {
    pub provider: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub controller: String,
    #[serde(default)]
    pub retry_settings: Option<RetrySettings>,
    /// Integer seconds or Go duration (`x-kubernetes-int-or-string`).
    #[serde(default)]
    pub refresh_interval: Option<serde_json::Value>,
    #[serde(default)]
    pub conditions: Vec<ClusterStoreCondition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RetrySettings {
    #[serde(default)]
    pub max_retries: Option<i32>,
    #[serde(default)]
    pub retry_interval: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClusterStoreCondition {
    #[serde(default)]
    pub namespace_selector: Option<LabelSelector>,
    #[serde(default)]
    pub namespaces: Vec<String>,
    #[serde(default)]
    pub namespace_regexes: Vec<String>,
}

/// `metav1.LabelSelector`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LabelSelector {
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// `spec.provider.fake` (`apis/externalsecrets/v1/secretstore_fake_types.go`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FakeProvider {
    pub data: Vec<FakeData>,
    /// `ValidationResult`: 0 Ready, 1 Unknown, 2 Error.
    #[serde(default)]
    pub validation_result: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FakeData {
    pub key: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub version: String,
    /// Deprecated in ESO 0.9 and removed in v1; accepted for `v1beta1` stores only.
    #[serde(default)]
    pub value_map: Option<BTreeMap<String, String>>,
}

/// `spec.provider.aws` (`apis/externalsecrets/v1/secretstore_aws_types.go`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsProvider {
    pub service: AwsService,
    #[serde(default)]
    pub auth: AwsAuth,
    /// Role ARN assumed last, after `additionalRoles`.
    #[serde(default)]
    pub role: String,
    pub region: String,
    #[serde(default)]
    pub additional_roles: Vec<String>,
    #[serde(default, rename = "externalID")]
    pub external_id: String,
    #[serde(default)]
    pub session_tags: Vec<AwsTag>,
    /// Only PushSecret deletion reads these; validated as ESO does.
    #[serde(default)]
    pub secrets_manager: Option<AwsSecretsManager>,
    #[serde(default)]
    pub transitive_tag_keys: Vec<String>,
    #[serde(default)]
    pub session_tags_policy: SessionTagsPolicy,
    #[serde(default)]
    pub custom_session_tags: BTreeMap<String, String>,
    /// Prepended to every `remoteRef.key` (not to `find`).
    #[serde(default)]
    pub prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AwsService {
    SecretsManager,
    ParameterStore,
    CertificateManager,
}

/// At most one of `secretRef` and `jwt`; neither means the SDK's default credential chain.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsAuth {
    #[serde(default)]
    pub secret_ref: Option<AwsAuthSecretRef>,
    #[serde(default)]
    pub jwt: Option<AwsJwtAuth>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsAuthSecretRef {
    #[serde(default, rename = "accessKeyIDSecretRef")]
    pub access_key_id: SecretKeySelector,
    #[serde(default, rename = "secretAccessKeySecretRef")]
    pub secret_access_key: SecretKeySelector,
    #[serde(default, rename = "sessionTokenSecretRef")]
    pub session_token: Option<SecretKeySelector>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsJwtAuth {
    #[serde(default)]
    pub service_account_ref: Option<ServiceAccountSelector>,
}

/// `spec.provider.kubernetes` (`apis/externalsecrets/v1/secretstore_kubernetes_types.go`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KubernetesProvider {
    #[serde(default)]
    pub server: KubernetesServer,
    #[serde(default)]
    pub auth: Option<KubernetesAuth>,
    /// A kubeconfig in a Secret.
    #[serde(default)]
    pub auth_ref: Option<SecretKeySelector>,
    /// Where the Secrets are read from (CRD default `default`).
    #[serde(default = "KubernetesProvider::default_remote_namespace")]
    pub remote_namespace: String,
}

impl KubernetesProvider {
    fn default_remote_namespace() -> String {
        "default".into()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KubernetesServer {
    /// CRD default `kubernetes.default`.
    #[serde(default = "KubernetesServer::default_url")]
    pub url: String,
    /// Base64 of PEM, as the CRD's `[]byte`.
    #[serde(default)]
    pub ca_bundle: Option<String>,
    #[serde(default)]
    pub ca_provider: Option<CaProvider>,
}

impl Default for KubernetesServer {
    fn default() -> Self {
        Self {
            url: Self::default_url(),
            ca_bundle: None,
            ca_provider: None,
        }
    }
}

impl KubernetesServer {
    fn default_url() -> String {
        "kubernetes.default".into()
    }
}

/// Exactly one of the three (the CRD's `MinProperties=1`, `MaxProperties=1`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KubernetesAuth {
    #[serde(default)]
    pub cert: Option<KubernetesCertAuth>,
    #[serde(default)]
    pub token: Option<KubernetesTokenAuth>,
    #[serde(default)]
    pub service_account: Option<ServiceAccountSelector>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KubernetesCertAuth {
    pub client_cert: SecretKeySelector,
    pub client_key: SecretKeySelector,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KubernetesTokenAuth {
    pub bearer_token: SecretKeySelector,
}

/// `spec.provider.vault` (`apis/externalsecrets/v1/secretstore_vault_types.go`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultProvider {
    #[serde(default)]
    pub auth: Option<VaultAuth>,
    pub server: String,
    /// The KV mount, e.g. `secret`; optional (then keys carry the mount).
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub version: VaultKvVersion,
    /// `X-Vault-Namespace` (Vault Enterprise, OpenBao).
    #[serde(default)]
    pub namespace: Option<String>,
    /// PEM, base64-encoded in the manifest (a Go `[]byte`).
    #[serde(default, rename = "caBundle")]
    pub ca_bundle: Option<String>,
    #[serde(default, rename = "tls")]
    pub client_tls: VaultClientTls,
    #[serde(default)]
    pub ca_provider: Option<CaProvider>,
    #[serde(default)]
    pub read_your_writes: bool,
    #[serde(default)]
    pub forward_inconsistent: bool,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// PushSecret only; validated as ESO does.
    #[serde(default)]
    pub check_and_set: Option<VaultCheckAndSet>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum VaultKvVersion {
    #[serde(rename = "v1")]
    V1,
    #[default]
    #[serde(rename = "v2")]
    V2,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultClientTls {
    #[serde(default)]
    pub cert_secret_ref: Option<SecretKeySelector>,
    #[serde(default)]
    pub key_secret_ref: Option<SecretKeySelector>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultCheckAndSet {
    #[serde(default)]
    pub required: bool,
}

/// `caProvider`: a CA certificate in a Secret or ConfigMap.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaProvider {
    #[serde(rename = "type")]
    pub kind: CaProviderType,
    pub name: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum CaProviderType {
    Secret,
    ConfigMap,
}

/// `auth`: ESO tries the methods in the order of [`VaultAuth`]'s fields below (token first, then
/// AppRole, Kubernetes, LDAP, userpass, JWT, cert, IAM, GCP); the first present one is used.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultAuth {
    /// The Vault namespace to log in to, when it differs from the store's.
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub token_secret_ref: Option<SecretKeySelector>,
    #[serde(default)]
    pub app_role: Option<VaultAppRole>,
    #[serde(default)]
    pub kubernetes: Option<VaultKubernetesAuth>,
    #[serde(default)]
    pub ldap: Option<VaultLdapAuth>,
    #[serde(default)]
    pub user_pass: Option<VaultUserPassAuth>,
    #[serde(default)]
    pub jwt: Option<VaultJwtAuth>,
    #[serde(default)]
    pub cert: Option<VaultCertAuth>,
    #[serde(default)]
    pub iam: Option<VaultIamAuth>,
    /// Parsed for shape only: eso-render does not log in with GCP yet.
    #[serde(default)]
    pub gcp: Option<serde_json::Value>,
}

/// `auth.iam`: Vault's AWS auth method with a signed `sts:GetCallerIdentity` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultIamAuth {
    /// The mount of the AWS auth method; empty means `aws`, as ESO defaults it.
    #[serde(default)]
    pub path: String,
    /// The region the request is signed for; empty means `us-east-1`.
    #[serde(default)]
    pub region: String,
    /// An IAM role assumed before signing (ESO's `role`).
    #[serde(default)]
    pub role: String,
    /// The Vault role to log in as.
    pub vault_role: String,
    #[serde(default, rename = "externalID")]
    pub external_id: String,
    /// Sent and signed as `X-Vault-AWS-IAM-Server-ID`.
    #[serde(default, rename = "vaultAwsIamServerID")]
    pub vault_aws_iam_server_id: String,
    #[serde(default)]
    pub secret_ref: Option<AwsAuthSecretRef>,
    #[serde(default)]
    pub jwt: Option<AwsJwtAuth>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultAppRole {
    #[serde(default = "VaultAppRole::default_path")]
    pub path: String,
    #[serde(default)]
    pub role_id: String,
    #[serde(default)]
    pub role_ref: Option<SecretKeySelector>,
    #[serde(default)]
    pub secret_ref: SecretKeySelector,
}

impl VaultAppRole {
    fn default_path() -> String {
        "approle".into()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultKubernetesAuth {
    #[serde(default = "VaultKubernetesAuth::default_path")]
    pub mount_path: String,
    #[serde(default)]
    pub service_account_ref: Option<ServiceAccountSelector>,
    #[serde(default)]
    pub secret_ref: Option<SecretKeySelector>,
    #[serde(default)]
    pub role: String,
}

impl VaultKubernetesAuth {
    fn default_path() -> String {
        "kubernetes".into()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultLdapAuth {
    #[serde(default = "VaultLdapAuth::default_path")]
    pub path: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub secret_ref: SecretKeySelector,
}

impl VaultLdapAuth {
    fn default_path() -> String {
        "ldap".into()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultUserPassAuth {
    #[serde(default = "VaultUserPassAuth::default_path")]
    pub path: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub secret_ref: SecretKeySelector,
}

impl VaultUserPassAuth {
    fn default_path() -> String {
        "userpass".into()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultJwtAuth {
    #[serde(default = "VaultJwtAuth::default_path")]
    pub path: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub secret_ref: Option<SecretKeySelector>,
    #[serde(default)]
    pub kubernetes_service_account_token: Option<VaultServiceAccountToken>,
}

impl VaultJwtAuth {
    fn default_path() -> String {
        "jwt".into()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultServiceAccountToken {
    pub service_account_ref: ServiceAccountSelector,
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
    #[serde(default)]
    pub expiration_seconds: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VaultCertAuth {
    #[serde(default = "VaultCertAuth::default_path")]
    pub path: String,
    #[serde(default)]
    pub vault_role: String,
    #[serde(default)]
    pub client_cert: SecretKeySelector,
    #[serde(default)]
    pub secret_ref: SecretKeySelector,
}

impl VaultCertAuth {
    fn default_path() -> String {
        "cert".into()
    }
}

/// `esmeta.SecretKeySelector`: a key of a Secret. An empty namespace means the store's own
/// namespace (SecretStore) or the ExternalSecret's ("referent auth", ClusterSecretStore).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretKeySelector {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub key: String,
}

/// `esmeta.ServiceAccountSelector`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceAccountSelector {
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub audiences: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsTag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsSecretsManager {
    #[serde(default)]
    pub force_delete_without_recovery: bool,
    #[serde(default)]
    pub recovery_window_in_days: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum SessionTagsPolicy {
    #[default]
    None,
    Simple,
    Custom,
}

/// Every provider key of the v1 `SecretStore` CRD (`spec.provider.*`), for "not supported yet"
/// versus "unknown provider" and for typo hints.
pub const KNOWN_PROVIDERS: &[&str] = &[
    "akeyless",
    "aws",
    "azurekv",
    "barbican",
    "beyondtrust",
    "beyondtrustworkloadcredentials",
    "bitwardensecretsmanager",
    "chef",
    "cloudrusm",
    "conjur",
    "crd",
    "delinea",
    "doppler",
    "dvls",
    "fake",
    "fortanix",
    "gcpsm",
    "github",
    "gitlab",
    "ibm",
    "infisical",
    "keepersecurity",
    "kubernetes",
    "nebiusmysterybox",
    "ngrok",
    "onboardbase",
    "onepassword",
    "onepasswordSDK",
    "openBao",
    "oracle",
    "ovh",
    "passbolt",
    "passworddepot",
    "previder",
    "pulumi",
    "scaleway",
    "secretserver",
    "senhasegura",
    "vault",
    "volcengine",
    "webhook",
    "yandexcertificatemanager",
    "yandexlockbox",
];
