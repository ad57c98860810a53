//! ESO's `fake` provider (`providers/v1/fake/fake.go`): static data in the store manifest.
//!
//! Faithful to ESO's quirks: entries are keyed by the concatenation `key + version`, so a ref
//! without `version` sees only entries without one; a property is a plain gjson path whose
//! absence is `NoSecretErr`; `find` needs `name`, ignores `path` and `tags`, keeps the entry with
//! the greatest version *string* (`"10" < "9"`) and converts keys itself. `valueMap` (v1beta1,
//! removed in v1) is served by `GetSecretMap` as ESO 0.9–0.16 did.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::esutils;
use crate::gocompat;
use crate::manifest::model::{FakeProvider, Find, RemoteRef};
use crate::provider::{Backend, Context, Error, Payload, Read};
use crate::secret::{DataMap, SecretBytes};

/// One `spec.provider.fake.data[]` entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub version: String,
    pub value: SecretBytes,
    pub value_map: Option<DataMap>,
}

#[derive(Debug)]
pub struct Client {
    /// `key + version` → entry; later entries overwrite earlier ones, as in ESO's `NewClient`.
    entries: HashMap<String, Arc<Payload>>,
    ready: bool,
    /// Reads and finds served: the fake's stand-in for API calls, so tests can count them.
    requests: AtomicUsize,
}

impl Client {
    pub fn new(spec: &FakeProvider) -> Self {
        let entries = spec
            .data
            .iter()
            .map(|d| {
                let entry = Entry {
                    key: d.key.clone(),
                    version: d.version.clone(),
                    value: SecretBytes::from(d.value.as_str()),
                    value_map: d.value_map.as_ref().map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), SecretBytes::from(v.as_str())))
                            .collect()
                    }),
                };
                (
                    format!("{}{}", d.key, d.version),
                    Arc::new(Payload::Fake(entry)),
                )
            })
            .collect();
        Self {
            entries,
            // fake.go's Validate fails for any result but Ready (0); the store controller still
            // marks the store Ready for Unknown (1). Anything else makes it not Ready.
            ready: matches!(spec.validation_result, None | Some(0 | 1)),
            requests: AtomicUsize::new(0),
        }
    }

    pub fn is_ready(&self) -> bool {
        self.ready
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    fn lookup(&self, read: &Read) -> Result<Arc<Payload>, Error> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let version = read.version.as_deref().unwrap_or("");
        match self.entries.get(&format!("{}{version}", read.key)) {
            Some(p) if entry(p).version == version => Ok(p.clone()),
            _ => Err(Error::NotFound),
        }
    }
}

fn entry(p: &Payload) -> &Entry {
    match p {
        Payload::Fake(e) => e,
        _ => unreachable!("a fake client only sees its own payloads"),
    }
}

impl Backend for Client {
    async fn read_many(
        &self,
        ctx: &Context,
        reads: Vec<Read>,
    ) -> Vec<(Read, Result<Arc<Payload>, Error>)> {
        // No I/O, but the same path as a remote backend's requests: permits and retries.
        let mut out = Vec::with_capacity(reads.len());
        for r in reads {
            let result = ctx.call(|| async { self.lookup(&r) }).await;
            out.push((r, result));
        }
        out
    }

