//! Bulk actions through the console against the simulator, with the simulator's request log as the proof
//! of every count: a bulk delete of 30 whose 7th answer is lost after the server acted (reported for that
//! row, never resent), a bulk reset of 20 whose secrets all reach the dialog (each one authenticates), and
//! a 429 in mid-run sent again once after its wait, the others once.

use std::sync::atomic::{AtomicI64, Ordering};

use crossterm::event::KeyCode;
use mailtrap_tokens::api::TokenId;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::Overlay;
use mailtrap_tokens::app::state::bulk::ItemState;
use mailtrap_tokens::sim::{DropPoint, Fault, RunningSim};

use crate::console_driver::{Live, char_key, sim_config};
use crate::support::*;

/// Seconds the 429 test's console clock is ahead of the wall clock, for the wait (no sleeping).
static AHEAD: AtomicI64 = AtomicI64::new(0);

fn clock() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn clock_ahead() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + chrono::Duration::seconds(AHEAD.load(Ordering::SeqCst))
}

/// `count` fresh tokens named `Bulk target NN`, account viewers (no domain rule refuses them).
fn targets(sim: &RunningSim, count: usize) -> Vec<TokenId> {
    (1..=count)
        .map(|n| {
            sim.issue_token(
                &format!("Bulk target {n:02}"),
                vec![resource("account", sim.account_id(), 10)],
                None,
            )
            .0
        })
        .collect()
}

/// The console with every `Bulk target` marked.
async fn marked(sim: &RunningSim, count: usize) -> Live {
    marked_on(sim, count, clock).await
}

async fn marked_on(
    sim: &RunningSim,
    count: usize,
    clock: fn() -> chrono::DateTime<chrono::Utc>,
) -> Live {
    let console = Live::start(sim_config(sim), client(sim), clock);
    mark_targets(console, count).await
}

async fn mark_targets(mut console: Live, count: usize) -> Live {
    console.settle().await;
    console.send(char_key('/'));
    console.chars("Bulk target");
    console.key(KeyCode::Enter);
    console.send(char_key('a'));
    assert_eq!(console.state.marks.len(), count);
    console.key(KeyCode::Esc);
    console
}

