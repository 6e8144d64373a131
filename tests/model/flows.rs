//! The console's flows end to end in one process: real key events through the real keymap and `update`,
//! the real executor and `api::Client`, against the simulator on loopback (frozen clock) and its request
//! log. The executor's answers are fed back into `update` with a bounded wait, never a sleep.

use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut};

use crate::console_driver::{ANSWER_DEADLINE, Live, sim_config};
use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::KeyCode;
use mailtrap_tokens::api::{Client, Resource};
use mailtrap_tokens::app::dialogs::NoticeDialog;
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Level, Overlay, PendingWrite, WriteKind};
use mailtrap_tokens::drift::{self, Snapshot, snapshot_path};
use mailtrap_tokens::journal::{
    Action as JournalAction, Journal, Note, permission_set, read_entries,
};
use mailtrap_tokens::sim::{DropPoint, Fault, LoggedRequest, RunningSim, SimOptions};

/// The simulator, a client of its own, and the console (through `Deref`: `flow.state`, `flow.key(…)`).
struct Flow {
    sim: RunningSim,
    client: Client,
    console: Live,
}

fn frozen_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

impl Flow {
    async fn start() -> Flow {
        Flow::start_in(None).await
    }

    /// With a state directory: the console journals its writes there.
    async fn start_in(state_dir: Option<&std::path::Path>) -> Flow {
        Flow::start_with(SimOptions::default(), state_dir).await
    }

    /// Against a simulator with `options` (its clock frozen at `frozen_at`).
    async fn start_with(options: SimOptions, state_dir: Option<&std::path::Path>) -> Flow {
        let sim = RunningSim::start(SimOptions {
            frozen_at: Some(frozen_at()),
            ..options
        })
        .await
        .expect("the simulator starts");
        let client = Client::new(&sim.url(), sim.operator_token()).unwrap();
        // The simulator's clock is frozen at `frozen_at` and never moved here: the console runs on it.
        let console = match state_dir {
            Some(dir) => {
                Live::start_as_run_in(sim_config(&sim), client.clone(), frozen_at, dir.into())
            }
            None => Live::start_as_run(sim_config(&sim), client.clone(), frozen_at),
        };
        let mut flow = Flow {
            sim,
            client,
            console,
        };
        flow.settle().await;
        assert!(flow.state.requests.has_tokens(), "the list loaded");
        assert!(
            flow.state.requests.tree.last_success.is_some(),
            "the tree loaded"
        );
        flow
    }

    fn row(&self, name: &str) -> Option<&mailtrap_tokens::api::ApiToken> {
        self.state
            .table
            .rows
            .iter()
            .map(|r| &r.token)
            .find(|t| t.name == name)
    }

    fn requests(&self, method: &str, path_end: &str) -> Vec<LoggedRequest> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| r.method == method && r.path.ends_with(path_end))
            .collect()
    }

    /// Feeds answers in until the stored snapshot has been read and no snapshot is being saved; how
    /// many parts were written before a save's last.
    async fn settle_drift(&mut self) -> usize {
        let mut parts = 0;
        while !self.state.drift.settled_for_idle() {
            let msg = self.next().await;
            parts += usize::from(matches!(msg, Msg::SnapshotPartWritten { .. }));
            self.send(msg);
        }
        parts
    }

    /// The account's snapshot in `home` as the next look reads it, and the snapshot of the list the
    /// server holds now, taken at the same time.
    async fn kept_and_listed(&self, home: &std::path::Path) -> (Snapshot, Snapshot) {
        let account = self.state.session.account().expect("an account").id;
        let url = self.client.base_url().to_string();
        let kept = drift::load(&snapshot_path(home, account), account, &url)
            .snapshot
            .expect("a snapshot in place");
        let list = self.client.list_tokens(account).await.unwrap();
        let listed = Snapshot::of_list(account, &url, &list, kept.taken_at, None);
        (kept, listed)
    }

    fn status(&self) -> (String, Level) {
        let s = self.state.status.as_ref().expect("a status message");
        (s.text.to_string(), s.level)
    }
}

impl Deref for Flow {
    type Target = Live;

    fn deref(&self) -> &Live {
        &self.console
    }
}

impl DerefMut for Flow {
    fn deref_mut(&mut self) -> &mut Live {
        &mut self.console
    }
}

fn as_set(resources: &[Resource]) -> BTreeSet<(String, i64, i64)> {
    resources
        .iter()
        .map(|r| {
            (
                r.resource_type.as_str().to_string(),
                r.resource_id,
                r.access_level.0,
            )
        })
        .collect()
}

