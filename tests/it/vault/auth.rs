//! Every auth method ESO offers that can be tested here, with credentials from Secrets of the
//! input; one login per store per run; bad credentials fail closed without leaking them.

use serde_json::json;

use super::{
    Needs, Vault, emulator, external_secret, render, render_env, secret, store, unique, values,
    vault,
};

/// Two ExternalSecrets reading `app.user` from `mount` through a store whose provider fields
/// are `provider`, plus `extra` manifests.
fn login_manifests(v: &Vault, provider: &str, extra: &str, id: &str, mount: &str) -> String {
    store(
        "vault",
        &v.addr,
        &format!("path: {mount}, version: v1, headers: {{X-Test-Id: {id}}}, {provider}"),
        None,
    ) + extra
        + &external_secret(
            "a",
            "vault",
            "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
        )
        + &external_secret(
            "b",
            "vault",
            "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
        )
}

fn login_renders(v: &Vault, provider: &str, extra: &str, id: &str, mount: &str) -> super::Run {
    render(&login_manifests(v, provider, extra, id, mount))
}

/// A KV v1 mount with one secret and a policy reading it; returns (mount, policy). (A server
/// without ACL policies, such as RustyVault, answers 404 and enforces nothing.)
pub(super) fn readable(v: &Vault) -> (String, String) {
    let mount = v.kv(1);
    v.put(&mount, 1, &[("app", json!({"user": format!("u-{mount}")}))]);
    let policy = unique("read");
    v.admin(json!([{"method": "PUT", "path": format!("sys/policies/acl/{policy}"), "expect": 404,
        "body": {"policy": format!("path \"{mount}/*\" {{ capabilities = [\"read\", \"list\"] }}")}}]));
    (mount, policy)
}

pub(super) fn enable(v: &Vault, kind: &str) -> String {
    let path = unique(kind);
    v.admin(
        json!([{"method": "POST", "path": format!("sys/auth/{path}"), "body": {"type": kind}}]),
    );
    path
}

fn assert_logged_in_once(v: &Vault, out: &super::Run, mount: &str, id: &str, login: &str) {
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(values(out, "a")["u"], format!("u-{mount}"));
    if v.emulated {
        let log = v.requests(id);
        let logins = log
            .iter()
            .filter(|r| r["path"].as_str().unwrap().starts_with(login))
            .count();
        assert_eq!(logins, 1, "{log:?}");
        // The login carries no token; reads carry the one it returned.
        assert!(
            log.iter()
                .all(|r| r["token"] == !r["path"].as_str().unwrap().starts_with(login))
        );
    }
}

#[test]
fn approle_with_role_id_and_role_ref() {
    let v = vault(&[Needs::Kv1, Needs::AppRole]);
    let (mount, policy) = readable(v);
    let path = enable(v, "approle");
    let out = v.admin(json!([
        {"method": "POST", "path": format!("auth/{path}/role/eso"), "body": {"token_policies": [policy]}},
        {"method": "GET", "path": format!("auth/{path}/role/eso/role-id")},
        {"method": "POST", "path": format!("auth/{path}/role/eso/secret-id"), "body": {}},
    ]));
    let role_id = out[1]["body"]["data"]["role_id"].as_str().unwrap();
    let secret_id = out[2]["body"]["data"]["secret_id"].as_str().unwrap();
    let creds = secret("approle", &[("secret-id", secret_id), ("role-id", role_id)]);
    for auth in [
        format!("roleId: ' {role_id} '"),
        "roleRef: {name: approle, key: role-id}".to_string(),
    ] {
        let id = unique("approle");
        let provider = format!(
            "auth: {{appRole: {{path: {path}, {auth}, secretRef: {{name: approle, key: secret-id}}}}}}"
        );
        let out = login_renders(v, &provider, &creds, &id, &mount);
        assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login"));
    }
    // A wrong secret id: nothing printed, Vault's reason, no credential in the message.
    let bad = secret(
        "approle",
        &[("secret-id", "wrong-canary-secret"), ("role-id", role_id)],
    );
    let provider = format!(
        "auth: {{appRole: {{path: {path}, roleRef: {{name: approle, key: role-id}}, secretRef: {{name: approle, key: secret-id}}}}}}"
    );
    let out = login_renders(v, &provider, &bad, &unique("approle"), &mount);
    out.assert_failed(1, &["auth.appRole", &format!("auth/{path}/login")]);
    out.assert_hides(&["wrong-canary-secret", role_id]);
}

