//! The organization seed through the commands: `--all-accounts` on list, get, lint, reset, delete and
//! create, and `accounts` with and without the organization id. The organization token is admin in Acme
//! Corp, viewer in Acme Labs, and sees Acme Retail EU only through the organization (its list is 403).

use super::harness::{Run, Served, serve};
use serde_json::Value;

const CORP: i64 = 1824170;
const LABS: i64 = 1931405;
const RETAIL: i64 = 2047688;

fn requests_since(sim: &Served, before: usize) -> Vec<String> {
    sim.api_requests().into_iter().skip(before).collect()
}

#[test]
fn list_all_accounts_in_json_carries_the_account_and_reports_the_forbidden_one() {
    let sim = serve();
    let run = sim.run_org(&["list", "--all-accounts", "--output", "json"]);
    // Acme Retail EU answers 403: said on stderr, the others printed, the exit code is the 403's.
    assert_eq!(run.code, 5, "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("account {RETAIL} (Acme Retail EU)")),
        "{run:?}"
    );
    assert!(run.stderr.contains("Account access forbidden"), "{run:?}");
    let tokens: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let in_account = |id: i64| tokens.iter().filter(|t| t["account_id"] == id).count();
    assert_eq!(in_account(CORP), 21);
    assert_eq!(in_account(LABS), 6);
    assert_eq!(in_account(RETAIL), 0);
    for t in &tokens {
        let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "account_id", "{t}");
        assert_eq!(keys[1], "account_name", "{t}");
        // The token's own fields pass through, without a secret.
        assert!(
            t.get("last_4_digits").is_some() && t.get("token").is_none(),
            "{t}"
        );
    }
    assert!(
        tokens
            .iter()
            .any(|t| t["account_name"] == "Acme Labs" && t["name"] == "Experiment runner")
    );
    let paths = sim.api_requests();
    assert!(paths.contains(&format!("GET /api/accounts/{RETAIL}/api_tokens")));
}

