//! Drift in the console: the snapshot of the last look read against the first list (or answered before
//! it), the first list compared with it, the banner under the title bar, `w` listing every change
//! (scrollable, hostile names made safe), closing it dismissing the banner, and the snapshot saved after
//! every successful load.

use chrono::Duration;
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::{AccessLevel, ApiToken, TokenList, UnreadableToken};
use mailtrap_tokens::app::effect::Effect;
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Overlay, State};
use mailtrap_tokens::drift::{Against, Loaded, Snapshot, load_against, save, snapshot_path};

use super::common::*;
use crate::console_driver::*;

const HOSTILE: &str = "evil\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{202e}nimda\u{200b} 🦀 トークン";

fn snapshot_of(tokens: Vec<ApiToken>, days_ago: i64) -> Snapshot {
    Snapshot::of_list(
        ACCOUNT_ID,
        "",
        &TokenList::from(tokens),
        now() - Duration::days(days_ago),
        None,
    )
}

/// The demo tokens as they were at the last look: one more token (deleted since), monitoring a viewer
/// of less, staging-bot under another name, quantum with another expiry.
fn earlier_tokens() -> Vec<ApiToken> {
    let mut tokens = demo_tokens();
    for t in &mut tokens {
        match t.name.as_str() {
            "monitoring" => t.resources.truncate(2),
            "staging-bot" => t.name = "staging bot (old name)".into(),
            "quantum" => t.expires_at = Some(now() + Duration::days(3)),
            _ => {}
        }
    }
    tokens.push(token(
        2498650,
        "retired-bot",
        "Jane Roe",
        "dead",
        Some(Duration::days(40)),
        vec![res("account", ACCOUNT_ID, AccessLevel::VIEWER)],
    ));
    tokens
}

/// The demo tokens now, with a token of a hostile name made since.
fn tokens_now() -> Vec<ApiToken> {
    let mut tokens = demo_tokens();
    tokens.push(token(
        2498800,
        HOSTILE,
        "Mallory\u{1b}[31m",
        "6666",
        None,
        vec![res("account", ACCOUNT_ID, AccessLevel::ADMIN)],
    ));
    tokens
}

/// The executor's answer to reading the stored snapshot.
fn snapshot_read(
    state: &mut State,
    snapshot: Option<Snapshot>,
    warning: Option<String>,
) -> Vec<Effect> {
    answered(
        state,
        Loaded {
            snapshot,
            warning,
            ..Loaded::default()
        },
    )
}

/// The executor's answer, `loaded`.
fn answered(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    send(
        state,
        Msg::SnapshotLoaded {
            account: ACCOUNT_ID,
            loaded,
        },
    )
}

/// The tree and then `list` answer the console's first requests; the effects of the list's answer.
fn tree_and_list(
    state: &mut State,
    tokens_req: u64,
    tree_req: u64,
    list: Vec<ApiToken>,
) -> Vec<Effect> {
    send(
        state,
        Msg::ResourceTreeLoaded {
            req: tree_req,
            result: Ok(tree()),
        },
    );
    send(
        state,
        Msg::TokensLoaded {
            req: tokens_req,
            result: Ok(list.into()),
        },
    )
}

/// `r`, answered with `list`; the effects of the answer.
fn reload(state: &mut State, list: Vec<ApiToken>) -> Vec<Effect> {
    let effects = send(state, char_key('r'));
    let (tokens_req, _) = load_requests(&effects, ACCOUNT_ID);
    send(
        state,
        Msg::TokensLoaded {
            req: tokens_req.expect("a reload"),
            result: Ok(list.into()),
        },
    )
}

/// The console started with `earlier` as the last look's snapshot, then loaded `now_list`; the snapshot
/// answered before the list when `snapshot_first`. Returns the effects of the list's answer.
fn started(
    earlier: Option<Snapshot>,
    now_list: Vec<ApiToken>,
    snapshot_first: bool,
) -> (State, Vec<Effect>) {
    let (mut state, tokens_req, tree_req) = account_chosen();
    let answer = |state: &mut State| snapshot_read(state, earlier.clone(), None);
    let mut effects = Vec::new();
    if snapshot_first {
        effects.extend(answer(&mut state));
    }
    effects.extend(tree_and_list(&mut state, tokens_req, tree_req, now_list));
    if !snapshot_first {
        effects.extend(answer(&mut state));
    }
    (state, effects)
}

