//! ESO's `kubernetes` provider (`providers/v1/kubernetes/client.go`): Secrets of
//! `remoteNamespace` as the source of values.
//!
//! eso-render reads them from the Secrets of the input (plain or SOPS-decrypted), so a render
//! needs no cluster; a Secret that is not in the input does not exist. The reads keep ESO's
//! quirks:
//! - `GetSecret` of a missing Secret is the API server's "not found" error, not `NoSecretErr`, so
//!   `deletionPolicy` does not skip it; `GetSecretMap` of a missing Secret is `NoSecretErr`;
//! - without `property`, a Secret is the JSON object of its data as strings (no HTML escaping);
//! - a `property` is an exact key first, else `<first segment>` plus a gjson path into that
//!   key's value; with `metadataPolicy: Fetch`, `labels` / `annotations[.<key>[<path>]]`, the
//!   path's segments joined without dots as ESO joins them;
//! - `GetSecretMap` with a property parses the value as a JSON object and JSON-encodes each
//!   member (strings keep their quotes);
//! - `find` by `tags` (a label selector, preferred) or `name` (a regexp on Secret names) yields
//!   the JSON of each Secret's data, keys converted by the provider.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::esutils;
use crate::gocompat;
use crate::manifest::model::{Find, KubernetesProvider, RemoteRef, StoreKind};
use crate::manifest::{ObjectMetadata, Sources};
use crate::provider::{
    Backend, Context, Error, FOREIGN_NAMESPACE, Payload, Read, foreign_namespace,
};
use crate::secret::{DataMap, SecretBytes};

/// One Secret of the remote namespace, as read.
#[derive(Debug)]
pub struct Value {
    /// `None`: no such Secret.
    secret: Option<Arc<SourceSecret>>,
    name: String,
}

#[derive(Debug)]
struct SourceSecret {
    data: DataMap,
    metadata: ObjectMetadata,
}

#[derive(Debug)]
pub struct Client {
    namespace: String,
    secrets: BTreeMap<String, Arc<SourceSecret>>,
    requests: AtomicUsize,
}

impl Client {
    /// The Secrets of `remoteNamespace` in the input.
    pub fn new(spec: &KubernetesProvider, sources: &Sources) -> Self {
        let namespace = spec.remote_namespace.clone();
        let secrets = sources
            .secrets
            .range((namespace.clone(), String::new())..)
            .take_while(|((ns, _), _)| *ns == namespace)
            .map(|((ns, name), data)| {
                let metadata = sources
                    .secret_metadata
                    .get(&(ns.clone(), name.clone()))
                    .cloned()
                    .unwrap_or_default();
                (
                    name.clone(),
                    Arc::new(SourceSecret {
                        data: data.clone(),
                        metadata,
                    }),
                )
            })
            .collect();
        Self {
            namespace,
            secrets,
            requests: AtomicUsize::new(0),
        }
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// What this client reads, for errors.
    pub fn describe(&self) -> String {
        format!(
            "Secrets of namespace {:?} in the input ({} found)",
            self.namespace,
            self.secrets.len()
        )
    }

    fn value<'a>(&self, payload: &'a Payload) -> &'a Value {
        match payload {
            Payload::Kubernetes(v) => v,
            _ => unreachable!("a kubernetes client only sees its own payloads"),
        }
    }
}

impl Backend for Client {
    async fn read_many(
        &self,
        _ctx: &Context,
        reads: Vec<Read>,
    ) -> Vec<(Read, Result<Arc<Payload>, Error>)> {
        reads
            .into_iter()
            .map(|r| {
                self.requests.fetch_add(1, Ordering::Relaxed);
                let value = Value {
                    secret: self.secrets.get(&r.key).cloned(),
                    name: r.key.clone(),
                };
                (r, Ok(Arc::new(Payload::Kubernetes(value))))
            })
            .collect()
    }