    async fn find(&self, _ctx: &Context, find: &Find) -> Result<DataMap, Error> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let Some(name) = &find.name else {
            return Err(Error::Invalid(
                "unsupported find operator: the fake provider needs find.name".into(),
            ));
        };
        let re = gocompat::regexp::compile(&name.regexp).map_err(|e| {
            Error::Invalid(format!(
                "could not compile find.name.regexp [{}]: {e}",
                name.regexp
            ))
        })?;
        let mut latest: HashMap<&str, &Entry> = HashMap::new();
        for p in self.entries.values() {
            let e = entry(p);
            if !re.is_match(&e.key) {
                continue;
            }
            match latest.get(e.key.as_str()) {
                Some(seen) if seen.version >= e.version => {}
                _ => {
                    latest.insert(&e.key, e);
                }
            }
        }
        let map: DataMap = latest
            .into_iter()
            .map(|(k, e)| (k.to_string(), e.value.clone()))
            .collect();
        esutils::keys::convert_keys(find.conversion_strategy.into(), map)
            .map_err(|e| Error::Invalid(e.to_string()))
    }

    fn get_secret(&self, payload: &Payload, r: &RemoteRef) -> Result<SecretBytes, Error> {
        let e = entry(payload);
        match r.property.as_deref().filter(|p| !p.is_empty()) {
            None => Ok(e.value.clone()),
            Some(property) => {
                let json = String::from_utf8_lossy(e.value.expose());
                gocompat::gjson::get_string(&json, property)
                    .map(SecretBytes::from)
                    .ok_or(Error::NotFound)
            }
        }
    }

    fn get_secret_map(&self, payload: &Payload, r: &RemoteRef) -> Result<DataMap, Error> {
        if let Some(map) = &entry(payload).value_map {
            return Ok(map.clone());
        }
        let value = self.get_secret(payload, r)?;
        esutils::explode::json_object_to_map(value.expose())
            .map_err(|e| Error::Invalid(format!("unable to unmarshal secret: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::model::{FakeData, FindName};

    fn client(data: &[(&str, &str, &str)]) -> Client {
        Client::new(&FakeProvider {
            data: data
                .iter()
                .map(|(k, v, ver)| FakeData {
                    key: k.to_string(),
                    value: v.to_string(),
                    version: ver.to_string(),
                    value_map: None,
                })
                .collect(),
            validation_result: None,
        })
    }

    fn rr(key: &str, version: Option<&str>, property: Option<&str>) -> RemoteRef {
        RemoteRef {
            key: key.into(),
            version: version.map(str::to_string),
            property: property.map(str::to_string),
            ..Default::default()
        }
    }

    fn get(c: &Client, r: &RemoteRef) -> Result<String, Error> {
        let p = c.lookup(&Read::of(r))?;
        c.get_secret(&p, r)
            .map(|v| String::from_utf8(v.expose().to_vec()).unwrap())
    }

    #[test]
    fn version_must_match_exactly() {
        let c = client(&[("/foo/bar", "HELLO1", "v1"), ("/foo/bar", "HELLO2", "v2")]);
        assert_eq!(
            get(&c, &rr("/foo/bar", Some("v1"), None)),
            Ok("HELLO1".into())
        );
        assert_eq!(
            get(&c, &rr("/foo/bar", Some("v2"), None)),
            Ok("HELLO2".into())
        );
        assert_eq!(get(&c, &rr("/foo/bar", None, None)), Err(Error::NotFound));
    }

    #[test]
    fn concatenated_key_does_not_leak_across_versions() {
        // "a1" unversioned must not answer key "a" version "1".
        let c = client(&[("a1", "x", "")]);
        assert_eq!(get(&c, &rr("a", Some("1"), None)), Err(Error::NotFound));
        assert_eq!(get(&c, &rr("a1", None, None)), Ok("x".into()));
    }

    #[test]
    fn missing_property_is_not_found() {
        let c = client(&[("k", r#"{"a":{"b":1.50},"s":"x"}"#, "")]);
        assert_eq!(get(&c, &rr("k", None, Some("a.b"))), Ok("1.5".into()));
        assert_eq!(get(&c, &rr("k", None, Some("s"))), Ok("x".into()));
        assert_eq!(get(&c, &rr("k", None, Some("nope"))), Err(Error::NotFound));
    }

    #[tokio::test]
    async fn find_keeps_greatest_version_string_and_converts_keys() {
        let c = client(&[
            ("/path/key1", "old", "10"),
            ("/path/key1", "new", "9"),
            ("key2/path", "b", ""),
            ("other", "c", ""),
        ]);
        let ctx = Context::new(1, Default::default());
        let find = Find {
            name: Some(FindName {
                regexp: "key".into(),
            }),
            ..Default::default()
        };
        let m = c.find(&ctx, &find).await.unwrap();
        let keys: Vec<_> = m.keys().cloned().collect();
        assert_eq!(keys, ["_path_key1", "key2_path"]);
        assert_eq!(m["_path_key1"].expose(), b"new");
    }

    #[tokio::test]
    async fn find_without_name_is_an_error() {
        let c = client(&[("a", "b", "")]);
        let ctx = Context::new(1, Default::default());
        let err = c.find(&ctx, &Find::default()).await.unwrap_err();
        assert!(
            err.to_string().contains("unsupported find operator"),
            "{err}"
        );
    }

    #[test]
    fn validation_result_error_means_not_ready() {
        let mut spec = FakeProvider {
            data: vec![],
            validation_result: Some(2),
        };
        assert!(!Client::new(&spec).is_ready());
        spec.validation_result = Some(1);
        assert!(Client::new(&spec).is_ready());
        spec.validation_result = Some(3);
        assert!(!Client::new(&spec).is_ready());
    }
}