/// The snapshots the effects start to save, whole: each later part is asked for as the executor asks
/// for it once a part is written (the save is left in progress, its last part with the executor).
fn saved(state: &mut State, effects: &[Effect]) -> Vec<Snapshot> {
    let mut saves = Vec::new();
    let mut parts: Vec<Effect> = effects
        .iter()
        .filter(|e| matches!(e, Effect::SaveSnapshot { .. }))
        .cloned()
        .collect();
    while let Some(part) = parts.pop() {
        let Effect::SaveSnapshot {
            save,
            account,
            taken_at,
            records,
            last,
        } = part
        else {
            unreachable!("only parts are kept")
        };
        assert_eq!(account, ACCOUNT_ID);
        let whole: &mut Snapshot = match saves.last_mut() {
            Some((at, whole)) if *at == save => whole,
            _ => {
                saves.push((
                    save,
                    Snapshot::of_list(account, "", &TokenList::default(), taken_at, None),
                ));
                &mut saves.last_mut().unwrap().1
            }
        };
        whole.tokens.extend(records);
        if !last {
            parts.extend(
                send(state, Msg::SnapshotPartWritten { save })
                    .into_iter()
                    .filter(|e| matches!(e, Effect::SaveSnapshot { .. })),
            );
        }
    }
    saves.into_iter().map(|(_, whole)| whole).collect()
}

/// The save in progress.
fn current_save(state: &State) -> u64 {
    state.drift.saving.as_ref().expect("a save in progress").id
}

/// What the effects ask the stored snapshot to be read against, if they ask for it.
fn asked(effects: &[Effect]) -> Option<&Against> {
    effects.iter().find_map(|e| match e {
        Effect::LoadSnapshot { account, against } => {
            assert_eq!(*account, ACCOUNT_ID);
            Some(against.as_ref())
        }
        _ => None,
    })
}

fn assert_no_raw_controls(screen: &str) {
    assert!(
        !screen
            .chars()
            .any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{202e}' | '\u{200b}')),
        "{screen:?}"
    );
}

#[test]
fn the_banner_says_what_changed_and_w_lists_every_change_until_closed() {
    let (mut state, _) = started(Some(snapshot_of(earlier_tokens(), 2)), tokens_now(), true);
    for (width, height) in [(120, 40), (80, 24)] {
        let screen = text(&draw(&mut state, width, height));
        let banner = screen.lines().nth(1).unwrap();
        assert!(
            banner.contains("Since you last looked (2d ago): 1 created, 1 deleted, 1 ren")
                && banner.ends_with("· w what changed"),
            "{banner}"
        );
        assert_no_raw_controls(&screen);
        assert_snapshot!(
            format!("drift_banner_{width}x{height}"),
            draw(&mut state, width, height).backend()
        );
    }
    let screen = text(&draw(&mut state, 80, 24));
    let hint_bar = screen.lines().last().unwrap();
    assert!(hint_bar.contains("w what changed"), "{hint_bar}");

    send(&mut state, char_key('w'));
    assert!(matches!(state.overlays.open, Some(Overlay::Drift(_))));
    let screen = text(&draw(&mut state, 120, 40));
    for line in [
        "created: evil",
        "deleted: retired-bot",
        "renamed: staging-bot",
        "\"staging bot (old name)\" → \"staging-bot\"",
        "permissions changed: monitoring",
        "added: domain:3:viewer",
        "expiry changed: quantum",
    ] {
        assert!(screen.contains(line), "{line:?} in\n{screen}");
    }
    assert_no_raw_controls(&screen);
    assert_snapshot!("drift_dialog_120x40", draw(&mut state, 120, 40).backend());
    assert_snapshot!("drift_dialog_80x24", draw(&mut state, 80, 24).backend());

    send(&mut state, press(KeyCode::Esc));
    assert!(state.overlays.open.is_none());
    let screen = text(&draw(&mut state, 120, 40));
    assert!(!screen.contains("Since you last looked"), "{screen}");
    // The list stays one key away.
    send(&mut state, char_key('w'));
    assert!(matches!(state.overlays.open, Some(Overlay::Drift(_))));
}

