//! Where age identities come from, and turning a file's master keys into its data key.
//!
//! Identities are looked for where sops looks (`age/keysource.go`): `SOPS_AGE_KEY` (several keys
//! per line allowed), the file `SOPS_AGE_KEY_FILE`, the output of `SOPS_AGE_KEY_CMD`, and
//! `$XDG_CONFIG_HOME/sops/age/keys.txt` (else `~/.config/…`), plus files given with
//! `--age-identity`; SSH keys (age's `ssh-ed25519` and `ssh-rsa` recipients) from
//! `SOPS_AGE_SSH_PRIVATE_KEY_FILE`, `~/.ssh/id_ed25519` and `~/.ssh/id_rsa`. They are read once
//! per run, on first use, so a run without SOPS files never runs the key command or opens a key.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use age::armor::ArmoredReader;

use crate::sops::metadata::{MasterKey, Metadata};
use crate::sops::{DataKey, Error, shamir};

/// Where to look for keys; filled from the environment and flags by the CLI.
#[derive(Clone, Default)]
pub struct KeySources {
    /// `SOPS_AGE_KEY`: key material itself, never printed.
    pub age_key: Option<String>,
    pub age_key_file: Option<PathBuf>,
    pub age_key_cmd: Option<String>,
    /// The user configuration directory (`$XDG_CONFIG_HOME`, else `$HOME/.config`).
    pub user_config_dir: Option<PathBuf>,
    /// `--age-identity FILE`, in order.
    pub identity_files: Vec<PathBuf>,
    /// `SOPS_AGE_SSH_PRIVATE_KEY_FILE`.
    pub ssh_key_file: Option<PathBuf>,
    /// The home directory, for `~/.ssh/id_ed25519` and `~/.ssh/id_rsa`.
    pub home_dir: Option<PathBuf>,
    /// `--pgp-key FILE`: armored OpenPGP secret keys (`gpg --export-secret-keys --armor`).
    pub pgp_key_files: Vec<PathBuf>,
}

impl fmt::Debug for KeySources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySources")
            .field("age_key", &self.age_key.as_ref().map(|_| "[REDACTED]"))
            .field("age_key_file", &self.age_key_file)
            .field("age_key_cmd", &self.age_key_cmd)
            .field("user_config_dir", &self.user_config_dir)
            .field("identity_files", &self.identity_files)
            .field("ssh_key_file", &self.ssh_key_file)
            .field("home_dir", &self.home_dir)
            .field("pgp_key_files", &self.pgp_key_files)
            .finish()
    }
}