#[tokio::test]
async fn a_reset_confirmed_with_four_y_presses_sends_one_post_and_shows_the_secret() {
    let mut flow = Flow::start().await;
    let old = flow.row("Staging sandbox reader").unwrap().clone();
    flow.select("Staging sandbox reader");
    flow.key(KeyCode::Char('R'));
    assert!(matches!(
        flow.state.overlays.open,
        Some(Overlay::Confirm(_))
    ));
    for _ in 0..4 {
        flow.key(KeyCode::Char('y'));
    }
    flow.settle().await;
    let resets = flow.requests("POST", &format!("/api_tokens/{}/reset", old.id));
    assert_eq!(resets.len(), 1, "{:?}", flow.sim.requests());
    assert_eq!(resets[0].status, 200);
    assert!(
        matches!(flow.state.overlays.open, Some(Overlay::Secret(_))),
        "{:?}",
        flow.state.overlays.open
    );
    // The list was read again: the old row is in its grace and names its successor.
    let old_row = flow
        .state
        .table
        .rows
        .iter()
        .find(|r| r.token.id == old.id)
        .unwrap();
    assert!(old_row.in_grace());
    let successor = &flow.state.table.rows[old_row.successor().unwrap()].token;
    assert_eq!(
        successor.name,
        format!("Staging sandbox reader {}", successor.id)
    );
    assert_eq!(
        old_row.token.expires_at,
        Some(flow.sim.now() + Duration::hours(12))
    );
    let successor_id = successor.id;
    assert_eq!(
        flow.state.table.selected_id(),
        Some(successor_id),
        "the selection follows to the new token"
    );
}

#[tokio::test]
async fn the_last_token_of_a_domain_is_refused_and_the_server_refuses_it_too() {
    let mut flow = Flow::start().await;
    // The domain's auto-created token is the only one with access to mail.acme.example.
    let name = "mail.acme.example token 2490312";
    let token = flow.row(name).unwrap().clone();
    flow.select(name);
    flow.key(KeyCode::Char('D'));
    assert!(
        flow.state.overlays.open.is_none(),
        "no confirmation for a refused action"
    );
    let (text, level) = flow.status();
    assert_eq!(level, Level::Warn);
    assert!(
        text.contains("the last token with access to domain"),
        "{text}"
    );
    assert!(
        flow.requests("DELETE", &format!("/{}", token.id))
            .is_empty()
    );

    // Forced past the registry, straight to the executor: the server says no, and nothing changes.
    let req = flow.state.requests.next_request_id();
    flow.state.requests.writes.insert(
        req,
        PendingWrite {
            kind: WriteKind::Delete { name: name.into() },
            token: Some(token.id),
            known_ids: Default::default(),
        },
    );
    let account = flow.sim.account_id();
    flow.run(vec![Effect::DeleteToken {
        req,
        account,
        token: token.id,
        journal: Note::about(
            JournalAction::Delete,
            token.id,
            &token.name,
            &token.last_4_digits,
        ),
    }]);
    flow.settle().await;
    let deletes = flow.requests("DELETE", &format!("/api_tokens/{}", token.id));
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].status, 422);
    let (text, level) = flow.status();
    assert_eq!(level, Level::Error);
    assert!(
        text.starts_with(&format!("The server refused to delete {name}:")),
        "{text}"
    );
    assert!(flow.row(name).is_some(), "the row stays");
}

#[tokio::test]
async fn a_created_token_arrives_with_the_chosen_resources_levels_and_expiry() {
    let mut flow = Flow::start().await;
    flow.key(KeyCode::Char('n'));
    assert!(matches!(flow.state.overlays.open, Some(Overlay::Form(_))));
    flow.chars("flows-created");
    flow.key(KeyCode::Enter);
    // Two boxes: viewer on the second row, admin on the fourth.
    flow.key(KeyCode::Down);
    flow.key(KeyCode::Char('v'));
    flow.key(KeyCode::Down);
    flow.key(KeyCode::Down);
    flow.key(KeyCode::Char('a'));
    let chosen = match &flow.state.overlays.open {
        Some(Overlay::Form(form)) => form.matrix().selected_resources(),
        other => panic!("the form, not {other:?}"),
    };
    assert_eq!(chosen.len(), 2, "{chosen:?}");
    flow.key(KeyCode::Enter);
    // Expiry: from the default 90 days up twice to 7 days.
    flow.key(KeyCode::Up);
    flow.key(KeyCode::Up);
    flow.key(KeyCode::Enter);
    flow.key(KeyCode::Enter); // review → create
    flow.key(KeyCode::Enter); // a second Enter sends nothing more
    flow.settle().await;
    assert_eq!(flow.requests("POST", "/api_tokens").len(), 1);
    assert!(matches!(flow.state.overlays.open, Some(Overlay::Secret(_))));

    let created = flow
        .row("flows-created")
        .expect("the list shows it")
        .clone();
    assert_eq!(
        flow.state.table.selected_id(),
        Some(created.id),
        "the selection moves to the new token"
    );
    let fetched = flow
        .client
        .get_token(flow.sim.account_id(), created.id)
        .await
        .unwrap();
    assert_eq!(as_set(&fetched.resources), as_set(&chosen));
    assert_eq!(
        fetched.expires_at.map(|t| t.date_naive()),
        Some((flow.sim.now() + Duration::days(7)).date_naive())
    );
}

