#!/usr/bin/env python3
"""Seeds a Vault server (real, or tests/peers/vault_emulator.py) for eso-render's tests.

Reads a JSON list of operations on stdin and prints a JSON list of results, one per operation:
  {"method": "POST", "path": "sys/mounts/kv", "body": {...}, "token": T?, "namespace": NS?}
      -> {"status": 200, "body": {...} | null}     (Vault's HTTP API at $VAULT_ADDR/v1/<path>;
                                                     token defaults to $VAULT_TOKEN; "raw_body"
                                                     sends text as is, keeping number text; a
                                                     path starting with / is not under /v1/)
  {"jwt": {"claims": {...}}}
      -> {"jwt": "<RS256 JWT>", "public_pem": "..."}  (a fresh RSA key per call, for jwt auth)
Stops at the first answer with a status >= 400 unless the operation has "expect": <status>.
$VAULT_CACERT names a CA bundle for https servers.
"""

import base64
import json
import os
import ssl
import sys
import urllib.error
import urllib.request


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def make_jwt(claims):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    sig = key.sign((header + "." + payload).encode(), padding.PKCS1v15(), hashes.SHA256())
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {"jwt": header + "." + payload + "." + b64url(sig), "public_pem": public.decode()}


def main():
    addr = os.environ["VAULT_ADDR"].rstrip("/")
    root = os.environ.get("VAULT_TOKEN", "")
    ctx = None
    if os.environ.get("VAULT_CACERT"):
        ctx = ssl.create_default_context(cafile=os.environ["VAULT_CACERT"])
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=ctx)
    )
    out = []
    for op in json.load(sys.stdin):
        if "jwt" in op:
            out.append(make_jwt(op["jwt"]["claims"]))
            continue
        if "raw_body" in op:
            data = op["raw_body"].encode()
        else:
            data = None if op.get("body") is None else json.dumps(op["body"]).encode()
        path = op["path"] if op["path"].startswith("/") else "/v1/" + op["path"]
        req = urllib.request.Request(addr + path, data=data, method=op["method"])
        token = op.get("token", root)
        if token:
            req.add_header("X-Vault-Token", token)
        if op.get("namespace"):
            req.add_header("X-Vault-Namespace", op["namespace"])
        try:
            with opener.open(req, timeout=10) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        body = json.loads(raw) if raw.strip() else None
        out.append({"status": status, "body": body})
        if status >= 400 and op.get("expect") != status:
            sys.stderr.write("vault_admin: %s %s -> %d %s\n" % (op["method"], op["path"], status, raw[:300]))
            print(json.dumps(out))
            sys.exit(1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
