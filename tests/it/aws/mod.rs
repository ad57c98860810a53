//! The AWS provider against a real AWS API server (moto) on loopback, through a proxy that
//! counts requests per operation and injects faults. Each test owns one region: moto keeps
//! separate state per region, so tests run in parallel without seeing each other's secrets.

mod moto;
mod proxy;

use std::collections::BTreeMap;
use std::io::Write;

use aws_sdk_secretsmanager::primitives::Blob;
use base64::Engine;
use serde_json::json;

use crate::support::{Run, eso_render, run};
pub use proxy::Proxy;

/// A test's view of moto: its region, a runtime and SDK clients to seed it.
pub struct Aws {
    pub endpoint: String,
    pub region: &'static str,
    rt: tokio::runtime::Runtime,
    config: aws_config::SdkConfig,
}

impl Aws {
    /// `None` when moto is unavailable outside CI (the test then returns early).
    pub fn new(region: &'static str) -> Option<Aws> {
        let endpoint = moto::endpoint()?.to_string();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region))
            .endpoint_url(&endpoint)
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new(
                        "testing", "testing", None, None, "test",
                    ),
                ),
            )
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .build();
        Some(Aws {
            endpoint,
            region,
            rt,
            config,
        })
    }

    pub fn sm(&self) -> aws_sdk_secretsmanager::Client {
        aws_sdk_secretsmanager::Client::new(&self.config)
    }

    pub fn ssm(&self) -> aws_sdk_ssm::Client {
        aws_sdk_ssm::Client::new(&self.config)
    }

    pub fn sts(&self) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.config)
    }

    pub fn kms(&self) -> aws_sdk_kms::Client {
        aws_sdk_kms::Client::new(&self.config)
    }

    pub fn block<T>(&self, f: impl Future<Output = T>) -> T {
        self.rt.block_on(f)
    }

    /// Creates a secret with a string value and tags; returns its version id.
    pub fn secret(&self, name: &str, value: &str, tags: &[(&str, &str)]) -> String {
        let tags = tags
            .iter()
            .map(|(k, v)| {
                aws_sdk_secretsmanager::types::Tag::builder()
                    .key(*k)
                    .value(*v)
                    .build()
            })
            .collect::<Vec<_>>();
        let out = self
            .block(
                self.sm()
                    .create_secret()
                    .name(name)
                    .secret_string(value)
                    .set_tags(Some(tags))
                    .send(),
            )
            .unwrap();
        out.version_id.unwrap()
    }

    pub fn secret_binary(&self, name: &str, value: &[u8]) {
        self.block(
            self.sm()
                .create_secret()
                .name(name)
                .secret_binary(Blob::new(value))
                .send(),
        )
        .unwrap();
    }

    /// A new current version; returns its version id.
    pub fn put_value(&self, name: &str, value: &str) -> String {
        let out = self
            .block(
                self.sm()
                    .put_secret_value()
                    .secret_id(name)
                    .secret_string(value)
                    .send(),
            )
            .unwrap();
        out.version_id.unwrap()
    }

    pub fn param(&self, name: &str, value: &str, kind: aws_sdk_ssm::types::ParameterType) {
        self.block(
            self.ssm()
                .put_parameter()
                .name(name)
                .value(value)
                .r#type(kind)
                .overwrite(true)
                .send(),
        )
        .unwrap();
    }

    /// Runs `eso-render render -` on `manifests`, talking to `endpoint` (the proxy or moto).
    pub fn render(&self, endpoint: &str, manifests: &str) -> Run {
        render_with(endpoint, manifests, &[])
    }
}

/// `eso-render render -` with a clean AWS environment pointing at `endpoint`.
pub fn render_with(endpoint: &str, manifests: &str, args: &[&str]) -> Run {
    let mut cmd = eso_render();
    cmd.arg("render").args(args).arg("-");
    for var in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER",
        "AWS_ENDPOINT_URL_SSM",
        "AWS_ENDPOINT_URL_STS",
        "AWS_SECRETSMANAGER_ENDPOINT",
        "AWS_SSM_ENDPOINT",
        "AWS_STS_ENDPOINT",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .write_stdin(manifests.to_string());
    run(&mut cmd)
}

/// A SecretStore `apps/<name>` for `service` in `region`, with extra provider fields (YAML flow
/// entries) and optional spec fields.
pub fn store(name: &str, service: &str, region: &str, extra: &str, spec: &str) -> String {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    format!(
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: {name}, namespace: apps}}\n\
         spec:\n  provider:\n    aws: {{service: {service}, region: {region}{extra}}}\n{spec}---\n"
    )
}

