use super::*;

fn value(json: &str) -> Value {
    Value {
        json: SecretBytes::from(json),
        nil: false,
    }
}

fn text(b: SecretBytes) -> String {
    String::from_utf8(b.expose().to_vec()).unwrap()
}

fn get(v: &Value, property: &str) -> Result<String, Error> {
    select(v, property).map(text)
}

const NESTED: &str = r#"{"access_key":"access_key","access_secret":"access_secret",
    "nested.bar":"something different","nested":{"foo":"oke","bar":"also ok?"},
    "list_of_values":["first_value","second_value","third_value"],"json_number":42}"#;

// ESO client_get_test.go TestGetSecret (semantics TV25).
#[test]
fn get_secret_matches_eso() {
    let plain = value(r#"{"access_secret":"access_secret","access_key":"access_key"}"#);
    assert_eq!(
        get(&plain, "").unwrap(),
        r#"{"access_key":"access_key","access_secret":"access_secret"}"#
    );
    let with_null = value(r#"{"access_key":"access_key","token":null}"#);
    assert_eq!(get(&with_null, "access_key").unwrap(), "access_key");
    assert_eq!(get(&with_null, "token").unwrap(), "");
    let nested = value(NESTED);
    assert_eq!(get(&nested, "nested.foo").unwrap(), "oke");
    assert_eq!(get(&nested, "nested.bar").unwrap(), "something different");
    assert_eq!(get(&nested, "json_number").unwrap(), "42");
    assert_eq!(
        get(&nested, "list_of_values").unwrap(),
        r#"["first_value","second_value","third_value"]"#
    );
    assert_eq!(
        get(&nested, "nop.doesnt.exist").unwrap_err().to_string(),
        r#"cannot find secret data for key: "nop.doesnt.exist""#
    );
}

#[test]
fn numbers_keep_vaults_text_and_strings_are_html_escaped() {
    let v = value(r#"{"ratio":1.50,"big":123456789012345678901234,"s":"<a&b>","t":true}"#);
    assert_eq!(
        get(&v, "").unwrap(),
        r#"{"big":123456789012345678901234,"ratio":1.50,"s":"\u003ca\u0026b\u003e","t":true}"#
    );
    assert_eq!(get(&v, "ratio").unwrap(), "1.50");
    assert_eq!(get(&v, "big").unwrap(), "123456789012345678901234");
    assert_eq!(get(&v, "s").unwrap(), "<a&b>");
    assert_eq!(get(&v, "t").unwrap(), "true");
}

fn map(v: &Value, property: Option<&str>) -> Result<Vec<(String, String)>, Error> {
    let client_less = |v: &Value| {
        let bytes = select(v, property.unwrap_or(""))?;
        let m = json::unmarshal_map(bytes.expose())
            .map_err(|e| Error::Invalid(e.to_string()))?
            .unwrap_or_default();
        Ok::<_, Error>(
            m.into_iter()
                .map(|(k, v)| (k, text(esutils::value::byte_value(&v))))
                .collect::<Vec<_>>(),
        )
    };
    client_less(v)
}

// ESO client_get_test.go TestGetSecretMap (semantics TV26).
#[test]
fn get_secret_map_matches_eso() {
    let v = value(r#"{"access_key":"acc<ess_&ke.,y","access_secret":"acce&?ss_s>ecret"}"#);
    assert_eq!(
        map(&v, None).unwrap(),
        [
            ("access_key".to_string(), "acc<ess_&ke.,y".to_string()),
            ("access_secret".into(), "acce&?ss_s>ecret".into())
        ]
    );
    let v = value(r#"{"access_key":"access_key","token":null}"#);
    assert_eq!(
        map(&v, None).unwrap(),
        [
            ("access_key".to_string(), "access_key".to_string()),
            ("token".into(), String::new())
        ]
    );
    let v = value(r#"{"f32":2.12,"f64":2.1234534153423423,"int":42,"bool":true}"#);
    assert_eq!(
        map(&v, None).unwrap(),
        [
            ("bool".to_string(), "true".to_string()),
            ("f32".into(), "2.12".into()),
            ("f64".into(), "2.1234534153423423".into()),
            ("int".into(), "42".into())
        ]
    );
    let v = value(r#"{"nested":{"foo":{"oke":"yup","mhkeih":"yada yada"}}}"#);
    assert_eq!(
        map(&v, Some("nested")).unwrap(),
        [(
            "foo".to_string(),
            r#"{"mhkeih":"yada yada","oke":"yup"}"#.to_string()
        )]
    );
    assert_eq!(
        map(&v, Some("nested.foo")).unwrap(),
        [
            ("mhkeih".to_string(), "yada yada".to_string()),
            ("oke".into(), "yup".into())
        ]
    );
    // A property holding a plain string is not a map: Go's json error.
    let v = value(r#"{"s":"plain"}"#);
    assert!(map(&v, Some("s")).is_err());
}

#[test]
fn empty_metadata_is_an_empty_value() {
    let v = Value {
        json: SecretBytes::from("{}"),
        nil: true,
    };
    assert_eq!(get(&v, "").unwrap(), "");
    assert_eq!(get(&v, "anything").unwrap(), "");
}

#[test]
fn metadata_values_are_formatted_like_go_percent_v() {
    assert_eq!(
        go_format(br#""2018-03-22T02:24:06.945319214Z""#),
        "2018-03-22T02:24:06.945319214Z"
    );
    assert_eq!(go_format(b"2"), "2");
    assert_eq!(go_format(b"true"), "true");
    assert_eq!(go_format(b"null"), "<nil>");
}

#[test]
fn retry_settings_become_attempts_and_a_fixed_delay() {
    assert_eq!(retries(None).unwrap(), (3, None));
    let s = RetrySettings {
        max_retries: Some(5),
        retry_interval: Some("10ms".into()),
    };
    assert_eq!(
        retries(Some(&s)).unwrap(),
        (6, Some(Duration::from_millis(10)))
    );
    // A block without maxRetries means no retries (ESO relies on the reconcile loop).
    let s = RetrySettings {
        max_retries: None,
        retry_interval: None,
    };
    assert_eq!(retries(Some(&s)).unwrap(), (1, None));
    let s = RetrySettings {
        max_retries: None,
        retry_interval: Some("soon".into()),
    };
    assert!(retries(Some(&s)).is_err());
}

#[test]
fn version_queries_are_escaped() {
    assert_eq!(http::query_escape("3"), "3");
    assert_eq!(http::query_escape("a b&c"), "a+b%26c");
}

fn spec(yaml: serde_json::Value) -> VaultProvider {
    serde_json::from_value(yaml).unwrap()
}

#[test]
fn crd_defaults_apply() {
    let s = spec(serde_json::json!({
        "server": "https://vault:8200",
        "auth": {"appRole": {"roleId": "r", "secretRef": {"name": "n", "key": "k"}},
                 "kubernetes": {"role": "r"}, "userPass": {"username": "u"},
                 "ldap": {"username": "u"}, "jwt": {}, "cert": {}}
    }));
    assert_eq!(s.version, VaultKvVersion::V2);
    let a = s.auth.unwrap();
    assert_eq!(a.app_role.unwrap().path, "approle");
    assert_eq!(a.kubernetes.unwrap().mount_path, "kubernetes");
    assert_eq!(a.user_pass.unwrap().path, "userpass");
    assert_eq!(a.ldap.unwrap().path, "ldap");
    assert_eq!(a.jwt.unwrap().path, "jwt");
    assert_eq!(a.cert.unwrap().path, "cert");
}

// ESO validate_test.go: referent selectors, AppRole and JWT sources, client TLS pairs, CAS.
#[test]
fn validate_store_matches_eso() {
    let check = |kind, v: serde_json::Value| {
        validate_store(kind, Some("apps"), &spec(v))
            .into_iter()
            .map(|(m, f)| format!("{f}: {m}"))
            .collect::<Vec<_>>()
    };
    let errs = check(
        StoreKind::SecretStore,
        serde_json::json!({"server": "s", "auth": {"appRole": {"secretRef": {"name": "n", "key": "k", "namespace": "other"}}}}),
    );
    assert_eq!(
        errs,
        [
            "spec.provider.vault.auth.appRole.secretRef.namespace: invalid Auth.AppRole.SecretRef: \
             namespace should either be empty or match the namespace of the SecretStore for a \
             namespaced SecretStore",
            "spec.provider.vault.auth.appRole: invalid Auth.AppRole: neither `roleId` nor \
             `roleRef` was supplied"
        ]
    );
    // The same store as a ClusterSecretStore may name any namespace.
    let errs = check(
        StoreKind::ClusterSecretStore,
        serde_json::json!({"server": "s", "auth": {"appRole": {"roleId": "x", "secretRef": {"name": "n", "key": "k", "namespace": "other"}}}}),
    );
    assert!(errs.is_empty(), "{errs:?}");
    let errs = check(
        StoreKind::SecretStore,
        serde_json::json!({"server": "s", "auth": {"jwt": {"role": "r"}}, "tls": {"certSecretRef": {"name": "c"}}, "version": "v1", "checkAndSet": {"required": true}}),
    );
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs[0].contains("both ClientTLS.ClientCert and ClientTLS.SecretRef"));
    assert!(errs[1].contains("neither `secretRef` nor `kubernetesServiceAccountToken`"));
    assert!(errs[2].contains("checkAndSet is not supported with Vault KV version v1"));
    // ESO reports IAM's foreign namespaces as an invalid Auth.TokenSecretRef.
    let errs = check(
        StoreKind::SecretStore,
        serde_json::json!({"server": "s", "auth": {"iam": {"vaultRole": "r", "secretRef": {
            "accessKeyIDSecretRef": {"name": "a", "key": "id"},
            "secretAccessKeySecretRef": {"name": "a", "key": "k", "namespace": "other"}}}}}),
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "spec.provider.vault.auth.iam.secretRef.secretAccessKeySecretRef.namespace: invalid \
             Auth.TokenSecretRef: namespace should"
        ),
        "{errs:?}"
    );
}

#[test]
fn referent_specs_are_those_with_a_credential_without_namespace() {
    let referent = |v| auth::is_referent(&spec(v));
    assert!(referent(
        serde_json::json!({"server": "s", "auth": {"tokenSecretRef": {"name": "t", "key": "k"}}})
    ));
    assert!(!referent(
        serde_json::json!({"server": "s", "auth": {"tokenSecretRef": {"name": "t", "key": "k", "namespace": "x"}}})
    ));
    assert!(!referent(serde_json::json!({"server": "s"})));
    assert!(referent(
        serde_json::json!({"server": "s", "auth": {"userPass": {"username": "u", "secretRef": {"name": "t", "key": "k"}}}})
    ));
    let iam = |token_ns: serde_json::Value| {
        referent(
            serde_json::json!({"server": "s", "auth": {"iam": {"vaultRole": "r", "secretRef": {
            "accessKeyIDSecretRef": {"name": "a", "key": "id", "namespace": "x"},
            "secretAccessKeySecretRef": {"name": "a", "key": "k", "namespace": "x"},
            "sessionTokenSecretRef": {"name": "a", "key": "t", "namespace": token_ns}}}}}),
        )
    };
    assert!(!iam(serde_json::json!("x")));
    assert!(iam(serde_json::Value::Null));
}

#[test]
fn ca_bundles_are_pem_or_base64_of_pem() {
    let pem = crate::pki::pem::encode("CERTIFICATE", &test_cert_der());
    let sources = Sources::default();
    let once = gocompat::base64::encode_std(&pem);
    let mut s = spec(serde_json::json!({"server": "https://v", "caBundle": once}));
    assert_eq!(
        ca_pem(&s, StoreKind::SecretStore, "apps", &sources).unwrap(),
        Some(pem.clone())
    );
    s.ca_bundle = Some(gocompat::base64::encode_std(once.as_bytes()));
    assert_eq!(
        ca_pem(&s, StoreKind::SecretStore, "apps", &sources).unwrap(),
        Some(pem)
    );
    s.ca_bundle = Some(gocompat::base64::encode_std(b"not a certificate"));
    let e = ca_pem(&s, StoreKind::SecretStore, "apps", &sources).unwrap_err();
    assert!(e.to_string().contains("not valid pem data"), "{e}");
    let s = spec(
        serde_json::json!({"server": "https://v", "caProvider": {"type": "ConfigMap", "name": "ca", "key": "ca.crt"}}),
    );
    let e = ca_pem(&s, StoreKind::ClusterSecretStore, "apps", &sources).unwrap_err();
    assert!(
        e.to_string()
            .contains("missing namespace on caProvider secret"),
        "{e}"
    );
    let e = ca_pem(&s, StoreKind::SecretStore, "apps", &sources).unwrap_err();
    assert!(e.to_string().contains("ConfigMap apps/ca not found"), "{e}");
}

/// A minimal DER certificate shape: SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }.
fn test_cert_der() -> Vec<u8> {
    use crate::pki::der;
    der::seq(&[&der::seq(&[]), &der::seq(&[]), &der::bit_string(&[1, 2])]).to_vec()
}
