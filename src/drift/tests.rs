//! The comparison, each kind of change, unreadable rows, the order, and the file.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::json;

use super::*;
use crate::api::TokenList;

const URL: &str = "http://127.0.0.1:9/";

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap()
}

fn token(
    id: i64,
    name: &str,
    last4: &str,
    level: &str,
    expires: Option<&str>,
) -> serde_json::Value {
    json!({
        "id": id,
        "name": name,
        "last_4_digits": last4,
        "created_by": "Ops Person",
        "expires_at": expires,
        "resources": [{"resource_type": "account", "resource_id": 7, "access_level": level}],
    })
}

fn list(tokens: &[serde_json::Value]) -> TokenList {
    TokenList::decode(serde_json::to_string(tokens).unwrap().as_bytes()).unwrap()
}

fn snap(tokens: &[serde_json::Value], day: u32, previous: Option<&Snapshot>) -> Snapshot {
    Snapshot::of_list(7, URL, &list(tokens), at(day), previous)
}

#[test]
fn nothing_changed_is_no_drift() {
    let tokens = [token(1, "ci", "aaaa", "admin", None)];
    let drift = compare(&snap(&tokens, 1, None), &snap(&tokens, 3, None));
    assert!(drift.is_empty());
    assert_eq!(drift.summary(), "no changes");
    assert_eq!((drift.since, drift.until), (at(1), at(3)));
}

/// One token for each kind of change, as it was: renamed, given other permissions, another expiry,
/// deleted, purged after its expiry, and reset since.
fn each_kind_before() -> [serde_json::Value; 7] {
    [
        token(1, "ci", "aaaa", "admin", None),
        token(2, "old name", "bbbb", "viewer", None),
        token(3, "perms", "cccc", "viewer", None),
        token(4, "expiry", "dddd", "viewer", Some("2026-06-01T00:00:00Z")),
        token(5, "gone", "eeee", "viewer", Some("2026-12-01T00:00:00Z")),
        token(6, "lapsed", "ffff", "viewer", Some("2026-03-02T00:00:00Z")),
        token(8, "deploy", "1111", "admin", None),
    ]
}

/// `each_kind_before`'s tokens as they are now (5 and 6 gone).
fn each_kind_after() -> Vec<serde_json::Value> {
    vec![
        token(1, "ci", "aaaa", "admin", None),
        token(2, "new name", "bbbb", "viewer", None),
        token(3, "perms", "cccc", "admin", None),
        token(4, "expiry", "dddd", "viewer", Some("2026-09-01T00:00:00Z")),
        // Reset: the old one expires at the grace's end, the new one is named after it.
        token(8, "deploy", "1111", "admin", Some("2026-03-03T00:00:00Z")),
        token(20, "deploy 20", "2222", "admin", None),
    ]
}

#[test]
fn each_kind_of_change_is_found_and_ordered_by_kind_then_id() {
    let earlier = snap(&each_kind_before(), 1, None);
    let mut later_tokens = each_kind_after();
    later_tokens.extend([
        token(11, "brand new", "3333", "viewer", None),
        token(10, "newer", "4444", "viewer", None),
    ]);
    let drift = compare(&earlier, &snap(&later_tokens, 3, None));
    let kinds: Vec<(&str, i64)> = drift
        .changes
        .iter()
        .map(|c| (c.kind_label(), c.token_id()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("created", 10),
            ("created", 11),
            ("deleted", 5),
            ("purged after expiry", 6),
            ("reset", 8),
            ("renamed", 2),
            ("permissions changed", 3),
            ("expiry changed", 4),
        ]
    );
    assert_eq!(
        drift.summary(),
        "2 created, 2 deleted (1 purged after expiry), 1 reset, 1 renamed, 1 permissions changed, \
         1 expiry changed"
    );
    let Change::PermissionsChanged { before, after, .. } = &drift.changes[6] else {
        panic!("{:?}", drift.changes[6]);
    };
    assert_eq!(before, &["account:7:viewer"]);
    assert_eq!(after, &["account:7:admin"]);
    let details = drift.changes[6].details().join("\n");
    assert!(details.contains("added: account:7:admin"), "{details}");
    assert!(details.contains("removed: account:7:viewer"), "{details}");
    let Change::Reset {
        new,
        old_expires_at,
        ..
    } = &drift.changes[4]
    else {
        panic!("{:?}", drift.changes[4]);
    };
    assert_eq!(new.id, 20);
    assert_eq!(
        *old_expires_at,
        Some(Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap())
    );
    assert_eq!(
        drift.changes[7].details(),
        ["id 4: 2026-06-01 00:00 UTC → 2026-09-01 00:00 UTC"]
    );
    // The same inputs always give the same answer, whatever order the server listed them in.
    later_tokens.reverse();
    assert_eq!(
        compare(&earlier, &snap(&later_tokens, 3, None)).changes,
        drift.changes
    );
    // And whatever order a stored file holds its records in.
    let mut shuffled = earlier.clone();
    shuffled.tokens.reverse();
    shuffled.tokens.swap(0, 3);
    assert_eq!(
        compare(&shuffled, &snap(&later_tokens, 3, None)).changes,
        drift.changes
    );
}

