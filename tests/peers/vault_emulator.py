#!/usr/bin/env python3
"""A Vault EMULATOR for eso-render's tests: not HashiCorp Vault.

No Vault or OpenBao server can be installed from the registries this project builds with, so
the tests run against this small server, written from Vault's public HTTP API documentation
(developer.hashicorp.com/vault/api-docs) for exactly the endpoints eso-render and its tests call:

  sys/mounts/<path>                KV v1 and v2 mounts (type kv with options.version, or kv-v2)
  sys/auth/<path>                  enable approle, userpass, ldap, kubernetes, jwt, cert, aws
  sys/policy/<name>, sys/policies/acl/<name>
                                   ACL policies: `path "<glob>" { capabilities = [...] }`
  <kv1>/<path>                     GET, PUT/POST, DELETE, LIST (or GET ?list=true)
  <kv2>/data/<path>                GET (?version=N), PUT/POST, DELETE (soft delete)
  <kv2>/delete/<path>              POST {"versions": [...]}
  <kv2>/metadata/<path>            GET, PUT/POST (custom_metadata), LIST
  auth/<approle>/role/<r>[/role-id|/secret-id], auth/<approle>/login
  auth/<userpass|ldap>/users/<u>, auth/<userpass|ldap>/login/<u>
  auth/<kubernetes>/role/<r>, auth/<kubernetes>/login
  auth/<jwt>/config, auth/<jwt>/role/<r>, auth/<jwt>/login      (RS256/ES256 JWTs)
  auth/<cert>/certs/<name>, auth/<cert>/login                   (TLS client certificates)
  auth/<aws>/config/client, auth/<aws>/role/<r>, auth/<aws>/login  (IAM: signed GetCallerIdentity)
  auth/token/create, auth/token/lookup-self

Headers: X-Vault-Token, X-Vault-Namespace (each namespace has its own mounts, auth methods and
policies; a token works in the namespace that issued it and below), and X-Vault-Index (returned on
every answer, as Vault Enterprise does for read-your-writes). Errors use Vault's shape:
{"errors": [...]}: 400 bad input, 403 "permission denied", 404 {"errors": []}, 405.

Where Vault needs outside systems, the emulator stands in for them, and says so:
  * ldap: the user's password is set with the `password` field of auth/<ldap>/users/<u> (an
    emulator extension: real Vault asks the LDAP server);
  * kubernetes: Vault sends the JWT to the TokenReview API; the emulator trusts the JWT's `sub`
    claim (system:serviceaccount:<namespace>:<name>) and checks the role's bindings;
  * aws (IAM): as Vault does, the signed sts:GetCallerIdentity request is sent to STS at the
    `sts_endpoint` of auth/<aws>/config/client (the tests point it at moto, which answers with
    the identity of the access key but, unlike AWS, does not check signatures), and the ARN STS
    answers with must match the role's `bound_iam_principal_arn`.

Emulator-only controls (under /_emulator/, never part of Vault's API):
  POST /_emulator/faults     {"path": prefix, "status": 503, "errors": [...], "count": N}:
                             the next N requests whose logical path starts with prefix fail so;
                             {"path": prefix, "delay": seconds, "count": N} delays their answers
  GET  /_emulator/requests   the request log: method, path, query, the Vault headers seen
                             (token presence and a digest, namespace, index, inconsistent), X-Test-Id,
                             X-Custom, and whether a TLS client certificate was presented
  POST /_emulator/seal       {"sealed": true|false}

Usage: vault_emulator.py --root-token T [--tls-cert F --tls-key F --client-ca F]
Prints "READY <http port> [<https port>]" when listening on 127.0.0.1.
"""

import argparse
import base64
import datetime
import fnmatch
import hashlib
import json
import re
import secrets
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

LOCK = threading.RLock()
STATE = {
    "namespaces": {},  # ns -> {"mounts": {}, "auth": {}, "policies": {}}
    "tokens": {},  # token -> {"policies", "ns", "ttl", "created"}
    "faults": [],
    "log": [],
    "sealed": False,
    "index": 0,
}


