#!/usr/bin/env python3
"""Render benchmark: wall time and peak RSS of the whole eso-render process.

Generates N ExternalSecrets (20, 1 000, 10 000 by default) that read from one fake SecretStore
(three keys each: two properties of one shared remote secret, so deduplication is exercised, and
one extract), runs the release binary several times per size and reports the median wall time and
the peak resident set size. Targets (issue 3): 20 ExternalSecrets under 50 ms and 30 MB; 10 000
under 2 s.

    cargo build --release && python3 benches/render.py [--runs 7] [--sizes 20,1000,10000]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def manifests(n: int) -> str:
    out = [
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: fake, namespace: bench}\n"
        "spec:\n  provider:\n    fake:\n      data:\n"
    ]
    for i in range(n):
        out.append(
            f"      - key: app-{i}/db\n"
            f"        value: '{{\"user\": \"user-{i}\", \"password\": \"pw-{i}-0123456789\"}}'\n"
        )
    for i in range(n):
        out.append(
            "---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\n"
            f"metadata: {{name: app-{i}, namespace: bench}}\n"
            "spec:\n  secretStoreRef: {name: fake}\n"
            f"  data:\n  - {{secretKey: username, remoteRef: {{key: app-{i}/db, property: user}}}}\n"
            f"  - {{secretKey: password, remoteRef: {{key: app-{i}/db, property: password}}}}\n"
            f"  dataFrom:\n  - extract: {{key: app-{i}/db}}\n"
        )
    return "".join(out)


def run_once(binary: str, path: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process, measured with wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "render", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"eso-render failed on {path}: {proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sizes", default="20,1000,10000")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/eso-render"))
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: run `cargo build --release` first")
    print(f"{'ExternalSecrets':>16} {'input KiB':>10} {'median ms':>10} {'min ms':>8} {'peak RSS MiB':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            path = os.path.join(tmp, f"bench-{n}.yaml")
            with open(path, "w") as f:
                f.write(manifests(n))
            run_once(args.binary, path)  # warm the page cache
            results = [run_once(args.binary, path) for _ in range(args.runs)]
            walls = [w * 1000 for w, _ in results]
            rss = max(r for _, r in results) / 1024
            size = os.path.getsize(path) / 1024
            print(f"{n:>16} {size:>10.0f} {statistics.median(walls):>10.1f} {min(walls):>8.1f} {rss:>13.1f}")


if __name__ == "__main__":
    main()
