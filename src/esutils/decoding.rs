//! Value decoding strategies: ESO's `decoding.Decode` and `decoding.DecodeMap`.
//!
//! Mirrors `runtime/decoding/decoding.go` and the controller's `errDecode` wrapping. Base64 is Go's
//! lenient decoder ([`crate::gocompat::base64`]): padding required, `\r`/`\n` ignored, loose
//! trailing bits accepted. `Auto` tries standard Base64, then URL-safe Base64, then keeps the
//! value unchanged; it never fails.
//!
//! Go iterates the map in random order, so with several undecodable values ESO names any one of
//! them; here the first in byte order of the keys is named.
//!
//! Must not: put a value or any byte of it in an error (Go's base64 error holds only an offset),
//! or leave decoded copies behind (buffers move into [`SecretBytes`]).

use std::fmt;

use crate::gocompat::base64::{self, CorruptInput};
use crate::secret::{DataMap, SecretBytes};

/// `decodingStrategy` of `data[].remoteRef`, `dataFrom[].extract` / `find`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DecodingStrategy {
    /// Bytes unchanged (also what an empty or omitted field means).
    #[default]
    None,
    /// Go `base64.StdEncoding`.
    Base64,
    /// Go `base64.URLEncoding`.
    Base64URL,
    /// Base64, else Base64URL, else unchanged.
    Auto,
}

impl DecodingStrategy {
    /// The CRD spelling; the empty string is `None`, as in ESO (`v1alpha1` stored objects).
    ///
    /// # Errors
    /// [`Error::Unsupported`] (`decoding strategy X is not supported`) for any other text.
    pub fn from_eso(s: &str) -> Result<Self, Error> {
        match s {
            "" | "None" => Ok(Self::None),
            "Base64" => Ok(Self::Base64),
            "Base64URL" => Ok(Self::Base64URL),
            "Auto" => Ok(Self::Auto),
            other => Err(Error::Unsupported(other.to_owned())),
        }
    }
}

impl fmt::Display for DecodingStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "None",
            Self::Base64 => "Base64",
            Self::Base64URL => "Base64URL",
            Self::Auto => "Auto",
        })
    }
}

/// Decoding failures, worded as ESO words them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A value is not valid Base64 for the strategy (Go's `CorruptInputError`).
    #[error("{0}")]
    Base64(CorruptInput),
    /// [`decode_map`]: which key failed.
    #[error("failure decoding key {key}: {inner}")]
    Key {
        /// The key whose value failed.
        key: String,
        /// Go's error for that value.
        inner: CorruptInput,
    },
    /// A strategy name ESO does not know.
    #[error("decoding strategy {0} is not supported")]
    Unsupported(String),
    /// The controller's wrapping (`errDecode`).
    #[error("error applying decoding strategy {strategy} to data: {inner}")]
    Applying {
        /// The strategy that was applied.
        strategy: DecodingStrategy,
        /// The failure.
        inner: Box<Error>,
    },
}

impl Error {
    /// Wraps a decoding failure the way ESO's controller reports it.
    pub fn applying(self, strategy: DecodingStrategy) -> Self {
        Self::Applying {
            strategy,
            inner: Box::new(self),
        }
    }
}

fn decode_bytes(strategy: DecodingStrategy, bytes: &[u8]) -> Result<Option<Vec<u8>>, CorruptInput> {
    match strategy {
        DecodingStrategy::None => Ok(None),
        DecodingStrategy::Base64 => base64::decode_std(bytes).map(Some),
        DecodingStrategy::Base64URL => base64::decode_url(bytes).map(Some),
        DecodingStrategy::Auto => Ok(base64::decode_std(bytes)
            .or_else(|_| base64::decode_url(bytes))
            .ok()),
    }
}

/// ESO's `Decode` for one value.
///
/// # Errors
/// [`Error::Base64`] when `Base64`/`Base64URL` cannot decode the value.
pub fn decode(strategy: DecodingStrategy, value: &SecretBytes) -> Result<SecretBytes, Error> {
    match decode_bytes(strategy, value.expose()) {
        Ok(Some(decoded)) => Ok(SecretBytes::new(decoded)),
        Ok(None) => Ok(value.clone()),
        Err(e) => Err(Error::Base64(e)),
    }
}

/// ESO's `DecodeMap`: every value decoded, keys unchanged.
///
/// # Errors
/// [`Error::Key`] for the first undecodable value in byte order of the keys.
pub fn decode_map(strategy: DecodingStrategy, map: DataMap) -> Result<DataMap, Error> {
    let mut out = DataMap::new();
    for (key, value) in map {
        match decode_bytes(strategy, value.expose()) {
            Ok(Some(decoded)) => {
                out.insert(key, SecretBytes::new(decoded));
            }
            Ok(None) => {
                out.insert(key, value);
            }
            Err(inner) => return Err(Error::Key { key, inner }),
        }
    }
    Ok(out)
}