#[test]
fn list_all_accounts_in_csv_and_table() {
    let sim = serve();
    let run = sim.run_org(&["list", "--all-accounts", "--output", "csv"]);
    assert_eq!(run.code, 5, "{run:?}");
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("account_id,account_name,id,name,created_by,expires_at,last_4_digits,resources")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 27, "{run:?}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("1931405,Acme Labs,2470140,Experiment runner,"))
    );
    assert!(!rows.iter().any(|r| r.starts_with("2047688,")));

    let run = sim.run_org(&["list", "--all-accounts"]);
    assert_eq!(run.code, 5, "{run:?}");
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("ACCOUNT "), "{header}");
    assert!(run.stdout.contains("Acme Labs #1931405"), "{run:?}");
    assert!(run.stdout.contains("Acme Corp #1824170"), "{run:?}");
    assert!(run.stderr.contains("Acme Retail EU"), "{run:?}");

    // The operator token sees one account: nothing fails.
    let run = sim
        .command_as(&sim.token, &["list", "--all-accounts", "-o", "csv"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
}

#[test]
fn all_accounts_conflicts_with_an_account_id_typed_but_wins_over_the_environments() {
    let sim = serve();
    let run = sim.run(&["list", "--all-accounts", "--account-id", "1824170"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--account-id"), "{run:?}");
    // MAILTRAP_ACCOUNT_ID set as `serve`'s lines export it: the flag typed wins over it.
    let before = sim.api_requests().len();
    let run: Run = sim
        .command_as(
            &sim.organization_token,
            &["list", "--all-accounts", "-o", "csv"],
        )
        .env("MAILTRAP_ACCOUNT_ID", CORP.to_string())
        .output()
        .unwrap()
        .into();
    assert_ne!(run.code, 2, "{run:?}");
    assert!(run.stdout.contains("Acme Labs"), "{run:?}");
    let lists: Vec<_> = requests_since(&sim, before)
        .into_iter()
        .filter(|r| r.ends_with("/api_tokens"))
        .collect();
    assert_eq!(
        lists.len(),
        3,
        "every account, not the one in the environment: {lists:?}"
    );
}

#[test]
fn get_all_accounts_finds_the_token_in_its_account() {
    let sim = serve();
    let before = sim.api_requests().len();
    let run = sim.run_org(&["get", "2470140", "--all-accounts", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let token: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(token["account_id"], LABS);
    assert_eq!(token["account_name"], "Acme Labs");
    assert_eq!(token["name"], "Experiment runner");
    assert_eq!(
        requests_since(&sim, before),
        [
            "GET /api/accounts".to_string(),
            format!("GET /api/accounts/{CORP}/api_tokens/2470140"),
            format!("GET /api/accounts/{LABS}/api_tokens/2470140"),
        ]
    );
    let run = sim.run_org(&["get", "2470140", "--all-accounts"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("account     Acme Labs #1931405\n"),
        "{run:?}"
    );
    // A token in none of them is not found.
    let run = sim.run_org(&["get", "99", "--all-accounts"]);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("none of the 3 accounts"), "{run:?}");
}

#[test]
fn writes_with_all_accounts_act_in_the_account_that_has_the_token() {
    let sim = serve();
    // Acme Corp, where the organization token is admin: the reset goes there.
    let before = sim.api_requests().len();
    let run = sim.run_org(&["reset", "2491002", "--all-accounts", "--yes", "-o", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let sent = requests_since(&sim, before);
    assert!(
        sent.contains(&format!(
            "POST /api/accounts/{CORP}/api_tokens/2491002/reset"
        )),
        "{sent:?}"
    );
    // Acme Labs, where it is a viewer: the delete is sent to Labs, which refuses it.
    let before = sim.api_requests().len();
    let run = sim.run_org(&["delete", "2470155", "--all-accounts", "--yes"]);
    assert_eq!(run.code, 5, "{run:?}");
    let sent = requests_since(&sim, before);
    assert!(
        sent.contains(&format!("DELETE /api/accounts/{LABS}/api_tokens/2470155")),
        "{sent:?}"
    );
    assert!(
        !sent
            .iter()
            .any(|r| r.starts_with("DELETE") && !r.contains("/1931405/"))
    );
    // A dry run plans it in the account found.
    let run = sim.run_org(&["delete", "2470155", "--all-accounts", "--dry-run"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains(&format!("/api/accounts/{LABS}/api_tokens/2470155")),
        "{run:?}"
    );
    // --read-only still refuses before anything is sent.
    let before = sim.api_requests().len();
    let run = sim.run_org(&[
        "delete",
        "2491002",
        "--all-accounts",
        "--yes",
        "--read-only",
    ]);
    assert_eq!(run.code, 13, "{run:?}");
    assert!(requests_since(&sim, before).is_empty());
}

#[test]
fn create_refuses_all_accounts() {
    let sim = serve();
    let before = sim.api_requests().len();
    let permission = format!("account:{CORP}:viewer");
    let run = sim.run_org(&[
        "create",
        "--name",
        "x",
        "--permission",
        &permission,
        "--all-accounts",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--account-id"), "{run:?}");
    assert!(requests_since(&sim, before).is_empty());
}

#[test]
fn lint_all_accounts_names_each_finding_s_account() {
    let sim = serve();
    let run = sim.run_org(&["lint", "--all-accounts", "--output", "json"]);
    assert_eq!(run.code, 5, "{run:?}");
    assert!(run.stderr.contains("Acme Retail EU"), "{run:?}");
    let findings: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(findings.iter().any(|f| f["account_id"] == CORP));
    assert!(findings.iter().any(|f| f["account_id"] == LABS));
    assert!(findings.iter().all(|f| f["rule"].is_string()));
}

#[test]
fn accounts_show_the_access_and_the_organization() {
    let sim = serve();
    let run = sim.run_org(&["accounts", "--output", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let access: Vec<(i64, &str)> = rows
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["access"].as_str().unwrap()))
        .collect();
    assert_eq!(
        access,
        [(CORP, "admin"), (LABS, "viewer"), (RETAIL, "none")]
    );
    assert!(rows.iter().all(|r| r["organization_id"].is_null()));

    let run = sim
        .command_as(&sim.organization_token, &["accounts"])
        .env("MAILTRAP_ORGANIZATION_ID", &sim.organization)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let text = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].ends_with("ORGANIZATION"), "{text}");
    assert!(
        lines[3].contains("Acme Retail EU") && lines[3].contains("none"),
        "{text}"
    );
    assert!(
        lines[1..].iter().all(|l| l.trim_end().ends_with("88100")),
        "{text}"
    );

    let run = sim.run_org(&["accounts", "--organization-id", "88100", "-o", "csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .starts_with("id,name,access_levels,access,organization_id\n")
    );
    assert!(
        run.stdout.contains("2047688,Acme Retail EU,,none,88100\n"),
        "{run:?}"
    );

    // The operator token may not list the organization's sub-accounts: a warning, and its account.
    let run = sim.run(&["accounts", "--organization-id", "88100"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.starts_with("warning: organization 88100"),
        "{run:?}"
    );
    assert!(run.stdout.contains("Acme Corp") && run.stdout.contains("admin"));
    assert!(!run.stdout.contains("Acme Labs"));
}

#[test]
fn journal_undo_with_all_accounts_finds_the_token_s_account() {
    use mailtrap_tokens::api::{AccessLevel, PermissionChange, ResourceType};
    let sim = serve();
    let token = sim.create_token("to narrow and restore");
    let entry = super::journal::edit_permissions(
        &sim,
        token,
        vec![PermissionChange {
            resource_type: ResourceType::new("account"),
            resource_id: CORP,
            access_level: Some(AccessLevel::VIEWER),
        }],
    );
    let before = sim.api_requests().len();
    let run = sim.run_org(&["journal", "undo", entry.as_str(), "--all-accounts", "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    let sent = requests_since(&sim, before);
    assert_eq!(sent[0], "GET /api/accounts");
    assert_eq!(
        sent[1],
        format!("GET /api/accounts/{CORP}/api_tokens/{token}")
    );
    assert!(
        sent.iter()
            .any(|r| r.starts_with(&format!("PUT /api/accounts/{CORP}/account_accesses/"))),
        "{sent:?}"
    );
}

#[test]
fn the_console_opens_the_inventory_with_all_accounts_and_one_account_without() {
    let sim = serve();
    let dump = |extra: &[&str]| -> Run {
        let mut args = vec!["--dump-screen", "120x40"];
        args.extend_from_slice(extra);
        sim.command_as(&sim.organization_token, &args)
            .env("MAILTRAP_ACCOUNT_ID", CORP.to_string())
            .output()
            .unwrap()
            .into()
    };
    let all = dump(&["--all-accounts"]);
    assert_eq!(all.code, 0, "{all:?}");
    assert!(all.stdout.contains("All accounts · 3"), "{}", all.stdout);
    assert!(all.stdout.contains("Acme Labs"), "{}", all.stdout);
    assert!(
        all.stdout.contains("not listed"),
        "the 403 account in place: {}",
        all.stdout
    );
    let one = dump(&[]);
    assert_eq!(one.code, 0, "{one:?}");
    assert!(
        one.stdout.contains(&format!("Acme Corp #{CORP}")),
        "{}",
        one.stdout
    );
    assert!(!one.stdout.contains("Acme Labs"), "{}", one.stdout);
}
