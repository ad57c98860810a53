//! SOPS files, read and written in-process: the format of getsops/sops 3 with age keys.
//!
//! - [`store`]: YAML/JSON, dotenv, INI and binary files → [`tree`]s plus the `sops` metadata.
//! - [`metadata`]: master keys, key groups, the encryption rule, MAC and timestamp.
//! - [`keys`]: age identities from the places sops looks, and data-key recovery ([`shamir`] for
//!   key groups).
//! - [`tree`] / [`cipher`]: the walk that decrypts (or encrypts) values and computes the MAC.
//!
//! A file is trusted only when its MAC matches: a changed value, a changed MAC, a missing MAC or
//! a value moved to another key is an error, never a partial result. Errors name fields and key
//! paths, never values, data keys or identities.

pub mod cipher;
pub mod keys;
pub mod kms;
pub mod metadata;
pub mod shamir;
pub mod store;
pub mod time;
pub mod tree;

use std::fmt;

use age::armor::{ArmoredWriter, Format as ArmorFormat};
use zeroize::Zeroizing;

pub use keys::{KeySources, Keyring};
pub use store::Format;
use tree::{Branch, Entry, Scalar, Value};

/// The sops release whose file format eso-render writes (and checks against in its tests).
pub const WRITES_VERSION: &str = "3.11.0";

/// The 32-byte key that encrypts every value of one file.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub fn try_from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| Error::Metadata {
            field: "age",
            message: format!("the data key has {} bytes, not 32", bytes.len()),
        })?;
        Ok(Self::new(arr))
    }

    pub fn random() -> Result<Self, Error> {
        let mut k = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut *k).map_err(|e| Error::Random(e.to_string()))?;
        Ok(Self(k))
    }

    pub fn expose(&self) -> &[u8] {
        &*self.0
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([REDACTED])")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("line {line}: {message}")]
    Syntax { line: u32, message: String },
    #[error("no sops metadata: the file is not SOPS-encrypted")]
    NoMetadata,
    #[error("sops metadata, field `{field}`: {message}")]
    Metadata {
        field: &'static str,
        message: String,
    },
    #[error("SOPS format version {0:?} is not supported (eso-render reads files of sops 3)")]
    Version(String),
    #[error("the value is not in sops' ENC[AES256_GCM,data:…,iv:…,tag:…,type:…] form")]
    ValueFormat,
    #[error(
        "the value does not authenticate with the data key (changed after encryption, or moved \
         from another key)"
    )]
    ValueAuth,
    #[error("the value has an unknown or malformed type {0:?}")]
    ValueType(String),
    #[error("at `{path}`: {source}")]
    At { path: String, source: Box<Error> },
    #[error(
        "at `{path}`: the rules say this value is encrypted, but it is not an encrypted string"
    )]
    NotEncrypted { path: String },
    #[error("the file has no MAC, so it cannot be checked for tampering")]
    NoMac,
    #[error("MAC mismatch: the file was changed after it was encrypted")]
    MacMismatch,
    #[error("the MAC cannot be decrypted: {0}")]
    MacUnreadable(Box<Error>),
    #[error("{}", no_key_message(tried, found, problems, *shamir))]
    NoKey {
        /// Master keys of the file, by type and public identifier.
        tried: Vec<String>,
        /// Where identities were found.
        found: Vec<String>,
        /// Places that failed or held nothing usable.
        problems: Vec<String>,
        /// With key groups: parts opened and parts needed.
        shamir: Option<(usize, usize)>,
    },
    #[error("key groups: {0}")]
    Shamir(String),
    #[error("cannot get random bytes: {0}")]
    Random(String),
    #[error("age: {0}")]
    Age(String),
    #[error("document at line {line}: {source}")]
    Document { line: u32, source: Box<Error> },
}

impl Error {
    /// Adds the key path of the value at fault.
    pub fn at(self, path: &[String]) -> Error {
        Error::At {
            path: path.join("."),
            source: Box::new(self),
        }
    }
}

