//! The inventory end to end in one process: the console on the organization's token, with no account
//! named, against the simulator's organization of three accounts (admin in one, viewer in one, and one
//! seen only through the organization, whose list answers 403). The request log says which account each
//! request went to.

use crate::console_driver::{Live, sim_config};
use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::KeyCode;
use mailtrap_tokens::api::Client;
use mailtrap_tokens::app::state::{Overlay, Phase, StateConfig};
use mailtrap_tokens::sim::{LoggedRequest, RunningSim, SimOptions};

fn frozen_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap()
}

struct Inventory {
    sim: RunningSim,
    console: Live,
    /// The seed's accounts in order: admin, viewer, seen through the organization only.
    admin: i64,
    viewer: i64,
    unseen: i64,
}

impl Inventory {
    async fn start() -> Inventory {
        let sim = RunningSim::start(SimOptions {
            frozen_at: Some(frozen_at()),
            ..SimOptions::default()
        })
        .await
        .expect("the simulator starts");
        let token = sim
            .organization_token()
            .expect("the seed has an organization");
        let client = Client::new(&sim.url(), token).unwrap();
        let config = StateConfig {
            wanted_account: None,
            ..sim_config(&sim)
        };
        let console = Live::start_as_run(config, client, frozen_at);
        let ids = sim.account_ids();
        let [admin, viewer, unseen] = ids[..] else {
            panic!("three accounts in the seed: {ids:?}");
        };
        let mut inventory = Inventory {
            sim,
            console,
            admin,
            viewer,
            unseen,
        };
        inventory.console.settle().await;
        inventory
    }

    fn requests(&self) -> Vec<LoggedRequest> {
        self.sim.requests()
    }

    fn writes(&self) -> Vec<LoggedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.method != "GET")
            .collect()
    }

    fn row_of(&self, name: &str) -> &mailtrap_tokens::app::state::TokenRow {
        self.console
            .state
            .table
            .rows
            .iter()
            .find(|r| r.token.name == name)
            .unwrap_or_else(|| panic!("no row {name}"))
    }

    fn account_of(&self, name: &str) -> i64 {
        self.row_of(name).account
    }

    fn id_of(&self, name: &str) -> i64 {
        self.row_of(name).token.id
    }

    /// A row of the viewer account.
    fn viewer_row(&self) -> String {
        self.console
            .state
            .table
            .rows
            .iter()
            .find(|r| r.account == self.viewer && r.unreadable().is_none())
            .expect("the viewer account lists tokens")
            .token
            .name
            .to_string()
    }
}

#[tokio::test]
async fn every_account_loads_side_by_side_and_the_403_account_says_why_in_place() {
    let inv = Inventory::start().await;
    let state = &inv.console.state;
    assert_eq!(state.session.phase, Phase::Inventory);
    for account in [inv.admin, inv.viewer, inv.unseen] {
        let path = format!("/api/accounts/{account}/api_tokens");
        let lists: Vec<_> = inv
            .requests()
            .into_iter()
            .filter(|r| r.method == "GET" && r.path == path)
            .collect();
        assert_eq!(lists.len(), 1, "{path}: {:?}", inv.requests());
        let expected = if account == inv.unseen { 403 } else { 200 };
        assert_eq!(lists[0].status, expected, "{path}");
    }
    let rows_of = |account: i64| {
        state
            .table
            .rows
            .iter()
            .filter(move |r| r.account == account)
    };
    assert!(rows_of(inv.admin).count() > 10);
    assert!(rows_of(inv.viewer).count() > 1);
    let failed: Vec<_> = rows_of(inv.unseen).collect();
    assert_eq!(failed.len(), 1, "one row says why");
    assert!(failed[0].unreadable().is_some_and(|r| r.contains("403")));
    assert_eq!(
        inv.requests().iter().filter(|r| r.status == 429).count(),
        0,
        "the loads stay within the budget"
    );
}

#[tokio::test]
async fn writes_go_to_their_rows_account_and_the_viewer_account_gets_none() {
    let mut inv = Inventory::start().await;
    // A delete in the admin account.
    let name = "Staging sandbox reader";
    assert_eq!(inv.account_of(name), inv.admin);
    let id = inv.id_of(name);
    inv.console.select(name);
    inv.console.key(KeyCode::Char('D'));
    assert!(matches!(
        inv.console.state.overlays.open,
        Some(Overlay::Confirm(_))
    ));
    inv.console.key(KeyCode::Char('y'));
    inv.console.settle().await;
    let writes = inv.writes();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(writes[0].method, "DELETE");
    assert_eq!(
        writes[0].path,
        format!("/api/accounts/{}/api_tokens/{id}", inv.admin)
    );
    // A reset in the admin account.
    let name = "CI deploy bot";
    let id = inv.id_of(name);
    inv.console.select(name);
    inv.console.key(KeyCode::Char('R'));
    for _ in 0..4 {
        inv.console.key(KeyCode::Char('y'));
    }
    inv.console.settle().await;
    let writes = inv.writes();
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert_eq!(
        writes[1].path,
        format!("/api/accounts/{}/api_tokens/{id}/reset", inv.admin)
    );
    inv.console.key(KeyCode::Esc);
    inv.console.key(KeyCode::Esc);
    // The viewer account: nothing is offered, nothing is sent.
    let viewer_row = inv.viewer_row();
    inv.console.state.overlays.open = None;
    inv.console.select(&viewer_row);
    for key in ['R', 'y', 'D', 'y', 'e'] {
        inv.console.key(KeyCode::Char(key));
    }
    inv.console.settle().await;
    assert_eq!(inv.writes().len(), 2, "{:?}", inv.writes());
    assert!(inv.console.state.session.viewer_in(inv.viewer));
    assert!(!inv.console.state.session.viewer_in(inv.admin));
}