/// The identities of a run, loaded on first use and shared by every file.
#[derive(Default)]
pub struct Keyring {
    sources: KeySources,
    loaded: OnceLock<Loaded>,
    kms: crate::sops::kms::Kms,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("sources", &self.sources)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Loaded {
    age: Vec<age::x25519::Identity>,
    /// Unencrypted SSH keys only: a renderer has no one to ask for a passphrase.
    ssh: Vec<age::ssh::Identity>,
    /// OpenPGP secret keys without a passphrase.
    pgp: Vec<pgp::composed::SignedSecretKey>,
    /// Where identities were found, e.g. `SOPS_AGE_KEY_FILE (/keys.txt): 2 age identities`.
    found: Vec<String>,
    /// Places that could not be read or held something unusable (no key material).
    problems: Vec<String>,
}

impl Keyring {
    pub fn new(sources: KeySources) -> Self {
        Self {
            sources,
            loaded: OnceLock::new(),
            kms: Default::default(),
        }
    }

    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| load(&self.sources))
    }

    /// Recovers the data key from the master keys: one key of each group opens that group's
    /// part; with several groups, `shamir_threshold` parts are combined.
    pub fn data_key(&self, md: &Metadata) -> Result<DataKey, Error> {
        let mut parts = Vec::new();
        let mut tried = Vec::new();
        for group in &md.groups {
            match self.open_group(group, &mut tried) {
                Some(part) => parts.push(part),
                None => continue,
            }
            if md.groups.len() == 1 {
                break;
            }
        }
        let key = if md.groups.len() > 1 {
            let needed = md.shamir_threshold.max(1);
            if parts.len() < needed {
                return Err(self.no_key(tried, Some((parts.len(), needed))));
            }
            let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
            shamir::combine(&refs)?
        } else {
            parts.pop().ok_or_else(|| self.no_key(tried, None))?
        };
        DataKey::try_from_slice(&key)
    }

    /// The first key of the group that opens. Local keys are tried before KMS (sops tries KMS
    /// first; any key yields the same data key, and this way a run with an age key never waits
    /// for AWS credentials it does not need).
    fn open_group(
        &self,
        group: &[MasterKey],
        tried: &mut Vec<String>,
    ) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let local_first = group
            .iter()
            .filter(|k| matches!(k, MasterKey::Age { .. }))
            .chain(group.iter().filter(|k| !matches!(k, MasterKey::Age { .. })));
        for key in local_first {
            let note = match key {
                MasterKey::Age { recipient, enc } => match unsupported_age_recipient(recipient) {
                    Some(kind) => Some(format!("{kind}: not supported")),
                    None => match self.open_age(enc) {
                        Some(part) => return Some(part),
                        None => None,
                    },
                },
                MasterKey::Pgp { enc, .. } => match self.open_pgp(enc) {
                    Some(part) => return Some(part),
                    None => None,
                },
                MasterKey::AwsKms(k) => match self.kms.decrypt(k) {
                    Ok(part) => return Some(part),
                    Err(e) => Some(e),
                },
                MasterKey::Other { .. } => Some("not supported".to_owned()),
            };
            tried.push(match note {
                Some(n) => format!("{} ({n})", key.describe()),
                None => key.describe(),
            });
        }
        None
    }

    /// Decrypts a PGP stanza (an armored OpenPGP message) with any loaded secret key.
    fn open_pgp(&self, enc: &str) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        use pgp::composed::Message;
        let keys = &self.loaded().pgp;
        if keys.is_empty() {
            return None;
        }
        let (msg, _) = Message::from_armor(std::io::BufReader::new(enc.as_bytes())).ok()?;
        let none = pgp::types::Password::empty();
        let mut msg = msg
            .decrypt_with_keys(keys.iter().map(|_| &none).collect(), keys.iter().collect())
            .ok()?;
        if msg.is_compressed() {
            msg = msg.decompress().ok()?;
        }
        let mut out = zeroize::Zeroizing::new(Vec::new());
        msg.read_to_end(&mut out).ok()?;
        Some(out)
    }

    fn open_age(&self, enc: &str) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let loaded = self.loaded();
        if loaded.age.is_empty() && loaded.ssh.is_empty() {
            return None;
        }
        let ids = (loaded.age.iter().map(|i| i as &dyn age::Identity))
            .chain(loaded.ssh.iter().map(|i| i as &dyn age::Identity));
        let decryptor = age::Decryptor::new(ArmoredReader::new(enc.as_bytes())).ok()?;
        let mut reader = decryptor.decrypt(ids).ok()?;
        let mut out = zeroize::Zeroizing::new(Vec::new());
        reader.read_to_end(&mut out).ok()?;
        Some(out)
    }

    fn no_key(&self, tried: Vec<String>, shamir: Option<(usize, usize)>) -> Error {
        let loaded = self.loaded();
        Error::NoKey {
            tried,
            found: loaded.found.clone(),
            problems: loaded.problems.clone(),
            shamir,
        }
    }
}

/// Recipient kinds sops knows that the `age` crate cannot open.
fn unsupported_age_recipient(recipient: &str) -> Option<&'static str> {
    if recipient.starts_with("age1pq1") {
        Some("post-quantum ML-KEM-768+X25519 recipient")
    } else if recipient.starts_with("ssh-")
        && !recipient.starts_with("ssh-ed25519 ")
        && !recipient.starts_with("ssh-rsa ")
    {
        Some("SSH recipient of a type age cannot use")
    } else if recipient.starts_with("age1") && recipient.matches('1').count() > 1 {
        Some("age plugin recipient")
    } else {
        None
    }
}