#[test]
fn a_list_longer_than_the_screen_scrolls_with_the_keys() {
    let mut many = demo_tokens();
    for i in 0..12 {
        many.push(token(
            2499000 + i,
            &format!("made elsewhere {i:02}"),
            "Jane Roe",
            "abcd",
            None,
            vec![res("account", ACCOUNT_ID, AccessLevel::VIEWER)],
        ));
    }
    let (mut state, _) = started(Some(snapshot_of(demo_tokens(), 3)), many, true);
    send(&mut state, char_key('w'));
    let top = text(&draw(&mut state, 80, 24));
    assert!(top.contains("created: made elsewhere 00"), "{top}");
    assert!(!top.contains("made elsewhere 11"), "{top}");
    assert!(top.contains("lines 1–16 of 48"), "{top}");
    send(&mut state, press(KeyCode::PageDown));
    send(&mut state, char_key('j'));
    let scrolled = text(&draw(&mut state, 80, 24));
    assert!(scrolled.contains("lines 12–27 of 48"), "{scrolled}");
    assert_snapshot!(
        "drift_dialog_scrolled_80x24",
        draw(&mut state, 80, 24).backend()
    );
    send(&mut state, char_key('G'));
    let bottom = text(&draw(&mut state, 80, 24));
    assert!(bottom.contains("created: made elsewhere 11"), "{bottom}");
    assert!(bottom.contains("lines 33–48 of 48"), "{bottom}");
    send(&mut state, char_key('g'));
    assert!(text(&draw(&mut state, 80, 24)).contains("lines 1–16 of 48"));
}

#[test]
fn the_list_answering_before_the_snapshot_is_compared_when_it_comes() {
    let (mut state, effects) = started(Some(snapshot_of(earlier_tokens(), 2)), tokens_now(), false);
    let saves = saved(&mut state, &effects);
    assert_eq!(saves.len(), 1, "saved once the stored one was read");
    assert_eq!(saves[0].tokens.len(), tokens_now().len());
    assert!(saves[0].tokens.iter().any(|t| t.name == HOSTILE));
    assert!(text(&draw(&mut state, 120, 40)).contains("Since you last looked (2d ago)"));
}

#[test]
fn nothing_changed_or_no_earlier_look_shows_no_banner() {
    for earlier in [None, Some(snapshot_of(demo_tokens(), 1))] {
        let (mut state, effects) = started(earlier, demo_tokens(), true);
        assert_eq!(saved(&mut state, &effects).len(), 1);
        let screen = text(&draw(&mut state, 120, 40));
        assert!(!screen.contains("Since you last looked"), "{screen}");
        assert!(
            !screen.contains("what changed"),
            "no banner, no hint: {screen}"
        );
        send(&mut state, char_key('w'));
        assert!(state.overlays.open.is_none());
        let screen = text(&draw(&mut state, 120, 40));
        assert!(
            screen.contains("nothing changed elsewhere since the last look"),
            "{screen}"
        );
    }
}

#[test]
fn every_load_is_saved_and_only_the_first_is_compared() {
    let (mut state, _) = started(Some(snapshot_of(earlier_tokens(), 2)), tokens_now(), true);
    let mut later = tokens_now();
    later.pop();
    let effects = reload(&mut state, later.clone());
    let saves = saved(&mut state, &effects);
    assert_eq!(saves.len(), 1);
    assert_eq!(saves[0].tokens.len(), later.len(), "the new list is kept");
    let banner = text(&draw(&mut state, 120, 40));
    assert!(
        banner.contains("1 created, 1 deleted"),
        "the banner tells the start's comparison: {banner}"
    );
}

#[test]
fn a_failed_save_or_a_damaged_snapshot_is_said_once_and_stops_nothing() {
    let (mut state, tokens_req, tree_req) = account_chosen();
    let damaged = "the snapshot /x/snapshots/1.json is damaged";
    snapshot_read(&mut state, None, Some(damaged.into()));
    assert!(text(&draw(&mut state, 120, 40)).contains("is damaged"));
    send(
        &mut state,
        Msg::ResourceTreeLoaded {
            req: tree_req,
            result: Ok(tree()),
        },
    );
    send(
        &mut state,
        Msg::TokensLoaded {
            req: tokens_req,
            result: Ok(demo_tokens().into()),
        },
    );
    let save = current_save(&state);
    send(
        &mut state,
        Msg::SnapshotSaved {
            save,
            result: Err("disk full".into()),
        },
    );
    let screen = text(&draw(&mut state, 120, 40));
    assert!(
        screen.contains("The snapshot for drift could not be saved: disk full"),
        "{screen}"
    );
    state.status = None;
    let again = send(
        &mut state,
        Msg::SnapshotSaved {
            save,
            result: Err("disk full".into()),
        },
    );
    assert!(again.is_empty());
    assert!(state.status.is_none(), "said once");
    assert!(state.table_shown());
}