fn requests_to(sim: &RunningSim, method: &str, id: TokenId) -> usize {
    let path = format!("/api_tokens/{id}");
    sim.requests()
        .iter()
        .filter(|r| {
            r.method == method
                && (r.path.ends_with(&path) || r.path.ends_with(&format!("{path}/reset")))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_delete_of_30_reports_the_7th_answer_lost_after_the_server_acted_and_never_resends()
{
    let sim = start().await;
    let ids = targets(&sim, 30);
    let state = tempfile::tempdir().unwrap();
    let live = Live::start_in(
        sim_config(&sim),
        client(&sim),
        clock,
        state.path().to_path_buf(),
    );
    let mut console = mark_targets(live, 30).await;
    console.send(char_key('D'));
    let Some(Overlay::BulkPreview(preview)) = &console.state.overlays.open else {
        panic!("the preview");
    };
    assert_eq!(preview.sending(), 30);
    let seventh = preview.targets()[6].token;
    sim.inject_fault(Fault {
        path: Some(format!("/api_tokens/{seventh}")),
        method: Some("DELETE".into()),
        drop: Some(DropPoint::After),
        ..Fault::default()
    });
    sim.clear_requests();
    console.chars("30");
    console.key(KeyCode::Enter);
    console.settle().await;
    let run = console
        .state
        .bulk
        .as_ref()
        .expect("the run's dialog is open");
    assert!(run.is_finished());
    for (target, state) in run.targets.iter().zip(&run.states) {
        if target.token == seventh {
            assert!(
                matches!(state, ItemState::AnswerLost(w) if w.as_str().contains("not sent again")),
                "{state:?}"
            );
        } else {
            assert!(
                matches!(state, ItemState::Done(_)),
                "{}: {state:?}",
                target.name
            );
        }
    }
    for id in &ids {
        assert_eq!(
            requests_to(&sim, "DELETE", *id),
            1,
            "token {id}: exactly one request"
        );
    }
    // The journal: one entry per request sent, each with its result; the 7th's says its answer was lost.
    let journal = mailtrap_tokens::journal::Journal::in_state_dir(state.path());
    let (entries, warnings) = mailtrap_tokens::journal::read_entries(&journal).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let deletes: Vec<_> = entries
        .iter()
        .filter(|e| e.sent.token.is_some_and(|t| ids.contains(&t)))
        .collect();
    assert_eq!(deletes.len(), 30, "one entry per request sent");
    for e in &deletes {
        let result = e.answer.as_ref().map(|a| a.result.as_str());
        if e.sent.token == Some(seventh) {
            assert_eq!(result, Some("answer_lost"), "{e:?}");
        } else {
            assert_eq!(result, Some("done"), "{e:?}");
        }
    }
    // The server did act on the 7th: the list read again at the end no longer has any of them.
    let screen = console.screen(120, 40);
    assert!(screen.contains("29 done"), "{screen}");
    assert!(screen.contains("1 without an answer"), "{screen}");
    console.key(KeyCode::Esc);
    assert!(
        console
            .state
            .table
            .rows
            .iter()
            .all(|r| !ids.contains(&r.token.id)),
        "every one is gone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_reset_of_20_brings_every_secret_to_its_dialog_and_each_works() {
    let sim = start().await;
    let ids = targets(&sim, 20);
    let mut console = marked(&sim, 20).await;
    console.send(char_key('R'));
    sim.clear_requests();
    console.send(char_key('y'));
    console.settle().await;
    for id in &ids {
        assert_eq!(requests_to(&sim, "POST", *id), 1, "token {id}: one reset");
    }
    let run = console
        .state
        .bulk
        .as_ref()
        .expect("the run's dialog is open");
    assert_eq!(run.secrets.len(), 20);
    assert_eq!(
        console.state.secrets_at_risk(),
        20,
        "none was copied or saved"
    );
    for s in &run.secrets {
        assert_eq!(s.secret.last4(), s.token.last_4_digits);
        let works = client_as(&sim, s.secret.clone()).accounts().await;
        assert!(works.is_ok(), "{} does not authenticate", s.token.name);
    }
    let secrets: Vec<String> = run
        .secrets
        .iter()
        .map(|s| s.secret.expose_secret().to_string())
        .collect();
    let screen = console.screen(120, 40);
    assert!(screen.contains("New secrets (20)"), "{screen}");
    for secret in &secrets {
        assert!(!screen.contains(secret.as_str()), "a secret on screen");
    }
    // Esc asks before any of them is given up.
    console.key(KeyCode::Esc);
    assert!(console.screen(120, 40).contains("Close anyway?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_in_mid_run_is_sent_again_once_after_its_wait_and_the_others_once() {
    let sim = start().await;
    let ids = targets(&sim, 6);
    let mut console = marked_on(&sim, 6, clock_ahead).await;
    console.send(char_key('D'));
    let Some(Overlay::BulkPreview(preview)) = &console.state.overlays.open else {
        panic!("the preview");
    };
    let third = preview.targets()[2].token;
    sim.inject_fault(Fault {
        path: Some(format!("/api_tokens/{third}")),
        method: Some("DELETE".into()),
        status: Some(429),
        // The client's shared limiter honours it too (every request of the token waits), so it is short.
        retry_after: Some(1),
        ..Fault::default()
    });
    sim.clear_requests();
    console.chars("6");
    console.key(KeyCode::Enter);
    console.settle().await;
    let run = console.state.bulk.as_ref().unwrap();
    assert_eq!(run.rate_limited, 1);
    if !run.is_finished() {
        // Its wait is not over on the console's clock: it has gone once only. Past the wait (the clock
        // moved, no sleep), the tick sends it once more.
        assert_eq!(requests_to(&sim, "DELETE", third), 1);
        AHEAD.store(2, Ordering::SeqCst);
        let now = clock_ahead();
        console.send(Msg::Tick(now));
        console.settle().await;
    }
    let run = console.state.bulk.as_ref().unwrap();
    assert!(run.is_finished());
    assert_eq!(run.counts().done, 6, "{:?}", run.states);
    assert_eq!(requests_to(&sim, "DELETE", third), 2, "the 429 once more");
    for id in ids.iter().filter(|id| **id != third) {
        assert_eq!(requests_to(&sim, "DELETE", *id), 1, "token {id}");
    }
    AHEAD.store(0, Ordering::SeqCst);
}