    async fn find(&self, _ctx: &Context, find: &Find) -> Result<DataMap, Error> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let matches: Vec<(&String, &Arc<SourceSecret>)> = if !find.tags.is_empty() {
            validate_selector(&find.tags)
                .map_err(|e| Error::Invalid(format!("unable to validate selector tags: {e}")))?;
            self.secrets
                .iter()
                .filter(|(_, s)| {
                    let labels = s.metadata.labels.as_ref();
                    find.tags
                        .iter()
                        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
                })
                .collect()
        } else if let Some(name) = &find.name {
            let re = gocompat::regexp::compile(&name.regexp).map_err(|e| {
                Error::Invalid(format!(
                    "could not compile find.name.regexp [{}]: {e}",
                    name.regexp
                ))
            })?;
            self.secrets
                .iter()
                .filter(|(n, _)| re.is_match(n))
                .collect()
        } else {
            return Err(Error::Invalid(
                "unexpected find operator: neither tags nor name is set".into(),
            ));
        };
        let map: DataMap = matches
            .into_iter()
            .map(|(name, s)| (name.clone(), data_json(&s.data)))
            .collect();
        esutils::keys::convert_keys(find.conversion_strategy.into(), map)
            .map_err(|e| Error::Invalid(e.to_string()))
    }

    fn get_secret(&self, payload: &Payload, r: &RemoteRef) -> Result<SecretBytes, Error> {
        let v = self.value(payload);
        // The API server's error: ESO passes it on, so it is not "does not exist".
        let secret = v.secret.as_ref().ok_or_else(|| {
            Error::Backend(format!(
                "secrets {} not found",
                gocompat::unicode::quote(&v.name)
            ))
        })?;
        let fetch = Read::of(r).metadata;
        let property = r.property.as_deref().unwrap_or_default();
        if property.is_empty() {
            return Ok(if fetch {
                metadata_json(&secret.metadata)
            } else {
                data_json(&secret.data)
            });
        }
        let found = if fetch {
            from_metadata(&secret.metadata, property)
        } else {
            from_data(&secret.data, property)
        };
        found.ok_or_else(|| {
            Error::Invalid(format!(
                "property {property} does not exist in {} of secret {}",
                if fetch { "metadata" } else { "data" },
                gocompat::unicode::quote(&r.key)
            ))
        })
    }

    fn get_secret_map(&self, payload: &Payload, r: &RemoteRef) -> Result<DataMap, Error> {
        let secret = self.value(payload).secret.as_ref().ok_or(Error::NotFound)?;
        let map = if Read::of(r).metadata {
            let json = |m: &Option<BTreeMap<String, String>>| SecretBytes::from(string_map_json(m));
            DataMap::from([
                ("labels".to_string(), json(&secret.metadata.labels)),
                (
                    "annotations".to_string(),
                    json(&secret.metadata.annotations),
                ),
            ])
        } else {
            secret.data.clone()
        };
        match r.property.as_deref().filter(|p| !p.is_empty()) {
            None => Ok(map),
            Some(property) => property_map(&r.key, property, &map),
        }
    }
}

/// A Secret's data as ESO's `esutils.JSONMarshal` of `map[string]string`: sorted keys, values
/// as Go strings (invalid UTF-8 becomes U+FFFD), no HTML escaping.
fn data_json(data: &DataMap) -> SecretBytes {
    let out = object_json(data.iter().map(|(k, v)| {
        (
            k.as_str(),
            zeroize::Zeroizing::new(gocompat::json::go_lossy_string(v.expose())),
        )
    }));
    SecretBytes::from(out.as_str())
}

/// A JSON object of string members in the given (sorted) order, without HTML escaping, in a
/// buffer that is wiped when dropped.
fn object_json<'a, V: std::ops::Deref<Target = String>>(
    members: impl Iterator<Item = (&'a str, V)>,
) -> zeroize::Zeroizing<String> {
    let mut out = zeroize::Zeroizing::new(String::from("{"));
    for (i, (k, v)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        gocompat::json::write_string(&mut out, k, false);
        out.push(':');
        gocompat::json::write_string(&mut out, &v, false);
    }
    out.push('}');
    out
}

/// `map[string]string` as JSON; a nil map is `null`.
fn string_map_json(m: &Option<BTreeMap<String, String>>) -> String {
    match m {
        Some(m) => object_json(m.iter().map(|(k, v)| (k.as_str(), v))).to_string(),
        None => "null".into(),
    }
}

/// `{"annotations": …, "labels": …}` for `metadataPolicy: Fetch` without a property.
fn metadata_json(m: &ObjectMetadata) -> SecretBytes {
    SecretBytes::from(format!(
        "{{\"annotations\":{},\"labels\":{}}}",
        string_map_json(&m.annotations),
        string_map_json(&m.labels)
    ))
}

/// ESO's `getFromSecretData`: the exact key, else the first segment's value and a gjson path.
fn from_data(data: &DataMap, property: &str) -> Option<SecretBytes> {
    if let Some(v) = data.get(property) {
        return Some(v.clone());
    }
    let idx = property.find('.')?;
    if idx == 0 || idx == property.len() - 1 {
        return None;
    }
    let v = data.get(&property[..idx])?;
    let json = zeroize::Zeroizing::new(gocompat::json::go_lossy_string(v.expose()));
    gocompat::gjson::get_string(&json, &property[idx + 1..]).map(SecretBytes::from)
}

/// ESO's `getFromSecretMetadata`: `labels` or `annotations`, then a key, then a gjson path made
/// of the remaining segments joined without dots (as ESO joins them).
fn from_metadata(m: &ObjectMetadata, property: &str) -> Option<SecretBytes> {
    let path: Vec<&str> = property.split('.').collect();
    let map = match path[0] {
        "labels" => &m.labels,
        "annotations" => &m.annotations,
        _ => return None,
    };
    if path.len() == 1 {
        return Some(SecretBytes::from(string_map_json(map)));
    }
    let v = map.as_ref()?.get(path[1])?;
    if path.len() == 2 {
        return Some(SecretBytes::from(v.as_str()));
    }
    gocompat::gjson::get_string(v, &path[2..].concat()).map(SecretBytes::from)
}

