//! The inventory of every account in the built binary, against `serve` on the organization's token: the
//! accounts side by side, the 403 account in place, no write offered in the viewer account whatever is
//! pressed or pasted, and a write on a row sent to that row's account (the request log is the witness).

use super::custody::{DEADLINE, barrier};
use super::harness::Session;
use super::server::Served;

/// The inventory, every account answered.
fn inventory(session: &mut Session) {
    session.wait_for_screen("the inventory", |s| {
        s.contains("All accounts")
            && s.contains("● connected")
            && s.contains("Acme Labs")
            && s.contains("did not load")
    });
}

#[test]
fn the_inventory_shows_every_account_and_writes_go_to_the_rows_account_only() {
    let served = Served::start_organization();
    let mut session = Session::spawn(&[], &served.env(&[]));
    inventory(&mut session);
    let lists: Vec<String> = served
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("GET /api/accounts/") && r.ends_with("/api_tokens"))
        .collect();
    assert_eq!(lists.len(), 3, "one list per account: {lists:?}");

    // The viewer account: keys and a paste that would reset and delete send nothing.
    session.send("/");
    session.send("Acme Labs");
    session.send("\r");
    session.wait_for_screen("the Acme Labs rows", |s| {
        s.contains(" of ") && s.contains("Acme Labs")
    });
    session.send("R");
    session.send("y");
    session.paste("DyyyRyyy");
    session.send("D");
    session.send("y");
    barrier(&mut session, &served);
    assert_eq!(
        served.writes(),
        Vec::<String>::new(),
        "a viewer account sends no write"
    );
    session.send("\x1b");

    // An account where the token is admin: a delete of a row goes to that row's account, once.
    let corp = served
        .first_account
        .clone()
        .expect("the first account's id");
    session.send("/");
    session.send("Staging sandbox reader");
    session.send("\r");
    session.wait_for_screen("the one row", |s| s.contains("(1 of "));
    session.send("D");
    session.wait_for_screen("the delete question", |s| {
        s.contains("Delete token Staging sandbox reader")
    });
    session.send("y");
    session.wait_for_screen("the deletion", |s| s.contains("Deleted"));
    let writes = served.writes();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(
        writes[0].starts_with(&format!("DELETE /api/accounts/{corp}")),
        "{writes:?}"
    );
    assert!(writes[0].ends_with("/api_tokens/2491255"), "{writes:?}");
    session.quit_restoring_the_terminal(DEADLINE);
}
