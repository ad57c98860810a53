//! TLS, headers, read-your-writes, and Vault's error statuses: what ESO's Go client sends and
//! how its failures are reported and retried.

use serde_json::json;

use super::auth::base64_std;
use super::{
    Needs, emulator, external_secret, render, secret, store, token_auth, token_store, unique,
    values, vault,
};

fn es() -> String {
    external_secret(
        "a",
        "vault",
        "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
    )
}

#[test]
fn tls_with_a_ca_bundle_a_ca_provider_and_a_client_certificate() {
    let v = emulator();
    let tls = v.tls.as_ref().unwrap();
    let mount = v.kv(2);
    v.put(&mount, 2, &[("app", json!({"user": "over-tls"}))]);
    let id = unique("tls");
    let ca = base64_std(&tls.ca_pem);
    let manifests = store(
        "vault",
        &tls.addr,
        &format!(
            "path: {mount}, caBundle: {ca}, headers: {{X-Test-Id: {id}}}, \
             tls: {{certSecretRef: {{name: client}}, keySecretRef: {{name: client}}}}, {}",
            token_auth("vault")
        ),
        Some(&v.token),
    ) + &secret(
        "client",
        &[
            ("tls.crt", &tls.client_cert_pem),
            ("tls.key", &tls.client_key_pem),
        ],
    ) + &es();
    let out = render(&manifests);
    assert_eq!(values(&out, "a")["u"], "over-tls");
    let log = v.requests(&id);
    assert!(
        !log.is_empty() && log.iter().all(|r| r["client_cert"] == true),
        "{log:?}"
    );

    // The CA from a ConfigMap (caProvider) works the same.
    let cm = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: vault-ca, namespace: apps}}\ndata: {}\n---\n",
        json!({"ca.crt": tls.ca_pem})
    );
    let manifests = store(
        "vault",
        &tls.addr,
        &format!(
            "path: {mount}, caProvider: {{type: ConfigMap, name: vault-ca, key: ca.crt}}, {}",
            token_auth("vault")
        ),
        Some(&v.token),
    ) + &cm
        + &es();
    assert_eq!(values(&render(&manifests), "a")["u"], "over-tls");

    // Without the CA, the system roots do not trust the emulator's certificate.
    let manifests = store(
        "vault",
        &tls.addr,
        &format!("path: {mount}, {}", token_auth("vault")),
        Some(&v.token),
    ) + &es();
    let out = render(&manifests);
    out.assert_failed(1, &[&tls.addr]);
    assert!(
        out.stderr.to_lowercase().contains("certificate"),
        "{}",
        out.stderr
    );
}

#[test]
fn headers_namespace_and_read_your_writes_are_sent_as_eso_sends_them() {
    let v = emulator();
    let ns = unique("ns");
    let mount = unique("kv2");
    v.admin(json!([
        {"method": "POST", "path": format!("sys/mounts/{mount}"), "namespace": ns, "body": {"type": "kv-v2"}},
        {"method": "POST", "path": format!("{mount}/data/app"), "namespace": ns, "body": {"data": {"user": "ns-user"}}},
        {"method": "POST", "path": format!("{mount}/data/b"), "namespace": ns, "body": {"data": {"user": "b"}}},
    ]));
    let id = unique("hdr");
    let manifests = token_store(
        "vault",
        v,
        &format!(
            "path: {mount}, namespace: {ns}, readYourWrites: true, forwardInconsistent: true, \
             headers: {{X-Test-Id: {id}, X-Custom: hello}}"
        ),
    ) + &es()
        + &external_secret(
            "b",
            "vault",
            "  data:\n  - {secretKey: u, remoteRef: {key: b, property: user}}\n",
        );
    let out = render(&manifests);
    assert_eq!(values(&out, "a")["u"], "ns-user");
    let log = v.requests(&id);
    assert_eq!(log.len(), 3, "{log:?}");
    for r in &log {
        assert_eq!(r["namespace"], ns.as_str());
        assert_eq!(r["custom"], "hello");
        assert_eq!(r["inconsistent"], "forward-active-node");
    }
    // The token lookup comes first and carries no state; later requests send what Vault returned.
    assert_eq!(log[0]["path"], "auth/token/lookup-self");
    assert_eq!(log[0]["index"], json!([]));
    assert!(!log[1]["index"].as_array().unwrap().is_empty(), "{log:?}");

    // Without readYourWrites nothing of that is sent.
    let id = unique("hdr");
    let manifests = token_store(
        "vault",
        v,
        &format!("path: {mount}, namespace: {ns}, headers: {{X-Test-Id: {id}}}"),
    ) + &es();
    assert_eq!(render(&manifests).code, 0);
    for r in v.requests(&id) {
        assert_eq!(r["index"], json!([]));
        assert!(r["inconsistent"].is_null());
    }
}