# Vault keeps a number's text (its Go code decodes with UseNumber): `1.50` comes back `1.50`.
# Python would turn it into 1.5, so floats travel as marked strings and are unmarked on output.
NUM = "\u0000num:"


def loads(raw):
    return json.loads(raw, parse_float=lambda text: NUM + text)


def dumps(obj):
    return re.sub(r'"\\u0000num:([^"]*)"', r"\1", json.dumps(obj))


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ns_state(ns):
    return STATE["namespaces"].setdefault(ns, {"mounts": {}, "auth": {}, "policies": {}})


class Fail(Exception):
    def __init__(self, status, errors=None, body=None):
        super().__init__(status)
        self.status = status
        self.errors = errors if errors is not None else []
        self.body = body


def denied():
    return Fail(403, ["permission denied"])


def parse_policy(text):
    """Vault's policy HCL, the subset `path "glob" { capabilities = ["read", ...] }`."""
    rules = []
    i = 0
    while True:
        start = text.find("path", i)
        if start < 0:
            return rules
        q1 = text.index('"', start)
        q2 = text.index('"', q1 + 1)
        glob = text[q1 + 1 : q2]
        b1 = text.index("{", q2)
        b2 = text.index("}", b1)
        body = text[b1 + 1 : b2]
        l1 = body.index("[")
        l2 = body.index("]")
        caps = [c.strip().strip('"') for c in body[l1 + 1 : l2].split(",") if c.strip()]
        rules.append((glob, caps))
        i = b2 + 1


def allowed(token, ns, path, cap):
    t = STATE["tokens"].get(token)
    if t is None or not (ns == t["ns"] or ns.startswith(t["ns"] + "/") or t["ns"] == ""):
        return False
    if t.get("expires") and datetime.datetime.now().timestamp() > t["expires"]:
        return False
    if "root" in t["policies"]:
        return True
    if path in ("auth/token/lookup-self",):
        return True
    for name in t["policies"]:
        for glob, caps in ns_state(t["ns"])["policies"].get(name, []):
            hit = fnmatch.fnmatchcase(path, glob) if glob.endswith("*") else path == glob
            if hit and ("deny" not in caps) and cap in caps:
                return True
    return False


def issue(policies, ns, ttl=3600, meta=None):
    token = "hvs." + secrets.token_urlsafe(24)
    expires = datetime.datetime.now().timestamp() + ttl if ttl else None
    STATE["tokens"][token] = {"policies": policies, "ns": ns, "ttl": ttl, "expires": expires}
    return {
        "client_token": token,
        "accessor": secrets.token_hex(12),
        "policies": ["default"] + list(policies),
        "token_policies": ["default"] + list(policies),
        "metadata": meta or {},
        "lease_duration": ttl,
        "renewable": True,
        "entity_id": secrets.token_hex(16),
        "token_type": "service",
        "orphan": True,
    }


