//! AWS Secrets Manager benchmark (issue 5): eso-render against moto on loopback, and the way
//! peers read (one `GetSecretValue` per reference, in sequence) in the same run.
//!
//! For N = 10, 100, 500 distinct JSON secrets, every secret is referenced by one ExternalSecret
//! with `data` + `property` and with `dataFrom.extract`, and every tenth secret once more from
//! another ExternalSecret. Reports wall time, peak RSS (GNU time) and requests per operation.
//!
//! Run with `cargo bench --bench aws` (needs `moto_server` on PATH, as `tests/run.sh` installs
//! it, or `ESO_RENDER_TEST_MOTO=http://…`).

#![allow(clippy::unwrap_used, reason = "a benchmark fails loudly")]

#[path = "../tests/it/aws/moto.rs"]
mod moto;
#[path = "../tests/it/aws/proxy.rs"]
#[allow(dead_code, reason = "shared with the tests, which use more of it")]
mod proxy;

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_eso-render");

#[expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
fn main() {
    let Some(endpoint) = moto::endpoint() else {
        println!("moto_server is not installed: nothing measured");
        return;
    };
    println!(
        "| N | references | eso-render wall | peak RSS | requests (eso-render) | peers: GetSecretValue per reference | peers wall |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (n, region) in [(10, "us-east-1"), (100, "us-east-2"), (500, "us-west-1")] {
        let config = sdk_config(endpoint, region);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let sm = aws_sdk_secretsmanager::Client::new(&config);
        rt.block_on(async {
            for i in 0..n {
                let value = format!(r#"{{"username":"user{i}","password":"pw{i}","port":5432}}"#);
                sm.create_secret()
                    .name(format!("bench/s{i}"))
                    .secret_string(value)
                    .send()
                    .await
                    .unwrap();
            }
        });
        let (manifests, references) = manifests(n, region);
        let file = std::env::temp_dir().join(format!("eso-render-bench-aws-{n}.yaml"));
        std::fs::write(&file, manifests).unwrap();

        let p = proxy::Proxy::start(endpoint);
        let start = Instant::now();
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%M", BIN, "render"])
            .arg(&file)
            .env("AWS_ENDPOINT_URL", &p.url)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .unwrap();
        let wall = start.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let docs = String::from_utf8_lossy(&out.stdout)
            .matches("kind: Secret")
            .count();
        assert_eq!(docs, n);
        let rss_kib: u64 = String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0);
        let mut requests = String::new();
        for (op, count) in p.counts() {
            let _ = write!(requests, "{op} {count} ");
        }

        // Peers: one GetSecretValue per reference, in sequence.
        let p = proxy::Proxy::start(endpoint);
        let peer_config = sdk_config(&p.url, region);
        let peer = aws_sdk_secretsmanager::Client::new(&peer_config);
        let start = Instant::now();
        rt.block_on(async {
            for id in &references {
                peer.get_secret_value().secret_id(id).send().await.unwrap();
            }
        });
        let peer_wall = start.elapsed();
        println!(
            "| {n} | {} | {} | {:.1} MiB | {}| {} | {} |",
            references.len(),
            ms(wall),
            rss_kib as f64 / 1024.0,
            requests,
            p.count("GetSecretValue"),
            ms(peer_wall),
        );
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn sdk_config(endpoint: &str, region: &str) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new("testing", "testing", None, None, "bench"),
            ),
        )
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build()
}

/// The manifests and the secret id of every reference in them.
fn manifests(n: usize, region: &str) -> (String, Vec<String>) {
    let mut out = format!(
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {{name: sm, namespace: bench}}\n\
         spec:\n  provider:\n    aws: {{service: SecretsManager, region: {region}}}\n"
    );
    let mut refs = Vec::new();
    for i in 0..n {
        let _ = write!(
            out,
            "---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\n\
             metadata: {{name: es{i}, namespace: bench}}\nspec:\n  secretStoreRef: {{name: sm}}\n  \
             data:\n  - {{secretKey: password, remoteRef: {{key: bench/s{i}, property: password}}}}\n"
        );
        refs.push(format!("bench/s{i}"));
        if i % 10 == 9 {
            let other = (i + 1) % n;
            let _ = writeln!(
                out,
                "  - {{secretKey: other, remoteRef: {{key: bench/s{other}, property: username}}}}"
            );
            refs.push(format!("bench/s{other}"));
        }
        let _ = write!(
            out,
            "  dataFrom:\n  - extract: {{key: bench/s{i}}}\n    rewrite: [{{regexp: {{source: '(.*)', target: 'x_$1'}}}}]\n"
        );
        refs.push(format!("bench/s{i}"));
    }
    (out, refs)
}