/// An ExternalSecret `apps/<name>` on store `sm` with a YAML body under `spec`.
pub fn external_secret(name: &str, store: &str, body: &str) -> String {
    format!(
        "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: {name}, namespace: apps}}\n\
         spec:\n  secretStoreRef: {{name: {store}}}\n{body}---\n"
    )
}

/// The rendered Secrets by name: key → decoded value (lossy UTF-8; binary tests compare bytes).
pub fn secrets(out: &Run) -> BTreeMap<String, BTreeMap<String, Vec<u8>>> {
    assert_eq!(out.code, 0, "render failed:\n{}", out.stderr);
    let mut result = BTreeMap::new();
    for doc in eso_render::manifest::yaml::parse_documents(&out.stdout).unwrap() {
        let v = eso_render::output::json(&doc.node);
        let name = v["metadata"]["name"].as_str().unwrap().to_string();
        let data = v["data"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let bytes = base64::engine::general_purpose::STANDARD
                            .decode(v.as_str().unwrap())
                            .unwrap();
                        (k.clone(), bytes)
                    })
                    .collect()
            })
            .unwrap_or_default();
        result.insert(name, data);
    }
    result
}

pub fn text(v: &[u8]) -> &str {
    std::str::from_utf8(v).unwrap()
}

#[test]
fn secrets_manager_reads_match_eso() {
    let Some(aws) = Aws::new("eu-west-1") else {
        return;
    };
    let first = aws.secret(
        "t1/db",
        &json!({"user": "admin", "password": "p1"}).to_string(),
        &[],
    );
    aws.put_value(
        "t1/db",
        r#"{"user":"admin","password":"p2","port":5432,"ratio":1.50,"nested":{"a":"b"},"dotted.key":"dk"}"#,
    );
    aws.secret_binary("t1/bin", &[0, 1, 2, 0xff]);
    aws.secret("t1/tagged", "x", &[("team", "db"), ("env", "<prod>")]);
    let proxy = Proxy::start(&aws.endpoint);

    let body = format!(
        "  data:
  - {{secretKey: pw, remoteRef: {{key: t1/db, property: password}}}}
  - {{secretKey: previous, remoteRef: {{key: t1/db, version: AWSPREVIOUS, property: password}}}}
  - {{secretKey: by_id, remoteRef: {{key: t1/db, version: uuid/{first}, property: password}}}}
  - {{secretKey: port, remoteRef: {{key: t1/db, property: port}}}}
  - {{secretKey: ratio, remoteRef: {{key: t1/db, property: ratio}}}}
  - {{secretKey: nested, remoteRef: {{key: t1/db, property: nested.a}}}}
  - {{secretKey: dotted, remoteRef: {{key: t1/db, property: dotted.key}}}}
  - {{secretKey: bin, remoteRef: {{key: t1/bin}}}}
  - {{secretKey: tags, remoteRef: {{key: t1/tagged, metadataPolicy: Fetch}}}}
  - {{secretKey: team, remoteRef: {{key: t1/tagged, metadataPolicy: Fetch, property: team}}}}
  - {{secretKey: prefixed, remoteRef: {{key: db, property: user}}, sourceRef: {{storeRef: {{name: prefixed}}}}}}
  dataFrom:
  - extract: {{key: t1/db}}
    rewrite: [{{regexp: {{source: '(.*)', target: 'db_$1'}}}}]
"
    );
    let manifests = store("sm", "SecretsManager", aws.region, "", "")
        + &store("prefixed", "SecretsManager", aws.region, "prefix: t1/", "")
        + &external_secret("es", "sm", &body);
    let out = aws.render(&proxy.url, &manifests);
    let s = &secrets(&out)["es"];
    let get = |k: &str| text(&s[k]).to_string();
    assert_eq!(get("pw"), "p2");
    assert_eq!(get("previous"), "p1");
    assert_eq!(get("by_id"), "p1");
    assert_eq!(get("port"), "5432");
    assert_eq!(get("ratio"), "1.5");
    assert_eq!(get("nested"), "b");
    assert_eq!(get("dotted"), "dk");
    assert_eq!(s["bin"], [0, 1, 2, 0xff]);
    assert_eq!(get("tags"), r#"{"env":"\u003cprod\u003e","team":"db"}"#);
    assert_eq!(get("team"), "db");
    assert_eq!(get("prefixed"), "admin");
    // extract keeps JSON members raw: numbers as written, objects verbatim.
    assert_eq!(get("db_ratio"), "1.50");
    assert_eq!(get("db_nested"), r#"{"a":"b"}"#);
    assert_eq!(get("db_password"), "p2");

    // One batch for both stores' current values is impossible (two clients); per store: the
    // current versions in one batch, each other version singly, tags once.
    assert_eq!(
        proxy.count("BatchGetSecretValue"),
        2,
        "{:?}",
        proxy.counts()
    );
    assert_eq!(proxy.count("GetSecretValue"), 2, "{:?}", proxy.counts());
    assert_eq!(proxy.count("DescribeSecret"), 1, "{:?}", proxy.counts());
}

#[test]
fn parameter_store_reads_match_eso() {
    use aws_sdk_ssm::types::ParameterType::{SecureString, String as Plain, StringList};
    let Some(aws) = Aws::new("eu-west-2") else {
        return;
    };
    aws.param("/t2/app/plain", "hello", Plain);
    aws.param("/t2/app/secure", r#"{"a":{"b":"v1"}}"#, SecureString);
    aws.param(
        "/t2/app/secure",
        r#"{"a":{"b":"v2"},"num":7}"#,
        SecureString,
    );
    aws.param("/t2/app/list", "a,b,c", StringList);
    aws.param("/t2/other/x", "no", Plain);
    aws.block(
        aws.ssm()
            .label_parameter_version()
            .name("/t2/app/secure")
            .parameter_version(1)
            .labels("stable")
            .send(),
    )
    .unwrap();
    aws.block(
        aws.ssm()
            .add_tags_to_resource()
            .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
            .resource_id("/t2/app/plain")
            .tags(
                aws_sdk_ssm::types::Tag::builder()
                    .key("team")
                    .value("web")
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    let proxy = Proxy::start(&aws.endpoint);
    let body = "  data:
  - {secretKey: plain, remoteRef: {key: plain}}
  - {secretKey: v2, remoteRef: {key: secure, property: a.b}}
  - {secretKey: num, remoteRef: {key: secure, property: num}}
  - {secretKey: v1, remoteRef: {key: secure, version: '1', property: a.b}}
  - {secretKey: stable, remoteRef: {key: secure, version: stable}}
  - {secretKey: list, remoteRef: {key: list}}
  - {secretKey: tags, remoteRef: {key: plain, metadataPolicy: Fetch}}
  dataFrom:
  - extract: {key: secure}
  - find: {name: {regexp: 'secure|list'}, path: /t2/app}
  - find: {tags: {team: web}}
";
    let manifests = store("ps", "ParameterStore", aws.region, "prefix: /t2/app/", "")
        + &external_secret("es", "ps", body);
    let out = aws.render(&proxy.url, &manifests);
    let s = &secrets(&out)["es"];
    let get = |k: &str| text(&s[k]).to_string();
    assert_eq!(get("plain"), "hello");
    assert_eq!(get("v2"), "v2");
    assert_eq!(get("num"), "7");
    assert_eq!(get("v1"), "v1");
    assert_eq!(get("stable"), r#"{"a":{"b":"v1"}}"#);
    assert_eq!(get("list"), "a,b,c");
    assert_eq!(get("tags"), r#"{"team":"web"}"#);
    assert_eq!(get("a"), r#"{"b":"v2"}"#);
    // find keys are full names, converted (`/` → `_`); the prefix does not apply to find.
    assert_eq!(get("_t2_app_secure"), r#"{"a":{"b":"v2"},"num":7}"#);
    assert_eq!(get("_t2_app_list"), "a,b,c");
    assert_eq!(get("_t2_app_plain"), "hello");
    assert!(!s.contains_key("_t2_other_x"));

    // plain, secure and list in one GetParameters; each selector singly; the tag find's
    // match was read already.
    let counts = proxy.counts();
    assert_eq!(proxy.count("GetParameters"), 1, "{counts:?}");
    assert_eq!(proxy.count("GetParameter"), 2, "{counts:?}");
    assert_eq!(proxy.count("ListTagsForResource"), 1, "{counts:?}");
    assert_eq!(proxy.count("GetParametersByPath"), 1, "{counts:?}");
    assert_eq!(proxy.count("DescribeParameters"), 1, "{counts:?}");
}

#[test]
fn missing_secrets_follow_deletion_policy_and_errors_name_everything() {
    let Some(aws) = Aws::new("eu-west-3") else {
        return;
    };
    aws.secret("t3/db", r#"{"user":"admin"}"#, &[]);
    let retain = external_secret(
        "retain",
        "sm",
        "  data:\n  - {secretKey: a, remoteRef: {key: t3/missing}}\n",
    );
    let manifests = store("sm", "SecretsManager", aws.region, "", "") + &retain;
    let out = aws.render(&aws.endpoint, &manifests);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    for part in [
        "ExternalSecret apps/retain",
        "spec.data[0].remoteRef.key",
        "Secret does not exist",
        "read through SecretStore apps/sm",
    ] {
        assert!(out.stderr.contains(part), "{part}:\n{}", out.stderr);
    }

    // The secret exists, in another region: the error says which region was read.
    let elsewhere = store("sm", "SecretsManager", "us-west-2", "", "")
        + &external_secret(
            "es",
            "sm",
            "  data:\n  - {secretKey: a, remoteRef: {key: t3/db}}\n",
        );
    let out = aws.render(&aws.endpoint, &elsewhere);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("Secret does not exist")
            && out
                .stderr
                .contains("AWS Secrets Manager in region \"us-west-2\""),
        "{}",
        out.stderr
    );

    // deletionPolicy Delete: a missing secret is skipped, the rest renders.
    let delete = external_secret(
        "delete",
        "sm",
        "  target: {deletionPolicy: Delete}\n  data:\n  - {secretKey: a, remoteRef: {key: t3/missing}}\n  - {secretKey: u, remoteRef: {key: t3/db, property: user}}\n",
    );
    let out = aws.render(
        &aws.endpoint,
        &(store("sm", "SecretsManager", aws.region, "", "") + &delete),
    );
    let s = &secrets(&out)["delete"];
    assert_eq!(s.keys().collect::<Vec<_>>(), ["u"]);

    // A property the secret lacks is an error with ESO's text, not a skip.
    let prop = external_secret(
        "prop",
        "sm",
        "  target: {deletionPolicy: Delete}\n  data:\n  - {secretKey: a, remoteRef: {key: t3/db, property: nope}}\n",
    );
    let out = aws.render(
        &aws.endpoint,
        &(store("sm", "SecretsManager", aws.region, "", "") + &prop),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("spec.data[0].remoteRef.property: key nope does not exist in secret t3/db"),
        "{}",
        out.stderr
    );
}

/// 45 distinct secrets referenced 120 times: 3 `BatchGetSecretValue` calls, nothing else.
/// 25 distinct parameters referenced 60 times: 3 `GetParameters` calls.
#[test]
fn each_distinct_secret_is_read_once_in_batches() {
    use aws_sdk_ssm::types::ParameterType::SecureString;
    let Some(aws) = Aws::new("eu-central-1") else {
        return;
    };
    for i in 0..45 {
        aws.secret(&format!("t4/s{i}"), &json!({"v": i}).to_string(), &[]);
    }
    for i in 0..25 {
        aws.param(&format!("/t4/p{i}"), &format!("{i}"), SecureString);
    }
    let proxy = Proxy::start(&aws.endpoint);
    let mut manifests = store("sm", "SecretsManager", aws.region, "", "")
        + &store("ps", "ParameterStore", aws.region, "", "");
    let mut refs = 0;
    for e in 0..6 {
        let mut body = String::from("  data:\n");
        for j in 0..20 {
            let i = (e * 20 + j) % 45;
            body.push_str(&format!(
                "  - {{secretKey: k{j}, remoteRef: {{key: t4/s{i}, property: v}}}}\n"
            ));
            refs += 1;
        }
        for j in 0..10 {
            let i = (e * 10 + j) % 25;
            body.push_str(&format!(
                "  - {{secretKey: p{j}, remoteRef: {{key: /t4/p{i}}}, sourceRef: {{storeRef: {{name: ps}}}}}}\n"
            ));
        }
        manifests += &external_secret(&format!("es{e}"), "sm", &body);
    }
    assert_eq!(refs, 120);
    let out = aws.render(&proxy.url, &manifests);
    let all = secrets(&out);
    assert_eq!(all.len(), 6);
    assert_eq!(text(&all["es5"]["k19"]), format!("{}", (5 * 20 + 19) % 45));
    assert_eq!(text(&all["es2"]["p3"]), (2 * 10 + 3).to_string());
    let mut expected = BTreeMap::new();
    expected.insert("BatchGetSecretValue".to_string(), 3);
    expected.insert("GetParameters".to_string(), 3);
    assert_eq!(proxy.counts(), expected);
}

/// More than one page of results: ListSecrets, BatchGetSecretValue and GetParametersByPath
/// are followed to the end.
#[test]
fn find_follows_pagination() {
    use aws_sdk_ssm::types::ParameterType::String as Plain;
    let Some(aws) = Aws::new("eu-north-1") else {
        return;
    };
    for i in 0..130 {
        aws.secret(&format!("t5/s{i:03}"), &format!("v{i}"), &[("grp", "t5")]);
    }
    aws.secret("other", "x", &[]);
    for i in 0..25 {
        aws.param(&format!("/t5/p/{i:02}"), &format!("{i}"), Plain);
    }
    let proxy = Proxy::start(&aws.endpoint);
    let body = "  dataFrom:
  - find: {name: {regexp: '^t5/'}}
    rewrite: [{regexp: {source: '^t5/', target: 'name_'}}]
  - find: {tags: {grp: t5}}
    rewrite: [{regexp: {source: '^t5/', target: 'tag_'}}]
  - find: {name: {regexp: '.'}, path: /t5/p}
    sourceRef: {storeRef: {name: ps}}
";
    let manifests = store("sm", "SecretsManager", aws.region, "", "")
        + &store("ps", "ParameterStore", aws.region, "", "")
        + &external_secret("es", "sm", body);
    let out = aws.render(&proxy.url, &manifests);
    let s = &secrets(&out)["es"];
    let count = |p: &str| s.keys().filter(|k| k.starts_with(p)).count();
    assert_eq!(count("name_"), 130);
    assert_eq!(count("tag_"), 130);
    assert_eq!(count("_t5_p_"), 25);
    assert_eq!(text(&s["name_s129"]), "v129");
    assert!(!s.contains_key("other"));
    // 131 secrets: two ListSecrets pages; the 130 name matches in 7 batches of ≤ 20 ids; the
    // tag find through the batch API with filters, every page followed.
    let counts = proxy.counts();
    assert_eq!(proxy.count("ListSecrets"), 2, "{counts:?}");
    let batches = proxy.requests("BatchGetSecretValue");
    let by_id = batches
        .iter()
        .filter(|r| r.body.contains("SecretIdList"))
        .count();
    let by_filter: Vec<_> = batches
        .iter()
        .filter(|r| r.body.contains("Filters"))
        .collect();
    assert_eq!(by_id, 7, "{counts:?}");
    assert!(!by_filter.is_empty());
    assert!(
        by_filter
            .iter()
            .skip(1)
            .all(|r| r.body.contains("NextToken"))
    );
    assert!(proxy.count("GetParametersByPath") >= 3, "{counts:?}");
    assert_eq!(proxy.count("GetSecretValue"), 0, "{counts:?}");
}

#[test]
fn denied_batch_apis_fall_back_to_single_reads_for_the_run() {
    use aws_sdk_ssm::types::ParameterType::String as Plain;
    let Some(aws) = Aws::new("ap-south-1") else {
        return;
    };
    for i in 0..25 {
        let tags: &[(&str, &str)] = if i < 5 { &[("grp", "t6")] } else { &[] };
        aws.secret(&format!("t6/s{i}"), &format!("v{i}"), tags);
        aws.param(&format!("/t6/p{i}"), &format!("p{i}"), Plain);
    }
    let proxy = Proxy::start(&aws.endpoint);
    proxy.fail(
        "BatchGetSecretValue",
        usize::MAX,
        400,
        "AccessDeniedException",
    );
    proxy.fail("GetParameters", usize::MAX, 400, "AccessDeniedException");
    let mut body = String::from("  data:\n");
    for i in 0..25 {
        body.push_str(&format!(
            "  - {{secretKey: s{i}, remoteRef: {{key: t6/s{i}}}}}\n  - {{secretKey: p{i}, remoteRef: {{key: /t6/p{i}}}, sourceRef: {{storeRef: {{name: ps}}}}}}\n"
        ));
    }
    // find by tags goes through the batch API with filters; denied, through ListSecrets.
    body.push_str("  dataFrom:\n  - find: {tags: {grp: t6}}\n    rewrite: [{regexp: {source: '^t6/', target: 'tag_'}}]\n");
    let manifests = store("sm", "SecretsManager", aws.region, "", "")
        + &store("ps", "ParameterStore", aws.region, "", "")
        + &external_secret("es", "sm", &body);
    let out = aws.render(&proxy.url, &manifests);
    let s = &secrets(&out)["es"];
    assert_eq!(text(&s["s24"]), "v24");
    assert_eq!(text(&s["p7"]), "p7");
    let tagged: Vec<_> = s.keys().filter(|k| k.starts_with("tag_")).collect();
    assert_eq!(tagged, ["tag_s0", "tag_s1", "tag_s2", "tag_s3", "tag_s4"]);
    // Each batch API is tried once, then every value is read singly, and once only: the tag
    // find's matches come from the reads' cache.
    let counts = proxy.counts();
    assert_eq!(proxy.count("ListSecrets"), 1, "{counts:?}");
    assert_eq!(proxy.count("BatchGetSecretValue"), 1, "{counts:?}");
    assert_eq!(proxy.count("GetSecretValue"), 25, "{counts:?}");
    assert_eq!(proxy.count("GetParameters"), 1, "{counts:?}");
    assert_eq!(proxy.count("GetParameter"), 25, "{counts:?}");
}

const FAST_RETRIES: &str = "  retrySettings: {maxRetries: 3, retryInterval: 10ms}\n";

#[test]
fn throttling_and_server_errors_are_retried_then_reported() {
    let Some(aws) = Aws::new("ap-northeast-1") else {
        return;
    };
    aws.secret("t7/db", r#"{"u":"a"}"#, &[]);
    let manifests = store("sm", "SecretsManager", aws.region, "", FAST_RETRIES)
        + &external_secret(
            "es",
            "sm",
            "  data:\n  - {secretKey: u, remoteRef: {key: t7/db, property: u}}\n  - {secretKey: v, remoteRef: {key: t7/db, version: AWSPREVIOUS}}\n",
        );
    // AWSPREVIOUS does not exist: make the single read succeed by asking for the current one.
    let manifests = manifests.replace("version: AWSPREVIOUS", "version: AWSCURRENT");

    // Two throttles, then success: three attempts.
    let proxy = Proxy::start(&aws.endpoint);
    proxy.fail("BatchGetSecretValue", 2, 400, "ThrottlingException");
    let out = aws.render(&proxy.url, &manifests);
    assert_eq!(text(&secrets(&out)["es"]["u"]), "a");
    assert_eq!(proxy.count("BatchGetSecretValue"), 3);

    // Throttled on every attempt: a clear error after maxRetries attempts, nothing printed.
    let proxy = Proxy::start(&aws.endpoint);
    proxy.fail(
        "BatchGetSecretValue",
        usize::MAX,
        400,
        "ThrottlingException",
    );
    let out = aws.render(&proxy.url, &manifests);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("throttled: BatchGetSecretValue \"t7/db\": ThrottlingException")
            && out.stderr.contains("gave up after 3 attempts"),
        "{}",
        out.stderr
    );
    assert_eq!(proxy.count("BatchGetSecretValue"), 3);

    // 5xx: retried the same way.
    let proxy = Proxy::start(&aws.endpoint);
    proxy.fail("BatchGetSecretValue", usize::MAX, 500, "InternalFailure");
    let out = aws.render(&proxy.url, &manifests);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("InternalFailure") && out.stderr.contains("server error"),
        "{}",
        out.stderr
    );
    assert_eq!(proxy.count("BatchGetSecretValue"), 3);
}

#[test]
fn unreachable_endpoint_fails_closed() {
    // A port nothing listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let manifests = store("sm", "SecretsManager", "us-west-2", "", FAST_RETRIES)
        + &external_secret(
            "es",
            "sm",
            "  data:\n  - {secretKey: u, remoteRef: {key: db}}\n",
        );
    let out = render_with(&format!("http://127.0.0.1:{port}"), &manifests, &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("cannot reach AWS Secrets Manager in region \"us-west-2\""),
        "{}",
        out.stderr
    );
}

#[test]
fn credential_and_permission_errors_name_the_code() {
    let Some(aws) = Aws::new("ap-southeast-1") else {
        return;
    };
    aws.secret("t8/db", "x", &[]);
    let manifests = store("sm", "SecretsManager", aws.region, "", "")
        + &external_secret(
            "es",
            "sm",
            "  data:\n  - {secretKey: u, remoteRef: {key: t8/db, version: AWSCURRENT}}\n  - {secretKey: v, remoteRef: {key: t8/db, version: uuid/0000}}\n",
        );
    let proxy = Proxy::start(&aws.endpoint);
    proxy.fail(
        "BatchGetSecretValue",
        usize::MAX,
        400,
        "ExpiredTokenException",
    );
    proxy.fail("GetSecretValue", usize::MAX, 400, "AccessDeniedException");
    let out = aws.render(&proxy.url, &manifests);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    for part in [
        "spec.data[0].remoteRef.key: BatchGetSecretValue \"t8/db\": ExpiredTokenException",
        "the credentials were rejected",
        "spec.data[1].remoteRef.key: access denied: GetSecretValue \"t8/db\": AccessDeniedException",
        "read through SecretStore apps/sm",
    ] {
        assert!(out.stderr.contains(part), "{part}:\n{}", out.stderr);
    }
    // Neither is retried.
    assert_eq!(proxy.count("BatchGetSecretValue"), 1);
    assert_eq!(proxy.count("GetSecretValue"), 1);
}

#[test]
fn role_chain_is_assumed_with_external_id_and_session_tags() {
    let Some(aws) = Aws::new("ap-southeast-2") else {
        return;
    };
    aws.secret("t9/db", "assumed", &[]);
    let proxy = Proxy::start(&aws.endpoint);
    let extra = "additionalRoles: ['arn:aws:iam::123456789012:role/first'], \
                 role: 'arn:aws:iam::123456789012:role/final', externalID: ext-1, \
                 sessionTags: [{key: team, value: db}], transitiveTagKeys: [team]";
    let manifests = store("sm", "SecretsManager", aws.region, extra, "")
        + &external_secret(
            "es",
            "sm",
            "  data:\n  - {secretKey: u, remoteRef: {key: t9/db}}\n",
        );
    let out = aws.render(&proxy.url, &manifests);
    assert_eq!(text(&secrets(&out)["es"]["u"]), "assumed");
    let assumed = proxy.requests("AssumeRole");
    assert_eq!(assumed.len(), 2, "{:?}", proxy.counts());
    let first = &assumed[0].body;
    let last = &assumed[1].body;
    assert!(
        first.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Ffirst"),
        "{first}"
    );
    assert!(!first.contains("ExternalId"), "{first}");
    assert!(
        last.contains("role%2Ffinal") && last.contains("ExternalId=ext-1"),
        "{last}"
    );
    assert!(
        last.contains("Tags.member.1.Key=team")
            && last.contains("Tags.member.1.Value=db")
            && last.contains("TransitiveTagKeys.member.1=team"),
        "{last}"
    );
    // The first AssumeRole is signed with the base credentials, the second with the first
    // role's, the read with the final role's.
    assert!(assumed[0].authorization.contains("Credential=testing/"));
    assert!(!assumed[1].authorization.contains("Credential=testing/"));
    let read = &proxy.requests("BatchGetSecretValue")[0];
    assert!(!read.authorization.contains("Credential=testing/"));
}

#[test]
fn secret_ref_credentials_come_from_secrets_in_the_input() {
    let Some(aws) = Aws::new("ca-central-1") else {
        return;
    };
    aws.secret("t10/db", "from-secret-ref", &[]);
    let proxy = Proxy::start(&aws.endpoint);
    let auth = "auth: {secretRef: {accessKeyIDSecretRef: {name: aws-creds, key: id}, \
                secretAccessKeySecretRef: {name: aws-creds, key: secret}}}";
    let creds = "apiVersion: v1\nkind: Secret\nmetadata: {name: aws-creds, namespace: apps}\n\
                 stringData: {id: AKIDFROMSECRET, secret: canary-credential}\n---\n";
    let es = external_secret(
        "es",
        "sm",
        "  data:\n  - {secretKey: u, remoteRef: {key: t10/db}}\n",
    );
    let manifests = store("sm", "SecretsManager", aws.region, auth, "") + creds + &es;
    let out = aws.render(&proxy.url, &manifests);
    assert_eq!(text(&secrets(&out)["es"]["u"]), "from-secret-ref");
    let read = &proxy.requests("BatchGetSecretValue")[0];
    assert!(
        read.authorization.contains("Credential=AKIDFROMSECRET/"),
        "{}",
        read.authorization
    );

    // Without the Secret: an input error naming the store field, before any request.
    let proxy = Proxy::start(&aws.endpoint);
    let manifests = store("sm", "SecretsManager", aws.region, auth, "") + &es;
    let out = aws.render(&proxy.url, &manifests);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    for part in [
        "could not fetch SecretAccessKey secret: cannot get Kubernetes secret \"aws-creds\" from namespace \"apps\"",
        "spec.provider.aws.auth.secretRef.secretAccessKeySecretRef",
    ] {
        assert!(out.stderr.contains(part), "{part}:\n{}", out.stderr);
    }
    assert!(!out.stderr.contains("canary-credential"));
    assert!(proxy.counts().is_empty());
}

/// `auth.jwt` (IRSA): the role named by the ServiceAccount's `eks.amazonaws.com/role-arn`
/// annotation is assumed with a token from the cluster's TokenRequest API (audience
/// `sts.amazonaws.com`, then the selector's), and the reads are signed with that session.
#[test]
fn jwt_auth_assumes_the_service_accounts_role() {
    let Some(aws) = Aws::new("eu-north-1") else {
        return;
    };
    aws.secret("t11/db", "from-irsa", &[]);
    let cluster = crate::cluster::cluster();
    let sa = crate::vault::unique("irsa");
    cluster.create(
        "apps",
        "serviceaccounts",
        json!({"metadata": {"name": sa, "annotations": {
            "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/irsa"}}}),
    );
    let bare = crate::vault::unique("bare");
    cluster.service_account("apps", &bare);
    let manifests = |name: &str| {
        store(
            "sm",
            "SecretsManager",
            aws.region,
            &format!("auth: {{jwt: {{serviceAccountRef: {{name: {name}, audiences: [extra]}}}}}}"),
            "",
        ) + &external_secret(
            "es",
            "sm",
            "  data:\n  - {secretKey: u, remoteRef: {key: t11/db}}\n",
        )
    };
    let kubeconfig = ["--kubeconfig", cluster.kubeconfig.to_str().unwrap()];
    let proxy = Proxy::start(&aws.endpoint);
    let out = render_with(&proxy.url, &manifests(&sa), &kubeconfig);
    assert_eq!(text(&secrets(&out)["es"]["u"]), "from-irsa");
    let assumed = proxy.requests("AssumeRoleWithWebIdentity");
    assert_eq!(assumed.len(), 1, "{:?}", proxy.counts());
    let body = &assumed[0].body;
    for part in [
        "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Firsa",
        "RoleSessionName=external-secrets-provider-aws",
        "WebIdentityToken=",
    ] {
        assert!(body.contains(part), "{part}: {body}");
    }
    let read = &proxy.requests("BatchGetSecretValue")[0];
    assert!(!read.authorization.contains("Credential=testing/"));
    assert_eq!(
        cluster.token_requests("apps", &sa),
        [json!({"audiences": ["sts.amazonaws.com", "extra"]})]
    );

    // A ServiceAccount without the annotation, and no cluster at all.
    let out = render_with(&proxy.url, &manifests(&bare), &kubeconfig);
    out.assert_failed(
        1,
        &[
            "spec.data[0].remoteRef.key",
            "an IAM role must be associated with service account",
            "eks.amazonaws.com/role-arn",
        ],
    );
    let out = render_with(
        &proxy.url,
        &manifests(&sa),
        &["--kubeconfig", "/nonexistent/kubeconfig"],
    );
    out.assert_failed(
        2,
        &[
            "no access to a Kubernetes cluster",
            "spec.provider.aws.auth.jwt.serviceAccountRef",
        ],
    );
}

/// The README's quickstart ends up here too: a manifest on stdin and values on stdout are the
/// only channels; a debug log never shows a value.
#[test]
fn debug_log_never_shows_values() {
    let Some(aws) = Aws::new("sa-east-1") else {
        return;
    };
    aws.secret("t11/db", r#"{"password":"canary-value-t11"}"#, &[]);
    let manifests = store("sm", "SecretsManager", aws.region, "", "")
        + &external_secret(
            "es",
            "sm",
            "  data:\n  - {secretKey: p, remoteRef: {key: t11/db, property: password}}\n",
        );
    let mut cmd = eso_render();
    cmd.env("RUST_LOG", "trace")
        .env("AWS_ENDPOINT_URL", &aws.endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args(["render", "-"])
        .write_stdin(manifests);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Y2FuYXJ5LXZhbHVlLXQxMQ=="));
    assert!(!out.stderr.contains("canary-value-t11"));
    let _ = std::io::stderr().flush();
}
