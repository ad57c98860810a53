//! PKCS#12 archives as SSLMate's `go-pkcs12` (the library ESO uses) reads and writes them.
//!
//! Reading mirrors `DecodeChain`: a v3 PFX whose MAC (SHA-1, SHA-256, SHA-512 with the PKCS#12
//! KDF, or PBMAC1) is checked first, retrying an empty password as the absent password OpenSSL
//! writes; one or two authenticated-safe items, plain or encrypted with the PKCS#12 PBEs
//! (3DES, 40- and 128-bit RC2) or PBES2 (PBKDF2 with HMAC-SHA-1/256/512, AES-CBC); the first
//! certificate bag is the certificate, later ones the CA certificates, and exactly one key bag.
//!
//! Writing mirrors `Modern2023` (`Modern` in ESO's version): PBES2 with PBKDF2-HMAC-SHA-256 and
//! AES-256-CBC for the certificate safe and the shrouded key, 2048 iterations, 16-byte salts, an
//! HMAC-SHA-256 MAC; `Encode`'s bag layout (local key id = SHA-1 of the certificate) and
//! `EncodeTrustStore`'s (Java's trusted-certificate attribute and the subject as friendly
//! name), with `asn1.Marshal`'s encoding choices, so that with the same random bytes the output
//! is Go's byte for byte.
//!
//! Differences from Go: malformed DER is reported with a short text of eso-render's instead of
//! Go's `asn1: structure error: …` details, and iteration counts above ten million are refused
//! rather than computed (a hostile archive could otherwise stall a render).
//!
//! Must not: put passwords, keys or decrypted bytes in an error, or panic on any input.

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit,
    KeyInit,
};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use zeroize::Zeroizing;

use super::der::{
    self, OCTET_STRING, SEQUENCE, SET, Secret, explicit, implicit, octet_string, seq, set_of,
    small_integer,
};
use super::key::{self, PrivateKey};

/// Random bytes for salts and IVs; tests pass a fixed source to compare with Go's output.
pub type Rng<'a> = &'a mut dyn FnMut(&mut [u8]) -> Result<(), String>;

const MAX_ITERATIONS: u64 = 10_000_000;

const OID_DATA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
];
const OID_ENCRYPTED_DATA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06,
];
const OID_KEY_BAG: &[u8] = &[
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01,
];
const OID_SHROUDED_KEY_BAG: &[u8] = &[
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02,
];
const OID_CERT_BAG: &[u8] = &[
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03,
];
const OID_X509_CERT: &[u8] = &[
    0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01,
];
const OID_FRIENDLY_NAME: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14,
];
const OID_LOCAL_KEY_ID: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15,
];
const OID_JAVA_TRUST_STORE: &[u8] = &[
    0x06, 0x0c, 0x60, 0x86, 0x48, 0x01, 0x86, 0xf9, 0x66, 0xad, 0xca, 0x7b, 0x01, 0x01,
];
const OID_ANY_EXTENDED_KEY_USAGE: &[u8] = &[0x06, 0x04, 0x55, 0x1d, 0x25, 0x00];
const OID_PBE_SHA_3DES: &[u8] = &[
    0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03,
];
const OID_PBE_SHA_RC2_128: &[u8] = &[
    0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x05,
];
const OID_PBE_SHA_RC2_40: &[u8] = &[
    0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x06,
];
const OID_PBES2: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d,
];
const OID_PBKDF2: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c,
];
const OID_PBMAC1: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0e,
];
const OID_HMAC_SHA1: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07];
const OID_HMAC_SHA256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
const OID_HMAC_SHA512: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b];
const OID_AES128_CBC: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02,
];
const OID_AES192_CBC: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16,
];
const OID_AES256_CBC: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a,
];
const OID_SHA1: &[u8] = &[0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a];
const OID_SHA256: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];
const OID_SHA512: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
];

const ERR_INCORRECT_PASSWORD: &str = "pkcs12: decryption password incorrect";
const ERR_DECRYPTION: &str = "pkcs12: decryption error, incorrect padding";

fn not_implemented(what: &str) -> String {
    format!("pkcs12: {what}")
}

fn malformed(what: &str) -> String {
    format!("pkcs12: malformed {what}")
}

// ---------------------------------------------------------------------------------------------
// Passwords

/// go-pkcs12's `bmpString`: UCS-2 big-endian; characters outside the BMP are an error.
fn bmp_string(s: &str) -> Result<Secret, String> {
    let mut out = Zeroizing::new(Vec::with_capacity(2 * s.len() + 2));
    for c in s.chars() {
        let c = u16::try_from(u32::from(c)).map_err(|_| {
            "pkcs12: string contains characters that cannot be encoded in UCS-2".to_owned()
        })?;
        out.extend_from_slice(&c.to_be_bytes());
    }
    Ok(out)
}

fn bmp_zero_terminated(s: &str) -> Result<Secret, String> {
    let mut out = bmp_string(s)?;
    out.extend_from_slice(&[0, 0]);
    Ok(out)
}

