//! The only test in this binary that installs the global subscriber and the panic hook.

use mailtrap_tokens::config::logging::{init_logging_at, install_panic_logging};

#[test]
fn logs_go_to_the_file_at_the_chosen_level_with_panics() {
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("state/deeper/mailtrap-tokens.log");
    let file = init_logging_at(&log, Some("debug")).expect("logging starts");
    assert_eq!(file.path, log);
    install_panic_logging();

    tracing::debug!("a debug line");
    tracing::trace!("a trace line");
    let result = std::panic::catch_unwind(|| panic!("the table had {} rows", 3));
    assert!(result.is_err());
    let result = std::panic::catch_unwind(|| std::panic::panic_any(0xdead_u32));
    assert!(result.is_err());

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("logging started"), "{text}");
    assert!(text.contains("a debug line"), "{text}");
    assert!(!text.contains("a trace line"), "{text}");
    assert!(text.contains("panic: the table had 3 rows"), "{text}");
    assert!(text.contains("not text; not logged"), "{text}");
    assert!(!text.contains(&0xdead_u32.to_string()), "{text}");
    assert!(!text.contains('\x1b'), "no ANSI in the file: {text:?}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the log is owner-only");
    }

    // A second subscriber cannot be installed; the caller gets None and carries on.
    assert!(init_logging_at(&home.path().join("other.log"), None).is_err());
}
