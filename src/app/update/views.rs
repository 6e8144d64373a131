//! Switching views, the details of the selected token, and Enter in the findings view (which goes to
//! the finding's token).

use chrono::{DateTime, Utc};

use super::super::state::{Level, State, ViewKind};
use super::step::Step;
use crate::keys::action::Action;

pub(super) fn show(state: &mut State, action: Action, now: DateTime<Utc>) -> Step {
    let at = ViewKind::ALL
        .iter()
        .position(|v| *v == state.views.active)
        .unwrap_or(0);
    let count = ViewKind::ALL.len();
    let next = match action {
        Action::ShowTokens => ViewKind::Tokens,
        Action::ShowDomains => ViewKind::Domains,
        Action::ShowTimeline => ViewKind::Timeline,
        Action::ShowFindings => ViewKind::Findings,
        Action::NextView => ViewKind::ALL[(at + 1) % count],
        Action::PreviousView => ViewKind::ALL[(at + count - 1) % count],
        _ => return Step::Ignored,
    };
    if next == state.views.active {
        return Step::Ignored;
    }
    // The token selected here stays selected there when that view has a row for it.
    let token = state.browsed().selected_token();
    state.views.active = next;
    state.fit_views(now);
    if let Some(id) = token {
        select_token(state, id);
    }
    Step::done()
}

/// Selects the shown view's first row about `id`, if it has one.
fn select_token(state: &mut State, id: crate::api::TokenId) -> bool {
    let views = &mut state.views;
    match views.active {
        ViewKind::Tokens => state.table.select_id(id),
        ViewKind::Domains => select_first(&mut views.domains, id),
        ViewKind::Timeline => select_first(&mut views.timeline, id),
        ViewKind::Findings => select_first(&mut views.findings, id),
    }
}

fn select_first<R: super::super::state::views::ListRow>(
    list: &mut super::super::state::views::ListView<R>,
    id: crate::api::TokenId,
) -> bool {
    use super::super::state::Browse;
    let found = list
        .order()
        .iter()
        .position(|&i| list.rows()[i].token() == Some(id));
    match found {
        Some(pos) => {
            list.select_position(pos);
            true
        }
        None => false,
    }
}

pub(super) fn details(state: &mut State, now: DateTime<Utc>) -> Step {
    if !state.table_shown() {
        return Step::Ignored;
    }
    if !state.views.details && state.selected_token_index().is_none() {
        state.set_status("No token is selected", Level::Info, now);
        return Step::done();
    }
    state.views.details = !state.views.details;
    state.views.details_scroll = 0;
    state.fit_views(now);
    Step::done()
}

/// Enter in the findings view: the Tokens view, on the finding's token (its menu is one Enter away).
pub(super) fn go_to_token(state: &mut State, now: DateTime<Utc>) -> Step {
    let Some(id) = state.browsed().selected_token() else {
        return Step::Ignored;
    };
    state.views.active = ViewKind::Tokens;
    if !state.table.select_id(id) {
        state.set_status(
            format!("{} is no longer in the list", state.table.shown_name(id)),
            Level::Warn,
            now,
        );
    }
    Step::done()
}