fn no_key_message(
    tried: &[String],
    found: &[String],
    problems: &[String],
    shamir: Option<(usize, usize)>,
) -> String {
    let mut m = String::from("no key could decrypt the data key");
    if let Some((have, need)) = shamir {
        m.push_str(&format!(" (opened {have} of the {need} key groups needed)"));
    }
    m.push_str(&format!("; the file's master keys: {}", tried.join(", ")));
    if found.is_empty() {
        m.push_str(
            "; no age identity was found (looked in SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, \
             SOPS_AGE_KEY_CMD, $XDG_CONFIG_HOME/sops/age/keys.txt and --age-identity)",
        );
    } else {
        m.push_str(&format!(
            "; identities tried: {}, none matches",
            found.join(", ")
        ));
    }
    if !problems.is_empty() {
        m.push_str(&format!("; also: {}", problems.join("; ")));
    }
    m
}

/// Decrypts branches that share one metadata block, in place, and checks the MAC.
pub fn decrypt_branches(
    branches: &mut [Branch],
    md: &metadata::Metadata,
    keys: &Keyring,
) -> Result<(), Error> {
    let key = keys.data_key(md)?;
    let computed = tree::decrypt(branches, &md.rules, &key)?;
    if md.mac.is_empty() {
        return Err(Error::NoMac);
    }
    let stored = match cipher::decrypt(&md.mac, &key, &md.last_modified) {
        Ok(Scalar::Str(s)) => s,
        Ok(_) => {
            return Err(Error::MacUnreadable(Box::new(Error::ValueType(
                "mac".into(),
            ))));
        }
        Err(e) => return Err(Error::MacUnreadable(Box::new(e))),
    };
    // Both are hex digests; equality of their text leaks nothing worth a constant-time compare.
    if stored != computed {
        return Err(Error::MacMismatch);
    }
    Ok(())
}

/// Keys of which a top-level `sops` mapping needs one to be taken for sops metadata (and not
/// for some object's own `sops` field).
pub const METADATA_MARKERS: [&str; 2] = ["mac", "lastmodified"];

/// Whether a top-level `sops` value looks like sops metadata.
pub fn is_metadata(v: &Value) -> bool {
    matches!(v, Value::Map(b) if METADATA_MARKERS.iter().any(|k| b.get(k).is_some()))
}

/// A YAML or JSON document of a stream, after decryption.
#[derive(Debug)]
pub struct PlainDoc {
    pub branch: Branch,
    /// Line where the document starts in the source.
    pub line: u32,
    /// Whether it carried sops metadata (and was decrypted).
    pub decrypted: bool,
}

/// Decrypts a YAML (or JSON) stream.
///
/// When every document carries the same metadata, the stream was encrypted as one file by
/// `sops` (one data key, one MAC over all documents) and is decrypted as such. Otherwise each
/// document with metadata is decrypted on its own and the others are kept as they are, as Flux
/// does for each resource it applies.
pub fn decrypt_yaml(text: &str, keys: &Keyring) -> Result<Vec<PlainDoc>, Error> {
    let docs = store::yaml::parse(text, false)?;
    let metas: Vec<Option<&Value>> = docs
        .iter()
        .map(|d| d.branch.get("sops").filter(|v| is_metadata(v)))
        .collect();
    if metas.iter().all(Option::is_none) {
        return Err(Error::NoMetadata);
    }
    let whole_file = metas.iter().all(|m| m.is_some() && *m == metas[0]);
    // The comment rules need comments, which a second parse reads.
    let needs_comments = metas.iter().flatten().any(|m| {
        let Value::Map(b) = m else { return false };
        b.get("encrypted_comment_regex").is_some() || b.get("unencrypted_comment_regex").is_some()
    });
    let docs = if needs_comments {
        store::yaml::parse(text, true)?
    } else {
        docs
    };
    let mut out: Vec<PlainDoc> = docs
        .into_iter()
        .map(|d| PlainDoc {
            decrypted: d.branch.get("sops").is_some_and(is_metadata),
            branch: d.branch,
            line: d.line,
        })
        .collect();
    let take_md = |b: &mut Branch| -> Option<Branch> {
        let i =
            b.0.iter()
                .position(|e| matches!(e, Entry::Pair(k, _) if k == "sops"))?;
        match b.0.remove(i) {
            Entry::Pair(_, Value::Map(md)) => Some(md),
            _ => None,
        }
    };
    if whole_file {
        let line = out[0].line;
        let in_doc = |e: Error| Error::Document {
            line,
            source: Box::new(e),
        };
        let md_branch = take_md(&mut out[0].branch).ok_or(Error::NoMetadata)?;
        for d in &mut out[1..] {
            take_md(&mut d.branch);
        }
        let md = metadata::parse(&md_branch).map_err(in_doc)?;
        let mut branches: Vec<Branch> = out
            .iter_mut()
            .map(|d| std::mem::take(&mut d.branch))
            .collect();
        decrypt_branches(&mut branches, &md, keys).map_err(in_doc)?;
        for (d, b) in out.iter_mut().zip(branches) {
            d.branch = b;
        }
    } else {
        for d in out.iter_mut().filter(|d| d.decrypted) {
            let line = d.line;
            let in_doc = |e: Error| Error::Document {
                line,
                source: Box::new(e),
            };
            let md_branch = take_md(&mut d.branch).ok_or(Error::NoMetadata)?;
            let md = metadata::parse(&md_branch).map_err(in_doc)?;
            decrypt_branches(std::slice::from_mut(&mut d.branch), &md, keys).map_err(in_doc)?;
        }
    }
    Ok(out)
}