def find_mount(table, path):
    """The longest mount point (with its trailing slash) that prefixes path."""
    best = None
    for m in table:
        if (path + "/").startswith(m) and (best is None or len(m) > len(best)):
            best = m
    return best


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verify_jwt(jwt, pems):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

    try:
        h, p, s = jwt.split(".")
        header = json.loads(b64url_decode(h))
        claims = json.loads(b64url_decode(p))
        sig = b64url_decode(s)
    except Exception:
        raise Fail(400, ["error validating token: invalid token"])
    signed = (h + "." + p).encode()
    for pem in pems:
        key = serialization.load_pem_public_key(pem.encode())
        try:
            if header.get("alg") == "RS256":
                key.verify(sig, signed, padding.PKCS1v15(), hashes.SHA256())
            elif header.get("alg") == "ES256":
                r, s_ = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
                key.verify(utils.encode_dss_signature(r, s_), signed, ec.ECDSA(hashes.SHA256()))
            else:
                continue
            return claims
        except (InvalidSignature, TypeError, ValueError):
            continue
    raise Fail(400, ["error validating token: failed to verify id token signature"])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=None):
        data = b"" if body is None else dumps(body).encode()
        self.send_response(status)
        with LOCK:
            STATE["index"] += 1
            index = STATE["index"]
        self.send_header("X-Vault-Index", "emulator-state-%d" % index)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            if url.path.startswith("/_emulator/"):
                return self.control(method, url.path[len("/_emulator/") :], raw)
            if not url.path.startswith("/v1/"):
                raise Fail(404)
            path = unquote(url.path[len("/v1/") :]).strip("/")
            if method == "GET" and query.get("list") == ["true"]:
                method = "LIST"
            ns = (self.headers.get("X-Vault-Namespace") or "").strip("/")
            token = self.headers.get("X-Vault-Token") or ""
            with LOCK:
                STATE["log"].append(
                    {
                        "method": method,
                        "path": path,
                        "query": url.query,
                        "token": bool(token),
                        # Tells tokens apart without logging them.
                        "token_id": hashlib.sha256(token.encode()).hexdigest()[:8] if token else None,
                        "namespace": ns,
                        "index": self.headers.get_all("X-Vault-Index") or [],
                        "inconsistent": self.headers.get("X-Vault-Inconsistent"),
                        "request": self.headers.get("X-Vault-Request"),
                        "test": self.headers.get("X-Test-Id"),
                        "custom": self.headers.get("X-Custom"),
                        "client_cert": bool(
                            hasattr(self.connection, "getpeercert")
                            and self.connection.getpeercert(binary_form=True)
                        ),
                    }
                )
                delay = 0
                for f in STATE["faults"]:
                    if f["count"] > 0 and path.startswith(f["path"]):
                        f["count"] -= 1
                        if f.get("delay"):
                            delay = f["delay"]
                            break
                        raise Fail(f["status"], f.get("errors", []))
                if STATE["sealed"]:
                    raise Fail(503, ["Vault is sealed"])
                body = loads(raw) if raw.strip() else {}
                status, out = self.route(method, path, query, body or {}, ns, token)
            # A slow answer arrives after the delay (the lock is not held meanwhile).
            time.sleep(delay)
            self.reply(status, out)
        except Fail as f:
            self.reply(f.status, f.body if f.body is not None else {"errors": f.errors})
        except (ValueError, KeyError, TypeError) as e:
            self.reply(400, {"errors": ["emulator: bad request: %s" % e]})

    def control(self, method, what, raw):
        body = json.loads(raw) if raw.strip() else {}
        with LOCK:
            if what == "faults" and method == "POST":
                STATE["faults"].append(body)
                return self.reply(204)
            if what == "requests" and method == "GET":
                return self.reply(200, STATE["log"])
            if what == "seal" and method == "POST":
                STATE["sealed"] = bool(body.get("sealed"))
                return self.reply(204)
        raise Fail(404)

    # -------------------------------------------------------------------------------------
    def route(self, method, path, query, body, ns, token):
        st = ns_state(ns)
        if path.startswith("sys/"):
            self.need(token, ns, path, "sudo")
            return self.sys(method, path[4:], body, st)
        if path.startswith("auth/"):
            return self.auth(method, path[5:], body, ns, st, token)
        mount = find_mount(st["mounts"], path)
        if mount is None:
            self.need(token, ns, path, "read")
            raise Fail(404, ['no handler for route "%s". route entry not found.' % path])
        m = st["mounts"][mount]
        rest = path[len(mount) :]
        if m["version"] == 1:
            return self.kv1(method, path, rest, body, m, ns, token)
        return self.kv2(method, path, mount, rest, query, body, m, ns, token)

    def need(self, token, ns, path, cap):
        if not allowed(token, ns, path, cap):
            raise denied()

    def sys(self, method, path, body, st):
        if path.startswith("mounts/") and method in ("POST", "PUT"):
            point = path[len("mounts/") :].strip("/") + "/"
            kind = body.get("type")
            version = str((body.get("options") or {}).get("version", "1"))
            if kind == "kv-v2":
                version = "2"
            elif kind != "kv":
                raise Fail(400, ["emulator: only kv mounts are emulated"])
            st["mounts"][point] = {"version": int(version), "data": {}}
            return 204, None
        if path.startswith("auth/") and method in ("POST", "PUT"):
            point = path[len("auth/") :].strip("/") + "/"
            st["auth"][point] = {"type": body["type"], "roles": {}, "users": {}, "config": {}}
            return 204, None
        for prefix in ("policy/", "policies/acl/"):
            if path.startswith(prefix) and method in ("POST", "PUT"):
                st["policies"][path[len(prefix) :]] = parse_policy(body["policy"])
                return 204, None
        raise Fail(405, ["unsupported operation"])

    # -------------------------------------------------------------------------------------
    def kv1(self, method, full, rest, body, m, ns, token):
        data = m["data"]
        if method == "LIST":
            self.need(token, ns, full.rstrip("/") + "/", "list")
            return self.listing(sorted(data), rest)
        if method == "GET":
            self.need(token, ns, full, "read")
            if rest not in data:
                raise Fail(404)
            return 200, self.envelope(data[rest])
        if method in ("POST", "PUT"):
            self.need(token, ns, full, "update")
            data[rest] = body
            return 204, None
        if method == "DELETE":
            self.need(token, ns, full, "delete")
            data.pop(rest, None)
            return 204, None
        raise Fail(405)

    def listing(self, names, prefix):
        prefix = prefix.strip("/")
        prefix = prefix + "/" if prefix else ""
        keys = set()
        for n in names:
            if n.startswith(prefix) and n != prefix:
                tail = n[len(prefix) :]
                keys.add(tail.split("/")[0] + "/" if "/" in tail else tail)
        if not keys:
            raise Fail(404)
        return 200, self.envelope({"keys": sorted(keys)})

    @staticmethod
    def envelope(data, auth=None):
        return {
            "request_id": secrets.token_hex(8),
            "lease_id": "",
            "renewable": False,
            "lease_duration": 0 if auth else 2764800,
            "data": data,
            "wrap_info": None,
            "warnings": None,
            "auth": auth,
        }

    def kv2(self, method, full, mount, rest, query, body, m, ns, token):
        secrets_ = m["data"]
        op, _, key = rest.partition("/")
        if op == "data":
            if method == "GET":
                self.need(token, ns, full, "read")
                s = secrets_.get(key)
                if s is None:
                    raise Fail(404)
                version = int(query.get("version", [s["current"]])[0] or s["current"])
                if version == 0:
                    version = s["current"]
                v = s["versions"].get(version)
                if v is None:
                    raise Fail(404)
                meta = self.version_meta(s, version)
                if v["deleted"] or v["destroyed"]:
                    raise Fail(404, body=self.envelope({"data": None, "metadata": meta}))
                return 200, self.envelope({"data": v["data"], "metadata": meta})
            if method in ("POST", "PUT"):
                self.need(token, ns, full, "update")
                s = secrets_.setdefault(
                    key, {"versions": {}, "current": 0, "custom": {}, "created": now()}
                )
                s["current"] += 1
                s["versions"][s["current"]] = {
                    "data": body.get("data", {}),
                    "created": now(),
                    "deleted": False,
                    "destroyed": False,
                }
                s["updated"] = now()
                return 200, self.envelope(self.version_meta(s, s["current"]))
            if method == "DELETE":
                self.need(token, ns, full, "delete")
                s = secrets_.get(key)
                if s:
                    s["versions"][s["current"]]["deleted"] = True
                return 204, None
        if op == "delete" and method in ("POST", "PUT"):
            self.need(token, ns, full, "update")
            s = secrets_.get(key)
            for v in body.get("versions", []):
                if s and int(v) in s["versions"]:
                    s["versions"][int(v)]["deleted"] = True
            return 204, None
        if op == "metadata":
            if method == "LIST":
                self.need(token, ns, full.rstrip("/") + "/", "list")
                return self.listing(sorted(secrets_), key)
            if method == "GET":
                self.need(token, ns, full, "read")
                s = secrets_.get(key)
                if s is None:
                    raise Fail(404)
                return 200, self.envelope(
                    {
                        "cas_required": False,
                        "created_time": s["created"],
                        "current_version": s["current"],
                        "custom_metadata": s["custom"] or None,
                        "delete_version_after": "0s",
                        "max_versions": 0,
                        "oldest_version": 0,
                        "updated_time": s.get("updated", s["created"]),
                        "versions": {
                            str(n): self.version_meta(s, n) for n in sorted(s["versions"])
                        },
                    }
                )
            if method in ("POST", "PUT"):
                self.need(token, ns, full, "update")
                s = secrets_.setdefault(
                    key, {"versions": {}, "current": 0, "custom": {}, "created": now()}
                )
                s["custom"] = body.get("custom_metadata") or {}
                return 204, None
        raise Fail(405)

    @staticmethod
    def version_meta(s, n):
        v = s["versions"][n]
        return {
            "created_time": v["created"],
            "custom_metadata": s["custom"] or None,
            "deletion_time": now() if v["deleted"] else "",
            "destroyed": v["destroyed"],
            "version": n,
        }

    # -------------------------------------------------------------------------------------
    def auth(self, method, path, body, ns, st, token):
        if path == "token/lookup-self" and method == "GET":
            t = STATE["tokens"].get(token)
            if t is None or not allowed(token, ns, "auth/token/lookup-self", "read"):
                raise denied()
            ttl = 0
            expire = None
            if t["expires"]:
                ttl = max(0, int(t["expires"] - datetime.datetime.now().timestamp()))
                expire = datetime.datetime.fromtimestamp(
                    t["expires"], datetime.timezone.utc
                ).strftime("%Y-%m-%dT%H:%M:%SZ")
            return 200, self.envelope(
                {"type": "service", "ttl": ttl, "expire_time": expire, "policies": t["policies"],
                 "namespace_path": t["ns"] + "/" if t["ns"] else ""}
            )
        if path == "token/create" and method in ("POST", "PUT"):
            self.need(token, ns, "auth/token/create", "update")
            ttl = body.get("ttl", "1h")
            seconds = int(ttl[:-1]) * {"s": 1, "m": 60, "h": 3600}[ttl[-1]]
            return 200, self.envelope(None, issue(body.get("policies", []), ns, seconds))
        point = find_mount(st["auth"], path)
        if point is None:
            raise denied()
        a = st["auth"][point]
        rest = path[len(point) :]
        kind = a["type"]
        if not (rest == "login" or rest.startswith("login/")):
            # Configuration calls need a token allowed to write there.
            self.need(token, ns, "auth/" + path, "update" if method != "GET" else "read")
            return self.auth_config(kind, a, method, rest, body)
        return self.login(kind, a, rest, body, ns)

    def auth_config(self, kind, a, method, rest, body):
        parts = rest.split("/")
        if kind == "approle" and parts[0] == "role":
            role = a["roles"].setdefault(parts[1], {"role_id": secrets.token_hex(8), "secret_ids": []})
            if len(parts) == 2 and method in ("POST", "PUT"):
                role["policies"] = body.get("token_policies", [])
                role["ttl"] = int(str(body.get("token_ttl", 3600)).rstrip("s"))
                return 204, None
            if parts[2:] == ["role-id"]:
                return 200, self.envelope({"role_id": role["role_id"]})
            if parts[2:] == ["secret-id"]:
                sid = secrets.token_hex(16)
                role["secret_ids"].append(sid)
                return 200, self.envelope({"secret_id": sid, "secret_id_accessor": secrets.token_hex(8)})
        if kind in ("userpass", "ldap") and parts[0] == "users" and method in ("POST", "PUT"):
            a["users"][parts[1]] = {
                "password": body.get("password"),
                "policies": body.get("token_policies", body.get("policies", [])),
            }
            return 204, None
        if kind in ("kubernetes", "jwt") and parts[0] == "role" and method in ("POST", "PUT"):
            a["roles"][parts[1]] = body
            return 204, None
        if kind == "jwt" and parts[0] == "config" and method in ("POST", "PUT"):
            a["config"] = body
            return 204, None
        if kind == "kubernetes" and parts[0] == "config" and method in ("POST", "PUT"):
            a["config"] = body
            return 204, None
        if kind == "cert" and parts[0] == "certs" and method in ("POST", "PUT"):
            a["roles"][parts[1]] = body
            return 204, None
        if kind == "aws" and parts[:2] == ["config", "client"] and method in ("POST", "PUT"):
            a["config"] = body
            return 204, None
        if kind == "aws" and parts[0] == "role" and method in ("POST", "PUT"):
            a["roles"][parts[1]] = body
            return 204, None
        raise Fail(405, ["unsupported operation"])

    def aws_iam_login(self, a, body, ns):
        """Vault's pathLoginUpdate for auth_type iam, with STS at the configured endpoint."""
        if body.get("iam_http_request_method") != "POST":
            raise Fail(400, ["error parsing iam_http_request_method: only POST is emulated"])
        try:
            url = urlsplit(base64.b64decode(body["iam_request_url"]).decode())
            form = base64.b64decode(body["iam_request_body"]).decode()
            raw_headers = json.loads(base64.b64decode(body["iam_request_headers"]))
        except Exception:
            raise Fail(400, ["error parsing iam request fields"])
        params = parse_qs(form)
        if params.get("Action") != ["GetCallerIdentity"] or url.path != "/" or url.query:
            raise Fail(400, ["invalid request body: not a GetCallerIdentity request"])
        # Go's http.Header: a list of values per key (a plain string is accepted too).
        headers = {k: (v if isinstance(v, list) else [v]) for k, v in raw_headers.items()}
        lower = {k.lower(): v for k, v in headers.items()}
        expected = a["config"].get("iam_server_id_header_value")
        if expected:
            signed = re.search(r"SignedHeaders=([^,]+)", (lower.get("authorization") or [""])[0])
            if lower.get("x-vault-aws-iam-server-id") != [expected] or not signed or \
                    "x-vault-aws-iam-server-id" not in signed.group(1).split(";"):
                raise Fail(400, ["error validating X-Vault-AWS-IAM-Server-ID header: missing or invalid header"])
        role_name = body.get("role", "")
        role = a["roles"].get(role_name)
        if role is None:
            raise Fail(400, ["entry for role %s not found" % role_name])
        endpoint = a["config"].get("sts_endpoint") or "https://sts.amazonaws.com"
        req = urllib.request.Request(endpoint.rstrip("/") + "/", data=form.encode(), method="POST")
        for k, vs in headers.items():
            req.add_header(k, vs[0])
        req.add_header("Host", url.netloc)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                answer = r.read()
        except urllib.error.HTTPError as e:
            raise Fail(400, ["error making upstream request: received error code %d from STS" % e.code])
        except Exception as e:
            raise Fail(400, ["error making upstream request: %s" % e])
        arn = next((el.text for el in ET.fromstring(answer).iter() if el.tag.endswith("Arn")), "")
        # An assumed role's session ARN stands for its role (Vault's parseIamArn).
        m = re.match(r"arn:([^:]+):sts::(\d+):assumed-role/([^/]+)/", arn)
        principal = "arn:%s:iam::%s:role/%s" % m.groups() if m else arn
        bound = role.get("bound_iam_principal_arn", [])
        bound = bound if isinstance(bound, list) else [bound]
        if not any(fnmatch.fnmatchcase(principal, b) for b in bound):
            raise Fail(403, ["IAM Principal %r does not belong to the role %r" % (principal, role_name)])
        return 200, self.envelope(None, issue(role.get("token_policies", []), ns,
                                              int(role.get("token_ttl", 3600)), {"client_arn": arn}))

    def login(self, kind, a, rest, body, ns):
        if kind == "approle":
            for role in a["roles"].values():
                if role["role_id"] == body.get("role_id"):
                    if body.get("secret_id") not in role["secret_ids"]:
                        raise Fail(400, ["invalid role or secret ID"])
                    return 200, self.envelope(None, issue(role.get("policies", []), ns, role.get("ttl", 3600)))
            raise Fail(400, ["invalid role or secret ID"])
        if kind in ("userpass", "ldap"):
            user = rest.split("/", 1)[1] if "/" in rest else ""
            u = a["users"].get(user)
            if u is None or u["password"] != body.get("password"):
                raise Fail(400, ["invalid username or password"] if kind == "userpass"
                           else ["ldap operation failed: failed to bind as user"])
            return 200, self.envelope(None, issue(u["policies"], ns, 3600, {"username": user}))
        if kind == "kubernetes":
            role = a["roles"].get(body.get("role"))
            if role is None:
                raise Fail(400, ['invalid role name "%s"' % body.get("role")])
            try:
                claims = json.loads(b64url_decode(body["jwt"].split(".")[1]))
                _, _, sa_ns, sa_name = claims["sub"].split(":")
            except Exception:
                raise Fail(403, ["permission denied"])
            names = role.get("bound_service_account_names", [])
            spaces = role.get("bound_service_account_namespaces", [])
            if not (("*" in names or sa_name in names) and ("*" in spaces or sa_ns in spaces)):
                raise Fail(403, ["service account name not authorized"])
            return 200, self.envelope(None, issue(role.get("token_policies", []), ns, 3600))
        if kind == "jwt":
            role = a["roles"].get(body.get("role") or a["config"].get("default_role"))
            if role is None:
                raise Fail(400, ['role "%s" could not be found' % body.get("role")])
            claims = verify_jwt(body.get("jwt", ""), a["config"].get("jwt_validation_pubkeys", []))
            aud = claims.get("aud")
            aud = aud if isinstance(aud, list) else [aud]
            bound = role.get("bound_audiences", [])
            if bound and not set(bound) & set(aud):
                raise Fail(400, ["error validating claims: invalid audience (aud) claim"])
            if claims.get("exp") and claims["exp"] < datetime.datetime.now().timestamp():
                raise Fail(400, ["error validating token: token is expired"])
            return 200, self.envelope(None, issue(role.get("token_policies", []), ns, int(role.get("token_ttl", 3600))))
        if kind == "cert":
            der = self.connection.getpeercert(binary_form=True) if hasattr(self.connection, "getpeercert") else None
            if not der:
                raise Fail(400, ["client certificate must be supplied"])
            from cryptography import x509

            cert = x509.load_der_x509_certificate(der)
            names = [body["name"]] if body.get("name") else sorted(a["roles"])
            for name in names:
                role = a["roles"].get(name)
                if role is None:
                    continue
                trusted = x509.load_pem_x509_certificate(role["certificate"].encode())
                if trusted == cert or trusted.subject == cert.issuer:
                    return 200, self.envelope(None, issue(role.get("token_policies", []), ns, 3600))
            raise Fail(400, ["invalid certificate or no client certificate supplied"])
        if kind == "aws":
            return self.aws_iam_login(a, body, ns)
        raise Fail(405)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_LIST(self):
        self.handle_any("LIST")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root-token", required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--client-ca")
    args = ap.parse_args()
    STATE["tokens"][args.root_token] = {"policies": ["root"], "ns": "", "ttl": 0, "expires": None}
    ns_state("")["mounts"]["secret/"] = {"version": 2, "data": {}}
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler)]
    if args.tls_cert:
        tls = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        if args.client_ca:
            ctx.load_verify_locations(args.client_ca)
            ctx.verify_mode = ssl.CERT_OPTIONAL
        tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
        servers.append(tls)
    for s in servers:
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print("READY " + " ".join(str(s.server_address[1]) for s in servers), flush=True)
    # Runs until stdin closes: the test process that started it holds the other end.
    sys.stdin.read()


if __name__ == "__main__":
    main()