#[tokio::test]
async fn an_edit_sends_the_expected_changes() {
    let mut flow = Flow::start().await;
    let name = "Mobile app analytics";
    let token = flow.row(name).unwrap().clone();
    flow.select(name);
    flow.key(KeyCode::Char('e'));
    assert!(matches!(
        flow.state.overlays.open,
        Some(Overlay::EditPermissions { .. })
    ));
    flow.key(KeyCode::Down);
    flow.key(KeyCode::Char('a'));
    let expected = match &flow.state.overlays.open {
        Some(Overlay::EditPermissions { dialog, .. }) => dialog.matrix().selected_resources(),
        other => panic!("the edit dialog, not {other:?}"),
    };
    assert_ne!(
        as_set(&expected),
        as_set(&token.resources),
        "something changed"
    );
    flow.key(KeyCode::Enter); // the before/after summary
    flow.key(KeyCode::Char('y'));
    flow.key(KeyCode::Char('y'));
    flow.settle().await;
    let puts: Vec<_> = flow
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/permissions/bulk"))
        .collect();
    assert_eq!(puts.len(), 1, "{:?}", flow.sim.requests());
    assert_eq!(puts[0].status, 200);
    assert!(flow.state.overlays.open.is_none(), "the dialog closed");
    let fetched = flow
        .client
        .get_token(flow.sim.account_id(), token.id)
        .await
        .unwrap();
    assert_eq!(as_set(&fetched.resources), as_set(&expected));
    let refreshed = flow.row(name).unwrap();
    assert_eq!(
        as_set(&refreshed.resources),
        as_set(&expected),
        "the row refreshed"
    );
}

#[tokio::test]
async fn u_right_after_an_edit_puts_the_permissions_back_and_both_are_journaled() {
    let home = tempfile::tempdir().unwrap();
    let mut flow = Flow::start_in(Some(home.path())).await;
    let name = "Mobile app analytics";
    let token = flow.row(name).unwrap().clone();
    flow.select(name);
    flow.key(KeyCode::Char('u'));
    assert!(flow.state.overlays.open.is_none(), "nothing to undo yet");
    assert!(
        flow.status().0.contains("no permission edit to undo"),
        "{:?}",
        flow.status()
    );

    flow.key(KeyCode::Char('e'));
    flow.key(KeyCode::Down);
    flow.key(KeyCode::Char('a'));
    flow.key(KeyCode::Enter);
    flow.key(KeyCode::Char('y'));
    flow.key(KeyCode::Char('y'));
    flow.settle().await;
    assert!(
        flow.status().0.contains("u undoes it"),
        "{:?}",
        flow.status()
    );
    let edited = flow.row(name).unwrap().resources.clone();
    assert_ne!(as_set(&edited), as_set(&token.resources));

    flow.key(KeyCode::Char('u'));
    assert!(
        matches!(&flow.state.overlays.open, Some(Overlay::Confirm(_))),
        "{:?}",
        flow.state.overlays.open
    );
    insta::assert_snapshot!("undo_confirm_120x40", flow.screen(120, 40));
    flow.key(KeyCode::Char('y'));
    flow.settle().await;

    let puts = flow.requests("PUT", "/permissions/bulk");
    assert_eq!(puts.len(), 2, "the edit and its undo: {puts:?}");
    let fetched = flow
        .client
        .get_token(flow.sim.account_id(), token.id)
        .await
        .unwrap();
    assert_eq!(
        as_set(&fetched.resources),
        as_set(&token.resources),
        "read back"
    );
    assert!(
        flow.state.requests.last_edit.is_none(),
        "nothing left to undo"
    );
    flow.key(KeyCode::Char('u'));
    assert!(flow.state.overlays.open.is_none());

    let journal = Journal::in_state_dir(home.path());
    let (entries, warnings) = read_entries(&journal).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (edit, undo) = (&entries[0], &entries[1]);
    assert_eq!(edit.sent.action, JournalAction::EditPermissions);
    assert_eq!(undo.sent.action, JournalAction::Undo);
    assert_eq!(undo.sent.undoes.as_ref(), Some(edit.id()));
    assert_eq!(
        edit.sent.before.as_ref(),
        Some(&permission_set(&token.resources))
    );
    assert_eq!(edit.sent.after.as_ref(), Some(&permission_set(&edited)));
    assert_eq!(undo.sent.before, edit.sent.after);
    assert_eq!(undo.sent.after, edit.sent.before);
    for e in &entries {
        assert_eq!(e.result_text(), "done");
        assert_eq!(e.sent.token, Some(token.id));
        assert_eq!(e.sent.name.as_str(), name);
    }
}

