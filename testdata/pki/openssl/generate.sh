#!/usr/bin/env bash
# Regenerates the OpenSSL-made PKI test vectors in this directory (run by hand, not by the tests:
# the tests read the committed files, so they need no OpenSSL).
#
# A chain root (EC P-256) -> intermediate (RSA 2048) -> leaf, with one leaf per key type
# (RSA 2048, EC P-384, Ed25519), each bundled into PKCS#12 archives the ways OpenSSL 3 writes
# them. For every archive the tests expect:
#   <key>.pkcs8.pem  the key as `openssl pkey` prints it (PKCS#8, which is also what Go's
#                    x509.MarshalPKCS8PrivateKey produces for these key types), and
#   <key>.chain.pem  leaf, intermediate, root: the order ESO's pkcs12cert returns.
# JWKs of the keys (RFC 7517/8037 fields, from `openssl pkey -text`) test jwkPrivateKeyPem and
# jwkPublicKeyPem against OpenSSL's PEM; RSA-OAEP ciphertexts test rsaDecrypt.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.pem ./*.p12 ./*.jwk ./*.srl

days=36500
subj() { printf '/CN=%s/O=eso-render tests' "$1"; }

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key.tmp
openssl req -x509 -new -key root.key.tmp -subj "$(subj root)" -days "$days" -out root.crt.pem \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out intermediate.key.tmp
openssl req -new -key intermediate.key.tmp -subj "$(subj intermediate)" -out intermediate.csr.tmp
printf 'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >ca.ext.tmp
openssl x509 -req -in intermediate.csr.tmp -CA root.crt.pem -CAkey root.key.tmp -CAcreateserial \
  -days "$days" -extfile ca.ext.tmp -out intermediate.crt.pem

printf 'subjectAltName=DNS:%s.example.com\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' leaf >leaf.ext.tmp
for kind in rsa ec ed25519; do
  case $kind in
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $kind.key.tmp ;;
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out $kind.key.tmp ;;
    ed25519) openssl genpkey -algorithm ED25519 -out $kind.key.tmp ;;
  esac
  openssl pkey -in $kind.key.tmp -out $kind.pkcs8.pem
  openssl req -new -key $kind.key.tmp -subj "$(subj "leaf-$kind")" -out $kind.csr.tmp
  openssl x509 -req -in $kind.csr.tmp -CA intermediate.crt.pem -CAkey intermediate.key.tmp \
    -CAcreateserial -days "$days" -extfile leaf.ext.tmp -out $kind.crt.tmp
  cat $kind.crt.tmp intermediate.crt.pem root.crt.pem >$kind.chain.pem
  # Archive order deliberately root first: pkcs12cert must reorder.
  cat root.crt.pem intermediate.crt.pem >$kind.cas.tmp

  # OpenSSL 3 defaults: PBES2 AES-256-CBC, HMAC-SHA-256 MAC.
  openssl pkcs12 -export -inkey $kind.key.tmp -in $kind.crt.tmp -certfile $kind.cas.tmp \
    -passout pass:s3cret -out $kind.aes.p12
  openssl pkcs12 -export -inkey $kind.key.tmp -in $kind.crt.tmp -certfile $kind.cas.tmp \
    -passout pass: -out $kind.aes-nopass.p12
  # The pre-3.0 style: 3DES for key and certificates, SHA-1 MAC.
  openssl pkcs12 -export -inkey $kind.key.tmp -in $kind.crt.tmp -certfile $kind.cas.tmp \
    -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -passout pass:s3cret \
    -out $kind.3des.p12
  # Unencrypted certificates, SHA-512 MAC, a non-ASCII password.
  openssl pkcs12 -export -inkey $kind.key.tmp -in $kind.crt.tmp -certfile $kind.cas.tmp \
    -certpbe NONE -macalg sha512 -passout 'pass:pässwörd' -out $kind.sha512.p12
  # No MAC at all: Go reads it only with an empty password.
  openssl pkcs12 -export -inkey $kind.key.tmp -in $kind.crt.tmp -certfile $kind.cas.tmp \
    -nomac -keypbe NONE -certpbe NONE -passout pass: -out $kind.nomac.p12
done

python3 - <<'PY'
import base64, re, subprocess

def fields(path):
    text = subprocess.run(["openssl", "pkey", "-in", path, "-text", "-noout"],
                          check=True, capture_output=True, text=True).stdout
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^(\w[\w ]*?):\s*(.*)$", line)
        if m and not line.startswith(" "):
            name, rest = m.group(1), m.group(2)
            out[name] = rest
        elif name:
            out[name] += line.strip()
    return out

def b64(hexstr, size=None):
    raw = bytes.fromhex(re.sub(r"[^0-9a-fA-F]", "", hexstr))
    if size is None:
        raw = raw.lstrip(b"\0") or b"\0"
    else:
        raw = raw.lstrip(b"\0").rjust(size, b"\0")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

def num(text):
    return int(re.search(r"(\d+)", text).group(1))

def jwk(kind):
    f = fields(f"{kind}.key.tmp")
    if kind == "rsa":
        e = num(f["publicExponent"]).to_bytes(3, "big").hex()
        keys = [("n", "modulus"), ("d", "privateExponent"), ("p", "prime1"), ("q", "prime2"),
                ("dp", "exponent1"), ("dq", "exponent2"), ("qi", "coefficient")]
        d = {"kty": "RSA", "e": b64(e)}
        d.update({k: b64(f[v]) for k, v in keys})
        pub = {"kty": "RSA", "n": d["n"], "e": d["e"]}
    elif kind == "ec":
        point = bytes.fromhex(re.sub(r"[^0-9a-fA-F]", "", f["pub"]))
        x, y = point[1:49], point[49:]
        pub = {"kty": "EC", "crv": "P-384",
               "x": base64.urlsafe_b64encode(x).rstrip(b"=").decode(),
               "y": base64.urlsafe_b64encode(y).rstrip(b"=").decode()}
        d = dict(pub, d=b64(f["priv"], 48))
    else:
        pub = {"kty": "OKP", "crv": "Ed25519", "x": b64(f["pub"], 32)}
        d = dict(pub, d=b64(f["priv"], 32))
    import json
    open(f"{kind}.private.jwk", "w").write(json.dumps(d, sort_keys=True) + "\n")
    open(f"{kind}.public.jwk", "w").write(json.dumps(pub, sort_keys=True) + "\n")

for kind in ("rsa", "ec", "ed25519"):
    jwk(kind)
PY

for kind in rsa ec ed25519; do
  openssl pkey -in $kind.key.tmp -pubout -out $kind.public.pem
done

# RSA-OAEP ciphertexts for rsaDecrypt, one per hash (OAEP and MGF1 hash alike, as Go does).
for md in sha1 sha256 sha512; do
  printf 'the plaintext\n' | openssl pkeyutl -encrypt -pubin -inkey rsa.public.pem \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:$md -pkeyopt rsa_mgf1_md:$md |
    base64 -w0 >rsa.oaep-$md.bin.b64
done
rm -f ./*.tmp ./*.srl
