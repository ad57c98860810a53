#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh clone (`.ci/run` calls exactly this).
#
# 1. installs what the tests need (nothing beyond the Rust toolchain yet: the fake provider and
#    every fixture live in this repository; later backends add their peers here),
# 2. runs the gates: rustfmt, clippy with warnings as errors, rustdoc links,
# 3. runs every test. A test that needs a peer fails rather than skips when CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "tests/run.sh: cargo ${component} is missing; install it with: rustup component add ${component}" >&2
    exit 1
  fi
done

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
echo "== cargo test"
cargo test --locked --lib --bins --tests
