//! Marks and bulk actions, and read-only, on real frames driven by real key events with the answers fed
//! by hand: marks follow their tokens; the preview refuses what must not be sent and asks for the count
//! or the own token's name; the run sends at most its share at once, one request per token, only a 429
//! again after its wait, never a lost one; Esc stops the rest; a bulk reset's secrets stay in custody.

use chrono::Duration;
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::{ApiError, ApiToken, CreatedToken, Secret, TokenId};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::bulk::ItemState;
use mailtrap_tokens::app::state::{Overlay, State, StateConfig, WritePolicy};
use mailtrap_tokens::config::WriteMode;

use super::common::*;
use crate::console_driver::*;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// The ids a list of effects sends writes for, in order.
fn written(effects: &[Effect]) -> Vec<TokenId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::ResetToken { token, .. }
            | Effect::DeleteToken { token, .. }
            | Effect::UpdatePermissions { token, .. } => Some(*token),
            _ => None,
        })
        .collect()
}

/// (request id, token) of every write among `effects`.
fn requests(effects: &[Effect]) -> Vec<(u64, TokenId)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::ResetToken { req, token, .. }
            | Effect::DeleteToken { req, token, .. }
            | Effect::UpdatePermissions { req, token, .. } => Some((*req, *token)),
            _ => None,
        })
        .collect()
}

fn marked_all(state: &mut State) {
    send(state, char_key('a'));
    assert_eq!(state.marks.len(), demo_tokens().len());
}

fn reset_answer(req: u64, old: TokenId, new: TokenId, name: &str, last4: &str) -> Msg {
    let secret = format!("{last4}{}", "9".repeat(28));
    Msg::TokenReset {
        req,
        token: old,
        result: Ok(CreatedToken {
            token: ApiToken {
                id: new,
                name: format!("{name} {new}").into(),
                last_4_digits: secret[28..].into(),
                created_by: "SDK Dev Account Token".into(),
                expires_at: Some(now() + Duration::days(90)),
                resources: vec![].into(),
                opaque_resources: vec![].into(),
            },
            secret: Secret::new(secret),
        }),
    }
}

#[test]
fn marks_follow_their_tokens_through_filters_sorts_and_refreshes() {
    let mut state = loaded(demo_tokens());
    send(&mut state, char_key('g'));
    let first = selected_name(&state);
    send(&mut state, char_key(' '));
    assert_ne!(selected_name(&state), first, "Space marks and moves on");
    assert_eq!(state.marks.len(), 1);
    send(&mut state, char_key('/'));
    type_text(&mut state, "Jane");
    send(&mut state, press(KeyCode::Enter));
    send(&mut state, char_key('a'));
    let shown = state.table.order().len();
    assert!(shown > 1 && first.as_deref() == Some("ci-deploy"));
    assert_eq!(
        state.marks.len(),
        1 + shown,
        "the rows the filter shows join the first"
    );
    send(&mut state, press(KeyCode::Esc));
    send(&mut state, char_key('s'));
    let screen = text(&draw(&mut state, 120, 40));
    let marked = state.marks.len();
    assert!(screen.contains(&format!("· {marked} marked")), "{screen}");
    assert_eq!(screen.matches('✓').count(), marked, "{screen}");
    // A refresh without ci-deploy: its mark goes with it.
    send(&mut state, char_key('r'));
    let req = state.requests.tokens.in_flight.expect("a refresh");
    let rest: Vec<ApiToken> = demo_tokens()
        .into_iter()
        .filter(|t| t.name != "ci-deploy")
        .collect();
    send(
        &mut state,
        Msg::TokensLoaded {
            req,
            result: Ok(rest.into()),
        },
    );
    assert_eq!(
        state.marks.len(),
        marked - 1,
        "ci-deploy was the first marked"
    );
    send(&mut state, char_key('x'));
    assert!(state.marks.is_empty());
    assert!(!text(&draw(&mut state, 120, 40)).contains('✓'));
}

