//! The `sops` metadata block: master keys (one group, or key groups with a Shamir threshold),
//! the encryption rule, the MAC and its timestamp (getsops/sops `stores/stores.go`).
//!
//! Values are read as sops reads them (`mapstructure` with weakly typed input: `"true"` is a
//! boolean, `"2"` a number); unknown fields are ignored, as there.

use crate::gocompat::regexp;
use crate::sops::Error;
use crate::sops::tree::{Branch, Item, Rules, Scalar, Value};

/// One master key that holds (a share of) the data key.
#[derive(Debug, Clone, PartialEq)]
pub enum MasterKey {
    Age {
        recipient: String,
        enc: String,
    },
    AwsKms(KmsKey),
    Pgp {
        fingerprint: String,
        enc: String,
    },
    /// A key type eso-render cannot use; named in errors.
    Other {
        kind: &'static str,
        id: String,
    },
}

impl MasterKey {
    /// How the key is named in messages: its type and public identifier, never the encrypted
    /// data key.
    pub fn describe(&self) -> String {
        match self {
            MasterKey::Age { recipient, .. } => format!("age {recipient}"),
            MasterKey::Pgp { fingerprint, .. } => format!("PGP {fingerprint}"),
            MasterKey::AwsKms(k) => match &k.role {
                Some(role) => format!("AWS KMS {} (role {role})", k.arn),
                None => format!("AWS KMS {}", k.arn),
            },
            MasterKey::Other { kind, id } => format!("{kind} {id}"),
        }
    }
}

/// An AWS KMS master key: the data key encrypted under `arn`, opened with KMS `Decrypt` in the
/// ARN's region, with the encryption context, through `role` and `aws_profile` when set.
#[derive(Debug, Clone, PartialEq)]
pub struct KmsKey {
    pub arn: String,
    pub role: Option<String>,
    pub context: Vec<(String, String)>,
    pub profile: Option<String>,
    /// Base64 of KMS's ciphertext blob.
    pub enc: String,
}

#[derive(Debug, Clone)]
pub struct Metadata {
    pub groups: Vec<Vec<MasterKey>>,
    pub shamir_threshold: usize,
    /// The `lastmodified` text as sops re-formats it (`time.RFC3339`): the MAC's additional data.
    pub last_modified: String,
    pub mac: String,
    pub version: String,
    pub rules: Rules,
}

