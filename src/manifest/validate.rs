//! Rules beyond the shape of the types: the CRD's patterns and cardinalities, ESO's admission
//! webhook (`apis/externalsecrets/v1/externalsecret_validator.go`, the store validators) and what
//! eso-render cannot do yet. Messages quote ESO's text where ESO has one, so users can search it.

use std::collections::BTreeMap;

use crate::error::Diagnostic;
use crate::gocompat;
use crate::manifest::model::{CreationPolicy, DeletionPolicy, Template};
use crate::manifest::{ExternalSecret, Located, Manifests, ProviderSpec, Store, selector};
use crate::render::key_path;

/// `^[-._a-zA-Z0-9]+$`, at most 253 bytes: Secret keys in the CRD and in Kubernetes.
pub fn is_valid_secret_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 253
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

/// DNS-1123 subdomain: object names, `secretStoreRef.name`, `target.name`.
pub fn is_dns_subdomain(name: &str) -> bool {
    name.len() <= 253
        && !name.is_empty()
        && name.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

/// DNS-1123 label: namespace names (at most 63 characters, no dots).
pub fn is_dns_label(name: &str) -> bool {
    name.len() <= 63 && !name.contains('.') && is_dns_subdomain(name)
}

/// A qualified name's name part, or a label value: at most 63 of `[-A-Za-z0-9_.]`, starting and
/// ending alphanumeric (Kubernetes' `IsQualifiedName` / `IsValidLabelValue`).
fn qualified_part(s: &str) -> Result<(), String> {
    if s.len() > 63 {
        return Err("must be no more than 63 characters".into());
    }
    let b = s.as_bytes();
    let ok = b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric);
    if ok {
        Ok(())
    } else {
        Err(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end \
             with an alphanumeric character"
                .into(),
        )
    }
}

/// A label key: `[prefix/]name`, the prefix a DNS subdomain.
pub fn label_key(key: &str) -> Result<(), String> {
    let name = match key.split_once('/') {
        Some((prefix, name)) => {
            if !is_dns_subdomain(prefix) {
                return Err("prefix part must be a DNS subdomain".into());
            }
            name
        }
        None => key,
    };
    if name.is_empty() {
        return Err("name part must be non-empty".into());
    }
    qualified_part(name).map_err(|e| format!("name part {e}"))
}

/// A label value: empty, or a qualified name part.
pub fn label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    qualified_part(value)
}

const DNS_HINT: &str = "names are lowercase letters, digits, '-' and '.', start and end with a \
                        letter or digit, at most 253 characters";

pub const NS_HINT: &str = "namespaces are lowercase letters, digits and '-', start and end \
                           with a letter or digit, at most 63 characters";