#[test]
fn new_last_four_on_the_same_id_is_a_reset_in_place() {
    let before = snap(&[token(1, "ci", "aaaa", "admin", None)], 1, None);
    let after = snap(&[token(1, "ci", "zzzz", "admin", None)], 2, None);
    let drift = compare(&before, &after);
    assert_eq!(drift.summary(), "1 reset");
    assert_eq!(drift.changes[0].details(), ["id 1: …aaaa became …zzzz"]);
}

#[test]
fn a_name_ending_in_another_id_is_created_not_a_reset() {
    let before = snap(&[token(30, "deploy", "aaaa", "admin", None)], 1, None);
    // Named like a successor, but of an id that is not its own, or older than the token it names.
    let after = snap(
        &[
            token(30, "deploy", "aaaa", "admin", None),
            token(31, "deploy 99", "bbbb", "admin", None),
            token(12, "deploy 12", "cccc", "admin", None),
        ],
        2,
        None,
    );
    assert_eq!(compare(&before, &after).summary(), "2 created");
}

#[test]
fn an_unreadable_row_is_never_taken_as_deleted() {
    let before = snap(
        &[
            token(1, "ci", "aaaa", "admin", None),
            token(2, "named", "bbbb", "admin", None),
            token(3, "really gone", "cccc", "admin", None),
        ],
        1,
        None,
    );
    let odd_id = json!({"id": 1, "name": "ci", "expires_at": "not a date"});
    let odd_name = json!({"id": "x", "name": "named", "resources": 5});
    let after = snap(&[odd_id.clone(), odd_name.clone()], 2, Some(&before));
    let drift = compare(&before, &after);
    assert_eq!(drift.summary(), "1 deleted", "{:?}", drift.changes);
    assert_eq!(drift.changes[0].token_id(), 3);
    // Carried over as they were, so the next look compares them properly.
    assert_eq!(after.tokens[..2], before.tokens[..2]);
    // A row that names nothing at all could be any token: none is called deleted while it lasts.
    let anonymous = json!({"resources": []});
    let after = snap(
        &[token(1, "ci", "aaaa", "admin", None), anonymous],
        2,
        Some(&before),
    );
    assert!(compare(&before, &after).is_empty());
}

#[test]
fn hostile_names_are_kept_as_sent_and_shown_safe() {
    let hostile = "evil\u{1b}[2J\u{202e}name\nline";
    let before = snap(&[], 1, None);
    let after = snap(&[token(5, hostile, "ab\u{7}c", "admin", None)], 2, None);
    let drift = compare(&before, &after);
    assert_eq!(after.tokens[0].name, hostile, "the snapshot keeps the data");
    let shown = format!(
        "{}{}",
        drift.changes[0].token_name(),
        drift.changes[0].details().join("")
    );
    assert!(
        !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{shown:?}"
    );
}

#[test]
fn the_snapshot_is_private_whole_and_of_one_account_and_api() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = snapshot_path(dir.path(), 7);
    assert_eq!(load(&path, 7, URL), Loaded::default(), "none yet");
    let snapshot = snap(&[token(1, "ci", "aaaa", "admin", None)], 1, None);
    save(&path, &snapshot).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let dir_mode = std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700);
    assert_eq!(
        load(&path, 7, "http://127.0.0.1:9").snapshot,
        Some(snapshot.clone())
    );
    assert_eq!(load(&path, 8, URL).snapshot, None, "another account's");
    assert_eq!(
        load(&path, 7, "https://mailtrap.io").snapshot,
        None,
        "another API's"
    );
    let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