/// go-pkcs12's `decodeBMPString` then `[]byte(…)`: the UTF-8 password PBES2 and PBMAC1 use.
fn utf8_password(bmp: &[u8]) -> Result<Secret, String> {
    let s = Zeroizing::new(
        der::decode_bmp(bmp).ok_or_else(|| "pkcs12: odd-length BMP string".to_owned())?,
    );
    Ok(Zeroizing::new(s.as_bytes().to_vec()))
}

// ---------------------------------------------------------------------------------------------
// Key derivation

#[derive(Clone, Copy)]
enum Hash {
    Sha1,
    Sha256,
    Sha512,
}

impl Hash {
    fn digest(self, data: &[u8]) -> Secret {
        Zeroizing::new(match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        })
    }

    fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha256 => 32,
            Hash::Sha512 => 64,
        }
    }

    fn block_len(self) -> usize {
        match self {
            Hash::Sha1 | Hash::Sha256 => 64,
            Hash::Sha512 => 128,
        }
    }

    fn hmac(self, key: &[u8], message: &[u8]) -> Secret {
        fn run<M: Mac + hmac::KeyInit>(key: &[u8], message: &[u8]) -> Secret {
            // HMAC takes keys of any length; the error arm cannot happen.
            match <M as hmac::KeyInit>::new_from_slice(key) {
                Ok(mut m) => {
                    m.update(message);
                    Zeroizing::new(m.finalize().into_bytes().to_vec())
                }
                Err(_) => Zeroizing::new(Vec::new()),
            }
        }
        match self {
            Hash::Sha1 => run::<Hmac<Sha1>>(key, message),
            Hash::Sha256 => run::<Hmac<Sha256>>(key, message),
            Hash::Sha512 => run::<Hmac<Sha512>>(key, message),
        }
    }

    fn pbkdf2(self, password: &[u8], salt: &[u8], iterations: u32, len: usize) -> Secret {
        let mut out = Zeroizing::new(vec![0u8; len]);
        match self {
            Hash::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, iterations, &mut out),
            Hash::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out),
            Hash::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(password, salt, iterations, &mut out),
        }
        out
    }

    /// A PBKDF2 pseudo-random function identifier; absent means HMAC-SHA-1.
    fn from_prf(prf: Option<&[u8]>) -> Option<Hash> {
        match prf {
            None => Some(Hash::Sha1),
            Some(OID_HMAC_SHA1) => Some(Hash::Sha1),
            Some(OID_HMAC_SHA256) => Some(Hash::Sha256),
            Some(OID_HMAC_SHA512) => Some(Hash::Sha512),
            Some(_) => None,
        }
    }
}

/// The PKCS#12 key derivation (RFC 7292 appendix B.2); `id` 1 = key, 2 = IV, 3 = MAC key.
fn pkcs12_kdf(
    hash: Hash,
    salt: &[u8],
    password: &[u8],
    iterations: u64,
    id: u8,
    size: usize,
) -> Secret {
    let (u, v) = (hash.output_len(), hash.block_len());
    let fill = |src: &[u8]| -> Secret {
        let n = src.len().div_ceil(v) * v;
        Zeroizing::new(src.iter().copied().cycle().take(n).collect())
    };
    let mut i = fill(salt);
    i.extend_from_slice(&fill(password));
    let mut out = Zeroizing::new(Vec::with_capacity(size + u));
    let rounds = size.div_ceil(u);
    for round in 0..rounds {
        let mut input = Zeroizing::new(vec![id; v]);
        input.extend_from_slice(&i);
        let mut a = hash.digest(&input);
        for _ in 1..iterations {
            a = hash.digest(&a);
        }
        out.extend_from_slice(&a);
        if round + 1 < rounds {
            let b: Secret = Zeroizing::new(a.iter().copied().cycle().take(v).collect());
            for block in i.chunks_mut(v) {
                // block = (block + b + 1) mod 2^(8v)
                let mut carry = 1u16;
                for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                    let sum = u16::from(*x) + u16::from(*y) + carry;
                    *x = sum as u8;
                    carry = sum >> 8;
                }
            }
        }
    }
    out.truncate(size);
    out
}

fn iterations(n: u64) -> Result<u32, String> {
    if n > MAX_ITERATIONS {
        return Err(format!(
            "pkcs12: {n} iterations exceed eso-render's limit of {MAX_ITERATIONS}"
        ));
    }
    Ok(n as u32)
}

// ---------------------------------------------------------------------------------------------
// Ciphers

enum Cipher {
    TripleDes,
    Rc2 { key_len: usize },
    Aes { key_len: usize },
}

impl Cipher {
    fn block_len(&self) -> usize {
        match self {
            Cipher::Aes { .. } => 16,
            _ => 8,
        }
    }
}

fn cbc_decrypt<C: BlockCipherDecrypt>(cipher: C, iv: &[u8], buf: &mut [u8]) -> Result<(), String> {
    let mode = cbc::Decryptor::<C>::inner_iv_slice_init(cipher, iv)
        .map_err(|_| malformed("initialization vector"))?;
    mode.decrypt_padded::<NoPadding>(buf)
        .map(|_| ())
        .map_err(|_| "pkcs12: input is not a multiple of the block size".to_owned())
}