#[test]
fn the_reset_preview_lists_every_marked_token_and_refuses_what_must_not_be_sent() {
    let mut state = loaded(demo_tokens());
    marked_all(&mut state);
    let asked = send(&mut state, char_key('R'));
    let Some(Effect::PlanRequests {
        req: plan_req,
        account,
        items,
    }) = asked.first().cloned()
    else {
        panic!("the preview asks the client for its exact requests: {asked:?}");
    };
    let Some(Overlay::BulkPreview(preview)) = &state.overlays.open else {
        panic!("the preview opens: {:?}", state.overlays.open);
    };
    let refused: Vec<(String, String)> = preview
        .targets()
        .iter()
        .filter_map(|t| Some((t.name.to_string(), t.refused.clone()?)))
        .collect();
    assert!(
        refused
            .iter()
            .any(|(n, why)| n == "ci-deploy" && why.starts_with("already reset")),
        "{refused:?}"
    );
    assert!(
        refused
            .iter()
            .any(|(n, why)| n == "old-import" && why.contains("expired")),
        "{refused:?}"
    );
    assert_eq!(preview.sending(), demo_tokens().len() - 2);
    assert_eq!(
        items.len(),
        preview.sending(),
        "a request for each token sent, no more"
    );
    for (w, h) in SIZES {
        assert_snapshot!(
            format!("bulk_reset_preview_{w}x{h}"),
            draw(&mut state, w, h).backend()
        );
    }
    // `p`: the exact requests, as the client builds them (here answered by the client's own builders).
    send(&mut state, char_key('p'));
    assert!(text(&draw(&mut state, 120, 40)).contains("asking the client for the exact requests"));
    let client =
        mailtrap_tokens::api::Client::new("http://127.0.0.1:9", Secret::new("not-a-secret".into()))
            .unwrap();
    let lines = items
        .iter()
        .map(|item| match item {
            mailtrap_tokens::app::effect::PlanItem::Reset(id) => client
                .plan_reset(account, *id, mailtrap_tokens::api::Expiry::ServerDefault)
                .unwrap()
                .to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    send(
        &mut state,
        Msg::RequestsPlanned {
            req: plan_req,
            result: Ok(lines),
        },
    );
    let screen = text(&draw(&mut state, 120, 40));
    assert!(
        screen.contains("POST http://127.0.0.1:9/api/accounts/1719941/api_tokens/2498561/reset"),
        "{screen}"
    );
    assert!(
        !screen.contains("2498730/reset"),
        "the refused one sends nothing:\n{screen}"
    );
}

#[test]
fn a_bulk_delete_refuses_the_last_holder_of_a_domain_and_beyond_five_needs_the_count() {
    let mut state = loaded(demo_tokens());
    marked_all(&mut state);
    send(&mut state, char_key('D'));
    let Some(Overlay::BulkPreview(preview)) = &state.overlays.open else {
        panic!("the preview opens");
    };
    // example.com token and monitoring are the two holders of domain 3: one of them must stay.
    let refused: Vec<_> = preview
        .targets()
        .iter()
        .filter(|t| t.refused.is_some())
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0]
            .refused
            .as_deref()
            .is_some_and(|w| w.contains("last token with access to domain example.com")),
        "{refused:?}"
    );
    let sending = preview.sending();
    assert_eq!(sending, 7);
    assert!(text(&draw(&mut state, 120, 40)).contains("Type the number of tokens to delete"));
    // A wrong number, `y` and Enter send nothing: the field takes text.
    type_text(&mut state, "6y");
    assert!(send(&mut state, press(KeyCode::Enter)).is_empty());
    for _ in 0..2 {
        send(&mut state, press(KeyCode::Backspace));
    }
    // Pasted, the right number is text too; Enter then sends.
    send(&mut state, Msg::Paste("7".into()));
    let effects = send(&mut state, press(KeyCode::Enter));
    let first = written(&effects);
    assert_eq!(first.len(), 4, "at most four out at once: {effects:?}");
    assert!(matches!(state.overlays.open, Some(Overlay::BulkRun(_))));
    assert_snapshot!(
        "bulk_delete_running_120x40",
        draw(&mut state, 120, 40).backend()
    );
}

