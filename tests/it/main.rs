//! One integration-test binary: the CLI run as users run it, against fixtures in `testdata/`.

#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

mod argocd;
mod aws;
mod canary;
mod check;
mod cli;
mod cluster;
mod fixtures;
mod kubernetes;
mod kustomize;
mod pki;
mod print_modes;
mod robustness;
mod sops;
mod support;
mod vault;
