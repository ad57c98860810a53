#!/usr/bin/env python3
"""A kube-apiserver EMULATOR for eso-render's tests: not Kubernetes.

No Kubernetes API server can be installed from the registries this project builds with, so the
tests reach this small server through a kubeconfig. It is written from the Kubernetes API
reference (kubernetes.io/docs/reference/kubernetes-api/) for exactly the calls eso-render and its
tests make:

  POST /api/v1/namespaces/<ns>/serviceaccounts            create a ServiceAccount
  GET  /api/v1/namespaces/<ns>/serviceaccounts/<name>
  POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token
                                                          TokenRequest (authentication.k8s.io/v1)
  POST /api/v1/namespaces/<ns>/secrets                    create a Secret
  GET  /api/v1/namespaces/<ns>/secrets/<name>
  GET  /openid/v1/jwks                                    the service-account signing key

Requests need `Authorization: Bearer <token>` with the token given on the command line (401
otherwise). Errors are `Status` objects with Kubernetes' reasons (NotFound, AlreadyExists,
BadRequest, Unauthorized). Tokens are RS256 JWTs with the claims the API server sets: iss, sub
(system:serviceaccount:<ns>:<name>), aud (the requested audiences, else the API server's),
iat, nbf, exp, and `kubernetes.io` (namespace, serviceaccount name and uid).

Emulator-only controls (under /_emulator/, never part of Kubernetes' API):
  GET  /_emulator/public-key   the signing key as PEM (for a Vault JWT auth's validation keys)
  GET  /_emulator/requests     the request log: method, path, and the JSON body of TokenRequests
  POST /_emulator/faults       {"path": prefix, "status": 403, "count": N}: the next N requests
                               whose path starts with prefix fail with that status

Usage: kube_emulator.py --token T. Prints "READY <port>" when listening on 127.0.0.1; runs until
stdin closes.
"""

import argparse
import base64
import datetime
import json
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ISSUER = "https://kubernetes.default.svc.cluster.local"
# The API server's own audience, used when a TokenRequest names none.
API_AUDIENCE = "https://kubernetes.default.svc.cluster.local"
LOCK = threading.RLock()
STATE = {"objects": {}, "log": [], "faults": [], "token": None, "key": None}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def sign_jwt(claims):
    key = STATE["key"]
    header = {"alg": "RS256", "typ": "JWT", "kid": STATE["kid"]}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


class Fail(Exception):
    def __init__(self, code, reason, message):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def not_found(kind, name):
    return Fail(404, "NotFound", '%s "%s" not found' % (kind, name))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            if url.path.startswith("/_emulator/"):
                return self.control(method, url.path[len("/_emulator/"):], raw)
            if self.headers.get("Authorization") != "Bearer " + STATE["token"]:
                raise Fail(401, "Unauthorized", "Unauthorized")
            body = json.loads(raw) if raw.strip() else {}
            with LOCK:
                entry = {"method": method, "path": url.path}
                if url.path.endswith("/token"):
                    entry["body"] = body
                STATE["log"].append(entry)
                for f in STATE["faults"]:
                    if f["count"] > 0 and url.path.startswith(f["path"]):
                        f["count"] -= 1
                        raise Fail(f["status"], f.get("reason", "Forbidden"), "injected fault")
                code, out = self.route(method, url.path, body)
            self.reply(code, out)
        except Fail as f:
            self.reply(f.code, status(f.code, f.reason, f.message))
        except (ValueError, KeyError, TypeError) as e:
            self.reply(400, status(400, "BadRequest", "emulator: bad request: %s" % e))

    def control(self, method, what, raw):
        if what == "public-key" and method == "GET":
            pem = STATE["key"].public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            return self.reply(200, {"pem": pem.decode()})
        if what == "requests" and method == "GET":
            with LOCK:
                return self.reply(200, STATE["log"])
        if what == "faults" and method == "POST":
            with LOCK:
                STATE["faults"].append(json.loads(raw))
            return self.reply(200, {})
        self.reply(404, status(404, "NotFound", "no such control"))

    def route(self, method, path, body):
        if path == "/openid/v1/jwks" and method == "GET":
            numbers = STATE["key"].public_key().public_numbers()
            n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
            return 200, {"keys": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": STATE["kid"],
                                   "n": b64url(n), "e": b64url(numbers.e.to_bytes(3, "big"))}]}
        m = re.fullmatch(r"/api/v1/namespaces/([^/]+)/(serviceaccounts|secrets)(?:/([^/]+))?(/token)?", path)
        if not m:
            raise Fail(404, "NotFound", "the server could not find the requested resource")
        ns, resource, name, sub = m.groups()
        objects = STATE["objects"].setdefault((ns, resource), {})
        kind = {"serviceaccounts": "ServiceAccount", "secrets": "Secret"}[resource]
        if name is None and method == "POST":
            meta = body.setdefault("metadata", {})
            new = meta.get("name")
            if not new:
                raise Fail(400, "BadRequest", "metadata.name: Required value")
            if new in objects:
                raise Fail(409, "AlreadyExists", '%s "%s" already exists' % (resource, new))
            meta.update({"namespace": ns, "uid": str(uuid.uuid4()), "resourceVersion": "1",
                         "creationTimestamp": rfc3339(now())})
            body.setdefault("apiVersion", "v1")
            body["kind"] = kind
            objects[new] = body
            return 201, body
        if name is not None and sub is None and method == "GET":
            if name not in objects:
                raise not_found(resource, name)
            return 200, objects[name]
        if resource == "serviceaccounts" and sub == "/token" and method == "POST":
            sa = objects.get(name)
            if sa is None:
                raise not_found("serviceaccounts", name)
            spec = body.get("spec") or {}
            seconds = int(spec.get("expirationSeconds") or 3600)
            if seconds < 600:
                raise Fail(400, "BadRequest",
                           "spec.expirationSeconds: Invalid value: %d: may not specify a duration less than 10 minutes" % seconds)
            audiences = spec.get("audiences") or [API_AUDIENCE]
            issued = now()
            expires = issued + datetime.timedelta(seconds=seconds)
            token = sign_jwt({
                "iss": ISSUER,
                "sub": "system:serviceaccount:%s:%s" % (ns, name),
                "aud": audiences,
                "iat": int(issued.timestamp()),
                "nbf": int(issued.timestamp()),
                "exp": int(expires.timestamp()),
                "kubernetes.io": {"namespace": ns,
                                  "serviceaccount": {"name": name, "uid": sa["metadata"]["uid"]}},
            })
            return 201, {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                         "metadata": {"name": name, "namespace": ns, "creationTimestamp": None},
                         "spec": {"audiences": audiences, "expirationSeconds": seconds,
                                  "boundObjectRef": spec.get("boundObjectRef")},
                         "status": {"token": token, "expirationTimestamp": rfc3339(expires)}}
        raise Fail(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--token", required=True)
    args = ap.parse_args()
    STATE["token"] = args.token
    STATE["key"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    STATE["kid"] = uuid.uuid4().hex[:16]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY %d" % server.server_address[1], flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
