use chrono::Duration;
use mailtrap_tokens::api::{AccessLevel, Expiry, FieldError};
use mailtrap_tokens::app::dialogs::token_form::Step;
use mailtrap_tokens::app::dialogs::{Outcome, TokenForm};

use super::*;

fn feed(form: &mut TokenForm, keys: Vec<KeyEvent>) {
    for k in keys {
        assert_eq!(form.handle_key(&k), Outcome::Continue, "{k:?}");
    }
}

#[test]
fn create_flow_through_every_step_with_snapshots() {
    let tree = tree();
    let mut form = TokenForm::new(&tree, now());
    // An empty name is refused on the field.
    feed(&mut form, vec![key(KeyCode::Enter)]);
    assert_eq!(form.step(), Step::Name);
    feed(&mut form, typed("ci deploy"));
    insta::assert_snapshot!(
        "form_1_name",
        draw(|a, b, t| form.render(a, b, t)).backend()
    );
    feed(&mut form, vec![key(KeyCode::Enter)]);
    assert_eq!(form.step(), Step::Permissions);
    // No permission ticked: refused.
    feed(&mut form, vec![key(KeyCode::Enter)]);
    assert_eq!(form.step(), Step::Permissions);
    // Rows: Acme, Staging, QA inbox, example.com, shop.test, Billing. Admin on example.com, viewer on QA inbox.
    feed(
        &mut form,
        vec![
            ch('j'),
            ch('j'),
            ch('v'),
            ch('j'),
            key(KeyCode::Left),
            key(KeyCode::Char(' ')),
        ],
    );
    insta::assert_snapshot!(
        "form_2_permissions",
        draw(|a, b, t| form.render(a, b, t)).backend()
    );
    feed(&mut form, vec![key(KeyCode::Enter)]);
    assert_eq!(form.step(), Step::Expiry);
    // Choose "on a date" (two up from 90 days? no: down three) and type a date.
    feed(&mut form, vec![ch('j'), ch('j'), ch('j')]);
    feed(&mut form, typed("2027-01-15"));
    insta::assert_snapshot!(
        "form_3_expiry",
        draw(|a, b, t| form.render(a, b, t)).backend()
    );
    feed(&mut form, vec![key(KeyCode::Enter)]);
    assert_eq!(form.step(), Step::Review);
    insta::assert_snapshot!(
        "form_4_review",
        draw(|a, b, t| form.render(a, b, t)).backend()
    );
    let expected = NewToken {
        name: "ci deploy".into(),
        resources: vec![
            res("sandbox", 11, AccessLevel::VIEWER),
            res("domain", 20, AccessLevel::ADMIN),
        ],
        expiry: Expiry::At("2027-01-15T00:00:00Z".parse().unwrap()),
    };
    assert_eq!(
        form.handle_key(&key(KeyCode::Enter)),
        Outcome::Emit(expected)
    );
    // Submitted once: Enter again sends nothing.
    assert_eq!(form.handle_key(&key(KeyCode::Enter)), Outcome::Continue);
}

use mailtrap_tokens::api::NewToken;

