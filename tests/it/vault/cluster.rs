//! Logins whose credential is a service-account token from the cluster's TokenRequest API
//! (`kubernetes.serviceAccountRef`, `jwt.kubernetesServiceAccountToken`), against the
//! kube-apiserver emulator reached through a kubeconfig.

use base64::Engine;
use serde_json::json;

use super::auth::{enable, readable};
use super::{emulator, external_secret, store, unique, values};
use crate::cluster::{Cluster, cluster};
use crate::support::Run;

/// `render -` with the emulator's kubeconfig and no in-cluster configuration.
fn render(c: &Cluster, manifests: &str, args: &[&str]) -> Run {
    let mut env = vec![
        ("KUBECONFIG", c.kubeconfig.to_str().unwrap()),
        ("KUBERNETES_SERVICE_HOST", ""),
    ];
    env.retain(|(_, v)| !v.is_empty());
    let mut cmd = crate::support::eso_render();
    cmd.arg("render").args(args).arg("-");
    for var in [
        "VAULT_TOKEN",
        "VAULT_ADDR",
        "KUBERNETES_SERVICE_HOST",
        "KUBECONFIG",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.write_stdin(manifests.to_string());
    crate::support::run(&mut cmd)
}

fn reads(n: usize) -> String {
    (0..n)
        .map(|i| {
            external_secret(
                &format!("es{i}"),
                "vault",
                "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
            )
        })
        .collect()
}

#[test]
fn kubernetes_service_account_ref_logs_in_with_a_token_request() {
    let (v, c) = (emulator(), cluster());
    let (mount, policy) = readable(v);
    let path = enable(v, "kubernetes");
    let sa = unique("eso");
    c.service_account("apps", &sa);
    v.admin(
        json!([{"method": "POST", "path": format!("auth/{path}/role/app"), "body": {
        "bound_service_account_names": [sa], "bound_service_account_namespaces": ["apps"],
        "token_policies": [policy]}}]),
    );
    let manifests = store(
        "vault",
        &v.addr,
        &format!(
            "path: {mount}, version: v1, auth: {{kubernetes: {{mountPath: {path}, role: app, \
             serviceAccountRef: {{name: {sa}, audiences: [vault]}}}}}}"
        ),
        None,
    ) + &reads(2);
    let out = render(c, &manifests, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(values(&out, "es1")["u"], format!("u-{mount}"));
    // One login, so one token: ESO's 10 minutes, the selector's audiences.
    assert_eq!(
        c.token_requests("apps", &sa),
        [json!({"audiences": ["vault"], "expirationSeconds": 600})]
    );

    // A ServiceAccount that does not exist: the API server's answer, and the field.
    let manifests = manifests.replace(&format!("name: {sa},"), "name: ghost,");
    let out = render(c, &manifests, &[]);
    out.assert_failed(
        1,
        &[
            "auth.kubernetes.serviceAccountRef",
            "404 NotFound: serviceaccounts \"ghost\" not found",
        ],
    );
}

/// A ClusterSecretStore names the ServiceAccount's namespace; the legacy token Secret of a
/// ServiceAccount is used when TokenRequest fails, as ESO falls back for clusters before 1.24.
#[test]
fn cluster_store_namespace_and_the_legacy_token_secret() {
    let (v, c) = (emulator(), cluster());
    let (mount, policy) = readable(v);
    let path = enable(v, "kubernetes");
    let sa = unique("legacy");
    // An old-style long-lived token, as the token controller wrote them.
    let legacy = format!(
        "h.{}.s",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!({"sub": format!("system:serviceaccount:auth:{sa}")}).to_string())
    );
    c.create(
        "auth",
        "secrets",
        json!({"metadata": {"name": format!("{sa}-token")}, "type": "kubernetes.io/service-account-token",
            "data": {"token": super::auth::base64_std(&legacy)}}),
    );
    c.create(
        "auth",
        "serviceaccounts",
        json!({"metadata": {"name": sa}, "secrets": [{"name": "missing"}, {"name": format!("{sa}-token")}]}),
    );
    v.admin(
        json!([{"method": "POST", "path": format!("auth/{path}/role/app"), "body": {
        "bound_service_account_names": [sa], "bound_service_account_namespaces": ["auth"],
        "token_policies": [policy]}}]),
    );
    let manifests = format!(
        "apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata: {{name: vault}}\n\
         spec:\n  provider:\n    vault: {{server: \"{}\", path: {mount}, version: v1, auth: {{kubernetes: \
         {{mountPath: {path}, role: app, serviceAccountRef: {{name: {sa}, namespace: auth}}}}}}}}\n---\n",
        v.addr
    ) + &reads(1).replace(
        "secretStoreRef: {name: vault}",
        "secretStoreRef: {name: vault, kind: ClusterSecretStore}",
    );
    c.fault(
        &format!("/api/v1/namespaces/auth/serviceaccounts/{sa}/token"),
        403,
        1,
    );
    let out = render(c, &manifests, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(values(&out, "es0")["u"], format!("u-{mount}"));
    assert_eq!(c.token_requests("auth", &sa).len(), 1);
    assert!(!out.stderr.contains(&legacy));
}

#[test]
fn jwt_kubernetes_service_account_token_is_verified_by_vault() {
    let (v, c) = (emulator(), cluster());
    let (mount, policy) = readable(v);
    let path = enable(v, "jwt");
    let sa = unique("ci");
    c.service_account("apps", &sa);
    v.admin(json!([
        {"method": "POST", "path": format!("auth/{path}/config"),
            "body": {"jwt_validation_pubkeys": [c.public_key()]}},
        {"method": "POST", "path": format!("auth/{path}/role/ci"), "body": {"role_type": "jwt",
            "bound_audiences": ["vault"], "user_claim": "sub", "token_policies": [policy]}},
    ]));
    let provider = |token: &str| {
        format!(
            "path: {mount}, version: v1, auth: {{jwt: {{path: {path}, role: ci, \
             kubernetesServiceAccountToken: {{serviceAccountRef: {{name: {sa}, audiences: [extra]}}{token}}}}}}}"
        )
    };
    // Defaults: audience `vault` after the selector's, 10 minutes.
    let out = render(
        c,
        &(store("vault", &v.addr, &provider(""), None) + &reads(1)),
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(values(&out, "es0")["u"], format!("u-{mount}"));
    // Explicit audiences replace `vault`; Vault's role then refuses the token.
    let out = render(
        c,
        &(store(
            "vault",
            &v.addr,
            &provider(", audiences: [other], expirationSeconds: 3600"),
            None,
        ) + &reads(1)),
        &[],
    );
    out.assert_failed(1, &["auth.jwt", "invalid audience"]);
    assert_eq!(
        c.token_requests("apps", &sa),
        [
            json!({"audiences": ["extra", "vault"], "expirationSeconds": 600}),
            json!({"audiences": ["extra", "other"], "expirationSeconds": 3600}),
        ]
    );
}

#[test]
fn without_cluster_access_the_error_says_how_to_give_it() {
    let (v, c) = (emulator(), cluster());
    let manifests = store(
        "vault",
        &v.addr,
        "path: kv, auth: {kubernetes: {role: app, serviceAccountRef: {name: eso}}}",
        None,
    ) + &reads(1);
    // No kubeconfig anywhere, no pod.
    let mut cmd = crate::support::eso_render();
    cmd.args(["render", "-"])
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .env("HOME", "/nonexistent")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .write_stdin(manifests.clone());
    let out = crate::support::run(&mut cmd);
    out.assert_failed(
        2,
        &[
            "spec.provider.vault.auth.kubernetes.serviceAccountRef",
            "no access to a Kubernetes cluster",
            "--kubeconfig",
        ],
    );
    // A context whose server is down is a backend failure; an unknown one, a config error.
    let out = render(c, &manifests, &["--context", "nowhere"]);
    out.assert_failed(1, &["auth.kubernetes.serviceAccountRef", "cannot request"]);
    let out = render(
        c,
        &manifests,
        &[
            "--kubeconfig",
            c.kubeconfig.to_str().unwrap(),
            "--context",
            "absent",
        ],
    );
    out.assert_failed(2, &["no access to a Kubernetes cluster", "absent"]);
}
