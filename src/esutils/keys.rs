//! Secret key conversion and validation: ESO's `ConvertKeys` and `ValidateKeys`.
//!
//! Mirrors `runtime/esutils/utils.go` (`ConvertKeys`, `convert`, `transformKeys`, `ValidateKeys`)
//! and the controller's wrapping of their errors (`pkg/controllers/externalsecret/
//! externalsecret_controller.go`: `errConvert`, `errInvalidKeys`).
//!
//! Go iterates maps in random order, so when several keys are bad, ESO reports whichever it meets
//! first. Here keys are always visited in byte order ([`DataMap`] is sorted), so the reported key
//! is the smallest offending one.
//!
//! A key is kept if every character is a Unicode letter or number (Go `unicode.IsLetter` /
//! `IsNumber`, see [`crate::gocompat::unicode`]), `-`, `.` or `_`. Like ESO, letters such as `é`
//! pass here although the Kubernetes API later rejects them.
//!
//! Must not: put a value in an error (only keys), or copy values (they are moved).

use std::fmt;

use crate::gocompat::unicode;
use crate::secret::DataMap;

/// Kubernetes' maximum Secret key length, as ESO checks it.
const MAX_KEY_LEN: usize = 253;

/// `spec.dataFrom[].{extract,find}.conversionStrategy`. An omitted field is `Default` (ESO
/// v2.9 folds the empty string into `Default`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConversionStrategy {
    /// Every disallowed character becomes `_`.
    #[default]
    Default,
    /// Every disallowed character becomes `_U<hex>_` (at least four lower-case hex digits).
    Unicode,
}

impl ConversionStrategy {
    /// The CRD spelling (`Default`, `Unicode`; empty means `Default`); `None` for anything else.
    pub fn from_eso(s: &str) -> Option<Self> {
        match s {
            "" | "Default" => Some(Self::Default),
            "Unicode" => Some(Self::Unicode),
            _ => None,
        }
    }
}

impl fmt::Display for ConversionStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Default => "Default",
            Self::Unicode => "Unicode",
        })
    }
}

/// Key conversion or validation failures, worded as ESO words them. Keys may appear; values never.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Two input keys convert to the same key.
    #[error("secret name collision during conversion: {key}")]
    Collision {
        /// The converted key both inputs became.
        key: String,
    },
    /// The controller's wrapping of a conversion failure (`errConvert`).
    #[error("error applying conversion strategy {strategy} to keys: {inner}")]
    Converting {
        /// The strategy that was applied.
        strategy: ConversionStrategy,
        /// The failure.
        inner: Box<Error>,
    },
    /// A key longer than 253 bytes; `truncated` is its first 253 bytes (a character cut in two
    /// shows as U+FFFD, where Go would print the raw bytes).
    #[error("key has length {len} but max is 253: (following is truncated): {truncated}")]
    TooLong {
        /// Length of the key in bytes.
        len: usize,
        /// The key's first 253 bytes.
        truncated: String,
    },
    /// A key with a character outside letters, numbers, `-`, `.`, `_`.
    #[error(
        "key has invalid character {character}, only alphanumeric, '-', '.' and '_' are allowed: {key}"
    )]
    InvalidCharacter {
        /// The first disallowed character.
        character: char,
        /// The whole key.
        key: String,
    },
    /// The controller's wrapping of a validation failure (`errInvalidKeys`).
    #[error("invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): {0}")]
    InvalidKeys(Box<Error>),
}

impl Error {
    /// Wraps a [`validate_keys`] failure the way ESO's controller reports it.
    pub fn invalid_keys(self) -> Self {
        Self::InvalidKeys(Box::new(self))
    }

    /// Wraps a [`convert_keys`] failure the way ESO's controller reports it.
    pub fn converting(self, strategy: ConversionStrategy) -> Self {
        Self::Converting {
            strategy,
            inner: Box::new(self),
        }
    }
}

fn is_allowed(c: char) -> bool {
    unicode::is_number(c) || unicode::is_letter(c) || matches!(c, '-' | '.' | '_')
}