#[test]
fn dates_are_validated_and_presets_count_from_now() {
    let tree = tree();
    let mut form = TokenForm::new(&tree, now());
    feed(&mut form, typed("x"));
    feed(
        &mut form,
        vec![
            key(KeyCode::Enter),
            key(KeyCode::Char(' ')),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(
        form.resolve_expiry(),
        Ok(Expiry::At(now() + Duration::days(90)))
    );
    feed(&mut form, vec![ch('j'), ch('j'), ch('j')]);
    for (date, words) in [
        ("2026-08-01", "in the future"),
        ("2031-08-09", "at most 5 years"),
        ("2026-13-01", "not a date"),
    ] {
        feed(&mut form, typed(date));
        feed(&mut form, vec![key(KeyCode::Enter)]);
        assert_eq!(form.step(), Step::Expiry);
        assert!(form.resolve_expiry().unwrap_err().contains(words), "{date}");
        for _ in 0..10 {
            feed(&mut form, vec![key(KeyCode::Backspace)]);
        }
    }
}

#[test]
fn never_asks_again_with_no_focused() {
    let tree = tree();
    let mut form = TokenForm::new(&tree, now());
    feed(&mut form, typed("x"));
    feed(
        &mut form,
        vec![
            key(KeyCode::Enter),
            key(KeyCode::Char(' ')),
            key(KeyCode::Enter),
        ],
    );
    feed(&mut form, vec![key(KeyCode::Up)]); // from 90 days up wraps? no: 90 → 30
    feed(
        &mut form,
        vec![
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::Down),
        ],
    );
    assert_eq!(form.resolve_expiry(), Ok(Expiry::Never));
    feed(&mut form, vec![key(KeyCode::Enter)]);
    assert!(form.is_asking_never());
    insta::assert_snapshot!(
        "form_never_question",
        draw(|a, b, t| form.render(a, b, t)).backend()
    );
    feed(&mut form, vec![key(KeyCode::Enter)]); // No is focused
    assert!(!form.is_asking_never());
    assert_eq!(form.step(), Step::Expiry);
    feed(&mut form, vec![key(KeyCode::Enter), ch('y')]);
    assert_eq!(form.step(), Step::Review);
    match form.handle_key(&key(KeyCode::Enter)) {
        Outcome::Emit(t) => assert_eq!(t.expiry, Expiry::Never),
        other => panic!("{other:?}"),
    }
}

#[test]
fn server_errors_land_on_their_fields_and_keep_the_input() {
    let tree = tree();
    let mut form = TokenForm::new(&tree, now());
    feed(&mut form, typed("dup"));
    feed(
        &mut form,
        vec![
            key(KeyCode::Enter),
            key(KeyCode::Char(' ')),
            key(KeyCode::Enter),
            key(KeyCode::Enter),
        ],
    );
    assert!(matches!(
        form.handle_key(&key(KeyCode::Enter)),
        Outcome::Emit(_)
    ));
    form.show_server_errors(vec![
        FieldError {
            field: Some("name".into()),
            message: "has already been taken".into(),
        },
        FieldError {
            field: None,
            message: "Something \x1b[31mbad".into(),
        },
    ]);
    assert_eq!(form.step(), Step::Name);
    assert_eq!(form.name_value(), "dup");
    insta::assert_snapshot!(
        "form_server_errors",
        draw(|a, b, t| form.render(a, b, t)).backend()
    );
    // Submitting again is allowed after the errors.
    feed(
        &mut form,
        vec![
            key(KeyCode::Enter),
            key(KeyCode::Enter),
            key(KeyCode::Enter),
        ],
    );
    assert!(matches!(
        form.handle_key(&key(KeyCode::Enter)),
        Outcome::Emit(_)
    ));
}

#[test]
fn paste_strips_controls_and_caps_at_255() {
    let tree = tree();
    let mut form = TokenForm::new(&tree, now());
    form.handle_paste("a\nb\x07c");
    assert_eq!(form.name_value(), "abc");
    form.handle_paste(&"x".repeat(300));
    assert_eq!(form.name_value().chars().count(), 255);
}

#[test]
fn clone_prefills_and_escape_walks_back_then_closes() {
    let tree = tree();
    let source = token(5, "mailer", vec![res("domain", 21, AccessLevel::ADMIN)]);
    let mut form = TokenForm::clone_from(&source, &tree, now());
    assert_eq!(form.name_value(), "mailer copy");
    assert_eq!(
        form.matrix().selected_resources(),
        vec![res("domain", 21, AccessLevel::ADMIN)]
    );
    insta::assert_snapshot!("form_clone", draw(|a, b, t| form.render(a, b, t)).backend());
    feed(&mut form, vec![key(KeyCode::Enter), key(KeyCode::Esc)]);
    assert_eq!(form.step(), Step::Name);
    assert_eq!(form.handle_key(&key(KeyCode::Esc)), Outcome::Closed);
    let mut form = TokenForm::new(&tree, now());
    feed(&mut form, vec![ch('a'), key(KeyCode::Enter)]);
    assert_eq!(form.handle_key(&ctrl_key('c')), Outcome::Closed);
}