/// `tokens_now()` with the token named `name` in a shape that could not be read (only its id made out).
fn with_unreadable(name: &str) -> mailtrap_tokens::app::state::table::ListedRows {
    let mut tokens = tokens_now();
    let at = tokens
        .iter()
        .position(|t| t.name == name)
        .expect("the token is listed");
    let gone = tokens.remove(at);
    let unreadable = vec![UnreadableToken {
        position: at,
        id: Some(gone.id),
        name: None,
        reason: "invalid type: integer, expected a string".into(),
    }];
    TokenList::collected(tokens, unreadable).into()
}

#[test]
fn a_token_unreadable_in_load_after_load_keeps_its_record_and_no_snapshot_is_held_between_loads() {
    let stored = snapshot_of(earlier_tokens(), 2);
    let record = stored
        .tokens
        .iter()
        .find(|t| t.name == "monitoring")
        .expect("the stored snapshot has it")
        .clone();
    let (mut state, tokens_req, tree_req) = account_chosen();
    snapshot_read(&mut state, Some(stored), None);
    send(
        &mut state,
        Msg::ResourceTreeLoaded {
            req: tree_req,
            result: Ok(tree()),
        },
    );
    let mut req = tokens_req;
    // Three loads in a row with `monitoring` unreadable: each saved snapshot still has the record the
    // stored snapshot had, though none but the one being saved is held.
    for load in 0..3 {
        let effects = send(
            &mut state,
            Msg::TokensLoaded {
                req,
                result: Ok(with_unreadable("monitoring")),
            },
        );
        let saves = saved(&mut state, &effects);
        assert_eq!(saves.len(), 1, "load {load} is saved");
        let kept = saves[0].tokens.iter().find(|t| t.id == record.id);
        assert_eq!(kept, Some(&record), "load {load} carries the record over");
        assert_eq!(saves[0].tokens.len(), tokens_now().len(), "load {load}");
        assert!(
            matches!(state.drift.baseline, Some(None)),
            "the stored snapshot is not kept once compared"
        );
        assert!(
            !state.drift.settled_for_idle(),
            "the idle step waits while a snapshot is being saved"
        );
        let save = current_save(&state);
        send(
            &mut state,
            Msg::SnapshotSaved {
                save,
                result: Ok(()),
            },
        );
        assert!(state.drift.settled_for_idle());
        let effects = send(&mut state, char_key('r'));
        req = load_requests(&effects, ACCOUNT_ID).0.expect("a reload");
    }
    // Read again, the token is itself again, and nothing is carried over any more.
    let effects = send(
        &mut state,
        Msg::TokensLoaded {
            req,
            result: Ok(tokens_now().into()),
        },
    );
    let saves = saved(&mut state, &effects);
    let now_record = saves[0].tokens.iter().find(|t| t.id == record.id);
    assert_eq!(now_record.map(|t| t.permissions.len()), Some(3));
    assert!(state.drift.carried.is_empty());
    let banner = text(&draw(&mut state, 120, 40));
    assert!(
        banner.contains("1 created, 1 deleted"),
        "retired-bot alone is deleted: an unreadable token never reads as deleted: {banner}"
    );
}

