//! Saving a secret to a file: created with mode 0600, never overwriting, never half-written.
//! The content is written to a fresh temporary file in the same directory first, then hard-linked to
//! its final name (which fails if the name exists), so the final file appears complete or not at all.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::api::{Secret, TokenId};

/// `<name>-<id>.token`, the name reduced to characters safe in any file system.
pub fn secret_file_name(name: &str, id: TokenId) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    safe = safe.trim_matches(|c| c == '.' || c == '_').to_string();
    safe.truncate(100);
    if safe.is_empty() {
        safe = "token".into();
    }
    format!("{safe}-{id}.token")
}

/// Saves the secret as `dir/<name>-<id>.token`; refuses if that file exists. Returns the path.
pub fn save_secret(dir: &Path, name: &str, id: TokenId, secret: &Secret) -> io::Result<PathBuf> {
    let path = dir.join(secret_file_name(name, id));
    save_secret_at(&path, secret)?;
    Ok(path)
}

/// Saves the secret (plus a newline) at exactly `path`, mode 0600; refuses if `path` exists.
pub fn save_secret_at(path: &Path, secret: &Secret) -> io::Result<()> {
    if path.exists() {
        return Err(exists_error(path));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        rand::random::<u64>()
    ));
    let result = write_new(&tmp, secret).and_then(|()| {
        fs::hard_link(&tmp, path).or_else(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => Err(exists_error(path)),
            // A file system without hard links (FAT, some network mounts): the final name is created
            // directly, still never over an existing file.
            io::ErrorKind::Unsupported | io::ErrorKind::PermissionDenied => write_new(path, secret)
                .map_err(|e| {
                    if e.kind() == io::ErrorKind::AlreadyExists {
                        exists_error(path)
                    } else {
                        e
                    }
                }),
            _ => Err(e),
        })
    });
    let _ = fs::remove_file(&tmp);
    result
}

fn write_new(path: &Path, secret: &Secret) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // One buffer, written once; the String is wiped by Secret's own type when dropped.
    let content = Secret::new(format!("{}\n", secret.expose_secret()));
    file.write_all(content.expose_secret().as_bytes())?;
    file.sync_all()
}

fn exists_error(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{} already exists; it was not overwritten", path.display()),
    )
}