#[test]
fn esc_in_mid_run_stops_the_rest_and_every_token_gets_at_most_one_request() {
    let mut state = loaded(demo_tokens());
    marked_all(&mut state);
    send(&mut state, char_key('D'));
    type_text(&mut state, "7");
    let mut out = requests(&send(&mut state, press(KeyCode::Enter)));
    assert_eq!(out.len(), 4);
    // One answer: the next one goes out.
    let (req, token) = out.remove(0);
    let more = requests(&send(
        &mut state,
        Msg::TokenDeleted {
            req,
            token,
            result: Ok(()),
        },
    ));
    assert_eq!(more.len(), 1, "one answered, one more sent");
    out.extend(more);
    // Esc: nothing more goes out; the four out still finish.
    assert!(written(&send(&mut state, press(KeyCode::Esc))).is_empty());
    let status = state
        .status
        .as_ref()
        .map(|s| s.text.to_string())
        .unwrap_or_default();
    assert!(status.contains("Stopped: 5 sent, 2 not sent"), "{status}");
    let mut sent_after = Vec::new();
    for (req, token) in out {
        let effects = send(
            &mut state,
            Msg::TokenDeleted {
                req,
                token,
                result: Ok(()),
            },
        );
        sent_after.extend(written(&effects));
    }
    assert!(sent_after.is_empty(), "nothing after Esc: {sent_after:?}");
    let run = state
        .bulk
        .as_ref()
        .expect("the run stays until its dialog closes");
    assert!(run.is_finished());
    assert_eq!(run.counts().done, 5);
    assert_eq!(
        run.states
            .iter()
            .filter(|s| matches!(s, ItemState::NotSent(why) if why.as_str().contains("stopped with Esc")))
            .count(),
        2
    );
    assert!(
        state.requests.tokens.in_flight.is_some(),
        "the list is read again once, at the end"
    );
    send(&mut state, press(KeyCode::Esc));
    assert!(state.bulk.is_none() && state.overlays.open.is_none());
}

#[test]
fn a_429_waits_its_retry_after_and_goes_once_more_a_lost_answer_never_does() {
    let mut state = loaded(demo_tokens());
    marked_all(&mut state);
    send(&mut state, char_key('R'));
    let out = requests(&send(&mut state, char_key('y')));
    assert_eq!(out.len(), 4);
    let (limited_req, limited) = out[0];
    let (lost_req, lost) = out[1];
    let more = send(
        &mut state,
        Msg::TokenReset {
            req: limited_req,
            token: limited,
            result: Err(ApiError::RateLimited {
                retry_after: Some(std::time::Duration::from_secs(5)),
            }),
        },
    );
    assert!(!written(&more).contains(&limited), "not before its wait");
    let more_after_loss = send(
        &mut state,
        Msg::TokenReset {
            req: lost_req,
            token: lost,
            result: Err(ApiError::Timeout),
        },
    );
    assert!(!written(&more_after_loss).contains(&lost));
    assert_eq!(
        state.requests.lost_writes.len(),
        1,
        "the lost reset waits for the list"
    );
    // Before the wait is over, a tick sends nothing for it; after, exactly one request.
    let early = send_at(
        &mut state,
        Msg::Tick(now() + Duration::seconds(4)),
        now() + Duration::seconds(4),
    );
    assert!(!written(&early).contains(&limited));
    // Four are out again (the two answers each let the next go): the wait being over, it takes the
    // first free place, ahead of the tokens not sent yet.
    let due = now() + Duration::seconds(5);
    assert!(written(&send_at(&mut state, Msg::Tick(due), due)).is_empty());
    let (req, token) = out[2];
    let again = send_at(
        &mut state,
        Msg::TokenReset {
            req,
            token,
            result: Err(ApiError::Validation { errors: vec![] }),
        },
        due,
    );
    assert_eq!(written(&again), vec![limited], "{again:?}");
    let run = state.bulk.as_ref().unwrap();
    assert_eq!(run.rate_limited, 1);
    let lost_at = run.targets.iter().position(|t| t.token == lost).unwrap();
    assert!(
        matches!(&run.states[lost_at], ItemState::AnswerLost(w) if w.as_str().contains("not sent again"))
    );
}