fn cbc_encrypt<C: BlockCipherEncrypt>(cipher: C, iv: &[u8], buf: &mut [u8]) -> Result<(), String> {
    let mode = cbc::Encryptor::<C>::inner_iv_slice_init(cipher, iv)
        .map_err(|_| malformed("initialization vector"))?;
    let len = buf.len();
    mode.encrypt_padded::<NoPadding>(buf, len)
        .map(|_| ())
        .map_err(|_| "pkcs12: input is not a multiple of the block size".to_owned())
}

/// The key and IV an encryption AlgorithmIdentifier derives from the password.
struct Derived {
    cipher: Cipher,
    key: Secret,
    iv: Secret,
}

/// go-pkcs12's `pbeCipherFor`.
fn derive(alg: der::Algorithm<'_>, bmp_password: &[u8]) -> Result<Derived, String> {
    let cipher = match alg.oid {
        OID_PBE_SHA_3DES => Cipher::TripleDes,
        OID_PBE_SHA_RC2_128 => Cipher::Rc2 { key_len: 16 },
        OID_PBE_SHA_RC2_40 => Cipher::Rc2 { key_len: 5 },
        OID_PBES2 => return derive_pbes2(alg.params, &utf8_password(bmp_password)?),
        other => {
            return Err(not_implemented(&format!(
                "pbe algorithm {} is not supported",
                der::oid_string(other)
            )));
        }
    };
    let params = alg.params.unwrap_or_default();
    let body = der::expect_only(params, SEQUENCE).ok_or_else(|| malformed("PBE parameters"))?;
    let (salt, rest) = der::expect(body, OCTET_STRING).ok_or_else(|| malformed("PBE salt"))?;
    let (n, _) = der::read_small_uint(rest).ok_or_else(|| malformed("PBE iterations"))?;
    iterations(n)?;
    let key_len = match cipher {
        Cipher::TripleDes => 24,
        Cipher::Rc2 { key_len } => key_len,
        Cipher::Aes { key_len } => key_len,
    };
    Ok(Derived {
        key: pkcs12_kdf(Hash::Sha1, salt, bmp_password, n, 1, key_len),
        iv: pkcs12_kdf(Hash::Sha1, salt, bmp_password, n, 2, 8),
        cipher,
    })
}

/// PBKDF2 parameters: salt, iterations, key length, PRF.
struct Pbkdf2Params<'a> {
    salt: &'a [u8],
    iterations: u64,
    key_len: Option<u64>,
    prf: Option<&'a [u8]>,
}

fn pbkdf2_params(params: Option<&[u8]>) -> Result<Pbkdf2Params<'_>, String> {
    let bad = || malformed("PBKDF2 parameters");
    let body = der::expect_only(params.unwrap_or_default(), SEQUENCE).ok_or_else(bad)?;
    let (tag, salt, rest) = der::read_tlv(body).ok_or_else(bad)?;
    if tag != OCTET_STRING {
        return Err(not_implemented(
            "only octet string salts are supported for pbes2/pbkdf2",
        ));
    }
    let (n, rest) = der::read_small_uint(rest).ok_or_else(bad)?;
    let (key_len, rest) = match rest.first() {
        Some(&der::INTEGER) => {
            let (k, rest) = der::read_small_uint(rest).ok_or_else(bad)?;
            (Some(k), rest)
        }
        _ => (None, rest),
    };
    let prf = match rest {
        [] => None,
        r => Some(der::read_algorithm(r).ok_or_else(bad)?.0.oid),
    };
    Ok(Pbkdf2Params {
        salt,
        iterations: n,
        key_len,
        prf,
    })
}

/// go-pkcs12's `pbes2CipherFor`.
fn derive_pbes2(params: Option<&[u8]>, password: &[u8]) -> Result<Derived, String> {
    let bad = || malformed("PBES2 parameters");
    let body = der::expect_only(params.unwrap_or_default(), SEQUENCE).ok_or_else(bad)?;
    let (kdf, rest) = der::read_algorithm(body).ok_or_else(bad)?;
    let (scheme, _) = der::read_algorithm(rest).ok_or_else(bad)?;
    if kdf.oid != OID_PBKDF2 {
        return Err(not_implemented(&format!(
            "pbes2 kdf algorithm {} is not supported",
            der::oid_string(kdf.oid)
        )));
    }
    let p = pbkdf2_params(kdf.params)?;
    let hash = Hash::from_prf(p.prf).ok_or_else(|| {
        not_implemented(&format!(
            "pbes2 prf {} is not supported",
            der::oid_string(p.prf.unwrap_or_default())
        ))
    })?;
    let key_len = match scheme.oid {
        OID_AES256_CBC => 32,
        OID_AES192_CBC => 24,
        OID_AES128_CBC => 16,
        other => {
            return Err(not_implemented(&format!(
                "pbes2 algorithm {} is not supported",
                der::oid_string(other)
            )));
        }
    };
    // Go takes the parameter's contents as the IV whatever its tag.
    let iv = scheme
        .params
        .and_then(|p| der::read_tlv(p))
        .map(|(_, body, _)| body)
        .unwrap_or_default();
    if iv.len() != 16 {
        return Err(format!(
            "pkcs12: invalid IV length in PBES2 encryption scheme (IV length {} does not match block size 16)",
            iv.len()
        ));
    }
    Ok(Derived {
        key: hash.pbkdf2(password, p.salt, iterations(p.iterations)?, key_len),
        iv: Zeroizing::new(iv.to_vec()),
        cipher: Cipher::Aes { key_len },
    })
}