#[test]
fn the_stored_snapshot_is_read_against_the_first_list_and_again_when_another_came_first() {
    let (mut state, tokens_req, tree_req) = account_chosen();
    let effects = tree_and_list(&mut state, tokens_req, tree_req, tokens_now());
    let against = asked(&effects).expect("read against the first list");
    assert!(
        saved(&mut state, &effects).is_empty(),
        "never saved before it is read"
    );
    assert!(!state.drift.settled_for_idle());
    // The file as the executor reads it: only what differs from the list is kept.
    let dir = tempfile::tempdir().unwrap();
    let path = snapshot_path(dir.path(), ACCOUNT_ID);
    let stored = snapshot_of(earlier_tokens(), 2);
    save(&path, &stored).unwrap();
    let read = |against: &Against| load_against(&path, ACCOUNT_ID, "", Some(against));
    let first_read = read(against);
    let kept = first_read.snapshot.as_ref().unwrap().tokens.len();
    assert_eq!(
        kept + first_read.unchanged.len(),
        stored.tokens.len(),
        "each record kept or left out"
    );
    assert!(
        kept <= 5,
        "the 4 that changed and an old reset's: {kept} kept"
    );
    // A reload answers before it: what the read left out may differ from the newer list.
    let effects = reload(&mut state, tokens_now());
    assert!(asked(&effects).is_none(), "one read at a time");
    assert!(saved(&mut state, &effects).is_empty());
    let effects = answered(&mut state, first_read);
    let against = asked(&effects).expect("read again, against the newer list");
    assert!(saved(&mut state, &effects).is_empty());
    let effects = answered(&mut state, read(against));
    let saves = saved(&mut state, &effects);
    assert_eq!(saves.len(), 1, "saved once read");
    assert_eq!(saves[0].tokens.len(), tokens_now().len(), "the whole list");
    assert!(
        matches!(state.drift.baseline, Some(None)),
        "nothing is kept"
    );
    // The same changes as the whole stored snapshot compared with the whole list.
    let (whole, _) = started(Some(stored), tokens_now(), true);
    assert_eq!(state.drift.found, whole.drift.found);
    assert!(
        text(&draw(&mut state, 120, 40)).contains("1 created, 1 deleted"),
        "the banner"
    );
}

#[test]
fn a_long_list_is_saved_in_parts_by_id_and_from_the_start_again_once_its_table_is_made_again() {
    // Out of id order, as a server may list them: the parts come by id all the same.
    let list: Vec<ApiToken> = (0..5000)
        .rev()
        .map(|i| {
            token(
                10_000 + i,
                &format!("bulk-{i:04}"),
                "Dana",
                "ab12",
                None,
                vec![res("domain", 3938, AccessLevel::ADMIN)],
            )
        })
        .collect();
    let (mut state, tokens_req, tree_req) = account_chosen();
    // The list before the tree, as either may come first.
    send(
        &mut state,
        Msg::TokensLoaded {
            req: tokens_req,
            result: Ok(list.into()),
        },
    );
    let first = snapshot_read(&mut state, None, None);
    let part = |effects: &[Effect]| -> (u64, Vec<i64>, bool) {
        let parts: Vec<_> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::SaveSnapshot {
                    save,
                    records,
                    last,
                    ..
                } => Some((*save, records.iter().map(|r| r.id).collect(), *last)),
                _ => None,
            })
            .collect();
        assert_eq!(parts.len(), 1, "one part at a time: {effects:?}");
        parts.into_iter().next().unwrap()
    };
    let (save, ids, last) = part(&first);
    assert!(!last);
    assert_eq!(ids, (10_000..10_000 + 4096).collect::<Vec<_>>());
    assert!(
        !state.drift.settled_for_idle(),
        "the idle step waits for the save"
    );
    // The tree comes between two parts: the table is made again (its texts name the tree's resources).
    send(
        &mut state,
        Msg::ResourceTreeLoaded {
            req: tree_req,
            result: Ok(tree()),
        },
    );
    let (again, ids, last) = part(&send(&mut state, Msg::SnapshotPartWritten { save }));
    assert_ne!(again, save, "a save of its own");
    assert!(!last);
    assert_eq!(ids[0], 10_000, "from the first record again");
    // The first save's late answers change nothing.
    assert!(send(&mut state, Msg::SnapshotPartWritten { save }).is_empty());
    let (same, ids, last) = part(&send(&mut state, Msg::SnapshotPartWritten { save: again }));
    assert_eq!((same, last), (again, true));
    assert_eq!(ids, (10_000 + 4096..15_000).collect::<Vec<_>>());
    assert!(
        !state.drift.settled_for_idle(),
        "until the last part is in place"
    );
    send(
        &mut state,
        Msg::SnapshotSaved {
            save: again,
            result: Ok(()),
        },
    );
    assert!(state.drift.settled_for_idle());
}
