//! The log file itself: capped in size, owner-only whatever it was, and never reached through a symlink.

use mailtrap_tokens::config::logging::{RollingLog, init_logging_at};
use std::io::Write;

/// Writes `lines` lines of 100 bytes, as the formatter does: one write per line.
fn write_lines(log: &mut RollingLog, lines: usize) {
    for i in 0..lines {
        let line = format!("{i:>99}\n");
        log.write_all(line.as_bytes()).unwrap();
    }
}

#[test]
fn the_log_rolls_over_and_keeps_a_few() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/mailtrap-tokens.log");
    let mut log = RollingLog::open(&path, 1_000, 2).unwrap();
    write_lines(&mut log, 95);
    drop(log);
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).ok();
    // 95 lines of 100 bytes at 1,000 a file: the current one holds the last 5, each older one 10.
    assert_eq!(size(&path), Some(500));
    assert_eq!(size(&RollingLog::rolled_path(&path, 1)), Some(1_000));
    assert_eq!(size(&RollingLog::rolled_path(&path, 2)), Some(1_000));
    assert_eq!(
        size(&RollingLog::rolled_path(&path, 3)),
        None,
        "only 2 kept"
    );
    let newest = std::fs::read_to_string(&path).unwrap();
    assert!(
        newest.ends_with(&format!("{:>99}\n", 94)),
        "lines are whole"
    );

    // A file already past the cap is rolled over when it is opened.
    std::fs::write(&path, vec![b'x'; 5_000]).unwrap();
    let mut log = RollingLog::open(&path, 1_000, 2).unwrap();
    write_lines(&mut log, 1);
    assert_eq!(size(&path), Some(100));
    assert_eq!(size(&RollingLog::rolled_path(&path, 1)), Some(5_000));
}

#[cfg(unix)]
#[test]
fn a_log_that_was_0644_ends_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mailtrap-tokens.log");
    std::fs::write(&path, "old line\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut log = RollingLog::open(&path, 1_000_000, 3).unwrap();
    write_lines(&mut log, 1);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("old line\n"),
        "appended"
    );
    // So is every file it rolls over to.
    let mut log = RollingLog::open(&path, 150, 3).unwrap();
    write_lines(&mut log, 2);
    for p in [path.clone(), RollingLog::rolled_path(&path, 1)] {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", p.display());
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_at_the_log_path_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("precious.txt");
    std::fs::write(&target, "the user's own file\n").unwrap();
    let path = dir.path().join("mailtrap-tokens.log");
    std::os::unix::fs::symlink(&target, &path).unwrap();

    let err = RollingLog::open(&path, 1_000, 3).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    // Through the start-up path: a warning in words, and no logger installed on the link.
    let warning = init_logging_at(&path, None).unwrap_err();
    assert!(
        warning.contains("is a symbolic link, which is not followed"),
        "{warning}"
    );
    assert!(warning.contains("nothing is logged"), "{warning}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the user's own file\n",
        "the target is untouched"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_ne!(mode & 0o777, 0o600, "its mode is untouched too");
}
