use mailtrap_tokens::api::{AccessLevel, PermissionChange, ResourceType};
use mailtrap_tokens::app::dialogs::confirm::Confirmed;
use mailtrap_tokens::app::dialogs::edit_permissions::EditStep;
use mailtrap_tokens::app::dialogs::{
    Destructive, EditPermissionsDialog, Outcome, PermissionMatrix,
};
use ratatui::style::Modifier;

use super::*;

fn subject() -> ApiToken {
    token(
        9,
        "mailer",
        vec![
            res("domain", 20, AccessLevel::ADMIN),
            res("sandbox", 11, AccessLevel::VIEWER),
            res("mystery", 77, AccessLevel::VIEWER),
        ],
    )
}

#[test]
fn matrix_snapshot_and_styles() {
    let tree = tree();
    let m = PermissionMatrix::with_resources(&tree, &subject().resources);
    let terminal = draw(|area, buf, theme| m.render(area, buf, theme, true));
    insta::assert_snapshot!(terminal.backend());
    let buf = terminal.backend().buffer();
    // Billing is only viewed by the caller: dim, and space there changes nothing.
    let (x, y) = find(&terminal, "Billing").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::DIM));
    let mut m = m;
    for _ in 0..5 {
        m.handle_key(&ch('j'));
    }
    m.handle_key(&key(KeyCode::Char(' ')));
    assert!(m.changes().is_empty());
}

#[test]
fn edit_flow_emits_upserts_and_removals_once() {
    let tree = tree();
    let mut d = EditPermissionsDialog::new(&subject(), &tree, false);
    // Nothing changed: "no changes", no summary.
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Continue);
    assert_eq!(d.step(), EditStep::Matrix);
    let terminal = draw(|area, buf, theme| d.render(area, buf, theme));
    assert!(find(&terminal, "no changes").is_some());
    // Rows: Acme, Staging, QA inbox, example.com, shop.test, Billing, mystery.
    // example.com: admin → none; shop.test: none → viewer; QA inbox: viewer → admin.
    for k in [
        ch('j'),
        ch('j'),
        ch('a'),
        ch('j'),
        ch('a'),
        ch('j'),
        ch('v'),
    ] {
        d.handle_key(&k);
    }
    d.handle_key(&key(KeyCode::Enter));
    assert_eq!(d.step(), EditStep::Summary);
    insta::assert_snapshot!(
        "edit_summary",
        draw(|area, buf, theme| d.render(area, buf, theme)).backend()
    );
    let change = |ty: &str, id, level| PermissionChange {
        resource_type: ResourceType::new(ty),
        resource_id: id,
        access_level: level,
    };
    let expected = vec![
        change("sandbox", 11, Some(AccessLevel::ADMIN)),
        change("domain", 20, None),
        change("domain", 21, Some(AccessLevel::VIEWER)),
    ];
    match d.handle_key(&ch('y')) {
        Outcome::Emit(Confirmed(Destructive::EditPermissions { target, changes })) => {
            assert_eq!(target.token_id, 9);
            assert_eq!(changes, expected);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(d.handle_key(&ch('y')), Outcome::Continue);
}

#[test]
fn own_token_edit_needs_the_name_and_escape_goes_back() {
    let tree = tree();
    let mut d = EditPermissionsDialog::new(&subject(), &tree, true);
    d.handle_key(&ch('a'));
    d.handle_key(&key(KeyCode::Enter));
    assert_eq!(d.handle_key(&key(KeyCode::Enter)), Outcome::Continue);
    for k in typed("mailer") {
        d.handle_key(&k);
    }
    assert!(matches!(
        d.handle_key(&key(KeyCode::Enter)),
        Outcome::Emit(_)
    ));
    let mut d = EditPermissionsDialog::new(&subject(), &tree, false);
    d.handle_key(&ch('a'));
    d.handle_key(&key(KeyCode::Enter));
    d.handle_key(&key(KeyCode::Esc));
    assert_eq!(d.step(), EditStep::Matrix);
    assert_eq!(d.handle_key(&key(KeyCode::Esc)), Outcome::Closed);
}
