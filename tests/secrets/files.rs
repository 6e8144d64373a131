//! Files: the secret file is created atomically with mode 0600 and never overwrites (a taken name gets
//! a new one); no committed
//! snapshot or test fixture holds a secret-shaped string.

use crate::support::*;
use mailtrap_tokens::api::Secret;
use mailtrap_tokens::custody::{save_secret, save_secret_at};
use std::path::{Path, PathBuf};

fn sim_secret() -> Secret {
    // A fresh simulator issues a real-shaped secret without any I/O beyond loopback.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sim = start().await;
        sim.issue_token(
            "File probe",
            vec![resource("account", sim.account_id(), 10)],
            None,
        )
        .1
    })
}

#[test]
fn the_secret_file_is_0600_complete_and_never_overwritten() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let secret = sim_secret();
    let path = save_secret(dir.path(), "CI deploy bot", 42, &secret).unwrap();
    assert_eq!(path, dir.path().join("CI_deploy_bot-42.token"));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{}\n", secret.expose_secret())
    );
    // A second save of the same token gets a new name, and the first file is untouched.
    let other = sim_secret();
    let second = save_secret(dir.path(), "CI deploy bot", 42, &other).unwrap();
    assert_eq!(second, dir.path().join("CI_deploy_bot-42-2.token"));
    assert_eq!(
        std::fs::read_to_string(&second).unwrap(),
        format!("{}\n", other.expose_secret())
    );
    // At an exact path, a taken name is refused.
    let err = save_secret_at(&path, &other).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert!(err.to_string().contains("not overwritten"), "{err}");
    assert!(!err.to_string().contains(other.expose_secret()));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{}\n", secret.expose_secret())
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn racing_saves_to_one_path_leave_exactly_one_complete_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.token");
    let secrets: Vec<Secret> = (0..8).map(|_| sim_secret()).collect();
    let outcomes: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = secrets
            .iter()
            .map(|s| {
                let path = path.clone();
                scope.spawn(move || save_secret_at(&path, s).is_ok())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{outcomes:?}");
    let winner = outcomes.iter().position(|ok| *ok).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{}\n", secrets[winner].expose_secret())
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_hostile_token_name_cannot_steer_the_file_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("inner");
    std::fs::create_dir(&inner).unwrap();
    let secret = sim_secret();
    for name in [
        "../../escape",
        "/etc/passwd",
        "..",
        "a/../../b",
        "\x1b]0;x\x07",
        "",
    ] {
        let path = save_secret(&inner, name, 7, &secret).unwrap();
        assert_eq!(path.parent(), Some(inner.as_path()), "{name:?} → {path:?}");
        std::fs::remove_file(&path).unwrap();
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == "corpus" {
            continue;
        }
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_snapshot_or_fixture_holds_a_secret_shaped_string() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(root, &mut files);
    let watched: Vec<_> = files
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(root).unwrap();
            p.extension().is_some_and(|e| e == "snap")
                || rel.starts_with("tests")
                || rel.starts_with("assets")
        })
        .collect();
    assert!(
        watched
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "snap")),
        "the walk found the snapshots"
    );
    for path in watched {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        assert!(
            !has_hex32(&text),
            "{} holds a 32-hex string",
            path.display()
        );
    }
}

/// A run of 32 hex digits in either case (what the commit hook flags).
fn has_hex32(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run >= 32 {
            return true;
        }
    }
    false
}
