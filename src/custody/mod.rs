//! Where a new secret goes when the place it was meant for cannot take it: a signal stops the console
//! while one is on screen, or `create`/`reset` cannot write it to standard output. Each secret then goes
//! to a new file of its own, mode 0600, in a `secrets` directory (0700) under the state directory, and the
//! caller says the path on standard error. Nothing here ever overwrites a file.

pub mod file;

use std::io;
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::api::{Secret, TokenId};

pub use file::{save_secret, save_secret_at, secret_file_name};

/// The directory rescued secrets go to.
pub fn secrets_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("secrets")
}

/// Creates `dir` (and its missing parents) readable only by this user, and narrows an existing one to
/// 0700: it holds secrets, or the log that sits beside them.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        let meta = std::fs::symlink_metadata(dir)?;
        if !meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a directory", dir.display()),
            ));
        }
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        builder.create(dir)
    }
}

/// Writes `secret` to a new file in `secrets_dir(state_dir)`, named after the token and the moment, and
/// returns its path. A name already taken gets a counter instead of being overwritten.
pub fn rescue(state_dir: &Path, name: &str, id: TokenId, secret: &Secret) -> io::Result<PathBuf> {
    let dir = secrets_dir(state_dir);
    private_dir(&dir)?;
    let stem = secret_file_name(name, id);
    let stem = stem.strip_suffix(".token").unwrap_or(&stem);
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut last = None;
    for n in 0..100 {
        let file = if n == 0 {
            format!("{stem}-{stamp}.token")
        } else {
            format!("{stem}-{stamp}-{n}.token")
        };
        let path = dir.join(file);
        match save_secret_at(&path, secret) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free file name")))
}

/// One secret that must outlive the process: what to call its file and the secret itself.
pub struct Rescue<'a> {
    pub name: &'a str,
    pub id: TokenId,
    pub secret: &'a Secret,
}

/// Rescues each secret and returns one line per secret for standard error: where it went, or why it
/// could not be written (then the line says the secret is lost, so the operator knows to reset again).
pub fn rescue_all(state_dir: &Path, secrets: &[Rescue<'_>]) -> Vec<String> {
    secrets
        .iter()
        .map(|s| match rescue(state_dir, s.name, s.id, s.secret) {
            Ok(path) => format!(
                "mailtrap-tokens: the new secret of {} (id {}) was saved to {} (readable only by you)",
                crate::text::sanitize(s.name),
                s.id,
                path.display()
            ),
            Err(e) => format!(
                "mailtrap-tokens: the new secret of {} (id {}) could not be saved ({e}); reset the token \
                 again to get a new one",
                crate::text::sanitize(s.name),
                s.id
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescued_secrets_get_new_private_files_and_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let secret = Secret::new("rescued-secret-value".into());
        let a = rescue(dir.path(), "CI bot", 7, &secret).unwrap();
        let b = rescue(dir.path(), "CI bot", 7, &secret).unwrap();
        assert_ne!(a, b);
        for p in [&a, &b] {
            assert_eq!(
                std::fs::read_to_string(p).unwrap(),
                "rescued-secret-value\n"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&a), 0o600);
            assert_eq!(mode(&secrets_dir(dir.path())), 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_open_state_dir_is_narrowed_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        std::fs::create_dir(&state).unwrap();
        std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&state).unwrap();
        let mode = std::fs::metadata(&state).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