/// Converts one key with ESO's `convert`.
pub fn convert_key(strategy: ConversionStrategy, key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if is_allowed(c) {
            out.push(c);
            continue;
        }
        match strategy {
            ConversionStrategy::Default => out.push('_'),
            ConversionStrategy::Unicode => out.push_str(&format!("_U{:04x}_", u32::from(c))),
        }
    }
    out
}

/// ESO's `ConvertKeys`: every key converted, values moved unchanged.
///
/// # Errors
/// [`Error::Collision`] naming the converted key when two keys meet; the first collision in
/// byte order of the input keys is reported.
pub fn convert_keys(strategy: ConversionStrategy, map: DataMap) -> Result<DataMap, Error> {
    let mut out = DataMap::new();
    for (key, value) in map {
        let converted = convert_key(strategy, &key);
        if out.contains_key(&converted) {
            return Err(Error::Collision { key: converted });
        }
        out.insert(converted, value);
    }
    Ok(out)
}

/// ESO's `ValidateKeys`: drops the empty key (a value that did not exist upstream) and checks
/// the others.
///
/// # Errors
/// [`Error::TooLong`] or [`Error::InvalidCharacter`] for the first bad key in byte order. The
/// controller adds the TIP prefix: see [`Error::invalid_keys`].
pub fn validate_keys(mut map: DataMap) -> Result<DataMap, Error> {
    map.remove("");
    for key in map.keys() {
        if key.len() > MAX_KEY_LEN {
            return Err(Error::TooLong {
                len: key.len(),
                truncated: String::from_utf8_lossy(&key.as_bytes()[..MAX_KEY_LEN]).into_owned(),
            });
        }
        if let Some(character) = key.chars().find(|&c| !is_allowed(c)) {
            return Err(Error::InvalidCharacter {
                character,
                key: key.clone(),
            });
        }
    }
    Ok(map)
}

