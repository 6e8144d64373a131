//! The views of the inventory (tokens, domains, timeline, findings) and the token details: whole frames
//! at both sizes, without colour, with hostile names and at 0 tokens; switching, Enter, filters, sorts
//! and selections kept through refreshes, driven by real key events.

use chrono::Duration;
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use mailtrap_tokens::api::{AccessLevel, ResourceNode};
use mailtrap_tokens::app::msg::Msg;
use mailtrap_tokens::app::state::{Overlay, SortColumn, State, StateConfig, ViewKind};
use mailtrap_tokens::config::Theme;
use ratatui::style::Color;

use super::common::*;
use crate::console_driver::*;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn with_columns(columns: &[SortColumn]) -> StateConfig {
    StateConfig {
        columns: columns.to_vec(),
        ..config()
    }
}

/// The demo tokens plus a second token on example.com and one on a domain the tree does not hold.
fn inventory() -> Vec<mailtrap_tokens::api::ApiToken> {
    let mut tokens = demo_tokens();
    tokens.push(token(
        2498750,
        "newsletter sender",
        "Jane Roe",
        "4d4d",
        Some(Duration::days(20)),
        vec![res("sending_domain", 3, AccessLevel::ADMIN)],
    ));
    tokens.push(token(
        2498760,
        "orphan domain bot",
        "John Doe",
        "8e8e",
        Some(Duration::days(60)),
        vec![res("domain", 99, AccessLevel::ADMIN)],
    ));
    tokens
}

fn show(state: &mut State, view: char) {
    send(state, char_key(view));
}

#[test]
fn every_view_at_both_sizes() {
    let mut state = loaded_with(
        with_columns(&[
            SortColumn::Name,
            SortColumn::Id,
            SortColumn::Access,
            SortColumn::Expires,
            SortColumn::Findings,
        ]),
        inventory(),
    );
    for (key, name) in [
        ('1', "tokens"),
        ('2', "domains"),
        ('3', "timeline"),
        ('4', "findings"),
    ] {
        show(&mut state, key);
        for (w, h) in SIZES {
            let screen = draw(&mut state, w, h);
            assert_clean_buffer(screen.backend().buffer(), name);
            assert_snapshot!(format!("view_{name}_{w}x{h}"), screen.backend());
        }
    }
    show(&mut state, '1');
    select(&mut state, "monitoring");
    send(&mut state, char_key('i'));
    for (w, h) in SIZES {
        assert_snapshot!(
            format!("view_details_{w}x{h}"),
            draw(&mut state, w, h).backend()
        );
    }
}

#[test]
fn the_title_bar_names_the_view_and_tab_goes_round() {
    let mut state = loaded(inventory());
    let mut seen = Vec::new();
    for _ in 0..4 {
        let frame = text(&draw(&mut state, 120, 40));
        let title = frame.lines().next().unwrap_or_default().to_string();
        seen.push((state.views.active, title));
        send(&mut state, press(KeyCode::Tab));
    }
    assert_eq!(state.views.active, ViewKind::Tokens, "four tabs go round");
    for (view, title) in seen {
        assert!(
            title.contains(&format!("│ {} │", view.title())),
            "{view:?}: {title}"
        );
    }
    send(&mut state, press(KeyCode::BackTab));
    assert_eq!(state.views.active, ViewKind::Findings);
}

#[test]
fn the_domains_view_says_who_can_act_on_each_domain() {
    let mut state = loaded(inventory());
    show(&mut state, '2');
    let frame = text(&draw(&mut state, 120, 40));
    // example.com: its auto-created token, the newsletter sender (named with the old type spelling)
    // and the monitoring viewer; the account admins are counted once.
    for needle in [
        "example.com token 2498700",
        "newsletter sender",
        "monitoring",
        "auto-created",
        "domain #99",
        "⚑ last token",
        // The SDK token and ci-deploy's successor; ci-deploy itself is in its reset grace.
        "account-wide access: 2 admin tokens and 0 viewer tokens",
    ] {
        assert!(frame.contains(needle), "{needle}:\n{frame}");
    }
    // The domain with one token marks it as its last; example.com, with several, marks none.
    let last = frame
        .lines()
        .find(|l| l.contains("⚑ last token"))
        .unwrap_or_default();
    assert!(last.contains("orphan domain bot"), "{last}");
    // Enter opens the selected row's token's menu.
    select_in_view(&mut state, "newsletter sender");
    send(&mut state, press(KeyCode::Enter));
    match &state.overlays.open {
        Some(Overlay::Menu { token, .. }) => assert_eq!(*token, 2498750),
        other => panic!("expected the action menu, got {other:?}"),
    }
}

/// Moves the shown view's cursor to the first row that mentions `name`.
fn select_in_view(state: &mut State, name: &str) {
    for _ in 0..100 {
        let frame = text(&draw(state, 120, 40));
        let on = frame
            .lines()
            .find(|l| l.starts_with('▶'))
            .unwrap_or_default();
        if on.contains(name) {
            return;
        }
        send(state, char_key('j'));
    }
    panic!("no row of the shown view mentions {name}");
}

