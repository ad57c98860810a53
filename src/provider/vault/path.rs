//! Where a `remoteRef.key` lives in Vault's API: ESO's `buildPath` and `buildMetadataPath`
//! (`providers/v1/vault/client_get.go`), rule for rule, including their quirks (a key that starts
//! with the mount has it stripped; without a mount, KV v2 inserts `data` after the first segment).

use crate::manifest::model::VaultKvVersion;

/// ESO's `errPathInvalid`.
pub const INVALID_V2_PATH: &str = "provided Path isn't a valid kv v2 path";

/// The logical path of a secret's value (`<mount>/data/<key>` for KV v2).
pub fn data_path(mount: Option<&str>, version: VaultKvVersion, key: &str) -> String {
    let v2 = version == VaultKvVersion::V2;
    if let Some(mount) = mount {
        let mut rest = key;
        if let Some(r) = key.strip_prefix(&format!("{mount}/")) {
            rest = r;
            if v2 && let Some(r) = rest.strip_prefix("data/") {
                rest = r;
            }
        }
        return if v2 {
            format!("{mount}/data/{rest}")
        } else {
            format!("{mount}/{rest}")
        };
    }
    if v2 && !key.contains("/data/") {
        return match key.split_once('/') {
            Some((first, rest)) => format!("{first}/data/{rest}"),
            None => format!("{key}/data"),
        };
    }
    key.to_string()
}

/// The logical path of a secret's metadata (KV v2) or, for KV v1, of its value; `LIST` uses it
/// too. Without a mount, a KV v2 key must contain `data`, whose first `/data/` becomes
/// `/metadata/`. Errors are ESO's.
pub fn metadata_path(
    mount: Option<&str>,
    version: VaultKvVersion,
    key: &str,
) -> Result<String, String> {
    match (version, mount) {
        (VaultKvVersion::V1, Some(mount)) => Ok(format!("{mount}/{key}")),
        // ESO dereferences the unset mount here and crashes; say what is missing instead.
        (VaultKvVersion::V1, None) => Err(
            "spec.provider.vault.path (the KV mount) is required for this operation with kv \
             version v1"
                .into(),
        ),
        (VaultKvVersion::V2, Some(mount)) => Ok(format!("{mount}/metadata/{key}")),
        (VaultKvVersion::V2, None) if !key.contains("data") => Err(INVALID_V2_PATH.into()),
        (VaultKvVersion::V2, None) => Ok(key.replacen("/data/", "/metadata/", 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use VaultKvVersion::{V1, V2};

    // ESO client_get_test.go TestGetSecretPath (semantics TV27).
    #[test]
    fn data_paths_match_eso() {
        let cases = [
            (
                V2,
                Some("secret/path"),
                "secret/path/data/test",
                "secret/path/data/test",
            ),
            (
                V2,
                Some("secret/path"),
                "secret/path/test",
                "secret/path/data/test",
            ),
            (V2, Some("secret/path"), "test", "secret/path/data/test"),
            (
                V2,
                None,
                "secret/test/big/path",
                "secret/data/test/big/path",
            ),
            (
                V2,
                None,
                "secret/test/data/not/the/first/and/data/twice",
                "secret/test/data/not/the/first/and/data/twice",
            ),
            (
                V1,
                Some("secret/path"),
                "secret/path/test",
                "secret/path/test",
            ),
            (V1, Some("secret/path"), "test", "secret/path/test"),
            (V1, None, "secret/test", "secret/test"),
            // Only the mount's own prefix is stripped, and `data/` only right after it.
            (V2, Some("kv"), "kv/data/a/data/b", "kv/data/a/data/b"),
            (V2, Some("kv"), "other/x", "kv/data/other/x"),
            (V1, Some("kv"), "kv/data/x", "kv/data/x"),
        ];
        for (version, mount, key, want) in cases {
            assert_eq!(
                data_path(mount, version, key),
                want,
                "{version:?} {mount:?} {key}"
            );
        }
    }

    // ESO client_get_test.go TestGetSecretMetadataPath (semantics TV27).
    #[test]
    fn metadata_paths_match_eso() {
        assert_eq!(
            metadata_path(Some("secret/path"), V2, "secret/path/data/test").unwrap(),
            "secret/path/metadata/secret/path/data/test"
        );
        assert_eq!(
            metadata_path(None, V2, "my_data/data/path").unwrap(),
            "my_data/metadata/path"
        );
        assert_eq!(
            metadata_path(Some("secret/path"), V1, "data/test").unwrap(),
            "secret/path/data/test"
        );
        assert_eq!(
            metadata_path(None, V2, "secret/foo").unwrap_err(),
            INVALID_V2_PATH
        );
        assert!(metadata_path(None, V1, "x").unwrap_err().contains("path"));
        // LIST of a find path ends with a slash; the mount root is the empty key.
        assert_eq!(metadata_path(Some("kv"), V2, "").unwrap(), "kv/metadata/");
        assert_eq!(
            metadata_path(Some("kv"), V2, "app/").unwrap(),
            "kv/metadata/app/"
        );
    }
}