/// ESO's `getPropertyMap`: the map as Go JSON (values base64, as `[]byte` encodes), the property
/// looked up with its dots escaped, then as a path; the hit's decoded value must be a JSON object,
/// whose members are returned JSON-encoded.
fn property_map(key: &str, property: &str, map: &DataMap) -> Result<DataMap, Error> {
    let json = object_json(map.iter().map(|(k, v)| {
        (
            k.as_str(),
            zeroize::Zeroizing::new(gocompat::base64::encode_std(v.expose())),
        )
    }));
    let lookup = |path: &str| -> Result<Option<DataMap>, Error> {
        let Some(hit) = gocompat::gjson::get_string(&json, path).map(zeroize::Zeroizing::new)
        else {
            return Ok(None);
        };
        let decoded = gocompat::base64::decode_std(hit.as_bytes())
            .map(SecretBytes::new)
            .map_err(|e| Error::Invalid(e.to_string()))?;
        // Go leaves the map nil for `null`: no members, no error.
        let object = gocompat::json::unmarshal_map(decoded.expose())
            .map_err(|_| Error::Invalid("failed to unmarshal secret: invalid JSON format".into()))?
            .unwrap_or_default();
        let members = object
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    SecretBytes::from(gocompat::json::marshal(v, false)),
                )
            })
            .collect();
        esutils::value::scrub(serde_json::Value::Object(object));
        Ok(Some(members))
    };
    if property.contains('.')
        && let Some(m) = lookup(&property.replace('.', "\\."))?
    {
        return Ok(m);
    }
    lookup(property)?
        .ok_or_else(|| Error::Invalid(format!("property {property} does not exist in key {key}")))
}

/// `labels.ValidatedSelectorFromSet`: each key a qualified name, each value a label value.
fn validate_selector(tags: &BTreeMap<String, String>) -> Result<(), String> {
    for (k, v) in tags {
        crate::manifest::validate::label_key(k).map_err(|e| format!("key {k:?}: {e}"))?;
        crate::manifest::validate::label_value(v).map_err(|e| format!("value {v:?}: {e}"))?;
    }
    Ok(())
}

/// ESO's `ValidateKubernetesConnection` (the store webhook): `(message, field)` pairs. The
/// webhook's warning for a missing CA does not apply: the input is read, not a server.
pub fn validate_store(
    kind: StoreKind,
    namespace: Option<&str>,
    spec: &KubernetesProvider,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let base = "spec.provider.kubernetes";
    if !crate::manifest::validate::is_dns_label(&spec.remote_namespace) {
        errors.push((
            format!(
                "remoteNamespace {:?} must be a DNS label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$, at \
                 most 63 characters)",
                spec.remote_namespace
            ),
            format!("{base}.remoteNamespace"),
        ));
    }
    if let Some(ca) = &spec.server.ca_provider {
        match (kind, &ca.namespace) {
            (StoreKind::ClusterSecretStore, None) => errors.push((
                "CAProvider.namespace must not be empty with ClusterSecretStore".into(),
                format!("{base}.server.caProvider.namespace"),
            )),
            (StoreKind::SecretStore, Some(_)) => errors.push((
                "CAProvider.namespace must be empty with SecretStore".into(),
                format!("{base}.server.caProvider.namespace"),
            )),
            _ => {}
        }
    }
    let Some(auth) = &spec.auth else {
        return errors;
    };
    let set = [
        auth.cert.is_some(),
        auth.token.is_some(),
        auth.service_account.is_some(),
    ];
    if set.iter().filter(|s| **s).count() != 1 {
        errors.push((
            "auth must have exactly one of cert, token and serviceAccount".into(),
            format!("{base}.auth"),
        ));
    }
    let mut selector =
        |sel: &crate::manifest::model::SecretKeySelector, what: &str, field: &str| {
            if sel.name.is_empty() {
                errors.push((
                    format!("{what}.Name cannot be empty"),
                    format!("{base}.auth.{field}.name"),
                ));
            } else if sel.key.is_empty() {
                errors.push((
                    format!("{what}.Key cannot be empty"),
                    format!("{base}.auth.{field}.key"),
                ));
            } else if foreign_namespace(kind, namespace, sel.namespace.as_deref()) {
                errors.push((
                    FOREIGN_NAMESPACE.to_string(),
                    format!("{base}.auth.{field}.namespace"),
                ));
            }
        };
    if let Some(c) = &auth.cert {
        selector(&c.client_cert, "ClientCert", "cert.clientCert");
    }
    if let Some(t) = &auth.token {
        selector(&t.bearer_token, "BearerToken", "token.bearerToken");
    }
    if let Some(sa) = &auth.service_account
        && foreign_namespace(kind, namespace, sa.namespace.as_deref())
    {
        errors.push((
            FOREIGN_NAMESPACE.to_string(),
            format!("{base}.auth.serviceAccount.namespace"),
        ));
    }
    errors
}

#[cfg(test)]
mod tests;
