use std::collections::HashMap;

use mailtrap_tokens::api::AccessLevel;
use mailtrap_tokens::app::dialogs::{ActionMenu, MenuChoice, Outcome};
use mailtrap_tokens::app::registry::{Related, RowContext, actions_for};
use mailtrap_tokens::keys::action::Action;
use mailtrap_tokens::keys::keymap::Keymap;
use ratatui::style::Modifier;

use super::*;

fn menu() -> ActionMenu {
    let t = token(1, "sender", vec![res("domain", 20, AccessLevel::ADMIN)]);
    let all = vec![t.clone()];
    let (grace, tree) = (HashMap::new(), tree());
    let ctx = RowContext {
        token: &t,
        now: now(),
        holds_secret: false,
        is_own_token: false,
        loaded_tokens: Related::Tokens(&all),
        reset_grace: &grace,
        resource_tree: &tree,
        caller_is_viewer: false,
        writes_refused: None,
        request_in_flight: false,
        unreadable: None,
        undoable_edit: None,
    };
    ActionMenu::new("sender", actions_for(&ctx), &Keymap::default())
}

#[test]
fn snapshot_with_enabled_and_disabled_actions() {
    let m = menu();
    let terminal = draw(|area, buf, theme| m.render(area, buf, theme));
    insta::assert_snapshot!(terminal.backend());
    // Disabled items are dim; the selected enabled item is in the selected (reversed) style.
    let buf = terminal.backend().buffer();
    let (x, y) = find(&terminal, "Delete the token").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::DIM));
    let (x, y) = find(&terminal, "Reset the token").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn keys_move_choose_refuse_and_close() {
    let mut m = menu();
    // The first available action (Reset) is selected; Enter runs it.
    assert_eq!(m.selected_action(), Some(Action::Reset));
    assert_eq!(
        m.handle_key(&key(KeyCode::Enter)),
        Outcome::Emit(MenuChoice::Run(Action::Reset))
    );
    m.handle_key(&ch('j'));
    assert_eq!(m.selected_action(), Some(Action::EditPermissions));
    m.handle_key(&key(KeyCode::Up));
    m.handle_key(&ch('k'));
    assert_eq!(m.selected_action(), Some(Action::Copy));
    // A disabled action's hotkey is refused with the registry's words.
    assert_eq!(
        m.handle_key(&ch('D')),
        Outcome::Emit(MenuChoice::Refused {
            action: Action::Delete,
            reason: "the last token with access to domain example.com".into()
        })
    );
    assert_eq!(
        m.handle_key(&ch('C')),
        Outcome::Emit(MenuChoice::Run(Action::Clone))
    );
    assert_eq!(m.handle_key(&key(KeyCode::Esc)), Outcome::Closed);
    assert_eq!(m.handle_key(&ctrl_key('c')), Outcome::Closed);
}
