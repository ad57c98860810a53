#!/usr/bin/env python3
"""Vault benchmark: N ExternalSecrets over P KV v2 paths, rendered by one eso-render process.

Each ExternalSecret reads two properties of one path (`data`) and the whole path again
(`dataFrom.extract`), so 3N references fall on P paths. The server is the Vault emulator of the
tests (tests/peers/vault_emulator.py, AppRole login) or a real Vault (`--addr`, `--token`);
requests are counted from the emulator's log. Figures: wall time and peak RSS (wait4) of the
release binary, median of --runs.

    cargo build --release && python3 benches/vault.py [--n 500] [--paths 100] [--runs 5]

Needs the python3 of tests/run.sh's venv (the emulator uses `cryptography` for JWTs only).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def call(addr, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(addr + path, data=data, method=method)
    if token:
        req.add_header("X-Vault-Token", token)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=30) as r:
        raw = r.read()
        return json.loads(raw) if raw.strip() else None


def run_once(cmd, stdin_path):
    start = time.perf_counter()
    with open(stdin_path, "rb") as f:
        proc = subprocess.Popen(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("render failed: " + proc.stderr.read().decode()[-2000:])
    return wall, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--paths", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/eso-render"))
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: run `cargo build --release` first")

    root = "bench-root"
    emu = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests/peers/vault_emulator.py"), "--root-token", root],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    port = emu.stdout.readline().split()[1].decode()
    addr = f"http://127.0.0.1:{port}"
    call(addr, root, "POST", "/v1/sys/mounts/kv", {"type": "kv", "options": {"version": "2"}})
    call(addr, root, "PUT", "/v1/sys/policies/acl/read",
         {"policy": 'path "kv/*" { capabilities = ["read", "list"] }'})
    call(addr, root, "POST", "/v1/sys/auth/approle", {"type": "approle"})
    call(addr, root, "POST", "/v1/auth/approle/role/bench", {"token_policies": ["read"]})
    role_id = call(addr, root, "GET", "/v1/auth/approle/role/bench/role-id")["data"]["role_id"]
    secret_id = call(addr, root, "POST", "/v1/auth/approle/role/bench/secret-id", {})["data"]["secret_id"]
    for p in range(args.paths):
        call(addr, root, "POST", f"/v1/kv/data/app/{p}",
             {"data": {"user": f"user-{p}", "password": f"pw-{p}-0123456789", "port": 5432}})

    docs = [
        "apiVersion: v1\nkind: Secret\nmetadata: {name: approle, namespace: bench}\n"
        f"stringData: {{role-id: {role_id}, secret-id: {secret_id}}}\n",
        "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: vault, namespace: bench}\n"
        f"spec:\n  provider:\n    vault:\n      server: {addr}\n      path: kv\n"
        "      headers: {X-Test-Id: bench}\n"
        "      auth: {appRole: {roleRef: {name: approle, key: role-id}, secretRef: {name: approle, key: secret-id}}}\n",
    ]
    for i in range(args.n):
        p = i % args.paths
        docs.append(
            "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\n"
            f"metadata: {{name: es-{i}, namespace: bench}}\nspec:\n  secretStoreRef: {{name: vault}}\n"
            f"  data:\n  - {{secretKey: user, remoteRef: {{key: app/{p}, property: user}}}}\n"
            f"  - {{secretKey: password, remoteRef: {{key: app/{p}, property: password}}}}\n"
            f"  dataFrom:\n  - extract: {{key: app/{p}}}\n"
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "manifests.yaml")
        with open(path, "w") as f:
            f.write("---\n".join(docs))
        cmd = [args.binary, "render", "-"]
        before = len(call(addr, None, "GET", "/_emulator/requests"))
        run_once(cmd, path)
        per_run = len(call(addr, None, "GET", "/_emulator/requests")) - before
        results = [run_once(cmd, path) for _ in range(args.runs)]
    emu.stdin.close()
    emu.wait()
    walls = sorted(w * 1000 for w, _ in results)
    rss = max(r for _, r in results) / 1024
    print(f"{args.n} ExternalSecrets, {3 * args.n} references, {args.paths} paths")
    print(f"requests per run: {per_run} (1 login + {args.paths} reads expected)")
    print(f"wall: median {statistics.median(walls):.1f} ms, min {walls[0]:.1f} ms; peak RSS {rss:.1f} MiB")


if __name__ == "__main__":
    main()