#[test]
fn userpass_and_ldap_log_in_with_the_username_in_the_path() {
    for (kind, needs, field) in [
        ("userpass", Needs::UserPass, "userPass"),
        ("ldap", Needs::Emulator, "ldap"),
    ] {
        let v = vault(&[Needs::Kv1, needs]);
        let (mount, policy) = readable(v);
        let path = enable(v, kind);
        v.admin(
            json!([{"method": "POST", "path": format!("auth/{path}/users/alice"),
            "body": {"password": "pw-canary", "token_policies": [policy], "policies": [policy]}}]),
        );
        let id = unique(kind);
        let provider = format!(
            "auth: {{{field}: {{path: {path}, username: ' alice ', secretRef: {{name: creds, key: password}}}}}}"
        );
        let out = login_renders(
            v,
            &provider,
            &secret("creds", &[("password", "pw-canary")]),
            &id,
            &mount,
        );
        assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login/alice"));

        let out = login_renders(
            v,
            &provider,
            &secret("creds", &[("password", "nope-canary")]),
            &unique(kind),
            &mount,
        );
        out.assert_failed(1, &[&format!("auth.{field}")]);
        out.assert_hides(&["canary"]);
    }
}

/// A JWT with the given claims, signed by a fresh key; returns (jwt, public key PEM).
fn jwt(v: &Vault, claims: serde_json::Value) -> (String, String) {
    let out = v.admin(json!([{"jwt": {"claims": claims}}]));
    (
        out[0]["jwt"].as_str().unwrap().to_string(),
        out[0]["public_pem"].as_str().unwrap().to_string(),
    )
}

#[test]
fn jwt_from_a_secret() {
    let v = vault(&[Needs::Kv1, Needs::Jwt]);
    let (mount, policy) = readable(v);
    let path = enable(v, "jwt");
    let (token, public) = jwt(
        v,
        json!({"sub": "ci", "aud": "vault", "exp": 4_000_000_000u64}),
    );
    v.admin(json!([
        {"method": "POST", "path": format!("auth/{path}/config"), "body": {"jwt_validation_pubkeys": [public]}},
        {"method": "POST", "path": format!("auth/{path}/role/ci"), "body": {"role_type": "jwt",
            "bound_audiences": ["vault"], "user_claim": "sub", "token_policies": [policy]}},
    ]));
    let id = unique("jwt");
    let provider = format!(
        "auth: {{jwt: {{path: {path}, role: ' ci ', secretRef: {{name: jwt, key: token}}}}}}"
    );
    let out = login_renders(
        v,
        &provider,
        &secret("jwt", &[("token", &token)]),
        &id,
        &mount,
    );
    assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login"));
    // A JWT signed by another key is refused.
    let (other, _) = jwt(v, json!({"sub": "ci", "aud": "vault"}));
    let out = login_renders(
        v,
        &provider,
        &secret("jwt", &[("token", &other)]),
        &unique("jwt"),
        &mount,
    );
    out.assert_failed(1, &["auth.jwt"]);
    out.assert_hides(&[&other]);
}