fn load(sources: &KeySources) -> Loaded {
    let mut loaded = Loaded::default();
    if let Some(text) = &sources.age_key {
        add_identities(&mut loaded, "SOPS_AGE_KEY".into(), text, true);
    }
    if let Some(path) = &sources.age_key_file {
        read_file(
            &mut loaded,
            format!("SOPS_AGE_KEY_FILE ({})", path.display()),
            path,
        );
    }
    if let Some(cmd) = &sources.age_key_cmd {
        let place = format!("SOPS_AGE_KEY_CMD ({cmd})");
        match run_command(cmd) {
            Ok(out) => add_identities(&mut loaded, place, &out, false),
            Err(e) => loaded.problems.push(format!("{place}: {e}")),
        }
    }
    if let Some(dir) = &sources.user_config_dir {
        let path = dir.join("sops").join("age").join("keys.txt");
        if path.exists() {
            read_file(&mut loaded, path.display().to_string(), &path);
        }
    }
    for path in &sources.identity_files {
        read_file(
            &mut loaded,
            format!("--age-identity {}", path.display()),
            path,
        );
    }
    if let Some(path) = &sources.ssh_key_file {
        let place = format!("SOPS_AGE_SSH_PRIVATE_KEY_FILE ({})", path.display());
        read_ssh(&mut loaded, place, path);
    }
    if let Some(home) = &sources.home_dir {
        for name in ["id_ed25519", "id_rsa"] {
            let path = home.join(".ssh").join(name);
            if path.exists() {
                read_ssh(&mut loaded, path.display().to_string(), &path);
            }
        }
    }
    for path in &sources.pgp_key_files {
        read_pgp(&mut loaded, format!("--pgp-key {}", path.display()), path);
    }
    tracing::debug!(
        identities = loaded.age.len() + loaded.ssh.len() + loaded.pgp.len(),
        sources = loaded.found.len(),
        "loaded age identities"
    );
    loaded
}

fn read_file(loaded: &mut Loaded, place: String, path: &std::path::Path) {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => add_identities(loaded, place, &zeroize::Zeroizing::new(text), false),
            Err(_) => loaded.problems.push(format!("{place}: not UTF-8 text")),
        },
        Err(e) => loaded.problems.push(format!("{place}: cannot read: {e}")),
    }
}

/// An SSH private key as age reads it (OpenSSH or PEM format).
fn read_ssh(loaded: &mut Loaded, place: String, path: &std::path::Path) {
    use age::ssh::Identity;
    let bytes = match std::fs::read(path) {
        Ok(bytes) => zeroize::Zeroizing::new(bytes),
        Err(e) => {
            loaded.problems.push(format!("{place}: cannot read: {e}"));
            return;
        }
    };
    match Identity::from_buffer(bytes.as_slice(), Some(path.display().to_string())) {
        Ok(id @ Identity::Unencrypted(_)) => {
            loaded.ssh.push(id);
            loaded.found.push(format!("{place}: 1 SSH identity"));
        }
        Ok(Identity::Encrypted(_)) => loaded.problems.push(format!(
            "{place}: the SSH key is passphrase-protected, and eso-render never prompts; use an \
             age key or an unprotected deploy key"
        )),
        Ok(Identity::Unsupported(_)) => loaded
            .problems
            .push(format!("{place}: an SSH key type age cannot use")),
        Err(_) => loaded
            .problems
            .push(format!("{place}: not an SSH private key")),
    }
}

