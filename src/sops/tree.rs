//! The sops tree: ordered mappings, lists, typed scalars and comments, and the walk that
//! encrypts or decrypts it and computes its MAC (getsops/sops `sops.go`).
//!
//! The MAC is SHA-512 over the plaintext bytes of every value in walk order (only the values that
//! are encrypted when `mac_only_encrypted` is set, after a fixed 32-byte prefix), written as
//! upper-case hex and stored encrypted with the last-modified time as additional data. Keys are
//! not hashed: they are bound by being the additional data of each value. Comments are never
//! hashed, but they decide which values are encrypted under the comment rules.

use std::fmt;

use sha2::{Digest, Sha512};

use crate::gocompat::json::format_float_f;
use crate::gocompat::regexp::Regexp;
use crate::sops::{DataKey, Error, cipher};

/// `sha256("sops")`, hashed first when only encrypted values are MACed, so that such a MAC never
/// equals the MAC over all values.
const MAC_ONLY_ENCRYPTED_INIT: [u8; 32] = [
    0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
    0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
];

/// A leaf value, typed as the Go value sops holds (`string`, `int`, `float64`, `bool`,
/// `[]byte`, `time.Time`).
#[derive(Clone, PartialEq)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Bytes(Vec<u8>),
    /// A timestamp, kept as Go's `MarshalText` form (RFC 3339 with nanoseconds).
    Time(String),
}

impl fmt::Debug for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scalar::{}([REDACTED])", self.type_name())
    }
}

impl Scalar {
    /// The `type:` of an encrypted value.
    pub fn type_name(&self) -> &'static str {
        match self {
            Scalar::Str(_) => "str",
            Scalar::Int(_) => "int",
            Scalar::Float(_) => "float",
            Scalar::Bool(_) => "bool",
            Scalar::Bytes(_) => "bytes",
            Scalar::Time(_) => "time",
        }
    }

    /// sops' `ToBytes`: what the MAC hashes and what gets encrypted.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Scalar::Str(s) | Scalar::Time(s) => s.as_bytes().to_vec(),
            Scalar::Int(i) => i.to_string().into_bytes(),
            Scalar::Float(f) => format_float_f(*f).into_bytes(),
            // Python's spelling, kept by sops since its first version.
            Scalar::Bool(b) => if *b { "True" } else { "False" }.as_bytes().to_vec(),
            Scalar::Bytes(b) => b.clone(),
        }
    }

    /// A decrypted value of the given `type:` (Go's `strconv` parsers for numbers and booleans).
    pub fn from_typed(kind: &str, plain: Vec<u8>) -> Result<Self, Error> {
        let text = || String::from_utf8(plain.clone()).map_err(|_| Error::ValueType(kind.into()));
        Ok(match kind {
            // A Go string holds any bytes (the binary store keeps whole files in one).
            "str" => match String::from_utf8(plain) {
                Ok(s) => Scalar::Str(s),
                Err(e) => Scalar::Bytes(e.into_bytes()),
            },
            "bytes" => Scalar::Bytes(plain),
            "int" => Scalar::Int(parse_go_int(&text()?).ok_or(Error::ValueType(kind.into()))?),
            "float" => {
                Scalar::Float(parse_go_float(&text()?).ok_or(Error::ValueType(kind.into()))?)
            }
            "bool" => Scalar::Bool(parse_go_bool(&text()?).ok_or(Error::ValueType(kind.into()))?),
            "time" => Scalar::Time(text()?),
            "comment" => Scalar::Str(text()?),
            other => return Err(Error::ValueType(other.into())),
        })
    }
}

/// `strconv.Atoi`: optional sign, decimal digits.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `strconv.ParseFloat(s, 64)` for the forms sops writes (and Go's special values).
fn parse_go_float(s: &str) -> Option<f64> {
    match s.to_ascii_lowercase().trim_start_matches('+') {
        "inf" | "infinity" => return Some(f64::INFINITY),
        "-inf" | "-infinity" => return Some(f64::NEG_INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    if s.contains('_')
        || s.bytes()
            .any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E'))
    {
        return None;
    }
    s.parse().ok()
}

/// `strconv.ParseBool`.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Any node of the tree.
#[derive(Clone, PartialEq)]
pub enum Value {
    Null,
    Scalar(Scalar),
    Map(Branch),
    List(Vec<Item>),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Scalar(s) => s.fmt(f),
            Value::Map(b) => b.fmt(f),
            Value::List(items) => f.debug_list().entries(items).finish(),
        }
    }
}