/// Reads the metadata branch (already unflattened for dotenv and INI files).
pub fn parse(md: &Branch) -> Result<Metadata, Error> {
    let text = |field: &'static str| -> Result<Option<String>, Error> {
        match md.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Scalar(s)) => Ok(Some(weak_string(s))),
            Some(_) => Err(Error::Metadata {
                field,
                message: "expected a string".into(),
            }),
        }
    };
    let version = text("version")?.unwrap_or_default();
    check_version(&version)?;
    let last_modified_raw = text("lastmodified")?.unwrap_or_default();
    let last_modified =
        crate::sops::time::reformat_rfc3339(&last_modified_raw).ok_or_else(|| Error::Metadata {
            field: "lastmodified",
            message: format!("{last_modified_raw:?} is not an RFC 3339 time"),
        })?;
    let mac = text("mac")?.unwrap_or_default();
    let mac_only_encrypted = match md.get("mac_only_encrypted") {
        None | Some(Value::Null) => false,
        Some(Value::Scalar(s)) => weak_bool(s).ok_or(Error::Metadata {
            field: "mac_only_encrypted",
            message: "expected a boolean".into(),
        })?,
        Some(_) => {
            return Err(Error::Metadata {
                field: "mac_only_encrypted",
                message: "expected a boolean".into(),
            });
        }
    };
    let shamir_threshold = match md.get("shamir_threshold") {
        None | Some(Value::Null) => 0,
        Some(Value::Scalar(s)) => weak_uint(s).ok_or(Error::Metadata {
            field: "shamir_threshold",
            message: "expected a non-negative number".into(),
        })?,
        Some(_) => {
            return Err(Error::Metadata {
                field: "shamir_threshold",
                message: "expected a number".into(),
            });
        }
    };

    let mut rules = Rules {
        mac_only_encrypted,
        ..Rules::default()
    };
    let mut count = 0;
    let regex = |field: &'static str, pattern: Option<String>| -> Result<_, Error> {
        pattern
            .filter(|p| !p.is_empty())
            .map(|p| {
                regexp::compile(&p).map_err(|e| Error::Metadata {
                    field,
                    message: format!("invalid regular expression: {e}"),
                })
            })
            .transpose()
    };
    if let Some(s) = text("unencrypted_suffix")?.filter(|s| !s.is_empty()) {
        rules.unencrypted_suffix = s;
        count += 1;
    }
    if let Some(s) = text("encrypted_suffix")?.filter(|s| !s.is_empty()) {
        rules.encrypted_suffix = s;
        count += 1;
    }
    rules.unencrypted_regex = regex("unencrypted_regex", text("unencrypted_regex")?)?;
    rules.encrypted_regex = regex("encrypted_regex", text("encrypted_regex")?)?;
    rules.unencrypted_comment_regex = regex(
        "unencrypted_comment_regex",
        text("unencrypted_comment_regex")?,
    )?;
    rules.encrypted_comment_regex =
        regex("encrypted_comment_regex", text("encrypted_comment_regex")?)?;
    count += [
        rules.unencrypted_regex.is_some(),
        rules.encrypted_regex.is_some(),
        rules.unencrypted_comment_regex.is_some(),
        rules.encrypted_comment_regex.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if count > 1 {
        return Err(Error::Metadata {
            field: "encrypted_regex",
            message: "more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, \
                      unencrypted_regex, encrypted_comment_regex and unencrypted_comment_regex \
                      is set"
                .into(),
        });
    }
    if count == 0 {
        rules.unencrypted_suffix = "_unencrypted".into();
    }

    let top = group(md)?;
    let groups = if !top.is_empty() {
        vec![top]
    } else {
        match md.get("key_groups") {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|i| match i {
                    Item::Value(Value::Map(b)) => Some(group(b)),
                    Item::Value(_) => Some(Err(Error::Metadata {
                        field: "key_groups",
                        message: "each key group must be a mapping".into(),
                    })),
                    Item::Comment(_) => None,
                })
                .collect::<Result<_, _>>()?,
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                return Err(Error::Metadata {
                    field: "key_groups",
                    message: "expected a list".into(),
                });
            }
        }
    };
    if groups.is_empty() || groups.iter().all(Vec::is_empty) {
        return Err(Error::Metadata {
            field: "age",
            message: "no master keys: the file names no key that holds its data key".into(),
        });
    }
    Ok(Metadata {
        groups,
        shamir_threshold,
        last_modified,
        mac,
        version,
        rules,
    })
}

/// sops 3 is the only format in use (sops 1 and 2 wrote another MAC); a file claiming a later
/// major version may use rules this reader does not know, so it is refused.
fn check_version(version: &str) -> Result<(), Error> {
    let major = version.split('.').next().unwrap_or("");
    if major == "3" {
        Ok(())
    } else {
        Err(Error::Version(version.to_owned()))
    }
}