#[test]
fn kubernetes_from_a_secret_and_from_the_mounted_token() {
    let v = emulator();
    let (mount, policy) = readable(v);
    let path = enable(v, "kubernetes");
    v.admin(
        json!([{"method": "POST", "path": format!("auth/{path}/role/app"), "body": {
        "bound_service_account_names": ["eso"], "bound_service_account_namespaces": ["apps"],
        "token_policies": [policy]}}]),
    );
    let (sa_jwt, _) = jwt(v, json!({"sub": "system:serviceaccount:apps:eso"}));
    // secretRef without a key reads `token`.
    let id = unique("k8s");
    let provider =
        format!("auth: {{kubernetes: {{mountPath: {path}, role: app, secretRef: {{name: sa}}}}}}");
    let out = login_renders(
        v,
        &provider,
        &secret("sa", &[("token", &sa_jwt)]),
        &id,
        &mount,
    );
    assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login"));

    // No source: the pod's mounted token (here from the override variable).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, &sa_jwt).unwrap();
    let id = unique("k8s");
    let provider = format!("auth: {{kubernetes: {{mountPath: {path}, role: app}}}}");
    let manifests = store(
        "vault",
        &v.addr,
        &format!("path: {mount}, version: v1, headers: {{X-Test-Id: {id}}}, {provider}"),
        None,
    ) + &external_secret(
        "a",
        "vault",
        "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
    );
    let out = render_env(
        &manifests,
        &[(
            "ESO_RENDER_SERVICE_ACCOUNT_TOKEN_FILE",
            file.to_str().unwrap(),
        )],
    );
    assert_eq!(values(&out, "a")["u"], format!("u-{mount}"));
    // A missing token file is a clear error naming the field.
    let out = render_env(
        &manifests,
        &[(
            "ESO_RENDER_SERVICE_ACCOUNT_TOKEN_FILE",
            "/nonexistent/token",
        )],
    );
    out.assert_failed(
        2,
        &[
            "spec.provider.vault.auth.kubernetes",
            "cannot read Kubernetes service account token",
        ],
    );
    // A service account outside the role's bindings is refused by Vault.
    let (other, _) = jwt(v, json!({"sub": "system:serviceaccount:other:eso"}));
    let provider =
        format!("auth: {{kubernetes: {{mountPath: {path}, role: app, secretRef: {{name: sa}}}}}}");
    let out = login_renders(
        v,
        &provider,
        &secret("sa", &[("token", &other)]),
        &unique("k8s"),
        &mount,
    );
    out.assert_failed(1, &["Vault answered 403"]);
}

#[test]
fn cert_auth_presents_the_client_certificate() {
    let v = emulator();
    let tls = v.tls.as_ref().unwrap();
    let (mount, policy) = readable(v);
    let path = enable(v, "cert");
    v.admin(
        json!([{"method": "POST", "path": format!("auth/{path}/certs/web"),
        "body": {"certificate": tls.ca_pem, "token_policies": [policy]}}]),
    );
    let id = unique("cert");
    let ca = base64_std(&tls.ca_pem);
    let manifests = store(
        "vault",
        &tls.addr,
        &format!(
            "path: {mount}, version: v1, caBundle: {ca}, headers: {{X-Test-Id: {id}}}, auth: {{cert: {{path: {path}, \
             vaultRole: web, clientCert: {{name: client, key: tls.crt}}, secretRef: {{name: client, key: tls.key}}}}}}"
        ),
        None,
    ) + &secret(
        "client",
        &[
            ("tls.crt", &tls.client_cert_pem),
            ("tls.key", &tls.client_key_pem),
        ],
    ) + &external_secret(
        "a",
        "vault",
        "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
    );
    let out = render(&manifests);
    assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login"));
    // A key that does not parse is reported by field, without the key.
    let broken = manifests.replace(
        &tls.client_key_pem.replace('\n', "\\n"),
        "-----BEGIN PRIVATE KEY-----\\ncanary\\n",
    );
    let out = render(&broken);
    out.assert_failed(2, &["error from Client TLS Auth"]);
    out.assert_hides(&["canary"]);
}