/// A decrypted file of any format, as `sops decrypt` would print it.
pub enum Plain {
    Docs(Vec<PlainDoc>),
    Dotenv(Branch),
    Ini(Branch),
    Binary(Zeroizing<Vec<u8>>),
}

/// Decrypts a whole file of the given format.
pub fn decrypt_file(text: &str, format: Format, keys: &Keyring) -> Result<Plain, Error> {
    match format {
        Format::Yaml | Format::Json => decrypt_yaml(text, keys).map(Plain::Docs),
        Format::Binary => {
            let mut docs = decrypt_yaml(text, keys)?;
            if docs.len() != 1 {
                return Err(Error::Syntax {
                    line: 1,
                    message: "a binary SOPS file holds one JSON document".into(),
                });
            }
            match docs.remove(0).branch.get("data") {
                Some(Value::Scalar(s)) => Ok(Plain::Binary(Zeroizing::new(s.to_bytes()))),
                _ => Err(Error::Syntax {
                    line: 1,
                    message: "a binary SOPS file needs a string `data` key".into(),
                }),
            }
        }
        Format::Dotenv => {
            let mut branch = store::dotenv::parse(text)?;
            let md_branch =
                store::take_flat_metadata(&mut branch, "sops_").ok_or(Error::NoMetadata)?;
            let md = metadata::parse(&md_branch)?;
            decrypt_branches(std::slice::from_mut(&mut branch), &md, keys)?;
            Ok(Plain::Dotenv(branch))
        }
        Format::Ini => {
            let mut branch = store::ini::parse(text)?;
            let i = branch
                .0
                .iter()
                .position(|e| matches!(e, Entry::Pair(k, _) if k == "sops"))
                .ok_or(Error::NoMetadata)?;
            let Entry::Pair(_, Value::Map(mut section)) = branch.0.remove(i) else {
                return Err(Error::NoMetadata);
            };
            store::unescape_newlines(&mut section);
            let md_branch = store::take_flat_metadata(&mut section, "").ok_or(Error::NoMetadata)?;
            let md = metadata::parse(&md_branch)?;
            decrypt_branches(std::slice::from_mut(&mut branch), &md, keys)?;
            Ok(Plain::Ini(branch))
        }
    }
}

/// An age recipient eso-render can encrypt to: X25519 (`age1…`) or SSH (`ssh-ed25519 …`,
/// `ssh-rsa …`), the kinds sops itself writes without plugins.
#[derive(Clone)]
pub enum Recipient {
    X25519(age::x25519::Recipient),
    Ssh(age::ssh::Recipient),
}

