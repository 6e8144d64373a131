//! The journal of writes through the built binary: every write leaves a "sent" and a result line (the
//! simulator's request log shows one request per entry), `journal` shows them, an unwritable journal
//! sends nothing, `journal undo` puts permissions back (read back from the server), and `--dry-run`
//! prints the requests and sends none.

use mailtrap_tokens::api::{AccessLevel, Client, PermissionChange, ResourceType, Secret};
use mailtrap_tokens::journal::{Action, EntryId, Journal, Note, apply_changes, permission_set};
use serde_json::Value;

use super::harness::{Served, serve};

fn writes(sim: &Served) -> Vec<String> {
    sim.api_requests()
        .into_iter()
        .filter(|r| !r.starts_with("GET "))
        .collect()
}

fn journal_json(sim: &Served, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["journal", "--output", "json"];
    args.extend_from_slice(extra);
    let run = sim.run(&args);
    assert_eq!(run.code, 0, "{run:?}");
    serde_json::from_str::<Value>(&run.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// A permission edit as the console makes it: journaled in the same state directory, sent through the
/// library's client. Returns the entry.
pub(super) fn edit_permissions(
    sim: &Served,
    token: i64,
    changes: Vec<PermissionChange>,
) -> EntryId {
    let account: i64 = sim.account.parse().unwrap();
    let client = Client::new(&sim.url, Secret::new(sim.token.clone())).unwrap();
    let journal = Journal::in_state_dir(&sim.home.path().join("state"));
    block_on(async {
        let current = client.get_token(account, token).await.unwrap();
        let before = permission_set(&current.resources);
        let after = apply_changes(&before, &changes);
        let note = Note::about(
            Action::EditPermissions,
            token,
            &current.name,
            &current.last_4_digits,
        )
        .with_permissions(before, after);
        let recording = journal.record_sent(account, note).unwrap();
        let entry = recording.entry().clone();
        let access = client.token_access(account, token).await.unwrap();
        let result = client
            .update_permissions(account, access.id, &changes)
            .await;
        recording.finish(&result, None).unwrap();
        result.unwrap();
        entry
    })
}

fn level_of(sim: &Served, token: i64) -> Value {
    let run = sim.run(&["get", &token.to_string(), "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    json["resources"][0]["access_level"].clone()
}

#[test]
fn each_write_leaves_a_sent_and_a_result_line_and_one_request() {
    let sim = serve();
    let permission = format!("account:{}:admin", sim.account);
    let created = sim.run(&["create", "--name", "journaled", "--permission", &permission]);
    assert_eq!(created.code, 0, "{created:?}");
    let secret = created.stdout.trim().to_string();
    let list = sim.run(&["list", "--output", "json"]);
    let tokens: Value = serde_json::from_str(&list.stdout).unwrap();
    let id = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "journaled")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let reset = sim.run(&["reset", &id.to_string(), "--yes"]);
    assert_eq!(reset.code, 0, "{reset:?}");
    let new_secret = reset.stdout.trim().to_string();
    let deleted = sim.run(&["delete", &id.to_string(), "--yes"]);
    assert_eq!(deleted.code, 0, "{deleted:?}");

    let text = std::fs::read_to_string(sim.journal_path()).unwrap();
    assert_eq!(
        text.lines().count(),
        6,
        "a sent and a result line per write:\n{text}"
    );
    for secret in [&secret, &new_secret, &sim.token] {
        assert!(
            !text.contains(secret.as_str()),
            "a secret reached the journal"
        );
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(sim.journal_path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let entries = journal_json(&sim, &[]);
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "reset", "delete"]);
    assert!(entries.iter().all(|e| e["result"] == "done"), "{entries:?}");
    assert_eq!(entries[0]["new_token"], id);
    assert_eq!(entries[0]["new_last4"].as_str().unwrap(), &secret[28..]);
    assert_eq!(entries[1]["token"], id);
    assert_eq!(entries[1]["new_last4"].as_str().unwrap(), &new_secret[28..]);
    assert_eq!(entries[2]["before"][0]["access_level"], 100);
    let ids: std::collections::HashSet<&str> = entries
        .iter()
        .map(|e| e["entry"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "one id per entry");
    // One request per entry.
    assert_eq!(writes(&sim).len(), entries.len(), "{:?}", writes(&sim));

    // A refusal is journaled as its kind.
    let again = sim.run(&["delete", &id.to_string(), "--yes"]);
    assert_eq!(again.code, 4, "{again:?}");
    let entries = journal_json(&sim, &[]);
    assert_eq!(
        entries.len(),
        3,
        "a token not found is not sent: its read failed first"
    );

    let table = sim.run(&["journal"]);
    assert_eq!(table.code, 0, "{table:?}");
    assert!(table.stdout.starts_with("ENTRY"), "{table:?}");
    assert!(
        table.stdout.contains("journaled") && table.stdout.contains("delete"),
        "{table:?}"
    );
}

#[test]
fn since_csv_json_and_torn_lines() {
    let sim = serve();
    let state = sim.home.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let old = r#"{"line":"sent","entry":"0000aaaa","time":"2020-01-01T00:00:00Z","account":1,"action":"delete","token":5,"name":"=HYPERLINK(\"x\")\u001b[31m","last4":"ab12"}"#;
    std::fs::write(sim.journal_path(), format!("{old}\n")).unwrap();
    let permission = format!("account:{}:viewer", sim.account);
    assert_eq!(
        sim.run(&["create", "--name", "fresh", "--permission", &permission])
            .code,
        0
    );
    let all = journal_json(&sim, &[]);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["result"], Value::Null, "no result recorded");
    let recent = journal_json(&sim, &["--since", "7d"]);
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0]["name"], "fresh");
    assert_eq!(
        journal_json(&sim, &["--since", "2019-12-31T00:00:00Z"]).len(),
        2
    );
    assert!(sim.run(&["journal", "--since", "7y"]).code == 2);

    let table = sim.run(&["journal"]);
    assert!(
        table.stdout.contains("sent, no result recorded"),
        "{table:?}"
    );
    assert!(
        !table.stdout.contains('\u{1b}'),
        "no escape reaches the terminal"
    );
    let csv = sim.run(&["journal", "--output", "csv"]);
    assert_eq!(csv.code, 0, "{csv:?}");
    let mut lines = csv.stdout.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("entry,time,account,action,token,name")
    );
    let first = lines.next().unwrap();
    assert!(
        first.contains("'=HYPERLINK"),
        "a formula is shown as text: {first}"
    );
    assert!(!csv.stdout.contains('\u{1b}'));

    // A torn last line: a warning, the rest shown, exit 0.
    let mut text = std::fs::read_to_string(sim.journal_path()).unwrap();
    text.push_str(r#"{"line":"sent","entry":"1234"#);
    std::fs::write(sim.journal_path(), text).unwrap();
    let run = sim.run(&["journal", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr
            .contains("journal line 4 skipped: cut short (torn)"),
        "{run:?}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&run.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn an_unwritable_journal_sends_nothing() {
    let sim = serve();
    // A directory where the journal file should be: no one, root included, can append to it.
    std::fs::create_dir_all(sim.journal_path()).unwrap();
    let permission = format!("account:{}:admin", sim.account);
    for args in [
        vec!["create", "--name", "x", "--permission", permission.as_str()],
        vec!["reset", "2491002", "--yes"],
        vec!["delete", "2491002", "--yes"],
    ] {
        let run = sim.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("journal") && run.stderr.contains("nothing was sent"),
            "{run:?}"
        );
    }
    assert_eq!(
        sim.api_requests(),
        Vec::<String>::new(),
        "no request at all"
    );
}

#[test]
fn undo_puts_the_permissions_back_and_refuses_what_cannot_be() {
    let sim = serve();
    let token = sim.create_token("to narrow");
    let account: i64 = sim.account.parse().unwrap();
    let entry = edit_permissions(
        &sim,
        token,
        vec![PermissionChange {
            resource_type: ResourceType::new("account"),
            resource_id: account,
            access_level: Some(AccessLevel::VIEWER),
        }],
    );
    assert_eq!(level_of(&sim, token), 10);

    // The dry run shows the one PUT and sends nothing.
    let before = writes(&sim).len();
    let dry = sim.run(&["journal", "undo", entry.as_str(), "--dry-run"]);
    assert_eq!(dry.code, 0, "{dry:?}");
    assert!(
        dry.stdout.starts_with(&format!(
            "PUT {}/api/accounts/{account}/account_accesses/",
            sim.url
        )),
        "{dry:?}"
    );
    assert!(
        dry.stdout.contains("\"access_level\": \"admin\""),
        "{dry:?}"
    );
    assert!(dry.stderr.contains("restores: account"), "{dry:?}");
    assert_eq!(writes(&sim).len(), before, "a dry run sends no write");

    // Without --yes and no terminal, nothing is sent; nor under --read-only (exit 13).
    assert_eq!(sim.run(&["journal", "undo", entry.as_str()]).code, 2);
    let read_only = sim.run(&["journal", "undo", entry.as_str(), "--yes", "--read-only"]);
    assert_eq!(read_only.code, 13, "{read_only:?}");
    assert_eq!(writes(&sim).len(), before, "read-only sent nothing");

    let run = sim.run(&["journal", "undo", entry.as_str(), "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(level_of(&sim, token), 100, "read back from the server");
    assert_eq!(writes(&sim).len(), before + 1, "one PUT");
    let entries = journal_json(&sim, &[]);
    let undo = entries.last().unwrap();
    assert_eq!(undo["action"], "undo");
    assert_eq!(undo["undoes"], entry.as_str());
    assert_eq!(undo["result"], "done");
    assert_eq!(undo["before"][0]["access_level"], 10);
    assert_eq!(undo["after"][0]["access_level"], 100);

    // Undoing the same edit again: the token is no longer as that edit left it.
    let again = sim.run(&["journal", "undo", entry.as_str(), "--yes"]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("changed since entry"), "{again:?}");
    assert_eq!(writes(&sim).len(), before + 1, "nothing sent");
    // The undo itself can be undone.
    let undo_entry = undo["entry"].as_str().unwrap();
    assert_eq!(sim.run(&["journal", "undo", undo_entry, "--yes"]).code, 0);
    assert_eq!(level_of(&sim, token), 10);

    // A reset cannot be undone.
    assert_eq!(sim.run(&["reset", &token.to_string(), "--yes"]).code, 0);
    let reset_entry = journal_json(&sim, &[]).last().unwrap()["entry"]
        .as_str()
        .unwrap()
        .to_string();
    let sent = writes(&sim).len();
    let refused = sim.run(&["journal", "undo", &reset_entry, "--yes"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused.stderr.contains("a reset/delete cannot be undone"),
        "{refused:?}"
    );
    assert_eq!(writes(&sim).len(), sent);
    assert_eq!(sim.run(&["journal", "undo", "nothere1", "--yes"]).code, 2);
}

#[test]
fn dry_runs_print_the_requests_and_send_no_write() {
    let sim = serve();
    let permission = format!("account:{}:viewer", sim.account);
    let create = sim.run(&[
        "create",
        "--name",
        "planned",
        "--permission",
        &permission,
        "--expires-at",
        "2030-01-01",
        "--dry-run",
    ]);
    assert_eq!(create.code, 0, "{create:?}");
    let mut lines = create.stdout.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("POST {}/api/accounts/{}/api_tokens", sim.url, sim.account)
    );
    let body: Value = serde_json::from_str(&lines.collect::<Vec<_>>().join("\n")).unwrap();
    assert_eq!(body["name"], "planned");
    assert_eq!(body["expires_at"], "2030-01-01T00:00:00Z");
    assert_eq!(body["resources"][0]["access_level"], 10);

    let reset = sim.run(&["reset", "2491002", "--dry-run", "--output", "json"]);
    assert_eq!(reset.code, 0, "{reset:?}");
    let plan: Value = serde_json::from_str(&reset.stdout).unwrap();
    assert_eq!(plan[0]["method"], "POST");
    assert_eq!(
        plan[0]["url"],
        format!(
            "{}/api/accounts/{}/api_tokens/2491002/reset",
            sim.url, sim.account
        )
    );
    assert_eq!(
        plan[0]["body"],
        Value::Null,
        "the server's default expiry: no body"
    );

    let delete = sim.run(&["delete", "2491002", "--dry-run"]);
    assert_eq!(delete.code, 0, "{delete:?}");
    assert_eq!(
        delete.stdout,
        format!(
            "DELETE {}/api/accounts/{}/api_tokens/2491002\n",
            sim.url, sim.account
        )
    );
    for run in [&create, &reset, &delete] {
        assert!(!run.stdout.contains(&sim.token) && !run.stderr.contains(&sim.token));
        assert!(!run.stdout.to_ascii_lowercase().contains("authorization"));
    }
    assert_eq!(
        writes(&sim),
        Vec::<String>::new(),
        "no write reached the simulator"
    );
    assert!(
        !sim.journal_path().exists(),
        "nothing sent, nothing journaled"
    );
}