#[test]
fn a_bulk_resets_secrets_stay_in_custody_until_saved_and_never_reach_the_screen() {
    let mut state = loaded(demo_tokens());
    state.session.save_dir = mailtrap_tokens::custody::SaveTarget::unchecked("/tmp/secrets".into());
    for name in ["monitoring", "quantum", "staging-bot"] {
        select(&mut state, name);
        send(&mut state, char_key(' '));
    }
    send(&mut state, char_key('R'));
    let out = requests(&send(&mut state, char_key('y')));
    assert_eq!(out.len(), 3);
    for (n, (req, token)) in out.iter().enumerate() {
        let last4 = ["aaa1", "bbb2", "ccc3"][n];
        send(
            &mut state,
            reset_answer(*req, *token, 2499000 + n as i64, "new", last4),
        );
    }
    assert_eq!(state.secrets_at_risk(), 3);
    assert_eq!(state.secrets_in_custody().len(), 3);
    for (w, h) in SIZES {
        let screen = draw(&mut state, w, h);
        assert!(!text(&screen).contains("9999999999"), "no secret on screen");
        assert_snapshot!(format!("bulk_reset_secrets_{w}x{h}"), screen.backend());
    }
    // Closing asks; `s` saves all of them to one file.
    send(&mut state, press(KeyCode::Esc));
    assert!(text(&draw(&mut state, 120, 40)).contains("Close anyway?"));
    send(&mut state, char_key('n'));
    let effects = send(&mut state, char_key('s'));
    let Some(Effect::SaveSecret { path, secret }) = effects.first() else {
        panic!("one file for every secret: {effects:?}");
    };
    assert!(path.starts_with("/tmp/secrets"), "{path:?}");
    assert_eq!(
        secret
            .expose_secret()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .count(),
        3
    );
    send(&mut state, Msg::SecretSaved(Ok(path.clone())));
    assert_eq!(state.secrets_at_risk(), 0);
    assert!(
        state.secrets_in_custody().is_empty(),
        "the file keeps them now"
    );
    send(&mut state, press(KeyCode::Esc));
    assert!(state.bulk.is_none(), "closed without asking");
}

