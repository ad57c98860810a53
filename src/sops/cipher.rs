//! The value cipher of sops: AES-256-GCM with a 32-byte nonce, the tree path as additional data,
//! and the text form `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` (getsops/sops `aes/cipher.go`).

use aes_gcm::aead::array::Array;
use aes_gcm::aead::consts::U32;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::sops::tree::Scalar;
use crate::sops::{DataKey, Error};

/// sops always writes 32-byte IVs; Go's GCM accepts any non-zero length when reading, but no
/// sops version wrote another size, so anything else marks a damaged file.
const NONCE_LEN: usize = 32;
const TAG_LEN: usize = 16;

type Aes256Gcm32 = aes_gcm::AesGcm<aes::Aes256, U32>;

/// The parts of an `ENC[…]` string.
struct Sealed {
    data: Vec<u8>,
    iv: Vec<u8>,
    tag: Vec<u8>,
    kind: String,
}

/// Splits `ENC[AES256_GCM,data:D,iv:I,tag:T,type:K]`. sops matches this with a greedy regular
/// expression; base64 text holds no `,` so splitting on the labels gives the same parts.
fn parse(text: &str) -> Option<Sealed> {
    let body = text.strip_prefix("ENC[AES256_GCM,data:")?;
    let (data, rest) = body.split_once(",iv:")?;
    let (iv, rest) = rest.split_once(",tag:")?;
    let (tag, rest) = rest.split_once(",type:")?;
    let kind = rest.rfind(']').map(|end| &rest[..end])?;
    if data.is_empty() || iv.is_empty() || tag.is_empty() || kind.is_empty() {
        return None;
    }
    Some(Sealed {
        data: STANDARD.decode(data).ok()?,
        iv: STANDARD.decode(iv).ok()?,
        tag: STANDARD.decode(tag).ok()?,
        kind: kind.to_owned(),
    })
}

/// Whether `text` has the form of an encrypted value (used to tell sops files apart).
pub fn looks_encrypted(text: &str) -> bool {
    text.starts_with("ENC[AES256_GCM,data:")
}

/// Decrypts one value. An empty string stands for an empty value, as sops writes it.
pub fn decrypt(text: &str, key: &DataKey, aad: &str) -> Result<Scalar, Error> {
    if text.is_empty() {
        return Ok(Scalar::Str(String::new()));
    }
    let sealed = parse(text).ok_or(Error::ValueFormat)?;
    if sealed.iv.len() != NONCE_LEN || sealed.tag.len() != TAG_LEN {
        return Err(Error::ValueFormat);
    }
    let cipher = Aes256Gcm32::new_from_slice(key.expose()).map_err(|_| Error::ValueFormat)?;
    let mut msg = sealed.data;
    msg.extend_from_slice(&sealed.tag);
    let nonce = Array::try_from(sealed.iv.as_slice()).map_err(|_| Error::ValueFormat)?;
    let plain = cipher
        .decrypt(
            &nonce,
            Payload {
                msg: &msg,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::ValueAuth)?;
    Scalar::from_typed(&sealed.kind, plain)
}

/// Encrypts one value with a fresh random IV.
pub fn encrypt(value: &Scalar, key: &DataKey, aad: &str) -> Result<String, Error> {
    let plain = value.to_bytes();
    if plain.is_empty() && matches!(value, Scalar::Str(_) | Scalar::Bytes(_)) {
        return Ok(String::new());
    }
    let mut iv = [0u8; NONCE_LEN];
    getrandom::fill(&mut iv).map_err(|e| Error::Random(e.to_string()))?;
    let cipher = Aes256Gcm32::new_from_slice(key.expose()).map_err(|_| Error::ValueFormat)?;
    let sealed = cipher
        .encrypt(
            &Array::from(iv),
            Payload {
                msg: &plain,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::ValueFormat)?;
    let (data, tag) = sealed.split_at(sealed.len() - TAG_LEN);
    Ok(format!(
        "ENC[AES256_GCM,data:{},iv:{},tag:{},type:{}]",
        STANDARD.encode(data),
        STANDARD.encode(iv),
        STANDARD.encode(tag),
        value.type_name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DataKey {
        DataKey::new([7u8; 32])
    }

    #[test]
    fn round_trips_every_type_with_its_path() {
        for v in [
            Scalar::Str("hunter2".into()),
            Scalar::Int(-42),
            Scalar::Float(1.5),
            Scalar::Bool(true),
        ] {
            let enc = encrypt(&v, &key(), "a:b:").unwrap();
            assert!(looks_encrypted(&enc), "{enc}");
            assert_eq!(decrypt(&enc, &key(), "a:b:").unwrap(), v);
            // The path is authenticated: the same ciphertext under another key fails.
            assert!(matches!(
                decrypt(&enc, &key(), "a:c:"),
                Err(Error::ValueAuth)
            ));
        }
    }

    #[test]
    fn empty_strings_stay_empty() {
        assert_eq!(
            encrypt(&Scalar::Str(String::new()), &key(), "x:").unwrap(),
            ""
        );
        assert_eq!(
            decrypt("", &key(), "x:").unwrap(),
            Scalar::Str(String::new())
        );
    }

    #[test]
    fn malformed_values_are_format_errors() {
        for bad in [
            "ENC[AES256_GCM,data:,iv:,tag:,type:str]",
            "ENC[AES256_GCM,data:!!,iv:AA==,tag:AA==,type:str]",
            "ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]",
            "plain",
        ] {
            assert!(
                matches!(decrypt(bad, &key(), "x:"), Err(Error::ValueFormat)),
                "{bad}"
            );
        }
    }
}