/// Armored OpenPGP secret keys; a file may hold several blocks (public blocks are skipped).
fn read_pgp(loaded: &mut Loaded, place: String, path: &std::path::Path) {
    use pgp::composed::{Deserializable, SignedSecretKey};
    use pgp::types::KeyDetails;
    const BEGIN: &str = "-----BEGIN PGP PRIVATE KEY BLOCK-----";
    let text = match std::fs::read_to_string(path) {
        Ok(t) => zeroize::Zeroizing::new(t),
        Err(e) => {
            loaded.problems.push(format!("{place}: cannot read: {e}"));
            return;
        }
    };
    let mut n = 0;
    for block in text.split(BEGIN).skip(1) {
        // The reassembled block holds key material: wiped like the file's text.
        let armored = zeroize::Zeroizing::new(format!("{BEGIN}{block}"));
        let parsed = SignedSecretKey::from_armor_many(armored.as_bytes())
            .map(|(keys, _)| keys.collect::<Result<Vec<_>, _>>());
        match parsed {
            Ok(Ok(keys)) => {
                for key in keys {
                    let locked = key.primary_key.secret_params().is_encrypted()
                        || key
                            .secret_subkeys
                            .iter()
                            .any(|s| s.key.secret_params().is_encrypted());
                    if locked {
                        loaded.problems.push(format!(
                            "{place}: PGP key {} is passphrase-protected, and eso-render never \
                             prompts",
                            hex::encode_upper(key.fingerprint().as_bytes())
                        ));
                    } else {
                        loaded.pgp.push(key);
                        n += 1;
                    }
                }
            }
            _ => loaded
                .problems
                .push(format!("{place}: not an armored OpenPGP secret key")),
        }
    }
    if n > 0 {
        loaded.found.push(format!(
            "{place}: {n} PGP secret key{}",
            if n == 1 { "" } else { "s" }
        ));
    } else if !text.contains(BEGIN) {
        loaded.problems.push(format!("{place}: no PGP secret key"));
    }
}

/// `SOPS_AGE_KEY_CMD`, split like a shell would (no shell runs); its stdout holds identities.
fn run_command(cmd: &str) -> Result<zeroize::Zeroizing<String>, String> {
    let args = shlex::split(cmd)
        .filter(|a| !a.is_empty())
        .ok_or("cannot split the command")?;
    let out = std::process::Command::new(&args[0])
        .args(&args[1..])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run: {e}"))?;
    let stdout = zeroize::Zeroizing::new(out.stdout);
    if !out.status.success() {
        return Err(format!("exited with {}", out.status));
    }
    String::from_utf8(stdout.to_vec())
        .map(zeroize::Zeroizing::new)
        .map_err(|_| "printed something that is not UTF-8 text".into())
}

/// Parses identity lines as sops does: blank lines and `#` comments skipped; with
/// `several_per_line`, whitespace separates keys too.
fn add_identities(loaded: &mut Loaded, place: String, text: &str, several_per_line: bool) {
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = if several_per_line {
            line.split_whitespace().collect()
        } else {
            vec![line.trim_end_matches('\r')]
        };
        for word in words {
            if word.starts_with("AGE-SECRET-KEY-1") {
                match word.parse::<age::x25519::Identity>() {
                    Ok(id) => {
                        loaded.age.push(id);
                        n += 1;
                    }
                    Err(e) => loaded.problems.push(format!(
                        "{place}: line {}: invalid age identity ({e})",
                        i + 1
                    )),
                }
            } else if word.starts_with("AGE-SECRET-KEY-PQ-1") {
                loaded.problems.push(format!(
                    "{place}: line {}: post-quantum age identities are not supported",
                    i + 1
                ));
            } else if word.starts_with("AGE-PLUGIN-") {
                loaded.problems.push(format!(
                    "{place}: line {}: age plugin identities are not supported",
                    i + 1
                ));
            } else {
                loaded
                    .problems
                    .push(format!("{place}: line {}: not an age identity", i + 1));
            }
        }
    }
    if n > 0 {
        loaded.found.push(format!(
            "{place}: {n} age identit{}",
            if n == 1 { "y" } else { "ies" }
        ));
    } else {
        loaded.problems.push(format!("{place}: no age identity"));
    }
}