#[test]
fn a_row_key_in_a_derived_view_acts_on_that_rows_token() {
    let mut state = loaded(inventory());
    show(&mut state, '3');
    select_in_view(&mut state, "monitoring");
    send(&mut state, char_key('D'));
    let frame = text(&draw(&mut state, 120, 40));
    assert!(
        matches!(state.overlays.open, Some(Overlay::Confirm(_))),
        "{frame}"
    );
    assert!(frame.contains("monitoring"), "{frame}");
}

#[test]
fn enter_in_the_findings_view_goes_to_the_token() {
    let mut state = loaded(inventory());
    // A filter in the tokens view that hides the token: going to it clears the filter.
    send(&mut state, char_key('/'));
    type_text(&mut state, "ci-deploy");
    send(&mut state, press(KeyCode::Enter));
    show(&mut state, '4');
    select_in_view(&mut state, "expired-awaiting-purge");
    send(&mut state, press(KeyCode::Enter));
    assert_eq!(state.views.active, ViewKind::Tokens);
    assert!(state.overlays.open.is_none());
    assert_eq!(selected_name(&state).as_deref(), Some("old-import"));
    assert!(
        state.table.filter.is_empty(),
        "the filter that hid it is cleared"
    );
}

#[test]
fn the_timeline_is_soonest_first_and_counts_the_weeks() {
    let mut state = loaded(inventory());
    show(&mut state, '3');
    let frame = text(&draw(&mut state, 120, 40));
    let rows = &state.views.timeline;
    let times: Vec<_> = rows.order().iter().map(|&i| rows.rows()[i].at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "soonest first");
    assert!(times.iter().all(|t| *t > now()), "only what is ahead");
    // ci-deploy's grace ends in 11:59:12, the expired old-import is purged 22 h from now.
    assert!(frame.contains("reset grace ends"), "{frame}");
    assert!(frame.contains("purged           old-import"), "{frame}");
    // This week: staging-bot (40 min), ci-deploy's grace, monitoring (3 d); the third week:
    // newsletter sender (20 d); the fourth: quantum (23 d).
    assert_eq!(state.views.weeks[0], 3, "{:?}", state.views.weeks);
    assert_eq!(state.views.weeks[2], 1);
    assert_eq!(state.views.weeks[3], 1);
    assert!(frame.contains("next 12 weeks"), "{frame}");
    // It keeps its order: the sort key says so instead.
    send(&mut state, char_key('s'));
    assert!(text(&draw(&mut state, 120, 40)).contains("keeps its order"));
}

#[test]
fn each_view_filters_and_sorts_on_its_own_and_keeps_its_selection_through_a_refresh() {
    let mut state = loaded(inventory());
    show(&mut state, '4');
    send(&mut state, char_key('/'));
    type_text(&mut state, "duplicate");
    send(&mut state, press(KeyCode::Enter));
    let findings = &state.views.findings;
    assert!(!findings.order().is_empty());
    assert!(
        findings
            .order()
            .iter()
            .all(|&i| findings.rows()[i].rule.as_str() == "duplicate-permissions")
    );
    assert!(
        state.table.filter.is_empty(),
        "the tokens view's filter is its own"
    );
    send(&mut state, char_key('s'));
    assert_eq!(state.views.findings.sorted_by(), Some(("Rule", false)));
    send(&mut state, char_key('j'));
    let chosen = state
        .views
        .findings
        .selected_row()
        .map(|r| (r.rule, r.token_id));
    assert!(chosen.is_some());

    // A refresh brings a new token that sorts first: the same finding stays selected.
    let effects = send(&mut state, char_key('r'));
    let (req, _) = load_requests(&effects, ACCOUNT_ID);
    let mut tokens = inventory();
    tokens.push(token(
        2498900,
        "aaa first",
        "John Doe",
        "1111",
        None,
        vec![res("account", ACCOUNT_ID, AccessLevel::ADMIN)],
    ));
    send(
        &mut state,
        Msg::TokensLoaded {
            req: req.expect("r refreshes"),
            result: Ok(tokens.into()),
        },
    );
    draw(&mut state, 120, 40);
    let after = state
        .views
        .findings
        .selected_row()
        .map(|r| (r.rule, r.token_id));
    assert_eq!(after, chosen);
    assert!(
        state
            .views
            .findings
            .rows()
            .iter()
            .any(|r| r.token_id == 2498900),
        "the findings were made again from the new list"
    );
}

#[test]
fn the_details_show_the_lineage_the_permissions_and_the_findings() {
    let mut state = loaded(inventory());
    select(&mut state, "ci-deploy");
    send(&mut state, char_key('i'));
    let frame = text(&draw(&mut state, 120, 40));
    for needle in [
        "Details",
        "2498600",
        "…a1f3",
        "Grace ends",
        "UTC",
        "local",
        "Replaced by  ci-deploy 2498715 #2498715",
        "Acme Mail (account)",
        "Admin",
        "Sends from (1)",
        "example.com",
        "in-reset-grace",
    ] {
        assert!(frame.contains(needle), "{needle}:\n{frame}");
    }
    // The panel follows the selection.
    select(&mut state, "ci-deploy 2498715");
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("Replaced     ci-deploy #2498600"), "{frame}");
    // Esc closes it; so does the key again.
    send(&mut state, press(KeyCode::Esc));
    assert!(!state.views.details);
    send(&mut state, char_key('i'));
    send(&mut state, char_key('i'));
    assert!(!state.views.details);
}