#[test]
fn a_bulk_permission_edit_picks_one_change_and_sends_it_to_each_token_that_lacks_it() {
    let mut state = loaded(demo_tokens());
    for name in ["monitoring", "quantum", "staging-bot"] {
        select(&mut state, name);
        send(&mut state, char_key(' '));
    }
    send(&mut state, char_key('e'));
    assert!(matches!(
        state.overlays.open,
        Some(Overlay::BulkPermission(_))
    ));
    assert_snapshot!(
        "bulk_permission_picker_80x24",
        draw(&mut state, 80, 24).backend()
    );
    // The tree: Account, Main project, Staging sandbox, example.com; example.com as a viewer.
    for _ in 0..3 {
        send(&mut state, press(KeyCode::Down));
    }
    send(&mut state, char_key('v'));
    let Some(Overlay::BulkPreview(preview)) = &state.overlays.open else {
        panic!("the preview follows the pick");
    };
    let refused: Vec<_> = preview
        .targets()
        .iter()
        .filter(|t| t.refused.is_some())
        .map(|t| t.name.to_string())
        .collect();
    assert_eq!(
        refused,
        vec!["monitoring".to_string()],
        "it is a viewer of example.com already"
    );
    let effects = send(&mut state, char_key('y'));
    let changes: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::UpdatePermissions { changes, .. } => Some(changes.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(changes.len(), 2);
    for c in changes {
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].resource_id, 3);
    }
    // Both saved; the list read again shows the new permission on both.
    for (req, token) in requests(&effects) {
        send(
            &mut state,
            Msg::PermissionsUpdated {
                req,
                token,
                result: Ok(()),
            },
        );
    }
    let status = state
        .status
        .as_ref()
        .map(|s| s.text.to_string())
        .unwrap_or_default();
    assert!(status.contains("u undoes it"), "{status}");
    let reload = state
        .requests
        .tokens
        .in_flight
        .expect("the list is read again");
    let edited: Vec<ApiToken> = demo_tokens()
        .into_iter()
        .map(|mut t| {
            if t.name == "quantum" || t.name == "staging-bot" {
                t.resources
                    .push(res("domain", 3, mailtrap_tokens::api::AccessLevel::VIEWER));
            }
            t
        })
        .collect();
    send(
        &mut state,
        Msg::TokensLoaded {
            req: reload,
            result: Ok(edited.into()),
        },
    );
    send(&mut state, press(KeyCode::Esc));
    // `u`: the whole bulk edit is put back, token by token, after its own preview.
    let asked = send(&mut state, char_key('u'));
    assert!(
        matches!(asked.first(), Some(Effect::PlanRequests { .. })),
        "{asked:?}"
    );
    let Some(Overlay::BulkPreview(preview)) = &state.overlays.open else {
        panic!("the undo's preview: {:?}", state.overlays.open);
    };
    assert_eq!(preview.sending(), 2);
    assert_snapshot!(
        "bulk_undo_preview_80x24",
        draw(&mut state, 80, 24).backend()
    );
    let effects = send(&mut state, char_key('y'));
    let restores: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::UpdatePermissions {
                changes, journal, ..
            } => Some((changes.clone(), journal.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(restores.len(), 2);
    for (changes, journal) in restores {
        assert_eq!(changes.len(), 1);
        assert_eq!(
            (changes[0].resource_id, changes[0].access_level),
            (3, None),
            "removed again"
        );
        assert_eq!(journal.action, mailtrap_tokens::journal::Action::Undo);
        assert!(journal.undoes.is_some(), "each names the entry it undoes");
    }
}

fn read_only(mode: WriteMode) -> StateConfig {
    StateConfig {
        writes: WritePolicy {
            global: mode,
            ..WritePolicy::default()
        },
        ..config()
    }
}

#[test]
fn read_only_disables_every_write_with_its_reason_and_sends_nothing() {
    let mut state = loaded_with(read_only(WriteMode::ReadOnly), demo_tokens());
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("READ-ONLY"), "{screen}");
    for key in ['R', 'D', 'e', 'C', 'n'] {
        let effects = send(&mut state, char_key(key));
        assert!(
            written(&effects).is_empty() && state.overlays.open.is_none(),
            "{key}"
        );
        let status = state
            .status
            .as_ref()
            .map(|s| s.text.to_string())
            .unwrap_or_default();
        assert!(status.contains("read-only"), "{key}: {status}");
    }
    send(&mut state, press(KeyCode::Enter));
    let screen = text(&draw(&mut state, 120, 40));
    assert!(
        screen.contains("the console runs read-only (read_only in the config file)"),
        "the menu says why:\n{screen}"
    );
    send(&mut state, press(KeyCode::Esc));
    marked_all(&mut state);
    assert!(written(&send(&mut state, char_key('D'))).is_empty());
    assert!(state.overlays.open.is_none());
    assert_snapshot!("read_only_80x24", draw(&mut state, 80, 24).backend());
}

#[test]
fn armed_writes_count_down_in_the_title_and_a_dialog_confirmed_after_they_ran_out_sends_nothing() {
    let mut state = loaded_with(read_only(WriteMode::UntilArmed), demo_tokens());
    assert!(text(&draw(&mut state, 120, 40)).contains("READ-ONLY (not armed)"));
    send(&mut state, char_key('W'));
    let screen = text(&draw(&mut state, 120, 40));
    assert!(screen.contains("WRITES ARMED 10:00"), "{screen}");
    select(&mut state, "monitoring");
    send(&mut state, char_key('R'));
    assert!(matches!(state.overlays.open, Some(Overlay::Confirm(_))));
    let later = now() + Duration::minutes(10);
    send_at(&mut state, Msg::Tick(later), later);
    let effects = send_at(&mut state, char_key('y'), later);
    assert!(written(&effects).is_empty(), "{effects:?}");
    let status = state
        .status
        .as_ref()
        .map(|s| s.text.to_string())
        .unwrap_or_default();
    assert!(
        status.contains("Nothing was sent: writes are not armed"),
        "{status}"
    );
    assert!(text(&draw_at(&mut state, later, 120, 40)).contains("READ-ONLY (not armed)"));
}