#[tokio::test]
async fn an_unwritable_journal_sends_nothing_and_the_status_line_says_why() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(mailtrap_tokens::journal::FILE_NAME)).unwrap();
    let mut flow = Flow::start_in(Some(home.path())).await;
    let name = "Load test runner";
    let old = flow.row(name).unwrap().clone();
    flow.select(name);
    flow.key(KeyCode::Char('R'));
    flow.key(KeyCode::Char('y'));
    flow.settle().await;
    assert!(
        flow.requests("POST", &format!("/api_tokens/{}/reset", old.id))
            .is_empty(),
        "nothing sent"
    );
    let (text, level) = flow.status();
    assert_eq!(level, Level::Error);
    assert!(
        text.contains("journal could not be written") && text.contains("nothing was sent"),
        "{text}"
    );
}

#[tokio::test]
async fn a_reset_whose_answer_was_lost_is_not_retried_and_says_the_secret_was_not_received() {
    let mut flow = Flow::start().await;
    let name = "Load test runner";
    let old = flow.row(name).unwrap().clone();
    flow.sim.inject_fault(Fault {
        path: Some("/reset".into()),
        method: Some("POST".into()),
        drop: Some(DropPoint::After),
        ..Fault::default()
    });
    flow.select(name);
    flow.key(KeyCode::Char('R'));
    flow.key(KeyCode::Char('y'));
    flow.settle().await;
    let resets = flow.requests("POST", &format!("/api_tokens/{}/reset", old.id));
    assert_eq!(resets.len(), 1, "never retried: {:?}", flow.sim.requests());
    let Some(Overlay::Notice(NoticeDialog { lines, .. })) = &flow.state.overlays.open else {
        panic!(
            "no secret to show, a notice that stays: {:?}",
            flow.state.overlays.open
        );
    };
    let notice = lines.join(" ");
    assert!(notice.contains("secret was not received"), "{notice}");
    let successor = flow
        .state
        .table
        .rows
        .iter()
        .find(|r| r.token.name.starts_with(&format!("{name} ")))
        .expect("the successor is listed");
    assert!(
        flow.state
            .table
            .secret_not_received
            .contains(&successor.token.id),
        "its row carries the mark"
    );
    let (text, level) = flow.status();
    assert_eq!(level, Level::Error);
    assert!(text.contains("secret was not received"), "{text}");
    assert!(
        text.contains(&format!("{name} ")),
        "names the new token: {text}"
    );
    assert!(text.contains("Reset it again"), "{text}");
}

#[tokio::test]
async fn a_read_that_fails_is_retried_and_the_status_line_says_it_is_waiting() {
    let mut flow = Flow::start().await;
    flow.sim.inject_fault(Fault {
        path: Some("/api_tokens".into()),
        method: Some("GET".into()),
        status: Some(503),
        ..Fault::default()
    });
    flow.key(KeyCode::Char('r'));
    // The retry notice arrives while the read is still in flight, before the list does.
    let notice = tokio::time::timeout(ANSWER_DEADLINE, async {
        loop {
            let msg = flow.rx.recv().await.expect("the channel is open");
            let waiting = matches!(msg, Msg::Retrying { .. });
            flow.send(msg);
            if waiting {
                break;
            }
        }
    })
    .await;
    assert!(notice.is_ok(), "a retry notice within the deadline");
    let (text, level) = flow.status();
    assert_eq!(level, Level::Warn);
    assert!(
        text.starts_with("Waiting 1 s before asking again"),
        "{text}"
    );
    flow.settle().await;
    let lists = flow.requests("GET", "/api_tokens");
    assert_eq!(
        lists.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 503, 200],
        "the first load, the failed refresh, its retry"
    );
    assert!(
        flow.state.requests.tokens.error().is_none(),
        "the retry succeeded"
    );
}