#[test]
fn narrow_details_cover_the_view_and_page_keys_scroll_them() {
    let mut state = loaded(inventory());
    select(&mut state, "monitoring");
    send(&mut state, char_key('i'));
    let before = text(&draw(&mut state, 80, 24));
    assert!(before.contains("more below"), "{before}");
    assert!(
        !before.contains("SDK Dev Account Token"),
        "the table is covered:\n{before}"
    );
    send(&mut state, press(KeyCode::PageDown));
    let after = text(&draw(&mut state, 80, 24));
    assert_ne!(before, after);
    assert!(after.contains("Findings ("), "{after}");
    assert_eq!(selected_name(&state).as_deref(), Some("monitoring"));
}

#[test]
fn the_permission_matrix_names_the_account() {
    let mut state = loaded(inventory());
    select(&mut state, "monitoring");
    send(&mut state, char_key('e'));
    let frame = text(&draw(&mut state, 120, 40));
    assert!(frame.contains("Acme Mail · Account"), "{frame}");
    assert!(!frame.contains("Account · Account"), "{frame}");
}

#[test]
fn views_at_zero_tokens() {
    let mut state = loaded(Vec::new());
    for (key, name) in [('2', "domains"), ('3', "timeline"), ('4', "findings")] {
        show(&mut state, key);
        assert_snapshot!(
            format!("view_{name}_empty_80x24"),
            draw(&mut state, 80, 24).backend()
        );
    }
    show(&mut state, '1');
    send(&mut state, char_key('i'));
    let frame = text(&draw(&mut state, 80, 24));
    assert!(frame.contains("No token is selected"), "{frame}");
}

#[test]
fn views_without_colour_keep_every_meaning_in_symbols() {
    let mut state = loaded_with(
        with_columns(&[SortColumn::Name, SortColumn::Expires, SortColumn::Findings]),
        inventory(),
    );
    let plain = Theme::default().without_color();
    for (key, needles) in [
        ('1', &["✖ 2", "⚠ 1"][..]),
        ('2', &["⚑ last token"][..]),
        ('4', &["✖ danger", "⚠ warn", "ℹ info"][..]),
    ] {
        show(&mut state, key);
        let screen = draw_with(&mut state, 120, 40, &plain);
        let frame = text(&screen);
        for needle in needles {
            assert!(frame.contains(needle), "{needle}:\n{frame}");
        }
        for cell in screen.backend().buffer().content() {
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "a colour without colour: {cell:?}"
            );
        }
    }
}

#[test]
fn hostile_names_in_every_view() {
    let esc = '\x1b';
    let hostile = format!("evil{esc}]52;c;cHduZWQ=\x07{esc}[2J\u{202E}name");
    let mut tokens = inventory();
    for (i, t) in tokens.iter_mut().enumerate() {
        t.name = format!("{hostile} {i}").into();
        t.created_by = format!("{esc}[31mcreator").into();
    }
    let mut tree: Vec<ResourceNode> = tree();
    tree[0].resources[1].name = format!("{esc}[1mexample.com{esc}]0;x\x07");
    let (mut state, tokens_req, tree_req) = account_chosen();
    send(
        &mut state,
        Msg::ResourceTreeLoaded {
            req: tree_req,
            result: Ok(tree),
        },
    );
    send(
        &mut state,
        Msg::TokensLoaded {
            req: tokens_req,
            result: Ok(tokens.into()),
        },
    );
    for key in ['1', '2', '3', '4'] {
        show(&mut state, key);
        for (w, h) in SIZES {
            let screen = draw(&mut state, w, h);
            assert_clean_buffer(screen.backend().buffer(), &format!("view {key} {w}x{h}"));
        }
    }
    show(&mut state, '1');
    send(&mut state, char_key('i'));
    for (w, h) in SIZES {
        let screen = draw(&mut state, w, h);
        assert_clean_buffer(screen.backend().buffer(), &format!("details {w}x{h}"));
    }
    show(&mut state, '2');
    assert_snapshot!(
        "view_domains_hostile_120x40",
        draw(&mut state, 120, 40).backend()
    );
}

#[test]
fn the_findings_column_sorts_worst_first() {
    let mut state = loaded_with(
        with_columns(&[SortColumn::Name, SortColumn::Findings]),
        inventory(),
    );
    draw(&mut state, 120, 40);
    send(&mut state, char_key('s'));
    assert_eq!(state.table.sort.column, SortColumn::Findings);
    let first = state.table.rows[state.table.order()[0] as usize].findings;
    assert!(
        first.is_some_and(|f| f.worst == mailtrap_tokens::hygiene::Severity::Danger),
        "{first:?}"
    );
    send(&mut state, char_key('s'));
    assert_eq!(
        state.table.sort.column,
        SortColumn::Name,
        "the sort cycles the shown columns"
    );
}
