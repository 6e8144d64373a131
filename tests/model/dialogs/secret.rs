use mailtrap_tokens::api::Secret;
use mailtrap_tokens::app::dialogs::{Outcome, SecretCommand, SecretDialog, SecretOrigin};
use mailtrap_tokens::clipboard::CopyOutcome;
use mailtrap_tokens::custody::{save_secret, secret_file_name};
use std::path::Path;

use super::*;

const FAKE: &str = "FAKE-SECRET-for-dialog-tests-only";

fn dialog(origin: SecretOrigin) -> SecretDialog {
    SecretDialog::new(
        &token(77, "ci deploy 77", vec![]),
        Secret::new(FAKE.into()),
        origin,
        Path::new("/tmp/keys"),
    )
}

fn reset_origin() -> SecretOrigin {
    SecretOrigin::Reset {
        old_id: 2498600,
        old_name: "ci deploy".into(),
        old_stops_at: Some("2026-08-08T22:00:00Z".parse().unwrap()),
    }
}

#[test]
fn snapshots_of_the_dialog_and_its_question() {
    let mut d = dialog(reset_origin());
    insta::assert_snapshot!("secret_reset", draw(|a, b, t| d.render(a, b, t)).backend());
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Continue);
    assert!(d.is_asking_close());
    let terminal = draw(|a, b, t| d.render(a, b, t));
    insta::assert_snapshot!("secret_close_anyway", terminal.backend());
    let (x, y) = find(&terminal, "[ No ]").unwrap();
    assert!(
        terminal.backend().buffer()[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    let mut d = dialog(SecretOrigin::Created);
    d.copy_result(&CopyOutcome::Osc52);
    d.save_result(Err(
        "/tmp/keys/x already exists; it was not overwritten".into()
    ));
    d.verify_result(Ok("the new token works: it sees account Acme".into()));
    insta::assert_snapshot!(
        "secret_created_with_results",
        draw(|a, b, t| d.render(a, b, t)).backend()
    );
}

#[test]
fn closing_before_copy_or_save_asks_with_no_focused() {
    for k in [
        key(KeyCode::Enter),
        key(KeyCode::Esc),
        ch('q'),
        ctrl_key('c'),
    ] {
        let mut d = dialog(SecretOrigin::Created);
        assert_eq!(d.handle_key(&k), Outcome::Continue);
        assert!(d.is_asking_close(), "{k:?}");
        assert_eq!(
            d.handle_key(&key(KeyCode::Enter)),
            Outcome::Continue,
            "No is focused"
        );
        assert!(!d.is_asking_close());
        d.handle_key(&k);
        assert_eq!(d.handle_key(&ch('y')), Outcome::Closed);
    }
}

#[test]
fn commands_and_acknowledgement() {
    let mut d = dialog(SecretOrigin::Created);
    assert!(d.has_unacknowledged_secret());
    match d.handle_key(&ch('c')) {
        Outcome::Emit(SecretCommand::Copy(s)) => assert_eq!(s.expose_secret(), FAKE),
        other => panic!("{other:?}"),
    }
    match d.handle_key(&ch('s')) {
        Outcome::Emit(SecretCommand::Save { path, .. }) => {
            assert_eq!(path, Path::new("/tmp/keys/ci_deploy_77.token"))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        d.handle_key(&ch('v')),
        Outcome::Emit(SecretCommand::Verify(_))
    ));
    // A failed copy does not count.
    d.copy_result(&CopyOutcome::Unavailable("no clipboard".into()));
    assert!(d.has_unacknowledged_secret());
    d.copy_result(&CopyOutcome::Native {
        cleared_after: None,
    });
    assert!(!d.has_unacknowledged_secret());
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Closed);
    // Debug never shows the secret.
    let d = dialog(SecretOrigin::Created);
    assert!(!format!("{d:?}").contains(FAKE));
}

#[test]
fn save_creates_a_0600_file_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::new(FAKE.into());
    let path = save_secret(dir.path(), "ci deploy", 77, &secret).unwrap();
    assert_eq!(
        path.file_name().unwrap(),
        secret_file_name("ci deploy", 77).as_str()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{FAKE}\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A second save gets a new name beside the first, which is untouched.
    let again = save_secret(
        dir.path(),
        "ci deploy",
        77,
        &Secret::new("OTHER-FAKE".into()),
    )
    .unwrap();
    assert_eq!(again, dir.path().join("ci_deploy-77-2.token"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{FAKE}\n"));
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    assert_eq!(secret_file_name("../../etc/x", 1), "etc_x-1.token");
}
