//! AWS KMS master keys, opened as sops opens them (`kms/keysource.go`): KMS `Decrypt` of the
//! encrypted data key with the file's encryption context, in the region of the key's ARN, with
//! the default credential chain (or the key's `aws_profile`), through `role` when set (STS
//! `AssumeRole`, session `sops@<hostname>`). Endpoints follow `AWS_ENDPOINT_URL[_KMS]`.
//!
//! Decryption runs while manifests load, before the async part of a run, so this module keeps
//! its own small runtime and one SDK configuration per (region, profile, role).

use std::collections::HashMap;
use std::sync::OnceLock;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_kms::primitives::Blob;
use base64::Engine;
use zeroize::Zeroizing;

use crate::sops::metadata::KmsKey;

type ConfigKey = (String, Option<String>, Option<String>);

/// KMS access for one run, created on the first KMS key met.
#[derive(Default)]
pub struct Kms {
    runtime: OnceLock<Result<tokio::runtime::Runtime, String>>,
    /// One client per (region, profile, role), held while it is built, so that loader threads
    /// meeting the same key at once share one (and one `AssumeRole`).
    clients: tokio::sync::Mutex<HashMap<ConfigKey, aws_sdk_kms::Client>>,
}

impl Kms {
    /// The data key (or key-group share) `key` holds.
    ///
    /// # Errors
    /// A short reason, naming KMS's error code; never key material.
    pub fn decrypt(&self, key: &KmsKey) -> Result<Zeroizing<Vec<u8>>, String> {
        let region = region_of(&key.arn).ok_or("not a KMS key ARN")?;
        let blob = base64::engine::general_purpose::STANDARD
            .decode(key.enc.trim())
            .map_err(|_| "the encrypted data key is not base64")?;
        let rt = self
            .runtime
            .get_or_init(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| format!("cannot start the AWS client: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)?;
        rt.block_on(async {
            let client = self.client(region, key).await;
            let mut req = client
                .decrypt()
                .key_id(&key.arn)
                .ciphertext_blob(Blob::new(blob));
            for (k, v) in &key.context {
                req = req.encryption_context(k, v);
            }
            let out = req.send().await.map_err(|e| {
                use aws_sdk_kms::error::ProvideErrorMetadata;
                match (e.code(), e.message()) {
                    (Some(code), Some(msg)) => format!("KMS Decrypt: {code}: {msg}"),
                    (Some(code), None) => format!("KMS Decrypt: {code}"),
                    _ => format!(
                        "KMS Decrypt: {}",
                        aws_smithy_types::error::display::DisplayErrorContext(&e)
                    ),
                }
            })?;
            let plain = out
                .plaintext
                .ok_or("KMS Decrypt returned no plaintext")?
                .into_inner();
            Ok(Zeroizing::new(plain))
        })
    }

    async fn client(&self, region: &str, key: &KmsKey) -> aws_sdk_kms::Client {
        let id = (region.to_owned(), key.profile.clone(), key.role.clone());
        let mut clients = self.clients.lock().await;
        if let Some(c) = clients.get(&id) {
            return c.clone();
        }
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .http_client(crate::provider::aws::http_client());
        if let Some(p) = &key.profile {
            loader = loader.profile_name(p);
        }
        let mut config = loader.load().await;
        if let Some(role) = &key.role {
            let provider = aws_config::sts::AssumeRoleProvider::builder(role)
                .session_name(session_name())
                .configure(&config)
                .build()
                .await;
            config = config
                .into_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(provider),
                )
                .build();
        }
        let client = aws_sdk_kms::Client::new(&config);
        clients.insert(id, client.clone());
        client
    }
}

/// The region of `arn:aws[-partition]:kms:<region>:<account>:(key|alias)/<id>`, as sops'
/// `arnRegex` takes it.
fn region_of(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (arn_lit, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let ok = arn_lit == "arn"
        && partition.starts_with("aws")
        && service == "kms"
        && !region.is_empty()
        && !account.is_empty()
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource
            .split_once('/')
            .is_some_and(|(kind, id)| matches!(kind, "key" | "alias") && !id.is_empty());
    ok.then_some(region)
}

/// `sops@<hostname>` with characters STS does not allow removed, as sops names its sessions.
fn session_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_default();
    let clean: String = host
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "=,.@-_".contains(*c))
        .collect();
    let mut name = format!("sops@{clean}");
    name.truncate(64);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_the_arn() {
        assert_eq!(
            region_of("arn:aws:kms:eu-west-1:123456789012:key/abc"),
            Some("eu-west-1")
        );
        assert_eq!(
            region_of("arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/x"),
            Some("us-gov-west-1")
        );
        assert_eq!(region_of("arn:aws:s3:eu-west-1:123456789012:key/abc"), None);
        assert_eq!(region_of("arn:aws:kms:eu-west-1:12x:key/abc"), None);
        assert_eq!(region_of("arn:aws:kms:eu-west-1:1:key/"), None);
        assert_eq!(region_of("alias/foo"), None);
    }

    #[test]
    fn session_names_are_what_sts_accepts() {
        let n = session_name();
        assert!(n.starts_with("sops@") && n.len() <= 64, "{n}");
    }
}
