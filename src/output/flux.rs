//! Flux's `postBuild.substituteFrom`: Flux cannot run plugins, but it can substitute `${var}`
//! in manifests from a Secret's keys. `render --vars-secret` prints that one Secret, holding
//! every rendered value, labelled so Flux reconciles when it changes.

use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::render::Secret;
use crate::secret::DataMap;

/// The label Flux watches on `substituteFrom` sources.
pub const WATCH_LABEL: &str = "reconcile.fluxcd.io/watch";

/// Flux's variable names: `^[_[:alpha:]][_[:alpha:][:digit:]]*$`.
fn is_variable_name(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes
        .next()
        .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
        && bytes.all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// One Secret `namespace/name` with every key of `secrets`. A key that is not a Flux variable
/// name, or that two Secrets give different values, is an error naming both sources (values
/// never appear).
pub fn vars_secret(
    secrets: &[Secret],
    namespace: &str,
    name: &str,
) -> Result<Secret, Vec<Diagnostic>> {
    let mut data = DataMap::new();
    let mut from: BTreeMap<String, &str> = BTreeMap::new();
    let mut errors = Vec::new();
    for s in secrets {
        for (key, value) in &s.data {
            if !is_variable_name(key) {
                errors.push(
                    Diagnostic::input(format!(
                        "key {key:?} of Secret {}/{} is not a Flux variable name \
                         ([_a-zA-Z][_a-zA-Z0-9]*)",
                        s.namespace, s.name
                    ))
                    .object(s.source.clone())
                    .hint("rename it with target.template or dataFrom[].rewrite"),
                );
                continue;
            }
            match data.get(key) {
                Some(seen) if seen.expose() != value.expose() => errors.push(
                    Diagnostic::input(format!(
                        "key {key:?} has different values in Secret {}/{} and in {}: one \
                         variables Secret cannot hold both",
                        s.namespace, s.name, from[key]
                    ))
                    .object(s.source.clone()),
                ),
                Some(_) => {}
                None => {
                    data.insert(key.clone(), value.clone());
                    from.insert(key.clone(), &s.source);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Secret {
        namespace: namespace.to_string(),
        name: name.to_string(),
        labels: BTreeMap::from([(WATCH_LABEL.to_string(), "Enabled".to_string())]),
        annotations: BTreeMap::new(),
        finalizers: Vec::new(),
        immutable: false,
        type_: "Opaque".into(),
        data,
        source: format!("--vars-secret {namespace}/{name}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_are_fluxs() {
        for ok in ["DB_USER", "_x", "a1"] {
            assert!(is_variable_name(ok), "{ok}");
        }
        for bad in ["", "1a", "db-user", "a.b", "é"] {
            assert!(!is_variable_name(bad), "{bad}");
        }
    }
}