/// The files in the account's snapshot directory, once the threads of saves left behind have removed
/// theirs (a bounded wait on the directory, never a sleep for its own sake).
async fn snapshot_files(home: &std::path::Path) -> Vec<String> {
    let dir = home.join("snapshots");
    let names = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let deadline = std::time::Instant::now() + ANSWER_DEADLINE;
    while names().len() > 1 && std::time::Instant::now() < deadline {
        tokio::task::yield_now().await;
        std::thread::yield_now();
    }
    names()
}

/// The console with a state directory, on a list of more than 10,000 tokens: its snapshot takes several
/// parts to save.
async fn long_list_in(home: &std::path::Path) -> Flow {
    let options = SimOptions {
        extra_tokens: 10_000,
        ..SimOptions::default()
    };
    Flow::start_with(options, Some(home)).await
}

#[tokio::test]
async fn a_long_lists_snapshot_is_saved_a_part_at_a_time_and_holds_the_whole_list() {
    let home = tempfile::tempdir().unwrap();
    let mut flow = long_list_in(home.path()).await;
    let parts = flow.settle_drift().await;
    assert!(
        parts >= 2,
        "10,000 tokens are saved in parts: {parts} before the last"
    );
    let (kept, listed) = flow.kept_and_listed(home.path()).await;
    assert!(kept.tokens.len() > 10_000);
    assert_eq!(kept, listed, "the saved snapshot is the whole list's");
    let account = flow.state.session.account().unwrap().id;
    assert_eq!(
        snapshot_files(home.path()).await,
        [format!("{account}.json")]
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(snapshot_path(home.path(), account))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn a_save_overtaken_by_a_newer_list_starts_again_from_it_and_leaves_nothing_behind() {
    let home = tempfile::tempdir().unwrap();
    let mut flow = long_list_in(home.path()).await;
    // Up to the first part written: the save is under way, its answer held back.
    let held = loop {
        let msg = flow.next().await;
        if matches!(msg, Msg::SnapshotPartWritten { .. }) {
            break msg;
        }
        flow.send(msg);
    };
    let first_save = flow.state.drift.saving.as_ref().expect("a save").id;
    // A token deleted elsewhere, and a reload that brings the list without it.
    let account = flow.state.session.account().unwrap().id;
    let gone = flow
        .state
        .table
        .rows
        .iter()
        .map(|r| r.token.id)
        .max()
        .unwrap();
    flow.client.delete_token(account, gone).await.unwrap();
    flow.key(KeyCode::Char('r'));
    while flow.state.requests.tokens.in_flight.is_some() {
        let msg = flow.next().await;
        flow.send(msg);
    }
    let newer_save = flow.state.drift.saving.as_ref().map(|s| s.id);
    assert!(
        newer_save.is_some_and(|id| id != first_save),
        "the newer list is saved anew: {newer_save:?}"
    );
    // The first save's answer, late: nothing more of it is made.
    flow.send(held);
    flow.settle_drift().await;
    let (kept, listed) = flow.kept_and_listed(home.path()).await;
    assert!(kept.tokens.iter().all(|t| t.id != gone));
    assert_eq!(kept, listed, "the newer list, whole");
    assert_eq!(
        snapshot_files(home.path()).await,
        [format!("{account}.json")]
    );
}

#[tokio::test]
async fn a_snapshot_that_cannot_be_written_is_said_and_holds_nothing_up() {
    let home = tempfile::tempdir().unwrap();
    // A file where the snapshots' directory should be: the save fails at its first part.
    std::fs::write(home.path().join("snapshots"), b"not a directory").unwrap();
    let mut flow = long_list_in(home.path()).await;
    flow.settle_drift().await;
    assert!(flow.state.drift.saving.is_none(), "the failed save is over");
    assert!(flow.state.drift.settled_for_idle(), "the idle step goes on");
    let (text, level) = flow.status();
    assert_eq!(level, Level::Warn);
    assert!(
        text.starts_with("The snapshot for drift could not be saved"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(home.path().join("snapshots")).unwrap(),
        b"not a directory",
        "nothing written over what was there"
    );
}
