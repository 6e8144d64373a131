//! A relative `HOME` or `XDG_*_HOME` is ignored, as the XDG rules say: nothing lands under the current
//! directory.

#[cfg(target_os = "linux")]
#[test]
fn relative_home_and_xdg_values_never_make_paths_under_the_current_directory() {
    let cwd = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mailtrap-tokens"))
        .args(["config", "path"])
        .current_dir(cwd.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", "relhome")
        .env("XDG_STATE_HOME", "relstate")
        .env("XDG_CONFIG_HOME", "relconfig")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for line in text.lines() {
        let path = line.split_once(':').map(|(_, p)| p.trim()).unwrap_or("");
        assert!(path.starts_with('/'), "a relative path: {line}");
        assert!(
            !path.contains("relhome") && !path.contains("relstate"),
            "{line}"
        );
    }
    assert_eq!(
        std::fs::read_dir(cwd.path()).unwrap().count(),
        0,
        "nothing made here"
    );
}
