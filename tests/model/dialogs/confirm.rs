use mailtrap_tokens::api::AccessLevel;
use mailtrap_tokens::app::dialogs::confirm::Confirmed;
use mailtrap_tokens::app::dialogs::destructive::Target;
use mailtrap_tokens::app::dialogs::{ConfirmDialog, Destructive, Outcome};
use ratatui::style::Modifier;

use super::*;

fn target(own: bool, admin: bool) -> Target {
    let resources = if admin {
        vec![res("account", 1, AccessLevel::ADMIN)]
    } else {
        vec![res("domain", 20, AccessLevel::ADMIN)]
    };
    Target::from_token(&token(42, "ci deploy", resources), own)
}

#[test]
fn reset_snapshot_and_cancel_is_focused() {
    let d = ConfirmDialog::new(Destructive::Reset(target(false, false)));
    let terminal = draw(|area, buf, theme| d.render(area, buf, theme));
    insta::assert_snapshot!(terminal.backend());
    let buf = terminal.backend().buffer();
    let (x, y) = find(&terminal, "[ Cancel ]").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(&terminal, "[ Reset ]").unwrap();
    assert!(!buf[(x, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn delete_snapshot() {
    let d = ConfirmDialog::new(Destructive::Delete(target(false, false)));
    let terminal = draw(|area, buf, theme| d.render(area, buf, theme));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn four_y_presses_confirm_once() {
    let action = Destructive::Reset(target(false, false));
    let mut d = ConfirmDialog::new(action.clone());
    let outcomes: Vec<_> = (0..4).map(|_| d.handle_key(&ch('y'))).collect();
    assert_eq!(outcomes[0], Outcome::Emit(Confirmed(action)));
    assert!(
        outcomes[1..].iter().all(|o| *o == Outcome::Continue),
        "{outcomes:?}"
    );
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Continue);
}

#[test]
fn enter_presses_the_focused_button_and_tab_moves() {
    let mut d = ConfirmDialog::new(Destructive::Delete(target(false, false)));
    assert_eq!(
        d.handle_key(&key(KeyCode::Enter)),
        Outcome::Closed,
        "Cancel is focused first"
    );
    let mut d = ConfirmDialog::new(Destructive::Delete(target(false, false)));
    d.handle_key(&key(KeyCode::Tab));
    assert!(matches!(
        d.handle_key(&key(KeyCode::Enter)),
        Outcome::Emit(_)
    ));
    let mut d = ConfirmDialog::new(Destructive::Delete(target(false, false)));
    d.handle_key(&key(KeyCode::Right));
    d.handle_key(&key(KeyCode::Left));
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Closed);
}

#[test]
fn n_esc_and_ctrl_c_cancel() {
    for k in [ch('n'), key(KeyCode::Esc), ctrl_key('c')] {
        let mut d = ConfirmDialog::new(Destructive::Delete(target(false, false)));
        assert_eq!(d.handle_key(&k), Outcome::Closed);
    }
}

#[test]
fn typed_name_snapshot_and_gating() {
    let mut d = ConfirmDialog::new(Destructive::Delete(target(false, true)));
    assert!(d.needs_typed_name());
    let terminal = draw(|area, buf, theme| d.render(area, buf, theme));
    insta::assert_snapshot!("typed_name_empty", terminal.backend());
    // `y` is a letter here, Enter does nothing until the name matches.
    assert_eq!(d.handle_key(&ch('y')), Outcome::Continue);
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Continue);
    d.handle_key(&key(KeyCode::Backspace));
    d.handle_paste("ci\x1b[31m dep");
    assert!(
        !d.can_confirm(),
        "pasted escape stripped, name still incomplete"
    );
    for k in typed("loy") {
        d.handle_key(&k);
    }
    // "ci[31m deploy" is not the name: control stripped but printable rest stays.
    assert!(!d.can_confirm());
    for _ in 0.."ci[31m deploy".len() {
        d.handle_key(&key(KeyCode::Backspace));
    }
    for k in typed("ci deploy") {
        d.handle_key(&k);
    }
    assert!(d.can_confirm());
    let terminal = draw(|area, buf, theme| d.render(area, buf, theme));
    insta::assert_snapshot!("typed_name_matching", terminal.backend());
    assert!(matches!(
        d.handle_key(&key(KeyCode::Enter)),
        Outcome::Emit(_)
    ));
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Continue);
}

#[test]
fn own_token_reset_needs_the_name_but_a_plain_delete_does_not() {
    assert!(ConfirmDialog::new(Destructive::Reset(target(true, false))).needs_typed_name());
    assert!(!ConfirmDialog::new(Destructive::Reset(target(false, true))).needs_typed_name());
    assert!(!ConfirmDialog::new(Destructive::Delete(target(false, false))).needs_typed_name());
}
