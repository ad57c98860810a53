//! age SSH identities: files that the real sops encrypted to `ssh-ed25519` and `ssh-rsa`
//! recipients open with the private key from `SOPS_AGE_SSH_PRIVATE_KEY_FILE` or `~/.ssh`.

use std::path::Path;

use super::SECRET;
use super::peers::Peers;
use crate::support::{eso_render, parse_yaml, run};

/// eso-render with HOME (and so `~/.ssh`, `~/.config/sops`) inside the test directory.
fn render(home: &Path, vars: &[(&str, &Path)], file: &Path) -> crate::support::Run {
    let mut cmd = eso_render();
    cmd.env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("SOPS_AGE_KEY")
        .env_remove("SOPS_AGE_KEY_FILE")
        .env_remove("SOPS_AGE_KEY_CMD")
        .env_remove("SOPS_AGE_SSH_PRIVATE_KEY_FILE");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    run(cmd.arg("render").arg(file))
}

#[test]
fn ssh_recipients_open_with_ssh_private_keys() {
    let Some(p) = Peers::get() else { return };
    for kind in ["ed25519", "rsa"] {
        let dir = tempfile::tempdir().unwrap();
        let (private, public) = p.ssh_keygen(dir.path(), kind, "");
        let plain = dir.path().join("plain.yaml");
        std::fs::write(&plain, SECRET).unwrap();
        let enc = dir.path().join("secret.yaml");
        p.encrypt(&plain, &enc, &public, &[], "yaml");
        let want = parse_yaml(
            &String::from_utf8(p.decrypt_with(
                &enc,
                "yaml",
                "SOPS_AGE_SSH_PRIVATE_KEY_FILE",
                &private,
            ))
            .unwrap(),
        );

        // From SOPS_AGE_SSH_PRIVATE_KEY_FILE.
        let r = render(
            dir.path(),
            &[("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &private)],
            &enc,
        );
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
        assert_eq!(parse_yaml(&r.stdout), want, "{kind}");

        // From ~/.ssh/id_<kind>.
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".ssh")).unwrap();
        std::fs::copy(&private, home.join(".ssh").join(format!("id_{kind}"))).unwrap();
        let r = render(&home, &[], &enc);
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
        assert_eq!(parse_yaml(&r.stdout), want, "{kind}");

        // No key: the error names the SSH recipient tried and where keys were looked for.
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let r = render(&empty, &[], &enc);
        assert_eq!(r.code, 2, "{kind}: {}", r.stderr);
        assert!(r.stdout.is_empty());
        assert!(r.stderr.contains(&format!("ssh-{kind}")), "{}", r.stderr);
    }
}

#[test]
fn passphrase_protected_ssh_keys_are_named_not_prompted_for() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = p.ssh_keygen(dir.path(), "ed25519", "correct horse");
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, SECRET).unwrap();
    let enc = dir.path().join("secret.yaml");
    p.encrypt(&plain, &enc, &public, &[], "yaml");
    let r = render(
        dir.path(),
        &[("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &private)],
        &enc,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("passphrase-protected"), "{}", r.stderr);
    assert!(!r.stderr.contains("correct horse"));
}

#[test]
fn encrypt_on_render_to_an_ssh_recipient() {
    let Some(p) = Peers::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = p.ssh_keygen(dir.path(), "ed25519", "");
    std::fs::write(
        dir.path().join(".sops.yaml"),
        "stores:\n  yaml:\n    indent: 2\n",
    )
    .unwrap();
    let quickstart = crate::support::repo().join("examples/quickstart");
    let plain = run(eso_render().arg("render").arg(&quickstart));
    let enc = run(eso_render()
        .args(["render", "--sops-age-recipient", &public])
        .arg(&quickstart));
    assert_eq!(enc.code, 0, "{}", enc.stderr);
    let first = enc.stdout.split("\n---\n").next().unwrap();
    assert!(first.contains("recipient: ssh-ed25519 "), "{first}");
    let file = dir.path().join("doc.yaml");
    std::fs::write(&file, format!("{first}\n")).unwrap();
    let got = p.decrypt_with(&file, "yaml", "SOPS_AGE_SSH_PRIVATE_KEY_FILE", &private);
    let want = plain.stdout.split("---\n").next().unwrap();
    assert_eq!(String::from_utf8(got).unwrap(), want);
}