impl Recipient {
    fn as_age(&self) -> &dyn age::Recipient {
        match self {
            Recipient::X25519(r) => r,
            Recipient::Ssh(r) => r,
        }
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recipient::X25519(r) => r.fmt(f),
            Recipient::Ssh(r) => r.fmt(f),
        }
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Parses a recipient as sops' `--age` does.
pub fn parse_recipient(text: &str) -> Result<Recipient, String> {
    let t = text.trim();
    if t.starts_with("age1pq1") {
        return Err(format!(
            "{t:?}: post-quantum age recipients are not supported (use age1… or ssh-ed25519 …)"
        ));
    }
    if t.starts_with("ssh-") {
        return t
            .parse()
            .map(Recipient::Ssh)
            .map_err(|_| format!("{t:?} is not an ssh-ed25519 or ssh-rsa public key"));
    }
    t.parse()
        .map(Recipient::X25519)
        .map_err(|e| format!("{t:?} is not an age recipient: {e}"))
}

/// How eso-render writes SOPS files: new documents for the given age recipients, encrypting the
/// values under keys that match `encrypted_regex` (sops' `--encrypted-regex`).
pub struct Encryption {
    recipients: Vec<Recipient>,
    encrypted_regex: crate::gocompat::regexp::Regexp,
    regex_text: String,
}

impl fmt::Debug for Encryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Encryption")
            .field(
                "recipients",
                &self
                    .recipients
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>(),
            )
            .field("encrypted_regex", &self.regex_text)
            .finish()
    }
}

impl Encryption {
    /// # Errors
    /// No recipient, or a regex that Go's `regexp` (which sops uses) would not compile.
    pub fn new(recipients: Vec<Recipient>, encrypted_regex: &str) -> Result<Self, String> {
        if recipients.is_empty() {
            return Err("no age recipient to encrypt to".into());
        }
        let re = crate::gocompat::regexp::compile(encrypted_regex)
            .map_err(|e| format!("{encrypted_regex:?}: {e}"))?;
        Ok(Self {
            recipients,
            encrypted_regex: re,
            regex_text: encrypted_regex.to_owned(),
        })
    }

    /// Encrypts one document as sops does for a new file (a fresh data key, a fresh IV per
    /// value, the data key wrapped for every recipient), then appends the `sops` metadata block.
    pub fn encrypt_document(&self, mut branch: Branch) -> Result<Branch, Error> {
        let rules = tree::Rules {
            encrypted_regex: Some(self.encrypted_regex.clone()),
            ..tree::Rules::default()
        };
        let key = DataKey::random()?;
        let mac = tree::encrypt(std::slice::from_mut(&mut branch), &rules, &key)?;
        let last_modified = time::now_rfc3339();
        let enc_mac = cipher::encrypt(&Scalar::Str(mac), &key, &last_modified)?;
        let stanzas = self
            .recipients
            .iter()
            .map(|r| Ok((r.to_string(), age_encrypt(r, key.expose())?)))
            .collect::<Result<Vec<_>, Error>>()?;
        let md = metadata::to_branch(
            &stanzas,
            &last_modified,
            &enc_mac,
            &self.regex_text,
            WRITES_VERSION,
        );
        branch.0.push(Entry::Pair("sops".into(), Value::Map(md)));
        Ok(branch)
    }
}

fn age_encrypt(r: &Recipient, data: &[u8]) -> Result<String, Error> {
    use std::io::Write;
    let err = |e: &dyn fmt::Display| Error::Age(e.to_string());
    let enc = age::Encryptor::with_recipients(std::iter::once(r.as_age())).map_err(|e| err(&e))?;
    let mut out = Vec::new();
    let armor =
        ArmoredWriter::wrap_output(&mut out, ArmorFormat::AsciiArmor).map_err(|e| err(&e))?;
    let mut w = enc.wrap_output(armor).map_err(|e| err(&e))?;
    w.write_all(data).map_err(|e| err(&e))?;
    w.finish().and_then(|a| a.finish()).map_err(|e| err(&e))?;
    String::from_utf8(out).map_err(|e| err(&e))
}
