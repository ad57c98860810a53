//! Plugin modes: the protocols of the tools that run eso-render as a step of their own.
//!
//! Each mode turns its tool's environment (Argo CD's cmp-server variables, a kustomize generator
//! config, a KRM `ResourceList`) into the same checked [`crate::cli::Plan`] a `render` runs, so
//! every mode resolves, renders and fails closed exactly as `render` does.

pub mod argocd;
pub mod kustomize;

use std::path::{Path, PathBuf};

/// `path` (relative to `base`, which is inside `root`; both canonical) if it stays inside
/// `root`, symlinks followed; `None` if it leaves it. A path that does not exist is judged by its
/// words (`..` pops a component): reading it fails later with its own error.
fn confined(root: &Path, base: &Path, path: &str) -> Option<PathBuf> {
    let joined = base.join(path);
    let real = match std::fs::canonicalize(&joined) {
        Ok(real) => real,
        Err(_) => {
            let mut out = PathBuf::new();
            for c in joined.components() {
                match c {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other),
                }
            }
            out
        }
    };
    real.starts_with(root).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("app")).unwrap();
        std::fs::write(root.join("app/es.yaml"), "").unwrap();
        std::os::unix::fs::symlink("/etc", root.join("app/etc")).unwrap();
        assert!(confined(&root, &root, "app/es.yaml").is_some());
        assert!(confined(&root, &root.join("app"), "../app/es.yaml").is_some());
        assert!(confined(&root, &root, "app/missing.yaml").is_some());
        assert!(confined(&root, &root, "..").is_none());
        assert!(confined(&root, &root, "../missing").is_none());
        assert!(confined(&root, &root, "/etc/passwd").is_none());
        assert!(confined(&root, &root, "app/etc").is_none());
    }
}