fn run_cipher(d: &Derived, buf: &mut [u8], encrypt: bool) -> Result<(), String> {
    let bad_key = || malformed("derived key");
    macro_rules! go {
        ($c:expr) => {
            if encrypt {
                cbc_encrypt($c, &d.iv, buf)
            } else {
                cbc_decrypt($c, &d.iv, buf)
            }
        };
    }
    match d.cipher {
        Cipher::TripleDes => go!(des::TdesEde3::new_from_slice(&d.key).map_err(|_| bad_key())?),
        Cipher::Rc2 { key_len } => go!(rc2::Rc2::new_with_eff_key_len(&d.key, key_len * 8)),
        Cipher::Aes { key_len: 16 } => {
            go!(aes::Aes128::new_from_slice(&d.key).map_err(|_| bad_key())?)
        }
        Cipher::Aes { key_len: 24 } => {
            go!(aes::Aes192::new_from_slice(&d.key).map_err(|_| bad_key())?)
        }
        Cipher::Aes { .. } => go!(aes::Aes256::new_from_slice(&d.key).map_err(|_| bad_key())?),
    }
}

/// go-pkcs12's `pbDecrypt`.
fn pb_decrypt(
    alg: der::Algorithm<'_>,
    encrypted: &[u8],
    password: &[u8],
) -> Result<Secret, String> {
    let d = derive(alg, password)?;
    let block = d.cipher.block_len();
    if encrypted.is_empty() {
        return Err("pkcs12: empty encrypted data".into());
    }
    if !encrypted.len().is_multiple_of(block) {
        return Err("pkcs12: input is not a multiple of the block size".into());
    }
    let mut buf = Zeroizing::new(encrypted.to_vec());
    run_cipher(&d, &mut buf, false)?;
    let pad = usize::from(buf[buf.len() - 1]);
    if pad == 0
        || pad > block
        || buf[buf.len() - pad..]
            .iter()
            .any(|b| usize::from(*b) != pad)
    {
        return Err(ERR_DECRYPTION.into());
    }
    let len = buf.len() - pad;
    buf.truncate(len);
    Ok(buf)
}

// ---------------------------------------------------------------------------------------------
// MAC

/// go-pkcs12's `doMac`: the MAC of `message` under `mac_data`'s algorithm and parameters.
fn do_mac(mac: &MacData<'_>, message: &[u8], password: &[u8]) -> Result<Secret, String> {
    if mac.algorithm.oid == OID_PBMAC1 {
        return do_pbmac1(mac.algorithm.params, message, &utf8_password(password)?);
    }
    let hash = match mac.algorithm.oid {
        OID_SHA1 => Hash::Sha1,
        OID_SHA256 => Hash::Sha256,
        OID_SHA512 => Hash::Sha512,
        other => {
            return Err(not_implemented(&format!(
                "MAC digest algorithm not supported: {}",
                der::oid_string(other)
            )));
        }
    };
    iterations(mac.iterations)?;
    let key = pkcs12_kdf(
        hash,
        mac.salt,
        password,
        mac.iterations,
        3,
        hash.output_len(),
    );
    Ok(hash.hmac(&key, message))
}

fn do_pbmac1(params: Option<&[u8]>, message: &[u8], password: &[u8]) -> Result<Secret, String> {
    let bad = || "pkcs12: error decoding PBMAC1 parameters".to_owned();
    let body = der::expect_only(params.unwrap_or_default(), SEQUENCE).ok_or_else(bad)?;
    let (kdf, rest) = der::read_algorithm(body).ok_or_else(bad)?;
    let (mac_alg, _) = der::read_algorithm(rest).ok_or_else(bad)?;
    if kdf.oid != OID_PBKDF2 {
        return Err(not_implemented(&format!(
            "PBMAC1 KDF algorithm {} is not supported",
            der::oid_string(kdf.oid)
        )));
    }
    let p = pbkdf2_params(kdf.params)?;
    let prf = Hash::from_prf(p.prf).ok_or_else(|| {
        not_implemented(&format!(
            "PBMAC1 PRF {} is not supported",
            der::oid_string(p.prf.unwrap_or_default())
        ))
    })?;
    let hash = match mac_alg.oid {
        OID_HMAC_SHA1 => Hash::Sha1,
        OID_HMAC_SHA256 => Hash::Sha256,
        OID_HMAC_SHA512 => Hash::Sha512,
        other => {
            return Err(not_implemented(&format!(
                "PBMAC1 MAC algorithm {} is not supported",
                der::oid_string(other)
            )));
        }
    };
    let key_len = match p.key_len {
        None | Some(0) => {
            return Err(
                "pkcs12: PBMAC1 requires explicit KeyLength parameter in PBKDF2 parameters".into(),
            );
        }
        Some(k) if k < 20 => {
            return Err(format!(
                "pkcs12: PBMAC1 key length {k} is too short to be secure (minimum 20 octets)"
            ));
        }
        Some(k) if k > 64 => {
            return Err(format!(
                "pkcs12: PBMAC1 key length {k} is too large (maximum 64 octets)"
            ));
        }
        Some(k) => k as usize,
    };
    let key = prf.pbkdf2(password, p.salt, iterations(p.iterations)?, key_len);
    Ok(hash.hmac(&key, message))
}

