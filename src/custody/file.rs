//! Saving a secret to a file: created with mode 0600, never overwriting, never following a link, never
//! half-written. The content goes to a fresh temporary file in the same directory first (a random name
//! created exclusively), then takes its final name with `persist_noclobber` (a rename that refuses an
//! existing name, or a hard link), so the final file appears complete or not at all, and anything
//! already at that name (a file, a symbolic link) stays as it was.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::api::{Secret, TokenId};

/// `<name>-<id>.token`, the name reduced to characters safe in any file system. A name that already
/// ends with the id (a reset's new token is named `<old name> <id>`) does not get it twice.
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
    let id = id.to_string();
    let ends_with_id = safe
        .strip_suffix(id.as_str())
        .is_some_and(|rest| rest.is_empty() || rest.ends_with(['_', '-', '.']));
    if ends_with_id {
        format!("{safe}.token")
    } else {
        format!("{safe}-{id}.token")
    }
}

/// Saves the secret (plus a newline) at exactly `path`, mode 0600; refuses if anything is at `path`,
/// a symbolic link included (it is neither followed nor replaced).
pub fn save_secret_at(path: &Path, secret: &Secret) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let mut builder = tempfile::Builder::new();
    let prefix = format!(".{}.", file_name.to_string_lossy());
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    write_secret(tmp.as_file_mut(), secret)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        // The temporary file is removed when the error (which owns it) is dropped.
        Err(e) => match e.error.kind() {
            io::ErrorKind::AlreadyExists => Err(exists_error(path)),
            // A file system with neither a no-replace rename nor hard links (FAT, some network
            // mounts): the final name is created directly, still exclusively.
            io::ErrorKind::Unsupported | io::ErrorKind::PermissionDenied => {
                drop(e);
                write_new(path, secret).map_err(|e| {
                    if e.kind() == io::ErrorKind::AlreadyExists {
                        exists_error(path)
                    } else {
                        e
                    }
                })
            }
            _ => Err(e.error),
        },
    }
}

/// The name to try after `path` was taken: `x.token`, `x-2.token`, `x-3.token`, …
pub fn numbered(path: &Path, n: u32) -> PathBuf {
    if n < 2 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

fn write_new(path: &Path, secret: &Secret) -> io::Result<()> {
    let mut options = OpenOptions::new();
    // `create_new` is O_CREAT|O_EXCL: it fails on an existing name, a symbolic link included.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options.open(path)?;
    write_secret(&mut file, secret)
}

fn write_secret(file: &mut std::fs::File, secret: &Secret) -> io::Result<()> {
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