#[tokio::test]
async fn a_refresh_keeps_the_selection_across_accounts() {
    let mut inv = Inventory::start().await;
    let name = inv.viewer_row();
    inv.console.select(&name);
    let before = inv.requests().len();
    inv.console.key(KeyCode::Char('r'));
    inv.console.settle().await;
    let lists = inv.requests()[before..]
        .iter()
        .filter(|r| r.path.ends_with("/api_tokens"))
        .count();
    assert_eq!(lists, 3, "every account is read again");
    assert_eq!(
        inv.console
            .state
            .table
            .selected_row()
            .map(|r| r.token.name.to_string()),
        Some(name)
    );
}

#[tokio::test]
async fn narrowed_to_one_account_a_create_goes_there() {
    let mut inv = Inventory::start().await;
    // A, then the admin account (the first below "All accounts"), Enter.
    inv.console.key(KeyCode::Char('A'));
    inv.console.key(KeyCode::Down);
    inv.console.key(KeyCode::Enter);
    assert_eq!(inv.console.state.session.current_account(), Some(inv.admin));
    inv.console.key(KeyCode::Char('n'));
    assert!(matches!(
        inv.console.state.overlays.open,
        Some(Overlay::Form(_))
    ));
    inv.console.chars("inventory-created");
    inv.console.key(KeyCode::Enter);
    inv.console.key(KeyCode::Down);
    inv.console.key(KeyCode::Char('v'));
    inv.console.key(KeyCode::Enter);
    inv.console.key(KeyCode::Enter);
    inv.console.key(KeyCode::Enter);
    inv.console.settle().await;
    let creates: Vec<_> = inv
        .writes()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(creates.len(), 1, "{creates:?}");
    assert_eq!(
        creates[0].path,
        format!("/api/accounts/{}/api_tokens", inv.admin)
    );
    assert_eq!(creates[0].status, 200);
}

#[tokio::test]
async fn an_edit_and_a_bulk_delete_go_to_their_rows_account() {
    let mut inv = Inventory::start().await;
    // An edit of permissions in the admin account: its access is looked up and changed there.
    let name = "Mobile app analytics";
    assert_eq!(inv.account_of(name), inv.admin);
    inv.console.select(name);
    inv.console.key(KeyCode::Char('e'));
    assert!(matches!(
        inv.console.state.overlays.open,
        Some(Overlay::EditPermissions { .. })
    ));
    inv.console.key(KeyCode::Down);
    inv.console.key(KeyCode::Char('a'));
    inv.console.key(KeyCode::Enter);
    inv.console.key(KeyCode::Char('y'));
    inv.console.key(KeyCode::Char('y'));
    inv.console.settle().await;
    let puts: Vec<_> = inv
        .writes()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1, "{:?}", inv.requests());
    assert_eq!(puts[0].status, 200);
    let prefix = format!("/api/accounts/{}/account_accesses/", inv.admin);
    assert!(puts[0].path.starts_with(&prefix), "{puts:?}");
    // A bulk delete of two tokens of the admin account: one DELETE each, in that account.
    let targets = ["Retired importer", "Billing reports (read only)"];
    let ids: Vec<i64> = targets.iter().map(|n| inv.id_of(n)).collect();
    for name in targets {
        inv.console.select(name);
        inv.console.key(KeyCode::Char(' '));
    }
    assert_eq!(inv.console.state.marks.len(), 2);
    inv.console.key(KeyCode::Char('D'));
    assert!(matches!(
        inv.console.state.overlays.open,
        Some(Overlay::BulkPreview(_))
    ));
    inv.console.key(KeyCode::Char('y'));
    inv.console.settle().await;
    let deletes: Vec<_> = inv
        .writes()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    assert_eq!(deletes.len(), 2, "{deletes:?}");
    for id in ids {
        let path = format!("/api/accounts/{}/api_tokens/{id}", inv.admin);
        assert_eq!(
            deletes.iter().filter(|r| r.path == path).count(),
            1,
            "{path}: {deletes:?}"
        );
    }
}