struct MacData<'a> {
    algorithm: der::Algorithm<'a>,
    digest: &'a [u8],
    salt: &'a [u8],
    iterations: u64,
}

fn parse_mac_data(s: &[u8]) -> Option<MacData<'_>> {
    let body = der::expect_only(s, SEQUENCE)?;
    let (digest_info, rest) = der::expect(body, SEQUENCE)?;
    let (algorithm, tail) = der::read_algorithm(digest_info)?;
    let (digest, _) = der::expect(tail, OCTET_STRING)?;
    let (salt, rest) = der::expect(rest, OCTET_STRING)?;
    let iterations = match rest {
        [] => 1,
        r => der::read_small_uint(r)?.0,
    };
    Some(MacData {
        algorithm,
        digest,
        salt,
        iterations,
    })
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// A safe bag: its type OID and its value (the element inside `[0] EXPLICIT`).
struct Bag {
    id: Vec<u8>,
    value: Secret,
}

fn parse_bags(data: &[u8]) -> Result<Vec<Bag>, String> {
    let bad = || malformed("safe contents");
    let mut rest = der::expect_only(data, SEQUENCE).ok_or_else(bad)?;
    let mut bags = Vec::new();
    while !rest.is_empty() {
        let (bag, next) = der::expect(rest, SEQUENCE).ok_or_else(bad)?;
        rest = next;
        let (id, tail) = der::raw_element(bag).ok_or_else(bad)?;
        let (value, _) = der::expect(tail, explicit(0)).ok_or_else(bad)?;
        let (value, _) = der::raw_element(value).ok_or_else(bad)?;
        bags.push(Bag {
            id: id.to_vec(),
            value: Zeroizing::new(value.to_vec()),
        });
    }
    Ok(bags)
}

