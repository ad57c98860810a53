#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh clone (`.ci/run` calls exactly this).
#
# 1. installs what the tests need besides the Rust toolchain: the `openssl` command, which reads
#    the PKCS#12 archives eso-render writes (every other fixture lives in this repository),
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

# Peers. Installed only when missing, so a developer machine is left alone.
if ! command -v openssl >/dev/null 2>&1; then
  echo "== installing openssl"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq openssl >/dev/null
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
echo "== cargo test"
cargo test --locked --lib --bins --tests