/// One element of a list: a value or a comment line between values.
#[derive(Clone, PartialEq, Debug)]
pub enum Item {
    Value(Value),
    Comment(String),
}

/// One entry of a mapping: a key and its value, or a comment line between entries.
#[derive(Clone, PartialEq, Debug)]
pub enum Entry {
    Pair(String, Value),
    Comment(String),
}

/// An ordered mapping (sops' `TreeBranch`); a document is one top-level branch.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Branch(pub Vec<Entry>);

impl Branch {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find_map(|e| match e {
            Entry::Pair(k, v) if k == key => Some(v),
            _ => None,
        })
    }

    /// The key–value pairs, comments left out.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().filter_map(|e| match e {
            Entry::Pair(k, v) => Some((k.as_str(), v)),
            Entry::Comment(_) => None,
        })
    }
}

/// Which values a file encrypts: the one rule of its metadata (or the default
/// `unencrypted_suffix: _unencrypted`) and `mac_only_encrypted`.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub unencrypted_suffix: String,
    pub encrypted_suffix: String,
    pub unencrypted_regex: Option<Regexp>,
    pub encrypted_regex: Option<Regexp>,
    pub unencrypted_comment_regex: Option<Regexp>,
    pub encrypted_comment_regex: Option<Regexp>,
    pub mac_only_encrypted: bool,
}

impl Rules {
    /// Whether the comment rules are in play (only then do comments need to be read at all).
    pub fn uses_comments(&self) -> bool {
        self.unencrypted_comment_regex.is_some() || self.encrypted_comment_regex.is_some()
    }

    /// sops' `shouldBeEncrypted`. For a comment line (already on the stack), the line itself
    /// does not count towards `encrypted_comment_regex`: only earlier lines can select it.
    fn encrypts(&self, path: &[String], comments: &[Vec<String>], is_comment: bool) -> bool {
        let mut encrypted = true;
        if !self.unencrypted_suffix.is_empty()
            && path.iter().any(|p| p.ends_with(&self.unencrypted_suffix))
        {
            encrypted = false;
        }
        if !self.encrypted_suffix.is_empty() {
            encrypted = path.iter().any(|p| p.ends_with(&self.encrypted_suffix));
        }
        if let Some(re) = &self.unencrypted_regex
            && path.iter().any(|p| re.is_match(p))
        {
            encrypted = false;
        }
        if let Some(re) = &self.encrypted_regex {
            encrypted = path.iter().any(|p| re.is_match(p));
        }
        if let Some(re) = &self.unencrypted_comment_regex
            && comments.iter().flatten().any(|c| re.is_match(c))
        {
            encrypted = false;
        }
        if let Some(re) = &self.encrypted_comment_regex {
            let levels = comments.len();
            encrypted = comments.iter().enumerate().any(|(i, level)| {
                level.iter().enumerate().any(|(j, c)| {
                    let this_line = is_comment && i + 1 == levels && j + 1 == level.len();
                    !this_line && re.is_match(c)
                })
            });
        }
        encrypted
    }
}

/// Walks branches in sops' order, calling `leaf` with each non-null scalar, its key path and
/// whether the rules encrypt it, and `comment` likewise with each comment line (whose path is
/// that of the enclosing mapping or list). Comment lines are tracked per nesting level as sops
/// does: a level's comments apply to the next value at that level and everything nested in it.
struct Walker<'a, F, C> {
    rules: &'a Rules,
    path: Vec<String>,
    comments: Vec<Vec<String>>,
    leaf: F,
    comment: C,
}