#[test]
fn permission_denied_names_the_path_and_the_store() {
    let v = vault(&[Needs::Kv2, Needs::Token]);
    let mount = v.kv(2);
    v.put(
        &mount,
        2,
        &[
            ("app", json!({"user": "u"})),
            ("private", json!({"user": "p"})),
        ],
    );
    let token = v.token_with(&[(&format!("{mount}/data/app"), &["read"])]);
    let manifests = store(
        "vault",
        &v.addr,
        &format!("path: {mount}, {}", token_auth("vault")),
        Some(&token),
    ) + &es()
        + &external_secret(
            "p",
            "vault",
            "  data:\n  - {secretKey: u, remoteRef: {key: private, property: user}}\n",
        );
    let out = render(&manifests);
    out.assert_failed(1, &[]);
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("403"))
        .unwrap_or_else(|| panic!("{}", out.stderr));
    assert!(line.contains(&format!("{mount}/data/private")), "{line}");
    assert!(line.contains("permission denied"), "{line}");
    out.assert_stderr(&["ExternalSecret apps/p", "SecretStore apps/vault"]);
    out.assert_hides(&[&token]);
}

#[test]
fn sealed_and_overloaded_vaults_are_retried_then_reported() {
    let v = emulator();
    let mount = v.kv(2);
    v.put(&mount, 2, &[("app", json!({"user": "u"}))]);
    let provider = |id: &str, extra: &str| {
        token_store(
            "vault",
            v,
            &format!("path: {mount}, headers: {{X-Test-Id: {id}}}"),
        )
        .replacen("---\n", &format!("{extra}---\n"), 1)
            + &es()
    };
    // 429 twice, then success: the default 2 retries are enough.
    let id = unique("retry");
    v.fault(
        &format!("{mount}/data/app"),
        429,
        &["rate limit quota exceeded"],
        2,
    );
    let out = render(&(provider(&id, "")));
    assert_eq!(values(&out, "a")["u"], "u");
    let reads = v.count(&id, &format!("{mount}/data/app"));
    assert_eq!(reads, 3);

    // Sealed for longer than the retries last: Vault's reason, after 3 attempts.
    let id = unique("sealed");
    v.fault(&format!("{mount}/data/app"), 503, &["Vault is sealed"], 3);
    let out = render(&provider(&id, ""));
    out.assert_failed(1, &["Vault answered 503: Vault is sealed"]);
    let reads = v.count(&id, &format!("{mount}/data/app"));
    assert_eq!(reads, 3);

    // retrySettings without maxRetries: no retry, as ESO configures the Go client.
    let id = unique("noretry");
    v.fault(&format!("{mount}/data/app"), 500, &["internal error"], 1);
    let out = render(&provider(&id, "  retrySettings: {retryInterval: 10ms}\n"));
    out.assert_failed(1, &["Vault answered 500: internal error"]);
    let reads = v.count(&id, &format!("{mount}/data/app"));
    assert_eq!(reads, 1);
    // 404 is not retried and is ESO's "does not exist".
    let id = unique("missing");
    let out = render(
        &(provider(&id, "")
            + &external_secret(
                "m",
                "vault",
                "  data:\n  - {secretKey: u, remoteRef: {key: nope, property: user}}\n",
            )),
    );
    out.assert_failed(1, &["Secret does not exist"]);
    let gets = v.count(&id, &format!("{mount}/data/nope"));
    assert_eq!(gets, 1);
}
