//! Template engine benchmark: parse and execute a typical `.dockerconfigjson` template 100 000
//! times (issue 4). Run with `cargo bench --bench template`; prints wall time per iteration.

use std::time::Instant;

use eso_render::secret::{DataMap, SecretBytes};
use eso_render::template::{Options, Template};

const DOCKERCONFIG: &str = r#"{"auths":{"{{ .registry }}":{"username":"{{ .username }}","password":"{{ .password }}","auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}"#;

#[expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
fn main() {
    let data: DataMap = [
        ("registry", "registry.example.com"),
        ("username", "robot$ci"),
        ("password", "s3cr3t-0123456789abcdef"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), SecretBytes::from(v)))
    .collect();
    let opts = Options::default();
    let n = 100_000;

    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        let t = Template::parse(".dockerconfigjson", DOCKERCONFIG, &opts).expect("parses");
        bytes += t.execute(&data).expect("executes").len();
    }
    let both = start.elapsed();

    let t = Template::parse(".dockerconfigjson", DOCKERCONFIG, &opts).expect("parses");
    let start = Instant::now();
    for _ in 0..n {
        bytes += t.execute(&data).expect("executes").len();
    }
    let exec = start.elapsed();

    println!(
        "parse+execute: {n} in {:.1} ms ({:.2} µs each); execute only: {:.1} ms ({:.2} µs each); {bytes} bytes",
        both.as_secs_f64() * 1e3,
        both.as_secs_f64() * 1e6 / f64::from(n),
        exec.as_secs_f64() * 1e3,
        exec.as_secs_f64() * 1e6 / f64::from(n),
    );
}
