//! ExternalSecret + resolved data → the Secret ESO would write (`externalsecret_controller.go`,
//! semantics doc §6). Pure: no I/O, no async.
//!
//! Offline choices (documented in the README, "ESO compatibility"):
//! - no `ownerReferences`: they need the ExternalSecret's UID, which only a cluster assigns;
//! - `Merge`/`CreateOrMerge` emit only the keys this ExternalSecret produces (a render has no
//!   existing Secret to merge into), without the `created-by` label, as ESO;
//! - zero keys with `deletionPolicy: Retain` is an error, because ESO leaves the old Secret
//!   untouched and a render that omitted it would make Argo CD or Flux prune it.

use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::esutils;
use crate::manifest::model::{CreationPolicy, DeletionPolicy};
use crate::manifest::{ExternalSecret, Located};
use crate::secret::DataMap;

pub const LABEL_MANAGED: &str = "reconcile.external-secrets.io/managed";
pub const LABEL_CREATED_BY: &str = "reconcile.external-secrets.io/created-by";
pub const ANNOTATION_DATA_HASH: &str = "reconcile.external-secrets.io/data-hash";

/// A `v1` Secret ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub immutable: bool,
    pub type_: String,
    pub data: DataMap,
    /// The ExternalSecret that produced it, for conflict messages.
    pub source: String,
}

/// What an ExternalSecret yields.
#[derive(Debug)]
pub enum Rendered {
    Secret(Secret),
    /// `creationPolicy: None`: ESO writes nothing, and that is not an error.
    NotCreated,
    /// No keys and `deletionPolicy: Delete`: ESO deletes the Secret, a render omits it.
    Deleted,
}

/// Builds the Secret for `es` from its resolved `data`.
///
/// # Errors
/// No keys under `deletionPolicy: Retain`; a key Kubernetes would reject.
pub fn render(es: &ExternalSecret, data: DataMap) -> Result<Rendered, Diagnostic> {
    let target = &es.spec.target;
    if data.is_empty() {
        match target.deletion_policy {
            DeletionPolicy::Retain if target.creation_policy != CreationPolicy::None => {
                return Err(es.error(
                    Diagnostic::resolve(
                        "no keys were collected: ESO would keep the existing Secret untouched \
                         (secret retained due to DeletionPolicy=Retain), which a render cannot \
                         express, and leaving it out would prune it",
                    )
                    .hint("set spec.target.deletionPolicy: Delete if an empty result is intended"),
                    "spec",
                ));
            }
            // ESO deletes only Secrets it owns; otherwise the ExternalSecret fails and the
            // Secret stays, which a render must not turn into a prune.
            DeletionPolicy::Delete if target.creation_policy == CreationPolicy::Owner => {
                return Ok(Rendered::Deleted);
            }
            DeletionPolicy::Delete => {
                return Err(es.error(
                    Diagnostic::resolve(format!(
                        "no keys were collected and unable to delete secret {}: \
                         creationPolicy={:?} is not Owner",
                        es.target_name(),
                        target.creation_policy
                    )),
                    "spec.target.creationPolicy",
                ));
            }
            DeletionPolicy::Retain | DeletionPolicy::Merge => {}
        }
    }
    if target.creation_policy == CreationPolicy::None {
        return Ok(Rendered::NotCreated);
    }
    // ESO accepts Unicode letters in keys; the API server does not. Fail here, not at apply.
    if let Some(bad) = data
        .keys()
        .find(|k| !crate::manifest::validate::is_valid_secret_key(k))
    {
        return Err(es.error(
            Diagnostic::resolve(format!(
                "key {bad:?} is not a valid Secret key: Kubernetes accepts only \
                 [-._a-zA-Z0-9]+, at most 253 characters"
            ))
            .hint("use rewrite or conversionStrategy to change keys"),
            "spec",
        ));
    }

    // No template: all of the ExternalSecret's own labels and annotations are copied.
    let mut labels = es.labels.clone();
    let mut annotations = es.annotations.clone();
    labels.insert(LABEL_MANAGED.into(), "true".into());
    if target.creation_policy == CreationPolicy::Owner {
        labels.insert(
            LABEL_CREATED_BY.into(),
            esutils::hash::sha3_224_hex(&format!("{}/{}", es.namespace, es.name)),
        );
    } else {
        labels.remove(LABEL_CREATED_BY);
    }
    annotations.insert(
        ANNOTATION_DATA_HASH.into(),
        esutils::hash::object_hash_data(&data),
    );

    Ok(Rendered::Secret(Secret {
        namespace: es.namespace.clone(),
        name: es.target_name().to_string(),
        labels,
        annotations,
        immutable: target.immutable,
        type_: "Opaque".into(),
        data,
        source: es.id(),
    }))
}