#[test]
fn auth_namespace_is_used_for_the_login_only() {
    let v = emulator();
    let ns = unique("team");
    let child = format!("{ns}/apps");
    let mount = unique("kv2");
    let policy = unique("read");
    let userpass = unique("userpass");
    v.admin(json!([
        {"method": "POST", "path": format!("sys/mounts/{mount}"), "namespace": child, "body": {"type": "kv", "options": {"version": "2"}}},
        {"method": "POST", "path": format!("{mount}/data/app"), "namespace": child, "body": {"data": {"user": "in-child"}}},
        {"method": "PUT", "path": format!("sys/policies/acl/{policy}"), "namespace": ns, "body": {"policy": format!("path \"{mount}/*\" {{ capabilities = [\"read\"] }}")}},
        {"method": "POST", "path": format!("sys/auth/{userpass}"), "namespace": ns, "body": {"type": "userpass"}},
        {"method": "POST", "path": format!("auth/{userpass}/users/bob"), "namespace": ns, "body": {"password": "pw", "token_policies": [policy]}},
    ]));
    let id = unique("ns");
    let manifests = store(
        "vault",
        &v.addr,
        &format!(
            "path: {mount}, namespace: {child}, headers: {{X-Test-Id: {id}}}, auth: {{namespace: {ns}, \
             userPass: {{path: {userpass}, username: bob, secretRef: {{name: creds, key: password}}}}}}"
        ),
        None,
    ) + &secret("creds", &[("password", "pw")])
        + &external_secret(
            "a",
            "vault",
            "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
        );
    let out = render(&manifests);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(values(&out, "a")["u"], "in-child");
    let log = v.requests(&id);
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["namespace"], ns.as_str());
    assert_eq!(log[1]["namespace"], child.as_str());
}

#[test]
fn token_problems_fail_closed_with_the_field() {
    let v = vault(&[Needs::Kv1, Needs::Token]);
    let (mount, _) = readable(v);
    let es = external_secret(
        "a",
        "vault",
        "  data:\n  - {secretKey: u, remoteRef: {key: app, property: user}}\n",
    );
    // A token Vault does not know: the lookup ESO's store validation does fails.
    let out = render(
        &(store(
            "vault",
            &v.addr,
            &format!("path: {mount}, version: v1, {}", super::token_auth("vault")),
            Some("canary-bad-token"),
        ) + &es),
    );
    out.assert_failed(1, &["invalid vault credentials", "403"]);
    out.assert_hides(&["canary-bad-token"]);
    // A token ending in a newline cannot be sent as a header (Go refuses it too).
    let out = render(
        &(store(
            "vault",
            &v.addr,
            &format!("path: {mount}, version: v1, {}", super::token_auth("vault")),
            Some("canary\n"),
        ) + &es),
    );
    out.assert_failed(
        2,
        &[
            "not a valid HTTP header value",
            "spec.provider.vault.auth.tokenSecretRef",
        ],
    );
    out.assert_hides(&["canary"]);
    // The credential Secret is missing.
    let out = render(
        &(store(
            "vault",
            &v.addr,
            &format!(
                "path: {mount}, version: v1, {}",
                super::token_auth("missing")
            ),
            None,
        ) + &es),
    );
    out.assert_failed(
        2,
        &[
            "spec.provider.vault.auth.tokenSecretRef",
            "cannot get Kubernetes secret \"missing\"",
        ],
    );
    // No auth: VAULT_TOKEN from the environment, as Vault's Go client reads it.
    let out = render_env(
        &(store(
            "vault",
            &v.addr,
            &format!("path: {mount}, version: v1"),
            None,
        ) + &es),
        &[("VAULT_TOKEN", &v.token)],
    );
    assert_eq!(values(&out, "a")["u"], format!("u-{mount}"));
}