/// Every rule for one ExternalSecret; pushes one diagnostic per violation.
pub fn external_secret(
    es: &ExternalSecret,
    template_opts: &crate::template::Options,
    errors: &mut Vec<Diagnostic>,
) {
    let mut err = |msg: String, field: &str| errors.push(es.error(Diagnostic::input(msg), field));
    let spec = &es.spec;
    let target = &spec.target;

    if !is_dns_subdomain(&es.name) {
        err(
            format!("invalid name {:?}: {DNS_HINT}", es.name),
            "metadata.name",
        );
    }
    if !is_dns_label(&es.namespace) {
        err(
            format!("invalid namespace {:?}: {NS_HINT}", es.namespace),
            "metadata.namespace",
        );
    }
    if !spec.secret_store_ref.name.is_empty() && !is_dns_subdomain(&spec.secret_store_ref.name) {
        err(
            format!(
                "invalid store name {:?}: {DNS_HINT}",
                spec.secret_store_ref.name
            ),
            "spec.secretStoreRef.name",
        );
    }
    if let Some(name) = &target.name
        && !name.is_empty()
        && !is_dns_subdomain(name)
    {
        err(
            format!("invalid Secret name {name:?}: {DNS_HINT}"),
            "spec.target.name",
        );
    }
    if let Some(ri) = &spec.refresh_interval
        && let Err(e) = gocompat::duration::parse(ri)
    {
        err(
            format!("invalid refreshInterval {ri:?}: {e}"),
            "spec.refreshInterval",
        );
    }
    if let Some(sw) = &spec.sync_windows
        && sw.windows.is_empty()
    {
        err(
            "windows must have at least 1 item".into(),
            "spec.syncWindows.windows",
        );
    }

    // ESO webhook rule 1 and 2: policies.
    if target.deletion_policy == DeletionPolicy::Delete
        && matches!(
            target.creation_policy,
            CreationPolicy::Merge | CreationPolicy::None | CreationPolicy::CreateOrMerge
        )
    {
        err(
            "deletionPolicy=Delete must not be used when the controller doesn't own the secret. \
             Please set creationPolicy=Owner"
                .into(),
            "spec.target.deletionPolicy",
        );
    }
    if target.deletion_policy == DeletionPolicy::Merge
        && target.creation_policy == CreationPolicy::None
    {
        err(
            "deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret \
             to merge with"
                .into(),
            "spec.target.deletionPolicy",
        );
    }
    // Rule 3.
    if spec.data.is_empty() && spec.data_from.is_empty() {
        err("either data or dataFrom should be specified".into(), "spec");
    }
    if let Some(m) = &target.manifest
        && !(m.api_version == "v1" && m.kind == "Secret")
    {
        err(
            format!(
                "target.manifest {}/{} is not supported: eso-render only writes Secrets",
                m.api_version, m.kind
            ),
            "spec.target.manifest",
        );
    }
    if let Some(tpl) = &target.template {
        template_rules(tpl, template_opts, &mut err);
    }

    for (i, d) in spec.data.iter().enumerate() {
        if !is_valid_secret_key(&d.secret_key) {
            err(
                format!(
                    "invalid secretKey {:?}: must match ^[-._a-zA-Z0-9]+$ and be at most 253 \
                     characters",
                    d.secret_key
                ),
                &format!("spec.data[{i}].secretKey"),
            );
        }
        if let Some(sr) = &d.source_ref {
            let field = format!("spec.data[{i}].sourceRef");
            match (&sr.store_ref, &sr.generator_ref) {
                (Some(_), Some(_)) | (None, None) => err(
                    "sourceRef must have exactly one of storeRef or generatorRef".into(),
                    &field,
                ),
                (None, Some(_)) => err(
                    "data[].sourceRef.generatorRef is not implemented by ESO (it reads the store \
                     named by an empty storeRef instead); use dataFrom[].sourceRef.generatorRef"
                        .into(),
                    &format!("{field}.generatorRef"),
                ),
                (Some(s), None) => {
                    if !is_dns_subdomain(&s.name) {
                        err(
                            format!("invalid store name {:?}: {DNS_HINT}", s.name),
                            &format!("{field}.storeRef.name"),
                        );
                    }
                }
            }
        }
    }

    for (i, df) in spec.data_from.iter().enumerate() {
        let field = format!("spec.dataFrom[{i}]");
        let generator = df
            .source_ref
            .as_ref()
            .is_some_and(|s| s.generator_ref.is_some());
        let set = [df.extract.is_some(), df.find.is_some(), generator]
            .iter()
            .filter(|b| **b)
            .count();
        if set > 1 {
            err(
                "extract, find, or generatorRef cannot be set at the same time".into(),
                &field,
            );
        }
        if df.extract.is_none() && df.find.is_none() && df.source_ref.is_none() {
            err(
                "either extract, find, or sourceRef must be set to dataFrom".into(),
                &field,
            );
        }
        if let Some(sr) = &df.source_ref {
            match (&sr.store_ref, &sr.generator_ref) {
                (None, None) => err(
                    "generatorRef or storeRef must be set when using sourceRef in dataFrom".into(),
                    &format!("{field}.sourceRef"),
                ),
                (Some(_), Some(_)) => err(
                    "sourceRef must have exactly one of storeRef or generatorRef".into(),
                    &format!("{field}.sourceRef"),
                ),
                (Some(s), None) if !is_dns_subdomain(&s.name) => err(
                    format!("invalid store name {:?}: {DNS_HINT}", s.name),
                    &format!("{field}.sourceRef.storeRef.name"),
                ),
                _ => {}
            }
        }
        for (j, rw) in df.rewrite.iter().enumerate() {
            let n = [
                rw.merge.is_some(),
                rw.regexp.is_some(),
                rw.transform.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if n != 1 {
                err(
                    "each rewrite must have exactly one of merge, regexp or transform".into(),
                    &format!("{field}.rewrite[{j}]"),
                );
            }
            if let Some(t) = &rw.transform {
                let opts = crate::template::Options {
                    missing_key_error: false,
                    ..Default::default()
                };
                if let Err(e) = crate::template::Template::parse("transform", &t.template, &opts) {
                    err(
                        format!(
                            "failed rewrite operation[{j}]: transform failed with failed to parse \
                             template: {e}"
                        ),
                        &format!("{field}.rewrite[{j}].transform.template"),
                    );
                }
            }
        }
    }

    // Rule 7: only with deletionPolicy Retain.
    if target.deletion_policy == DeletionPolicy::Retain {
        let mut seen = BTreeMap::new();
        for (i, d) in spec.data.iter().enumerate() {
            if seen.insert(d.secret_key.as_str(), i).is_some() {
                err(
                    format!("duplicate secretKey found: {}", d.secret_key),
                    &format!("spec.data[{i}].secretKey"),
                );
            }
        }
    }
}

/// ESO webhook rules 4 and 5 (`validatePrivilegedTemplate`, `ValidateSecretTemplateFromTargets`;
/// the controller re-checks them before rendering), the CRD pattern of templateFrom item keys,
/// and template syntax (ESO finds it at reconcile time; we find it before any backend call).
fn template_rules(
    tpl: &Template,
    opts: &crate::template::Options,
    err: &mut impl FnMut(String, &str),
) {
    if tpl.type_ == "kubernetes.io/service-account-token" {
        if tpl
            .metadata
            .annotations
            .contains_key("kubernetes.io/service-account.name")
        {
            err(
                "template.type=\"kubernetes.io/service-account-token\" with annotation \
                 \"kubernetes.io/service-account.name\" is not allowed"
                    .into(),
                "spec.target.template.metadata.annotations",
            );
        } else if tpl
            .template_from
            .iter()
            .any(|t| t.target.eq_ignore_ascii_case("Annotations"))
        {
            err(
                "template.type=\"kubernetes.io/service-account-token\" with templateFrom \
                 target=\"Annotations\" is not allowed"
                    .into(),
                "spec.target.template.templateFrom",
            );
        }
    }
    if tpl.type_ == "bootstrap.kubernetes.io/token" {
        err(
            "template.type=\"bootstrap.kubernetes.io/token\" is not allowed".into(),
            "spec.target.template.type",
        );
    }
    for (i, tf) in tpl.template_from.iter().enumerate() {
        let t = tf.target.as_str();
        if !(t.is_empty()
            || ["Data", "Annotations", "Labels"]
                .iter()
                .any(|x| t.eq_ignore_ascii_case(x)))
        {
            err(
                format!(
                    "templateFrom target={t:?} is not allowed when targeting a Secret, must be one \
                     of \"Data\", \"Annotations\" or \"Labels\""
                ),
                &format!("spec.target.template.templateFrom[{i}].target"),
            );
        }
        for (kind, r) in [("configMap", &tf.config_map), ("secret", &tf.secret)] {
            let Some(r) = r else { continue };
            for (j, item) in r.items.iter().enumerate() {
                if !is_valid_secret_key(&item.key) {
                    err(
                        format!(
                            "invalid key {:?}: must match ^[-._a-zA-Z0-9]+$ and be at most 253 \
                             characters",
                            item.key
                        ),
                        &format!("spec.target.template.templateFrom[{i}].{kind}.items[{j}].key"),
                    );
                }
            }
        }
    }
    // Syntax errors of inline templates (ESO reports them at reconcile, with this wording).
    let inline = tpl
        .data
        .iter()
        .map(|(k, v)| {
            (
                key_path("spec.target.template.data", k),
                k.as_str(),
                v.as_str(),
            )
        })
        .chain(tpl.metadata.labels.iter().map(|(k, v)| {
            (
                key_path("spec.target.template.metadata.labels", k),
                k.as_str(),
                v.as_str(),
            )
        }))
        .chain(tpl.metadata.annotations.iter().map(|(k, v)| {
            (
                key_path("spec.target.template.metadata.annotations", k),
                k.as_str(),
                v.as_str(),
            )
        }))
        .chain(tpl.template_from.iter().enumerate().filter_map(|(i, tf)| {
            tf.literal.as_deref().map(|l| {
                (
                    format!("spec.target.template.templateFrom[{i}].literal"),
                    "literal",
                    l,
                )
            })
        }));
    for (field, name, text) in inline {
        if let Err(e) = crate::template::Template::parse(name, text, opts) {
            err(
                format!("unable to parse template at key {name}: {e}"),
                &field,
            );
        }
    }
}

/// Rules for one store: its provider's `ValidateStore` and the store webhook.
pub fn store(store: &Store, errors: &mut Vec<Diagnostic>) {
    let mut err =
        |msg: String, field: &str| errors.push(store.error(Diagnostic::input(msg), field));
    if !is_dns_subdomain(&store.name) {
        err(
            format!("invalid name {:?}: {DNS_HINT}", store.name),
            "metadata.name",
        );
    }
    if let Some(ns) = store.namespace.as_deref().filter(|ns| !is_dns_label(ns)) {
        err(
            format!("invalid namespace {ns:?}: {NS_HINT}"),
            "metadata.namespace",
        );
    }
    if let ProviderSpec::Fake(fake) = &store.provider {
        for (i, d) in fake.data.iter().enumerate() {
            if d.key.is_empty() {
                err(
                    format!("key must be set in data {i}"),
                    &format!("spec.provider.fake.data[{i}].key"),
                );
            }
            if d.value.is_empty() && d.value_map.is_none() {
                err(
                    format!("at least one value must be set in data {i}"),
                    &format!("spec.provider.fake.data[{i}].value"),
                );
            }
        }
    }
    if let ProviderSpec::Aws(aws) = &store.provider {
        let problems = crate::provider::aws::validate_store(
            store.kind,
            store.namespace.as_deref(),
            aws,
            store.spec.retry_settings.as_ref(),
        );
        for (msg, field) in problems {
            err(msg, &field);
        }
    }
    if let ProviderSpec::Kubernetes(k) = &store.provider {
        let problems =
            crate::provider::kubernetes::validate_store(store.kind, store.namespace.as_deref(), k);
        for (msg, field) in problems {
            err(msg, &field);
        }
    }
    if let ProviderSpec::Vault(vault) = &store.provider {
        let problems =
            crate::provider::vault::validate_store(store.kind, store.namespace.as_deref(), vault);
        for (msg, field) in problems {
            err(msg, &field);
        }
    }
    match &store.spec.refresh_interval {
        Some(serde_json::Value::Number(n)) if n.as_u64().is_none() => err(
            "refreshInterval must be a non-negative number of seconds or a Go duration".into(),
            "spec.refreshInterval",
        ),
        Some(serde_json::Value::String(s)) if !s.is_empty() => {
            if let Err(e) = gocompat::duration::parse(s) {
                err(
                    format!("invalid refreshInterval {s:?}: {e}"),
                    "spec.refreshInterval",
                );
            }
        }
        Some(serde_json::Value::Number(_) | serde_json::Value::String(_)) | None => {}
        Some(other) => err(
            format!("refreshInterval must be an integer or a string, found {other}"),
            "spec.refreshInterval",
        ),
    }
    for (i, c) in store.spec.conditions.iter().enumerate() {
        for (j, re) in c.namespace_regexes.iter().enumerate() {
            if let Err(e) = gocompat::regexp::compile(re) {
                err(
                    format!("failed to compile regex {re:?}: {e}"),
                    &format!("spec.conditions[{i}].namespaceRegexes[{j}]"),
                );
            }
        }
        if let Some(sel) = &c.namespace_selector
            && let Err(e) = selector::check(sel)
        {
            err(e, &format!("spec.conditions[{i}].namespaceSelector"));
        }
    }
}

/// Two objects with the same identity: the API server would keep only one of them.
pub fn check_duplicates(m: &Manifests, errors: &mut Vec<Diagnostic>) {
    report_duplicates(&m.external_secrets, errors);
    report_duplicates(&m.stores, errors);
}

fn report_duplicates<T: Located>(objects: &[T], errors: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &T> = BTreeMap::new();
    for o in objects {
        let id = o.id();
        match seen.get(&id) {
            Some(first) => errors.push(o.error(
                Diagnostic::input(format!(
                    "duplicate object: {id} is also defined at {}",
                    first.origin("metadata.name")
                )),
                "metadata.name",
            )),
            None => {
                seen.insert(id, o);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_pattern() {
        assert!(is_valid_secret_key("tls.crt"));
        assert!(is_valid_secret_key("A-b_c.9"));
        assert!(!is_valid_secret_key(""));
        assert!(!is_valid_secret_key("foo/bar"));
        assert!(!is_valid_secret_key("é"));
        assert!(!is_valid_secret_key(&"a".repeat(254)));
    }

    #[test]
    fn dns_subdomain() {
        assert!(is_dns_subdomain("my-store.prod"));
        assert!(!is_dns_subdomain("My-Store"));
        assert!(!is_dns_subdomain("-a"));
        assert!(!is_dns_subdomain("a..b"));
        assert!(!is_dns_subdomain(""));
        assert!(is_dns_label("team-a"));
        assert!(!is_dns_label("team.a"));
        assert!(!is_dns_label(&"a".repeat(64)));
    }
}