#[test]
fn a_damaged_snapshot_is_a_warning_and_no_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = snapshot_path(dir.path(), 7);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"version\": 1, \"tok").unwrap();
    let loaded = load(&path, 7, URL);
    assert_eq!(loaded.snapshot, None);
    let warning = loaded.warning.unwrap();
    assert!(
        warning.contains("damaged") && warning.contains("unreadable"),
        "{warning}"
    );
    assert!(path.with_extension("json.unreadable").exists());
    assert_eq!(load(&path, 7, URL), Loaded::default());
}

#[test]
fn a_snapshot_that_cannot_be_read_is_a_warning_and_stays_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = snapshot_path(dir.path(), 7);
    // A directory opens, then fails on the first read: the file is not damaged, only unreadable now.
    std::fs::create_dir_all(&path).unwrap();
    let loaded = load(&path, 7, URL);
    assert_eq!(loaded.snapshot, None);
    let warning = loaded.warning.unwrap();
    assert!(warning.contains("cannot read the snapshot"), "{warning}");
    assert!(path.is_dir(), "nothing is moved aside");
    assert!(!path.with_extension("json.unreadable").exists());
}

/// `earlier` saved, then read against `later`'s tokens: what is kept, and the changes `compare_read`
/// makes of it.
fn read_against(earlier: &Snapshot, later: &[serde_json::Value], day: u32) -> (Loaded, Drift) {
    let dir = tempfile::tempdir().unwrap();
    let path = snapshot_path(dir.path(), 7);
    save(&path, earlier).unwrap();
    let later = list(later);
    let loaded = load_against(&path, 7, URL, Some(&Against::of_tokens(later.iter())));
    let before = loaded.snapshot.as_ref().expect("the stored snapshot");
    let drift = compare_read(
        before,
        &loaded.unchanged,
        later.iter(),
        &later.unreadable,
        at(day),
    );
    (loaded, drift)
}

#[test]
fn a_snapshot_read_against_the_list_keeps_what_differs_and_compares_the_same() {
    // 300 tokens alike in both, then the few that differ.
    let steady = || -> Vec<serde_json::Value> {
        (100..400)
            .map(|id| token(id, &format!("steady {id}x"), "zzzz", "viewer", None))
            .collect()
    };
    let mut earlier_tokens = steady();
    // Besides `each_kind_before`'s reset since (the old one unchanged but for its grace's expiry): one
    // reset in place.
    earlier_tokens.extend(each_kind_before());
    earlier_tokens.extend([
        token(9, "in place", "5555", "admin", None),
        // Reset since, the old one not changed at all (its new token names it).
        token(12, "relay", "6666", "admin", None),
    ]);
    let earlier = snap(&earlier_tokens, 1, None);
    let mut later_tokens = steady();
    later_tokens.extend(each_kind_after());
    later_tokens.extend([
        token(9, "in place", "7777", "admin", None),
        token(12, "relay", "6666", "admin", None),
        token(30, "relay 30", "8888", "admin", None),
        token(11, "brand new", "3333", "viewer", None),
    ]);
    let whole = compare(&earlier, &snap(&later_tokens, 3, None));
    assert_eq!(
        whole.summary(),
        "1 created, 2 deleted (1 purged after expiry), 3 reset, 1 renamed, 1 permissions changed, \
         1 expiry changed"
    );
    let (loaded, drift) = read_against(&earlier, &later_tokens, 3);
    assert_eq!(drift, whole);
    let kept: Vec<i64> = loaded
        .snapshot
        .as_ref()
        .unwrap()
        .tokens
        .iter()
        .map(|t| t.id)
        .collect();
    // The changed and the gone, and the old tokens the resets' new ones name; not the 300 alike.
    assert_eq!(kept, [2, 3, 4, 5, 6, 8, 9, 12]);
    assert_eq!(loaded.unchanged.len(), 301, "{:?}", loaded.unchanged);
    assert!(loaded.unchanged.is_sorted());
    // Nothing changed: nothing is kept, and nothing is found.
    let (loaded, drift) = read_against(&earlier, &earlier_tokens, 3);
    assert_eq!(loaded.snapshot.unwrap().tokens.len(), 0);
    assert!(drift.is_empty());
    // Unreadable rows are carried over as from the whole snapshot: never taken as deleted.
    let odd = json!({"id": 2, "name": "new name", "expires_at": "not a date"});
    let mut with_odd = later_tokens.clone();
    with_odd[301] = odd;
    let whole = compare(&earlier, &snap(&with_odd, 3, Some(&earlier)));
    let (_, drift) = read_against(&earlier, &with_odd, 3);
    assert_eq!(drift, whole);
    assert!(!drift.summary().contains("renamed"), "{}", drift.summary());
}