/// ESO treats an empty decodingStrategy as `None`.
impl From<Option<crate::manifest::model::DecodingStrategy>> for DecodingStrategy {
    fn from(s: Option<crate::manifest::model::DecodingStrategy>) -> Self {
        use crate::manifest::model::DecodingStrategy as D;
        match s {
            None | Some(D::None) => Self::None,
            Some(D::Auto) => Self::Auto,
            Some(D::Base64) => Self::Base64,
            Some(D::Base64Url) => Self::Base64URL,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECODED: &str = "foo%_?bar";
    const ENCODED: &str = "Zm9vJV8/YmFy";
    const URL_ENCODED: &str = "Zm9vJV8_YmFy";

    fn run(strategy: &str, input: &str) -> Result<Vec<u8>, Error> {
        let strategy = DecodingStrategy::from_eso(strategy)?;
        decode(strategy, &SecretBytes::from(input)).map(|v| v.expose().to_vec())
    }

    // ESO decoding_test.go TestDecode (TV13).

    #[test]
    fn base64_decoded() {
        assert_eq!(run("Base64", "YmFy").unwrap(), b"bar");
    }

    #[test]
    fn invalid_base64() {
        assert_eq!(
            run("Base64", "foo").unwrap_err().to_string(),
            "illegal base64 data at input byte 0"
        );
    }

    #[test]
    fn base64url_decoded() {
        assert_eq!(run("Base64URL", URL_ENCODED).unwrap(), DECODED.as_bytes());
    }

    #[test]
    fn invalid_base64url() {
        assert!(run("Base64URL", "foo").is_err());
    }

    #[test]
    fn none() {
        assert_eq!(run("None", URL_ENCODED).unwrap(), URL_ENCODED.as_bytes());
    }

    #[test]
    fn empty_strategy_defaults_to_none() {
        assert_eq!(run("", URL_ENCODED).unwrap(), URL_ENCODED.as_bytes());
    }

    #[test]
    fn auto_base64() {
        assert_eq!(run("Auto", ENCODED).unwrap(), DECODED.as_bytes());
    }

    #[test]
    fn auto_base64url() {
        assert_eq!(run("Auto", URL_ENCODED).unwrap(), DECODED.as_bytes());
    }

    #[test]
    fn auto_invalid_base64_returns_input() {
        assert_eq!(run("Auto", "foo").unwrap(), b"foo");
    }

    #[test]
    fn unsupported_strategy() {
        assert_eq!(
            run("Bogus", "foo").unwrap_err().to_string(),
            "decoding strategy Bogus is not supported"
        );
    }

    #[test]
    fn go_leniency() {
        assert_eq!(run("Base64", "YWJj\nZGVm").unwrap(), b"abcdef");
        assert_eq!(run("Base64", "YR==").unwrap(), b"a");
        assert_eq!(run("Auto", "1234").unwrap(), [0xd7, 0x6d, 0xf8]);
        assert_eq!(run("Auto", "Gustavo").unwrap(), b"Gustavo");
        assert_eq!(run("Auto", "aGFwcHkgc3RyZWV0").unwrap(), b"happy street");
    }

    // ESO decoding_test.go TestDecodeMap.

    fn map(pairs: &[(&str, &str)]) -> DataMap {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), SecretBytes::from(*v)))
            .collect()
    }

    #[test]
    fn decode_map_base64_decoded() {
        let got = decode_map(DecodingStrategy::Base64, map(&[("foo", "YmFy")]));
        assert_eq!(got.unwrap(), map(&[("foo", "bar")]));
    }

    #[test]
    fn decode_map_invalid_base64() {
        let got = decode_map(DecodingStrategy::Base64, map(&[("foo", "foo")]));
        assert_eq!(
            got.unwrap_err().to_string(),
            "failure decoding key foo: illegal base64 data at input byte 0"
        );
    }

    #[test]
    fn decode_map_base64url_decoded() {
        let got = decode_map(DecodingStrategy::Base64URL, map(&[("foo", URL_ENCODED)]));
        assert_eq!(got.unwrap(), map(&[("foo", DECODED)]));
    }

    #[test]
    fn decode_map_invalid_base64url() {
        assert!(decode_map(DecodingStrategy::Base64URL, map(&[("foo", "foo")])).is_err());
    }

    #[test]
    fn decode_map_none() {
        let got = decode_map(DecodingStrategy::None, map(&[("foo", URL_ENCODED)]));
        assert_eq!(got.unwrap(), map(&[("foo", URL_ENCODED)]));
    }

    #[test]
    fn decode_map_auto() {
        let got = decode_map(
            DecodingStrategy::Auto,
            map(&[
                ("b64", ENCODED),
                ("invalidb64", "foo"),
                ("b64url", URL_ENCODED),
            ]),
        );
        assert_eq!(
            got.unwrap(),
            map(&[("b64", DECODED), ("invalidb64", "foo"), ("b64url", DECODED)])
        );
    }

    #[test]
    fn decode_map_names_first_bad_key_in_order_and_wraps_like_the_controller() {
        let err = decode_map(
            DecodingStrategy::Base64,
            map(&[("z", "!!!!"), ("a", "iam_no_base64"), ("m", "YmFy")]),
        )
        .unwrap_err()
        .applying(DecodingStrategy::Base64);
        assert_eq!(
            err.to_string(),
            "error applying decoding strategy Base64 to data: \
             failure decoding key a: illegal base64 data at input byte 3"
        );
    }

    #[test]
    fn errors_never_carry_values() {
        let err =
            decode_map(DecodingStrategy::Base64, map(&[("k", "hunter2-canary")])).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("hunter2"));
    }
}