pub fn base64_std(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// `auth.iam`: the signed `sts:GetCallerIdentity` goes through Vault to STS (moto), and Vault
/// binds the ARN STS answers with, so the login works only with the credentials we sign with:
/// an assumed `role` (from the default chain, with `externalID`) or temporary keys of a Secret.
#[test]
fn iam_signs_get_caller_identity_for_vault() {
    let Some(aws) = crate::aws::Aws::new("us-east-1") else {
        return;
    };
    let v = vault(&[Needs::Kv1, Needs::AwsIam]);
    let (mount, policy) = readable(v);
    let path = enable(v, "aws");
    let reader = format!("arn:aws:iam::123456789012:role/{}", unique("reader"));
    v.admin(json!([
        {"method": "POST", "path": format!("auth/{path}/config/client"),
            "body": {"sts_endpoint": aws.endpoint, "iam_server_id_header_value": "vault.test"}},
        {"method": "POST", "path": format!("auth/{path}/role/reader"), "body": {"auth_type": "iam",
            "bound_iam_principal_arn": [reader], "token_policies": [policy]}},
        {"method": "POST", "path": format!("auth/{path}/role/other"), "body": {"auth_type": "iam",
            "bound_iam_principal_arn": ["arn:aws:iam::123456789012:role/other"],
            "token_policies": [policy]}},
    ]));
    let render = |iam: &str, extra: &str, id: &str| {
        let provider = format!("auth: {{iam: {{path: {path}, {iam}}}}}");
        crate::aws::render_with(
            &aws.endpoint,
            &login_manifests(v, &provider, extra, id, &mount),
            &[],
        )
    };

    // The environment's keys assume `role`; the assumed session signs.
    let id = unique("iam");
    let out = render(
        &format!(
            "vaultRole: reader, role: '{reader}', externalID: ext-1, vaultAwsIamServerID: vault.test"
        ),
        "",
        &id,
    );
    assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login"));

    // Temporary keys from a Secret, with their session token, signed for another region.
    let creds = aws
        .block(
            aws.sts()
                .assume_role()
                .role_arn(&reader)
                .role_session_name("ci")
                .send(),
        )
        .unwrap()
        .credentials
        .unwrap();
    let keys = secret(
        "aws",
        &[
            ("id", &creds.access_key_id),
            ("key", &creds.secret_access_key),
            ("token", &creds.session_token),
        ],
    );
    let from_secret = "secretRef: {accessKeyIDSecretRef: {name: aws, key: id}, \
                       secretAccessKeySecretRef: {name: aws, key: key}, \
                       sessionTokenSecretRef: {name: aws, key: token}}";
    let id = unique("iam");
    let out = render(
        &format!(
            "vaultRole: reader, region: eu-south-1, vaultAwsIamServerID: vault.test, {from_secret}"
        ),
        &keys,
        &id,
    );
    assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login"));

    // A principal the Vault role does not bind, and a missing server-id header: refused, with
    // the field and Vault's reason, and no key in the output.
    let out = render(
        &format!("vaultRole: other, vaultAwsIamServerID: vault.test, {from_secret}"),
        &keys,
        &unique("iam"),
    );
    out.assert_failed(1, &["auth.iam", "403"]);
    out.assert_hides(&[&creds.secret_access_key, &creds.session_token]);
    let out = render(
        &format!("vaultRole: reader, {from_secret}"),
        &keys,
        &unique("iam"),
    );
    out.assert_failed(1, &["auth.iam", "X-Vault-AWS-IAM-Server-ID"]);
    out.assert_hides(&[&creds.secret_access_key]);
}

/// A login token whose lease runs out during a run is replaced by logging in again before the
/// next request; the emulator refuses expired tokens, so the run only succeeds if it is.
#[test]
fn a_token_whose_lease_runs_out_is_replaced_by_a_new_login() {
    let v = emulator();
    let mount = v.kv(2);
    v.put(
        &mount,
        2,
        &[
            ("team/db", json!({"password": "p1"})),
            ("team/api", json!({"token": "t1"})),
        ],
    );
    let policy = unique("read");
    let path = enable(v, "approle");
    let out = v.admin(json!([
        {"method": "PUT", "path": format!("sys/policies/acl/{policy}"),
            "body": {"policy": format!("path \"{mount}/*\" {{ capabilities = [\"read\", \"list\"] }}")}},
        {"method": "POST", "path": format!("auth/{path}/role/eso"),
            "body": {"token_policies": [policy], "token_ttl": 2}},
        {"method": "GET", "path": format!("auth/{path}/role/eso/role-id")},
        {"method": "POST", "path": format!("auth/{path}/role/eso/secret-id"), "body": {}},
    ]));
    let role_id = out[2]["body"]["data"]["role_id"].as_str().unwrap();
    let secret_id = out[3]["body"]["data"]["secret_id"].as_str().unwrap();
    // The first metadata LIST answers after the 2 s lease is over.
    v.admin(json!([{"method": "POST", "path": "/_emulator/faults",
        "body": {"path": format!("{mount}/metadata"), "delay": 2.5, "count": 1}}]));
    let id = unique("lease");
    let manifests = store(
        "vault",
        &v.addr,
        &format!(
            "path: {mount}, headers: {{X-Test-Id: {id}}}, auth: {{appRole: {{path: {path}, \
             roleId: {role_id}, secretRef: {{name: approle, key: id}}}}}}"
        ),
        None,
    ) + &secret("approle", &[("id", secret_id)])
        + &external_secret(
            "all",
            "vault",
            "  dataFrom:\n  - find: {path: team, name: {regexp: '.'}}\n",
        );
    let out = render(&manifests);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(values(&out, "all").len(), 2);
    let log = v.requests(&id);
    let login = format!("auth/{path}/login");
    let logins: Vec<usize> = (0..log.len())
        .filter(|&i| log[i]["path"] == login)
        .collect();
    assert_eq!(logins.len(), 2, "{log:?}");
    // Requests before the second login carry the first token, those after it the second.
    let token_before = &log[logins[0] + 1]["token_id"];
    let token_after = &log[logins[1] + 1]["token_id"];
    assert_ne!(token_before, token_after);
    assert!(
        log[logins[1] + 1..]
            .iter()
            .all(|r| &r["token_id"] == token_after)
    );
}

/// `auth.iam.jwt`: the ServiceAccount's IAM role (IRSA) signs the request; Vault binds the role.
#[test]
fn iam_with_a_service_accounts_role() {
    let Some(aws) = crate::aws::Aws::new("us-east-1") else {
        return;
    };
    let (v, cluster) = (emulator(), crate::cluster::cluster());
    let (mount, policy) = readable(v);
    let path = enable(v, "aws");
    let role = format!("arn:aws:iam::123456789012:role/{}", unique("irsa"));
    v.admin(json!([
        {"method": "POST", "path": format!("auth/{path}/config/client"),
            "body": {"sts_endpoint": aws.endpoint}},
        {"method": "POST", "path": format!("auth/{path}/role/app"), "body": {"auth_type": "iam",
            "bound_iam_principal_arn": [role], "token_policies": [policy]}},
    ]));
    let sa = unique("irsa");
    cluster.create(
        "apps",
        "serviceaccounts",
        json!({"metadata": {"name": sa, "annotations": {"eks.amazonaws.com/role-arn": role}}}),
    );
    let id = unique("iam");
    let provider = format!(
        "auth: {{iam: {{path: {path}, vaultRole: app, jwt: {{serviceAccountRef: {{name: {sa}}}}}}}}}"
    );
    let out = crate::aws::render_with(
        &aws.endpoint,
        &login_manifests(v, &provider, "", &id, &mount),
        &["--kubeconfig", cluster.kubeconfig.to_str().unwrap()],
    );
    assert_logged_in_once(v, &out, &mount, &id, &format!("auth/{path}/login"));
    assert_eq!(
        cluster.token_requests("apps", &sa),
        [json!({"audiences": ["sts.amazonaws.com"]})]
    );
}