/// go-pkcs12's `getSafeContents`: the bags, and the password that verified the MAC.
fn safe_contents(
    data: &[u8],
    mut password: Secret,
    min: usize,
    max: usize,
) -> Result<(Vec<Bag>, Secret), String> {
    let bad = || "pkcs12: error reading P12 data: malformed PFX".to_owned();
    let (pfx, trailing) = der::expect(data, SEQUENCE).ok_or_else(bad)?;
    if !trailing.is_empty() {
        return Err("pkcs12: trailing data found".into());
    }
    let (version, rest) = der::read_small_uint(pfx).ok_or_else(bad)?;
    let (auth_safe, rest) = der::expect(rest, SEQUENCE).ok_or_else(bad)?;
    let mac = match rest {
        [] => None,
        r => Some(parse_mac_data(r).ok_or_else(bad)?),
    };
    if version != 3 {
        return Err(not_implemented("can only decode v3 PFX PDU's"));
    }
    let (content_type, content) = der::raw_element(auth_safe).ok_or_else(bad)?;
    if content_type != OID_DATA {
        return Err(not_implemented(
            "only password-protected PFX is implemented",
        ));
    }
    let (content, _) = der::expect(content, explicit(0)).ok_or_else(bad)?;
    let auth_bytes = der::expect_only(content, OCTET_STRING).ok_or_else(bad)?;

    match mac {
        None if password[..] != [0, 0] => return Err("pkcs12: no MAC in data".into()),
        None => {}
        Some(mac) => {
            let verify = |pw: &[u8]| -> Result<(), String> {
                let expected = do_mac(&mac, auth_bytes, pw)?;
                if constant_time_eq(mac.digest, &expected) {
                    Ok(())
                } else {
                    Err(ERR_INCORRECT_PASSWORD.into())
                }
            };
            match verify(&password) {
                Ok(()) => {}
                Err(e) if e == ERR_INCORRECT_PASSWORD && password[..] == [0, 0] => {
                    // OpenSSL writes an empty password as no password at all.
                    password = Zeroizing::new(Vec::new());
                    verify(&password)?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    let bad_safe = || malformed("authenticated safe");
    let mut items = der::expect_only(auth_bytes, SEQUENCE).ok_or_else(bad_safe)?;
    let mut infos = Vec::new();
    while !items.is_empty() {
        let (ci, next) = der::expect(items, SEQUENCE).ok_or_else(bad_safe)?;
        items = next;
        infos.push(ci);
    }
    if infos.len() < min || infos.len() > max {
        return Err(not_implemented(&if min == max {
            format!(
                "expected exactly {min} items in the authenticated safe, but this file has {}",
                infos.len()
            )
        } else {
            format!(
                "expected between {min} and {max} items in the authenticated safe, but this file has {}",
                infos.len()
            )
        }));
    }
    let mut bags = Vec::new();
    for ci in infos {
        let (ty, content) = der::raw_element(ci).ok_or_else(bad_safe)?;
        let inner = match content {
            [] => &[][..],
            c => der::expect(c, explicit(0)).ok_or_else(bad_safe)?.0,
        };
        let data = match ty {
            OID_DATA => Zeroizing::new(
                der::expect_only(inner, OCTET_STRING)
                    .ok_or_else(bad_safe)?
                    .to_vec(),
            ),
            OID_ENCRYPTED_DATA => {
                let bad = || malformed("encrypted data");
                let body = der::expect_only(inner, SEQUENCE).ok_or_else(bad)?;
                let (v, rest) = der::read_small_uint(body).ok_or_else(bad)?;
                let (eci, _) = der::expect(rest, SEQUENCE).ok_or_else(bad)?;
                if v != 0 {
                    return Err(not_implemented(
                        "only version 0 of EncryptedData is supported",
                    ));
                }
                let (_, rest) = der::raw_element(eci).ok_or_else(bad)?;
                let (alg, rest) = der::read_algorithm(rest).ok_or_else(bad)?;
                let encrypted = match rest {
                    [] => &[][..],
                    r => der::expect(r, implicit(0)).ok_or_else(bad)?.0,
                };
                pb_decrypt(alg, encrypted, &password)?
            }
            _ => {
                return Err(not_implemented(
                    "only data and encryptedData content types are supported in authenticated safe",
                ));
            }
        };
        bags.extend(parse_bags(&data)?);
    }
    Ok((bags, password))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// go-pkcs12's `decodeCertBag`: the certificate bytes.
fn decode_cert_bag(value: &[u8]) -> Result<&[u8], String> {
    let bad = || "pkcs12: error decoding cert bag: malformed DER".to_owned();
    let body = der::expect_only(value, SEQUENCE).ok_or_else(bad)?;
    let (id, rest) = der::raw_element(body).ok_or_else(bad)?;
    let (inner, _) = der::expect(rest, explicit(0)).ok_or_else(bad)?;
    let data = der::expect_only(inner, OCTET_STRING).ok_or_else(bad)?;
    if id != OID_X509_CERT {
        return Err(not_implemented(
            "only X509 certificates are supported in cert bags",
        ));
    }
    Ok(data)
}

/// go-pkcs12's `decodePkcs8ShroudedKeyBag`.
fn decode_shrouded_key(value: &[u8], password: &[u8]) -> Result<PrivateKey, String> {
    let bad = || "pkcs12: error decoding PKCS#8 shrouded key bag: malformed DER".to_owned();
    let body = der::expect_only(value, SEQUENCE).ok_or_else(bad)?;
    let (alg, rest) = der::read_algorithm(body).ok_or_else(bad)?;
    let (encrypted, _) = der::expect(rest, OCTET_STRING).ok_or_else(bad)?;
    let plain = pb_decrypt(alg, encrypted, password)
        .map_err(|e| format!("pkcs12: error decrypting PKCS#8 shrouded key bag: {e}"))?;
    if der::raw_element(&plain).is_none_or(|(_, rest)| !rest.is_empty()) {
        return Err("pkcs12: error unmarshaling decrypted private key: malformed DER".to_owned());
    }
    key::parse_pkcs8(&plain).map_err(|e| format!("pkcs12: error parsing PKCS#8 private key: {e}"))
}

/// What `DecodeChain` returns: the key, the first certificate, and the others.
pub struct Chain {
    pub key: PrivateKey,
    pub cert: Vec<u8>,
    pub ca_certs: Vec<Vec<u8>>,
}

/// go-pkcs12's `DecodeChain`. `parse_cert` is Go's `x509.ParseCertificate`: it checks one DER
/// certificate (its errors are returned as they are).
pub fn decode_chain(
    data: &[u8],
    password: &str,
    parse_cert: &dyn Fn(&[u8]) -> Result<(), String>,
) -> Result<Chain, String> {
    let (bags, password) = safe_contents(data, bmp_zero_terminated(password)?, 1, 2)?;
    let mut key = None;
    let mut cert = None;
    let mut ca_certs = Vec::new();
    for bag in bags {
        match bag.id.as_slice() {
            OID_CERT_BAG => {
                let data = decode_cert_bag(&bag.value)?;
                // Go's ParseCertificates: concatenated certificates, each parsed.
                let mut certs = Vec::new();
                let mut rest = data;
                while !rest.is_empty() {
                    let (one, next) = der::raw_element(rest)
                        .ok_or_else(|| "x509: malformed certificate".to_owned())?;
                    parse_cert(one)?;
                    certs.push(one);
                    rest = next;
                }
                let [one] = certs[..] else {
                    return Err("pkcs12: expected exactly one certificate in the certBag".into());
                };
                match cert {
                    None => cert = Some(one.to_vec()),
                    Some(_) => ca_certs.push(one.to_vec()),
                }
            }
            OID_KEY_BAG | OID_SHROUDED_KEY_BAG => {
                if key.is_some() {
                    return Err("pkcs12: expected exactly one key bag".into());
                }
                key = Some(if bag.id == OID_KEY_BAG {
                    key::parse_pkcs8(&bag.value)?
                } else {
                    decode_shrouded_key(&bag.value, &password)?
                });
            }
            _ => {}
        }
    }
    let cert = cert.ok_or_else(|| "pkcs12: certificate missing".to_owned())?;
    let key = key.ok_or_else(|| "pkcs12: private key missing".to_owned())?;
    Ok(Chain {
        key,
        cert,
        ca_certs,
    })
}

// ---------------------------------------------------------------------------------------------
// Encoding (go-pkcs12's Modern2023 encoder)

const ITERATIONS: u64 = 2048;
const SALT_LEN: usize = 16;

fn random(rng: Rng<'_>, n: usize) -> Result<Secret, String> {
    let mut buf = Zeroizing::new(vec![0u8; n]);
    rng(&mut buf)?;
    Ok(buf)
}

/// PBES2 parameters (PBKDF2-HMAC-SHA-256, AES-256-CBC) as `makePBES2Parameters` marshals
/// them; reads the IV from `rng`.
fn pbes2_algorithm(rng: Rng<'_>, salt: &[u8]) -> Result<Secret, String> {
    let iv = random(rng, 16)?;
    let kdf_params = seq(&[
        &octet_string(salt),
        &small_integer(ITERATIONS),
        &seq(&[OID_HMAC_SHA256]),
    ]);
    let params = seq(&[
        &seq(&[OID_PBKDF2, &kdf_params]),
        &seq(&[OID_AES256_CBC, &octet_string(&iv)]),
    ]);
    Ok(seq(&[OID_PBES2, &params]))
}

/// `pbEncrypt` under a PBES2 AlgorithmIdentifier this module wrote.
fn pb_encrypt(algorithm: &[u8], plain: &[u8], password: &[u8]) -> Result<Secret, String> {
    let (alg, _) = der::read_algorithm(algorithm).ok_or_else(|| malformed("algorithm"))?;
    let d = derive(alg, password)?;
    let block = d.cipher.block_len();
    let pad = block - plain.len() % block;
    let mut buf = Zeroizing::new(Vec::with_capacity(plain.len() + pad));
    buf.extend_from_slice(plain);
    buf.resize(plain.len() + pad, pad as u8);
    run_cipher(&d, &mut buf, true)?;
    Ok(buf)
}

fn attribute(oid: &[u8], values: &[u8]) -> Secret {
    seq(&[oid, &der::tlv(SET, values)])
}

/// A safe bag; `attributes` of `None` omits the SET (Go's nil slice), `Some(&[])` writes an
/// empty one (Go's empty non-nil slice).
fn safe_bag(id: &[u8], value: &[u8], attributes: Option<&[&[u8]]>) -> Secret {
    let value = der::tlv(explicit(0), value);
    match attributes {
        None => seq(&[id, &value]),
        Some(attrs) => seq(&[id, &value, &set_of(attrs)]),
    }
}

fn cert_bag(cert: &[u8], attributes: Option<&[&[u8]]>) -> Secret {
    let inner = seq(&[OID_X509_CERT, &der::tlv(explicit(0), &octet_string(cert))]);
    safe_bag(OID_CERT_BAG, &inner, attributes)
}

fn content_info(content_type: &[u8], content: &[u8]) -> Secret {
    seq(&[content_type, &der::tlv(explicit(0), content)])
}

/// `makeSafeContents` with PBES2 encryption.
fn encrypted_safe(rng: Rng<'_>, bags: &[&[u8]], password: &[u8]) -> Result<Secret, String> {
    let data = der::constructed(SEQUENCE, bags);
    let salt = random(rng, SALT_LEN)?;
    let algorithm = pbes2_algorithm(rng, &salt)?;
    let encrypted = pb_encrypt(&algorithm, &data, password)?;
    let eci = seq(&[OID_DATA, &algorithm, &der::tlv(implicit(0), &encrypted)]);
    let encrypted_data = seq(&[&small_integer(0), &eci]);
    Ok(content_info(OID_ENCRYPTED_DATA, &encrypted_data))
}

/// `makeSafeContents` without encryption.
fn plain_safe(bags: &[&[u8]]) -> Secret {
    let data = der::constructed(SEQUENCE, bags);
    content_info(OID_DATA, &octet_string(&data))
}

/// The PFX around an authenticated safe, with an HMAC-SHA-256 MAC.
fn pfx(rng: Rng<'_>, safes: &[&[u8]], password: &[u8]) -> Result<Vec<u8>, String> {
    let auth_safe = der::constructed(SEQUENCE, safes);
    let salt = random(rng, SALT_LEN)?;
    let mac_key = pkcs12_kdf(Hash::Sha256, &salt, password, ITERATIONS, 3, 32);
    let digest = Hash::Sha256.hmac(&mac_key, &auth_safe);
    let mac_data = seq(&[
        &seq(&[&seq(&[OID_SHA256]), &octet_string(&digest)]),
        &octet_string(&salt),
        &small_integer(ITERATIONS),
    ]);
    let pdu = seq(&[
        &small_integer(3),
        &content_info(OID_DATA, &octet_string(&auth_safe)),
        &mac_data,
    ]);
    Ok(pdu.to_vec())
}

/// go-pkcs12's `Modern.Encode`: key, certificate and CA certificates under `password`.
pub fn encode(
    rng: Rng<'_>,
    key: &PrivateKey,
    cert: &[u8],
    ca_certs: &[&[u8]],
    password: &str,
) -> Result<Vec<u8>, String> {
    let password = bmp_zero_terminated(password)?;
    let fingerprint = Sha1::digest(cert);
    let local_key_id = attribute(OID_LOCAL_KEY_ID, &octet_string(&fingerprint));

    let mut cert_bags = vec![cert_bag(cert, Some(&[&local_key_id]))];
    for ca in ca_certs {
        cert_bags.push(cert_bag(ca, Some(&[])));
    }

    // The key is encrypted before the certificates, as Go does (the order of random reads).
    let salt = random(rng, SALT_LEN)?;
    let algorithm = pbes2_algorithm(rng, &salt)?;
    let encrypted_key = pb_encrypt(&algorithm, &key.to_pkcs8(), &password)?;
    let shrouded = seq(&[&algorithm, &octet_string(&encrypted_key)]);
    let key_bag = safe_bag(OID_SHROUDED_KEY_BAG, &shrouded, Some(&[&local_key_id]));

    let bags: Vec<&[u8]> = cert_bags.iter().map(|b| &b[..]).collect();
    let certs_safe = encrypted_safe(rng, &bags, &password)?;
    let key_safe = plain_safe(&[&key_bag]);
    pfx(rng, &[&certs_safe, &key_safe], &password)
}

/// go-pkcs12's `Modern.EncodeTrustStoreEntries`: certificates marked as trusted, each with a
/// friendly name.
pub fn encode_trust_store(
    rng: Rng<'_>,
    entries: &[(&[u8], String)],
    password: &str,
) -> Result<Vec<u8>, String> {
    let password = bmp_zero_terminated(password)?;
    let trusted = attribute(OID_JAVA_TRUST_STORE, OID_ANY_EXTENDED_KEY_USAGE);
    let mut cert_bags = Vec::with_capacity(entries.len());
    for (cert, name) in entries {
        let name = der::tlv(der::BMP_STRING, &bmp_string(name)?);
        let friendly = attribute(OID_FRIENDLY_NAME, &name);
        cert_bags.push(cert_bag(cert, Some(&[&trusted, &friendly])));
    }
    let bags: Vec<&[u8]> = cert_bags.iter().map(|b| &b[..]).collect();
    let certs_safe = encrypted_safe(rng, &bags, &password)?;
    pfx(rng, &[&certs_safe], &password)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7292's KDF against the known answer used by Go's and BouncyCastle's PKCS#12 tests:
    /// password "smeg", salt 0A58CF64530D823F, one iteration.
    #[test]
    fn pkcs12_kdf_known_answer() {
        let password = bmp_zero_terminated("smeg").unwrap();
        let salt = hex::decode("0A58CF64530D823F").unwrap();
        let key = pkcs12_kdf(Hash::Sha1, &salt, &password, 1, 1, 24);
        assert_eq!(
            hex::encode_upper(&key[..]),
            "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"
        );
        let iv = pkcs12_kdf(Hash::Sha1, &salt, &password, 1, 2, 8);
        assert_eq!(hex::encode_upper(&iv[..]), "79993DFE048D3B76");
    }

    #[test]
    fn oid_constants_are_well_formed() {
        let oids = [
            OID_DATA,
            OID_ENCRYPTED_DATA,
            OID_KEY_BAG,
            OID_SHROUDED_KEY_BAG,
            OID_CERT_BAG,
            OID_X509_CERT,
            OID_FRIENDLY_NAME,
            OID_LOCAL_KEY_ID,
            OID_JAVA_TRUST_STORE,
            OID_ANY_EXTENDED_KEY_USAGE,
            OID_PBE_SHA_3DES,
            OID_PBE_SHA_RC2_128,
            OID_PBE_SHA_RC2_40,
            OID_PBES2,
            OID_PBKDF2,
            OID_PBMAC1,
            OID_HMAC_SHA1,
            OID_HMAC_SHA256,
            OID_HMAC_SHA512,
            OID_AES128_CBC,
            OID_AES192_CBC,
            OID_AES256_CBC,
            OID_SHA1,
            OID_SHA256,
            OID_SHA512,
        ];
        for oid in oids {
            assert!(der::expect_only(oid, der::OID).is_some(), "{oid:02x?}");
        }
        assert_eq!(
            der::oid_string(OID_JAVA_TRUST_STORE),
            "2.16.840.1.113894.746875.1.1"
        );
        assert_eq!(der::oid_string(OID_PBMAC1), "1.2.840.113549.1.5.14");
    }

    #[test]
    fn passwords_outside_the_bmp_are_refused() {
        assert_eq!(
            bmp_string("\u{1F600}").unwrap_err(),
            "pkcs12: string contains characters that cannot be encoded in UCS-2"
        );
        assert_eq!(&bmp_zero_terminated("a").unwrap()[..], &[0, b'a', 0, 0]);
        assert_eq!(
            &utf8_password(&[0, 0xe9, 0, 0]).unwrap()[..],
            "é".as_bytes()
        );
    }
}