/// ESO treats an empty conversionStrategy as `Default` (v2.9).
impl From<Option<crate::manifest::model::ConversionStrategy>> for ConversionStrategy {
    fn from(s: Option<crate::manifest::model::ConversionStrategy>) -> Self {
        match s {
            Some(crate::manifest::model::ConversionStrategy::Unicode) => Self::Unicode,
            Some(crate::manifest::model::ConversionStrategy::Default) | None => Self::Default,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretBytes;

    fn map(pairs: &[(&str, &str)]) -> DataMap {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), SecretBytes::from(*v)))
            .collect()
    }

    // ESO utils_test.go TestConvertKeys.

    #[test]
    fn convert_with_special_chars() {
        let got = convert_keys(
            ConversionStrategy::Default,
            map(&[("foo$bar%baz*bing", "noop")]),
        );
        assert_eq!(got.unwrap(), map(&[("foo_bar_baz_bing", "noop")]));
    }

    #[test]
    fn error_on_collision() {
        let got = convert_keys(
            ConversionStrategy::Default,
            map(&[("foo$bar%baz*bing", "noop"), ("foo_bar_baz$bing", "noop")]),
        );
        assert_eq!(
            got.unwrap_err().to_string(),
            "secret name collision during conversion: foo_bar_baz_bing"
        );
    }

    #[test]
    fn convert_path() {
        let got = convert_keys(
            ConversionStrategy::Default,
            map(&[("/foo/bar/baz/bing", "noop"), ("foo/bar/baz/bing/", "noop")]),
        );
        assert_eq!(
            got.unwrap(),
            map(&[("_foo_bar_baz_bing", "noop"), ("foo_bar_baz_bing_", "noop")])
        );
    }

    #[test]
    fn convert_unicode() {
        let got = convert_keys(
            ConversionStrategy::Unicode,
            map(&[("😀foo😁bar😂baz😈bing", "noop")]),
        );
        assert_eq!(
            got.unwrap(),
            map(&[("_U1f600_foo_U1f601_bar_U1f602_baz_U1f608_bing", "noop")])
        );
    }

    #[test]
    fn empty_strategy_converts_as_default() {
        let strategy = ConversionStrategy::from_eso("").unwrap();
        let got = convert_keys(strategy, map(&[("foo$bar%baz*bing", "noop")]));
        assert_eq!(got.unwrap(), map(&[("foo_bar_baz_bing", "noop")]));
    }

    #[test]
    fn empty_strategy_collides_like_default() {
        let strategy = ConversionStrategy::from_eso("").unwrap();
        let got = convert_keys(
            strategy,
            map(&[("foo$bar%baz*bing", "noop"), ("foo_bar_baz$bing", "noop")]),
        );
        assert!(matches!(got, Err(Error::Collision { .. })));
    }

    #[test]
    fn unicode_strategy_encodes_ascii_too() {
        // ESO utils_test.go keyWithInvalidChars / keyWithEncodedInvalidChars.
        assert_eq!(
            convert_key(ConversionStrategy::Unicode, "some-array[0].entity"),
            "some-array_U005b_0_U005d_.entity"
        );
        assert_eq!(convert_key(ConversionStrategy::Unicode, "a/b"), "a_U002f_b");
    }

    #[test]
    fn tv12_getallsecrets_names() {
        let got = convert_keys(
            ConversionStrategy::Default,
            map(&[
                ("/path/key1", "1"),
                ("key2/path", "2"),
                ("path/to/keyring", "3"),
            ]),
        )
        .unwrap();
        let keys: Vec<&str> = got.keys().map(String::as_str).collect();
        assert_eq!(keys, ["_path_key1", "key2_path", "path_to_keyring"]);
    }

    #[test]
    fn letters_and_numbers_of_any_script_survive() {
        assert_eq!(
            convert_key(ConversionStrategy::Default, "clé_٣-x.y"),
            "clé_٣-x.y"
        );
        // Rust's is_alphabetic would keep these; Go's IsLetter does not.
        assert_eq!(convert_key(ConversionStrategy::Default, "Ⓐ\u{345}"), "__");
    }

    #[test]
    fn conversion_wrapper_reads_like_eso() {
        let e = Error::Collision { key: "a_b".into() }.converting(ConversionStrategy::Default);
        assert_eq!(
            e.to_string(),
            "error applying conversion strategy Default to keys: secret name collision during conversion: a_b"
        );
    }

    // ValidateKeys.

    #[test]
    fn validate_drops_empty_key() {
        let got = validate_keys(map(&[("", "gone"), ("ok.key-1_x", "v")])).unwrap();
        assert_eq!(got, map(&[("ok.key-1_x", "v")]));
    }

    #[test]
    fn tv04_invalid_character_after_rewrite() {
        let err = validate_keys(map(&[("foo/bar", "v1"), ("bar/foo", "v2")]))
            .unwrap_err()
            .invalid_keys();
        // The smallest bad key in byte order is reported.
        assert_eq!(
            err.to_string(),
            "invalid secret keys (TIP: use rewrite or conversionStrategy to change keys): \
             key has invalid character /, only alphanumeric, '-', '.' and '_' are allowed: bar/foo"
        );
    }

    #[test]
    fn validate_rejects_long_keys_with_truncation() {
        let key = "k".repeat(254);
        let err = validate_keys(map(&[(&key, "v")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "key has length 254 but max is 253: (following is truncated): {}",
                "k".repeat(253)
            )
        );
        assert!(validate_keys(map(&[(&"k".repeat(253), "v")])).is_ok());
    }

    #[test]
    fn validate_accepts_unicode_letters_like_eso() {
        assert!(validate_keys(map(&[("clé", "v")])).is_ok());
        let err = validate_keys(map(&[("a b", "v")])).unwrap_err();
        assert_eq!(
            err,
            Error::InvalidCharacter {
                character: ' ',
                key: "a b".into()
            }
        );
    }

    #[test]
    fn errors_never_carry_values() {
        let err = validate_keys(map(&[("bad key", "hunter2-canary")])).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("hunter2"));
    }
}