impl<F, C> Walker<'_, F, C>
where
    F: FnMut(&mut Scalar, &[String], bool) -> Result<(), Error>,
    C: FnMut(&mut String, &[String], bool),
{
    fn branch(&mut self, branch: &mut Branch) -> Result<(), Error> {
        self.comments.push(Vec::new());
        for entry in &mut branch.0 {
            match entry {
                Entry::Comment(c) => self.visit_comment(c),
                Entry::Pair(key, value) => {
                    self.path.push(key.clone());
                    let r = self.value(value);
                    self.path.pop();
                    r?;
                    self.clear_comments();
                }
            }
        }
        self.comments.pop();
        Ok(())
    }

    fn list(&mut self, items: &mut [Item]) -> Result<(), Error> {
        self.comments.push(Vec::new());
        for item in items {
            match item {
                Item::Comment(c) => self.visit_comment(c),
                Item::Value(v) => {
                    self.value(v)?;
                    self.clear_comments();
                }
            }
        }
        self.comments.pop();
        Ok(())
    }

    fn value(&mut self, value: &mut Value) -> Result<(), Error> {
        match value {
            Value::Null => Ok(()),
            Value::Map(b) => self.branch(b),
            Value::List(items) => self.list(items),
            Value::Scalar(s) => {
                let encrypted = self.rules.encrypts(&self.path, &self.comments, false);
                (self.leaf)(s, &self.path, encrypted)
            }
        }
    }

    /// Stacks the line as it stands in the file (sops matches the comment rules against that
    /// text), then hands it to `comment`.
    fn visit_comment(&mut self, c: &mut String) {
        if let Some(level) = self.comments.last_mut() {
            level.push(c.clone());
        }
        let encrypted = self.rules.encrypts(&self.path, &self.comments, true);
        (self.comment)(c, &self.path, encrypted);
    }

    fn clear_comments(&mut self) {
        if let Some(level) = self.comments.last_mut() {
            level.clear();
        }
    }
}

fn walk<F, C>(branches: &mut [Branch], rules: &Rules, leaf: F, comment: C) -> Result<(), Error>
where
    F: FnMut(&mut Scalar, &[String], bool) -> Result<(), Error>,
    C: FnMut(&mut String, &[String], bool),
{
    let mut w = Walker {
        rules,
        path: Vec::new(),
        comments: Vec::new(),
        leaf,
        comment,
    };
    for b in branches {
        w.branch(b)?;
    }
    Ok(())
}

fn aad(path: &[String]) -> String {
    let mut s = path.join(":");
    s.push(':');
    s
}

fn new_mac(rules: &Rules) -> Sha512 {
    let mut h = Sha512::new();
    if rules.mac_only_encrypted {
        h.update(MAC_ONLY_ENCRYPTED_INIT);
    }
    h
}

/// Decrypts every value the rules encrypt, in place, and returns the MAC of the plaintext.
pub fn decrypt(branches: &mut [Branch], rules: &Rules, key: &DataKey) -> Result<String, Error> {
    let mut mac = new_mac(rules);
    walk(
        branches,
        rules,
        |s, path, encrypted| {
            if encrypted {
                let Scalar::Str(text) = &*s else {
                    return Err(Error::NotEncrypted {
                        path: path.join("."),
                    });
                };
                *s = cipher::decrypt(text, key, &aad(path)).map_err(|e| e.at(path))?;
            }
            if !rules.mac_only_encrypted || encrypted {
                mac.update(s.to_bytes());
            }
            Ok(())
        },
        |c, path, encrypted| {
            // Comments are not in the MAC. One that does not decrypt was written in the clear (by
            // an older sops, or by hand) and stays as it is, as sops keeps it.
            if encrypted
                && cipher::looks_encrypted(c)
                && let Ok(Scalar::Str(plain)) = cipher::decrypt(c, key, &aad(path))
            {
                *c = plain;
            }
        },
    )?;
    Ok(hex::encode_upper(mac.finalize()))
}