/// The master keys of one group (or of the top level) in sops' order: KMS, GCP KMS, HC KMS,
/// Azure Key Vault, Vault, PGP, age.
fn group(b: &Branch) -> Result<Vec<MasterKey>, Error> {
    let mut keys = Vec::new();
    for (field, kind, id_field) in [
        ("kms", "AWS KMS", "arn"),
        ("gcp_kms", "GCP KMS", "resource_id"),
        ("hckms", "HuaweiCloud KMS", "key_id"),
        ("azure_kv", "Azure Key Vault", "vault_url"),
        ("hc_vault", "HashiCorp Vault transit", "vault_address"),
        ("pgp", "PGP", "fp"),
        ("age", "age", "recipient"),
    ] {
        for entry in entries(b, field)? {
            let get = |f: &str| match entry.get(f) {
                Some(Value::Scalar(s)) => weak_string(s),
                _ => String::new(),
            };
            let id = get(id_field);
            let non_empty = |f: &str| Some(get(f)).filter(|v| !v.is_empty());
            keys.push(if field == "age" {
                MasterKey::Age {
                    recipient: id.trim().to_owned(),
                    enc: get("enc"),
                }
            } else if field == "pgp" {
                MasterKey::Pgp {
                    fingerprint: id.trim().to_owned(),
                    enc: get("enc"),
                }
            } else if field == "kms" {
                let context = match entry.get("context") {
                    Some(Value::Map(m)) => m
                        .pairs()
                        .map(|(k, v)| match v {
                            Value::Scalar(s) => (k.to_owned(), weak_string(s)),
                            _ => (k.to_owned(), String::new()),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                MasterKey::AwsKms(KmsKey {
                    arn: id.trim().to_owned(),
                    role: non_empty("role"),
                    context,
                    profile: non_empty("aws_profile"),
                    enc: get("enc"),
                })
            } else {
                let id = match field {
                    "azure_kv" => format!("{id}/keys/{}", get("name")),
                    "hc_vault" => {
                        format!("{id}/v1/{}/keys/{}", get("engine_path"), get("key_name"))
                    }
                    _ => id,
                };
                MasterKey::Other { kind, id }
            });
        }
    }
    Ok(keys)
}

fn entries<'a>(b: &'a Branch, field: &'static str) -> Result<Vec<&'a Branch>, Error> {
    match b.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|i| match i {
                Item::Value(Value::Map(b)) => Some(Ok(b)),
                Item::Value(_) => Some(Err(Error::Metadata {
                    field,
                    message: "each key must be a mapping".into(),
                })),
                Item::Comment(_) => None,
            })
            .collect(),
        Some(_) => Err(Error::Metadata {
            field,
            message: "expected a list".into(),
        }),
    }
}

fn weak_string(s: &Scalar) -> String {
    match s {
        Scalar::Str(s) | Scalar::Time(s) => s.clone(),
        Scalar::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Scalar::Bool(b) => if *b { "1" } else { "0" }.into(),
        other => String::from_utf8_lossy(&other.to_bytes()).into_owned(),
    }
}

fn weak_bool(s: &Scalar) -> Option<bool> {
    match s {
        Scalar::Bool(b) => Some(*b),
        Scalar::Int(i) => Some(*i != 0),
        Scalar::Float(f) => Some(*f != 0.0),
        Scalar::Str(s) if s.is_empty() => Some(false),
        Scalar::Str(s) => match s.as_str() {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn weak_uint(s: &Scalar) -> Option<usize> {
    match s {
        Scalar::Int(i) => usize::try_from(*i).ok(),
        Scalar::Str(s) if s.is_empty() => Some(0),
        Scalar::Str(s) => s.parse().ok(),
        Scalar::Bool(b) => Some(usize::from(*b)),
        _ => None,
    }
}

/// The metadata block of a file eso-render writes: one group of age keys, the encrypted regex
/// rule, the MAC.
pub fn to_branch(
    recipients: &[(String, String)],
    last_modified: &str,
    mac: &str,
    encrypted_regex: &str,
    version: &str,
) -> Branch {
    use crate::sops::tree::Entry;
    let s = |v: &str| Value::Scalar(Scalar::Str(v.to_owned()));
    let age = recipients
        .iter()
        .map(|(r, enc)| {
            Item::Value(Value::Map(Branch(vec![
                Entry::Pair("recipient".into(), s(r)),
                Entry::Pair("enc".into(), s(enc)),
            ])))
        })
        .collect();
    Branch(vec![
        Entry::Pair("age".into(), Value::List(age)),
        Entry::Pair("lastmodified".into(), s(last_modified)),
        Entry::Pair("mac".into(), s(mac)),
        Entry::Pair("encrypted_regex".into(), s(encrypted_regex)),
        Entry::Pair("version".into(), s(version)),
    ])
}
