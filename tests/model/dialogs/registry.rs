use std::collections::HashMap;

use chrono::Duration;
use mailtrap_tokens::api::{AccessLevel, ApiToken};
use mailtrap_tokens::app::registry::{
    EditToUndo, NO_EDIT_REASON, Related, RowContext, VIEWER_REASON, actions_for, availability,
    infer_reset_grace,
};
use mailtrap_tokens::keys::action::Action;

use super::*;

fn ctx<'a>(
    t: &'a ApiToken,
    all: &'a [ApiToken],
    grace: &'a HashMap<i64, DateTime<Utc>>,
    tree: &'a [ResourceNode],
) -> RowContext<'a> {
    RowContext {
        token: t,
        now: now(),
        holds_secret: false,
        is_own_token: false,
        loaded_tokens: Related::Tokens(all),
        reset_grace: grace,
        resource_tree: tree,
        caller_is_viewer: false,
        writes_refused: None,
        request_in_flight: false,
        unreadable: None,
        undoable_edit: None,
    }
}

#[test]
fn lists_every_row_action_in_order_with_availability() {
    let t = token(1, "ci", vec![res("domain", 20, AccessLevel::ADMIN)]);
    let other = token(2, "other", vec![res("domain", 20, AccessLevel::VIEWER)]);
    let all = vec![t.clone(), other];
    let (grace, tree) = (HashMap::new(), tree());
    let actions = actions_for(&ctx(&t, &all, &grace, &tree));
    let names: Vec<Action> = actions.iter().map(|a| a.action).collect();
    assert_eq!(
        names,
        [
            Action::Copy,
            Action::Reset,
            Action::EditPermissions,
            Action::Delete,
            Action::Undo,
            Action::Clone,
            Action::NewToken,
            Action::Places
        ]
    );
    assert!(
        actions[1..]
            .iter()
            .filter(|a| a.action != Action::Undo)
            .all(|a| a.is_available()),
        "{actions:?}"
    );
    assert_eq!(actions[4].reason(), Some(NO_EDIT_REASON));
}

#[test]
fn undo_is_offered_only_on_the_token_of_the_last_edit_while_it_is_unchanged() {
    let t = token(1, "ci", vec![res("domain", 20, AccessLevel::ADMIN)]);
    let all = vec![t.clone()];
    let (grace, tree) = (HashMap::new(), tree());
    let with = |edit: Option<EditToUndo>| {
        let mut c = ctx(&t, &all, &grace, &tree);
        c.undoable_edit = edit;
        availability(&c, Action::Undo)
    };
    assert_eq!(with(None), Err(NO_EDIT_REASON.to_string()));
    let other = with(Some(EditToUndo {
        token: 2,
        unchanged_since: true,
    }));
    assert!(other.unwrap_err().contains("another token"));
    let changed = with(Some(EditToUndo {
        token: 1,
        unchanged_since: false,
    }));
    assert!(changed.unwrap_err().contains("changed since the edit"));
    let ok = with(Some(EditToUndo {
        token: 1,
        unchanged_since: true,
    }));
    assert_eq!(ok, Ok(()));
    let mut viewer = ctx(&t, &all, &grace, &tree);
    viewer.caller_is_viewer = true;
    viewer.undoable_edit = Some(EditToUndo {
        token: 1,
        unchanged_since: true,
    });
    assert_eq!(
        availability(&viewer, Action::Undo),
        Err(VIEWER_REASON.into())
    );
}

#[test]
fn copy_without_the_secret_offers_the_name_id_or_last_four() {
    let t = token(1, "ci", vec![]);
    let all = vec![t.clone()];
    let (grace, tree) = (HashMap::new(), tree());
    let mut c = ctx(&t, &all, &grace, &tree);
    assert_eq!(
        availability(&c, Action::Copy),
        Err("Mailtrap shows a secret only once; copy the name, id or …dcf7 instead".into())
    );
    c.holds_secret = true;
    assert_eq!(availability(&c, Action::Copy), Ok(()));
}

#[test]
fn already_reset_names_the_time_the_old_token_stops() {
    let mut old = token(1, "ci", vec![]);
    old.expires_at = Some(now() + Duration::minutes(243));
    let new = token(7, "ci 7", vec![]);
    let all = vec![old.clone(), new];
    let grace = infer_reset_grace(&all);
    assert_eq!(grace.get(&1), old.expires_at.as_ref());
    let tree = tree();
    assert_eq!(
        availability(&ctx(&old, &all, &grace, &tree), Action::Reset),
        Err("already reset: the old token stops at 14:03 UTC".into())
    );
}

#[test]
fn an_expired_token_cannot_be_reset() {
    let mut t = token(1, "ci", vec![]);
    t.expires_at = Some(now() - Duration::hours(1));
    let all = vec![t.clone()];
    let (grace, tree) = (HashMap::new(), tree());
    let reason = availability(&ctx(&t, &all, &grace, &tree), Action::Reset).unwrap_err();
    assert!(reason.contains("expired at 09:00 UTC"), "{reason}");
}

#[test]
fn the_last_live_token_of_a_domain_cannot_be_deleted() {
    let last = token(1, "sender", vec![res("domain", 20, AccessLevel::ADMIN)]);
    // Account-level access does not count, nor an expired token, nor one in reset grace.
    let account_admin = token(2, "admin", vec![res("account", 1, AccessLevel::ADMIN)]);
    let mut expired = token(3, "old", vec![res("domain", 20, AccessLevel::ADMIN)]);
    expired.expires_at = Some(now() - Duration::hours(1));
    let graced = token(4, "graced", vec![res("domain", 20, AccessLevel::ADMIN)]);
    let all = vec![last.clone(), account_admin, expired, graced];
    let mut grace = HashMap::new();
    grace.insert(4, now() + Duration::hours(11));
    let tree = tree();
    assert_eq!(
        availability(&ctx(&last, &all, &grace, &tree), Action::Delete),
        Err("the last token with access to domain example.com".into())
    );
    // A second live holder makes it deletable.
    let mut all2 = all.clone();
    all2.push(token(
        5,
        "backup",
        vec![res("domain", 20, AccessLevel::VIEWER)],
    ));
    assert_eq!(
        availability(&ctx(&last, &all2, &grace, &tree), Action::Delete),
        Ok(())
    );
}

#[test]
fn a_viewer_console_cannot_change_anything_and_in_flight_rows_wait() {
    let t = token(1, "ci", vec![]);
    let all = vec![t.clone()];
    let (grace, tree) = (HashMap::new(), tree());
    let mut c = ctx(&t, &all, &grace, &tree);
    c.caller_is_viewer = true;
    for a in [
        Action::Reset,
        Action::EditPermissions,
        Action::Delete,
        Action::Clone,
        Action::NewToken,
    ] {
        assert_eq!(
            availability(&c, a),
            Err("this console's token is a viewer and cannot do this".into()),
            "{a}"
        );
    }
    c.caller_is_viewer = false;
    c.request_in_flight = true;
    assert!(
        availability(&c, Action::Delete)
            .unwrap_err()
            .contains("still running")
    );
    assert_eq!(availability(&c, Action::Clone), Ok(()));
}