/// Encrypts every value the rules encrypt, in place, and returns the MAC of the plaintext.
pub fn encrypt(branches: &mut [Branch], rules: &Rules, key: &DataKey) -> Result<String, Error> {
    let mut mac = new_mac(rules);
    walk(
        branches,
        rules,
        |s, path, encrypted| {
            if !rules.mac_only_encrypted || encrypted {
                mac.update(s.to_bytes());
            }
            if encrypted {
                *s = Scalar::Str(cipher::encrypt(s, key, &aad(path))?);
            }
            Ok(())
        },
        |_, _, _| {
            // The trees eso-render encrypts come from manifests and hold no comments.
        },
    )?;
    Ok(hex::encode_upper(mac.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(k: &str, v: Value) -> Entry {
        Entry::Pair(k.into(), v)
    }

    fn s(v: &str) -> Value {
        Value::Scalar(Scalar::Str(v.into()))
    }

    fn sample() -> Vec<Branch> {
        vec![Branch(vec![
            pair("user_unencrypted", s("visible")),
            pair("pass", s("hidden")),
            pair("n", Value::Scalar(Scalar::Int(3))),
            pair(
                "list",
                Value::List(vec![
                    Item::Value(Value::Scalar(Scalar::Bool(false))),
                    Item::Value(Value::Null),
                ]),
            ),
        ])]
    }

    fn default_rules() -> Rules {
        Rules {
            unencrypted_suffix: "_unencrypted".into(),
            ..Rules::default()
        }
    }

    #[test]
    fn encrypt_then_decrypt_restores_values_and_macs_agree() {
        let key = DataKey::new([1; 32]);
        let rules = default_rules();
        let mut tree = sample();
        let mac_enc = encrypt(&mut tree, &rules, &key).unwrap();
        assert_eq!(tree[0].get("user_unencrypted"), Some(&s("visible")));
        assert_ne!(tree[0].get("pass"), Some(&s("hidden")));
        let mac_dec = decrypt(&mut tree, &rules, &key).unwrap();
        assert_eq!(mac_enc, mac_dec);
        assert_eq!(tree, sample());
        // Go's MAC: SHA-512 of "visible" "hidden" "3" "False", concatenated.
        let expect = hex::encode_upper(Sha512::digest(b"visiblehidden3False"));
        assert_eq!(mac_dec, expect);
    }

    #[test]
    fn a_plain_value_where_ciphertext_belongs_is_an_error() {
        let key = DataKey::new([1; 32]);
        let mut tree = sample();
        let err = decrypt(&mut tree, &default_rules(), &key).unwrap_err();
        assert!(
            matches!(&err, Error::At { path, source } if path == "pass"
                && matches!(**source, Error::ValueFormat)),
            "{err:?}"
        );
        // A number where ciphertext belongs cannot even be tried.
        let mut tree = vec![Branch(vec![pair("n", Value::Scalar(Scalar::Int(1)))])];
        let err = decrypt(&mut tree, &default_rules(), &key).unwrap_err();
        assert!(
            matches!(err, Error::NotEncrypted { ref path } if path == "n"),
            "{err:?}"
        );
    }

    #[test]
    fn go_number_and_bool_forms() {
        assert_eq!(format_float_f(1.0), "1");
        assert_eq!(format_float_f(0.1), "0.1");
        assert_eq!(format_float_f(1e21), "1000000000000000000000");
        assert_eq!(format_float_f(f64::INFINITY), "+Inf");
        assert_eq!(parse_go_int("+7"), Some(7));
        assert_eq!(parse_go_int("0x10"), None);
        assert_eq!(parse_go_bool("True"), Some(true));
        assert_eq!(parse_go_float("1e3"), Some(1000.0));
    }

    #[test]
    fn comment_rules_follow_the_comment_stack() {
        let re = |p: &str| Some(crate::gocompat::regexp::compile(p).unwrap());
        let rules = Rules {
            encrypted_comment_regex: re("sops:enc"),
            ..Rules::default()
        };
        let mut seen = Vec::new();
        let mut tree = vec![Branch(vec![
            Entry::Comment(" sops:enc".into()),
            pair("a", s("1")),
            pair("b", s("2")),
            Entry::Comment(" sops:enc".into()),
            pair("c", Value::Map(Branch(vec![pair("d", s("3"))]))),
        ])];
        let mut comments = Vec::new();
        walk(
            &mut tree,
            &rules,
            |_, path, enc| {
                seen.push((path.join("."), enc));
                Ok(())
            },
            |c, _, enc| comments.push((c.clone(), enc)),
        )
        .unwrap();
        // The comment that selects is not itself encrypted by the rule (sops' special case).
        assert_eq!(
            comments,
            [
                (" sops:enc".to_owned(), false),
                (" sops:enc".to_owned(), false)
            ]
        );
        assert_eq!(
            seen,
            [
                ("a".into(), true),
                ("b".into(), false),
                ("c.d".into(), true)
            ]
        );
    }
}
