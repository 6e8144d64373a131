//! Where a new secret goes when it leaves the screen. A save (the console's `s`) and a rescue (a signal
//! stops the console while one is on screen, or `create`/`reset` cannot write it to standard output) both
//! write a new file of its own, mode 0600, in the secrets directory (0700): the state directory's
//! `secrets`, or the one the config file names. The caller says the path. Nothing here ever overwrites a
//! file or follows a link at the name it writes.

pub mod file;
pub mod place;

use std::io;
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::api::{Secret, TokenId};

pub use file::{numbered, save_secret_at, secret_file_name};
pub use place::{SaveTarget, git_work_tree};

/// The secrets directory under a state directory (the default one; the config file may name another).
pub fn secrets_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("secrets")
}

/// How many names `save_secret_new` tries (`x.token`, `x-2.token`, …) before giving up.
const MAX_NAMES: u32 = 100;

/// Saves the secret as `dir/<name>-<id>.token` (`dir` made private first); a taken name gets `-2`,
/// `-3`, … instead of being overwritten. Returns the path written.
pub fn save_secret(dir: &Path, name: &str, id: TokenId, secret: &Secret) -> io::Result<PathBuf> {
    save_secret_new(&dir.join(secret_file_name(name, id)), secret)
}

/// Saves the secret at `path`, or at the first of `numbered(path, 2..)` that is free; the directory is
/// created (or narrowed) to 0700 first. Returns the path written.
pub fn save_secret_new(path: &Path, secret: &Secret) -> io::Result<PathBuf> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_dir(dir)?;
    }
    let mut last = None;
    for n in 1..=MAX_NAMES {
        let candidate = numbered(path, n);
        match save_secret_at(&candidate, secret) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free file name")))
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

/// Writes `secret` to a new file in the secrets directory `dir`, named after the token and the moment,
/// and returns its path. A name already taken gets a counter instead of being overwritten. Nobody can
/// be asked at this point, so a `dir` inside a git work tree is written all the same (a file beats a
/// lost secret); [`work_tree_note`] gives the words that say so.
pub fn rescue(dir: &Path, name: &str, id: TokenId, secret: &Secret) -> io::Result<PathBuf> {
    private_dir(dir)?;
    let stem = secret_file_name(name, id);
    let stem = stem.strip_suffix(".token").unwrap_or(&stem);
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut last = None;
    for n in 0..MAX_NAMES {
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

/// `"; it is inside the git work tree at …, keep it out of commits"` when `path` is, else nothing.
pub fn work_tree_note(path: &Path) -> String {
    match path.parent().and_then(git_work_tree) {
        Some(top) => format!(
            "; that is inside the git work tree at {}: move the file out before anything is committed",
            top.display()
        ),
        None => String::new(),
    }
}

/// Rescues each secret into the secrets directory `dir` and returns one line per secret for standard
/// error: where it went, or why it could not be written (then the line says the secret is lost, so the
/// operator knows to reset again).
pub fn rescue_all(dir: &Path, secrets: &[Rescue<'_>]) -> Vec<String> {
    secrets
        .iter()
        .map(|s| match rescue(dir, s.name, s.id, s.secret) {
            Ok(path) => format!(
                "mailtrap-tokens: the new secret of {} (id {}) was saved to {} (readable only by you){}",
                crate::text::sanitize(s.name),
                s.id,
                path.display(),
                work_tree_note(&path)
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
        let secrets = secrets_dir(dir.path());
        let a = rescue(&secrets, "CI bot", 7, &secret).unwrap();
        let b = rescue(&secrets, "CI bot", 7, &secret).unwrap();
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
            assert_eq!(mode(&secrets), 0o700);
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

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_file_name_holds_the_id_once() {
        // A reset's new token is named after the old one plus its own id.
        assert_eq!(
            secret_file_name("CI deploy bot 2491561", 2491561),
            "CI_deploy_bot_2491561.token"
        );
        assert_eq!(
            secret_file_name("CI deploy bot", 2491561),
            "CI_deploy_bot-2491561.token"
        );
        // Digits that merely end with the id are not the id.
        assert_eq!(
            secret_file_name("build 12491561", 2491561),
            "build_12491561-2491561.token"
        );
        assert_eq!(secret_file_name("2491561", 2491561), "2491561.token");
        assert_eq!(secret_file_name("../../etc/x", 1), "etc_x-1.token");
        assert_eq!(secret_file_name("", 5), "token-5.token");
    }

    #[test]
    fn a_taken_name_gets_a_new_one_and_the_old_file_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = dir.path().join("secrets");
        let first = Secret::new("first-secret-value".into());
        let second = Secret::new("second-secret-value".into());
        let a = save_secret(&secrets, "CI bot", 7, &first).unwrap();
        let b = save_secret(&secrets, "CI bot", 7, &second).unwrap();
        assert_eq!(a, secrets.join("CI_bot-7.token"));
        assert_eq!(b, secrets.join("CI_bot-7-2.token"));
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "first-secret-value\n");
        assert_eq!(
            std::fs::read_to_string(&b).unwrap(),
            "second-secret-value\n"
        );
        // No temporary file is left behind.
        assert_eq!(names_in(&secrets), ["CI_bot-7-2.token", "CI_bot-7.token"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&a), 0o600);
            assert_eq!(mode(&b), 0o600);
            assert_eq!(mode(&secrets), 0o700);
        }
        // At an exact path, a taken name is refused and left alone.
        let err = save_secret_at(&a, &second).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.to_string().contains("not overwritten"), "{err}");
        assert!(!err.to_string().contains("second-secret-value"));
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "first-secret-value\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_at_the_name_is_neither_followed_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = dir.path().join("secrets");
        private_dir(&secrets).unwrap();
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, "untouched\n").unwrap();
        let link = secrets.join("CI_bot-7.token");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        // A dangling link too: following it would create the file it points at.
        let dangling_target = dir.path().join("would-be-created");
        std::os::unix::fs::symlink(&dangling_target, secrets.join("CI_bot-7-2.token")).unwrap();

        let secret = Secret::new("linked-secret-value".into());
        let err = save_secret_at(&link, &secret).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        let saved = save_secret(&secrets, "CI bot", 7, &secret).unwrap();
        assert_eq!(saved, secrets.join("CI_bot-7-3.token"));
        assert_eq!(
            std::fs::read_to_string(&saved).unwrap(),
            "linked-secret-value\n"
        );
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched\n");
        assert!(!dangling_target.exists());
        assert_eq!(
            names_in(&secrets),
            ["CI_bot-7-2.token", "CI_bot-7-3.token", "CI_bot-7.token"]
        );
    }

    #[test]
    fn a_rescue_inside_a_git_work_tree_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let secret = Secret::new("rescued-in-repo".into());
        let lines = rescue_all(
            &repo.join("keys"),
            &[Rescue {
                name: "CI bot",
                id: 7,
                secret: &secret,
            }],
        );
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].contains("inside the git work tree"),
            "{}",
            lines[0]
        );
        assert!(!lines[0].contains("rescued-in-repo"));
        let outside = rescue_all(
            &dir.path().join("plain"),
            &[Rescue {
                name: "CI bot",
                id: 7,
                secret: &secret,
            }],
        );
        assert_eq!(
            outside[0].contains("inside the git work tree"),
            git_work_tree(dir.path()).is_some()
        );
    }
}