#[test]
fn a_file_that_holds_an_id_twice_is_read_against_a_list_as_whole() {
    let mut earlier = snap(&[token(1, "ci", "aaaa", "admin", None)], 1, None);
    let mut changed = earlier.tokens[0].clone();
    changed.name = "ci renamed".into();
    earlier.tokens.push(changed);
    let later = [token(1, "ci", "aaaa", "admin", None)];
    let whole = compare(&earlier, &snap(&later, 3, None));
    assert_eq!(whole.summary(), "1 renamed");
    assert_eq!(read_against(&earlier, &later, 3).1, whole);
}

#[test]
fn the_age_of_a_snapshot_reads_in_its_largest_unit() {
    assert_eq!(ago(TimeDelta::seconds(20)), "<1m");
    assert_eq!(ago(TimeDelta::minutes(12)), "12m");
    assert_eq!(ago(TimeDelta::minutes(300)), "5h");
    assert_eq!(ago(TimeDelta::hours(49)), "2d");
    assert_eq!(
        ago(TimeDelta::hours(-3)),
        "<1m",
        "a clock set back reads as now"
    );
}

mod read_against_any_list {
    use proptest::prelude::*;

    use super::*;

    /// A token from a few names (some named as a reset's new token names it, some after another id),
    /// last digits, levels and expiries, so that two lists share, change, reset and drop tokens.
    fn a_token() -> impl Strategy<Value = serde_json::Value> {
        let expiries = prop_oneof![
            Just(None),
            Just(Some("2026-03-02T00:00:00Z")),
            Just(Some("2026-09-01T00:00:00Z")),
        ];
        (
            1i64..24,
            prop_oneof![Just("ci"), Just("deploy")],
            // Plain, named as a reset names its new token (after its own id), or after another id.
            prop_oneof![Just(None), Just(Some(0)), (1i64..24).prop_map(Some)],
            prop_oneof![Just("aaaa"), Just("bbbb")],
            prop_oneof![Just("admin"), Just("viewer")],
            expiries,
        )
            .prop_map(|(id, base, after, last4, level, expires)| {
                let name = match after {
                    None => base.to_string(),
                    Some(0) => format!("{base} {id}"),
                    Some(other) => format!("{base} {other}"),
                };
                token(id, &name, last4, level, expires)
            })
    }

    /// An unreadable row: one that names an id, or nothing at all.
    fn an_unreadable() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            (1i64..24).prop_map(|id| json!({"id": id, "name": "x", "expires_at": "not a date"})),
            Just(json!({"resources": []})),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn compares_as_the_whole_snapshot_with_the_whole_list(
            earlier in prop::collection::vec(a_token(), 0..16),
            // For each earlier token: kept as it was (most), dropped, or made again with its id.
            fates in prop::collection::vec((0u8..6, a_token()), 16),
            added in prop::collection::vec(a_token(), 0..6),
            odd in prop::option::of(an_unreadable()),
        ) {
            let mut later: Vec<serde_json::Value> = Vec::new();
            for (token, (fate, other)) in earlier.iter().zip(&fates) {
                match fate {
                    0 => {}
                    1 => {
                        let mut changed = other.clone();
                        changed["id"] = token["id"].clone();
                        later.push(changed);
                    }
                    _ => later.push(token.clone()),
                }
            }
            later.extend(added);
            later.extend(odd);
            let earlier = snap(&earlier, 1, None);
            let whole = compare(&earlier, &snap(&later, 3, Some(&earlier)));
            let (loaded, drift) = read_against(&earlier, &later, 3);
            prop_assert_eq!(&drift, &whole);
            let kept = loaded.snapshot.as_ref().map_or(0, |s| s.tokens.len());
            prop_assert_eq!(kept + loaded.unchanged.len(), earlier.tokens.len());
        }
    }
}
