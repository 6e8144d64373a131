//! The title bar (account, connection, requests left), the status line and the bar of keys that apply now.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::api::ApiError;
use crate::config::Theme;
use crate::text::{SafeText, display_width};

use super::super::dialogs::{Hints, hints as dialog_hints};

use super::super::registry;
use super::super::state::{Level, LoadState, Phase, State};
use crate::keys::action::{ACTIONS, Action, Scope};

/// How the console stands with the API, in words and a symbol (so it survives NO_COLOR).
fn connection(state: &State, theme: &Theme) -> (String, Style) {
    let failed = |e: &ApiError| -> (String, Style) {
        let word = match e {
            ApiError::Unauthorized { .. } => "✖ unauthorized",
            ApiError::Forbidden { .. } => "✖ forbidden",
            ApiError::Connection { .. } | ApiError::Timeout => "✖ offline",
            ApiError::RateLimited { .. } => "⏳ rate limited",
            _ => "✖ error",
        };
        (word.to_string(), theme.danger)
    };
    if let Some(e) = state.requests.accounts.error() {
        return failed(e);
    }
    match &state.requests.tokens.state {
        LoadState::Failed(f) => failed(&f.error),
        LoadState::Loading if state.requests.has_tokens() => ("↻ refreshing".into(), theme.info),
        LoadState::Loaded(_) => ("● connected".into(), theme.ok),
        _ => ("◌ connecting".into(), theme.dim),
    }
}

/// Under the title bar while changes found at start are not dismissed: what changed elsewhere, and the
/// key that lists it.
pub fn drift_banner(
    state: &State,
    now: DateTime<Utc>,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let Some(text) = super::super::update::drift::banner_text(state, now) else {
        return;
    };
    let key = state.session.keymap.label(Action::WhatChanged);
    let tail_width = 3 + key.width() + " what changed".len();
    let room = usize::from(area.width)
        .saturating_sub(3)
        .saturating_sub(tail_width);
    let spans = vec![
        Span::styled(format!(" ⚑ {}", text.fit(room)), theme.warn),
        Span::styled(" · ", theme.dim),
        Span::styled(key.into_string(), theme.key),
        Span::styled(" what changed", theme.dim),
    ];
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn title_bar(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame, area: Rect) {
    let sep = Span::styled(" │ ", theme.dim);
    let mut spans = vec![Span::styled(" mailtrap-tokens", theme.title)];
    match &state.session.phase {
        Phase::Ready(account) => {
            spans.push(sep.clone());
            spans.push(Span::styled(state.session.account_name.fit(40), theme.text));
            spans.push(Span::styled(format!(" #{}", account.id), theme.dim));
        }
        Phase::Inventory => {
            spans.push(sep.clone());
            if let Some(inventory) = &state.session.inventory {
                let (done, total) = inventory.progress();
                match (inventory.narrowed, inventory.narrowed_name()) {
                    (Some(id), Some(name)) => {
                        spans.push(Span::styled(name.fit(40), theme.text));
                        spans.push(Span::styled(
                            format!(" #{id} · 1 of {total} accounts"),
                            theme.dim,
                        ));
                    }
                    _ => {
                        spans.push(Span::styled("All accounts", theme.text));
                        spans.push(Span::styled(format!(" · {total}"), theme.dim));
                    }
                }
                if inventory.loading() {
                    spans.push(Span::styled(
                        format!(" · loaded {done} of {total} accounts"),
                        theme.info,
                    ));
                }
            }
        }
        Phase::Connecting => {}
    }
    if state.session.phase != Phase::Connecting {
        spans.push(sep.clone());
        spans.push(Span::styled(state.views.active.title(), theme.title));
        if state.views.details {
            spans.push(Span::styled(" + details", theme.dim));
        }
    }
    if let Some(badge) = state.session.guard.badge(now) {
        spans.push(sep.clone());
        let style = if state.session.guard.refusal(now).is_none() {
            theme.danger
        } else {
            theme.warn
        };
        spans.push(Span::styled(badge, style));
    }
    let (word, style) = connection(state, theme);
    spans.push(sep.clone());
    spans.push(Span::styled(word, style));
    if let Some(left) = state.requests.rate_remaining {
        spans.push(sep);
        let style = if left < 15 { theme.warn } else { theme.dim };
        spans.push(Span::styled(format!("{left} requests left"), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn status_line(
    state: &State,
    now: DateTime<Utc>,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let Some(status) = state.status.as_ref().filter(|s| s.expires_at > now) else {
        return;
    };
    let (symbol, style) = match status.level {
        Level::Info => ("ℹ", theme.info),
        Level::Success => ("✔", theme.ok),
        Level::Warn => ("⚠", theme.warn),
        Level::Error => ("✖", theme.danger),
    };
    let text = status.text.fit(usize::from(area.width).saturating_sub(3));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" {symbol} "), style),
            Span::styled(text, style),
        ])),
        area,
    );
}

/// One hint: the keys, and what they do. Borrowed from the keymap and the action table where it can be, so
/// a frame copies no text for it.
type Hint<'a> = (Cow<'a, str>, Cow<'a, str>);

fn owned<'a>(hints: Hints) -> impl Iterator<Item = Hint<'a>> {
    hints
        .into_iter()
        .map(|(keys, what)| (keys.into_string().into(), what.into_string().into()))
}

/// (keys, what they do) pairs for what applies right now, most useful first. Row actions come from the
/// registry: one that cannot be done on the selected row is left out.
fn hints(state: &State, now: DateTime<Utc>) -> Vec<Hint<'_>> {
    let km = &state.session.keymap;
    let pair = |a: Action| -> Hint<'_> { (km.label_ref(a).as_str().into(), a.info().hint.into()) };
    let up_down = |sep| {
        SafeText::joined(&[km.label(Action::MoveUp), km.label(Action::MoveDown)], sep).into_string()
    };
    if let Some(overlay) = &state.overlays.open {
        return owned(overlay.hints(km)).collect();
    }
    if state.browsed().filter_editing() {
        return owned(dialog_hints(&[
            ("type", "filter"),
            ("Enter", "keep"),
            ("Esc", "clear"),
            ("↑/↓", "move"),
        ]))
        .collect();
    }
    if !state.requests.has_tokens() {
        return vec![
            pair(Action::Refresh),
            pair(Action::Help),
            pair(Action::Quit),
        ];
    }
    let mut out: Vec<Hint<'_>> = vec![(up_down(" ").into(), "move".into())];
    if !state.browsed().filter().is_empty() {
        out.push(("Esc".into(), "clear filter".into()));
    } else if state.views.details {
        out.push(("Esc".into(), "close details".into()));
    }
    // Which row actions can be done, in `ROW_ACTIONS` order (asked without their reasons: nothing is
    // said about the ones left out).
    let available: [bool; registry::ROW_ACTIONS.len()] = match state.selected_token_index() {
        Some(i) => state.with_row_context(i, now, |ctx| {
            registry::ROW_ACTIONS.map(|a| registry::is_available(ctx, a))
        }),
        None => {
            let creates = state
                .creating_in()
                .is_some_and(|account| !state.session.viewer_in(account));
            registry::ROW_ACTIONS.map(|a| a == Action::NewToken && creates)
        }
    };
    let row_action = |action: Action| {
        registry::ROW_ACTIONS
            .iter()
            .position(|&a| a == action)
            .map(|at| available[at])
    };
    for info in ACTIONS {
        let row = row_action(info.action);
        let applies = match info.scope {
            Scope::Navigation | Scope::Views => false, // summarised
            _ if row.is_some() => row == Some(true),
            // Placed early below, so a narrow terminal still shows it.
            _ if info.action == Action::WhatChanged => false,
            Scope::Row => state.selected_token_index().is_some(),
            Scope::Table | Scope::Global => true,
        };
        let wanted = match info.action {
            Action::ArmWrites => state.session.guard.armable(),
            // Said once there are marks; before that the help lists them.
            Action::ToggleMark | Action::MarkShown | Action::ClearMarks => !state.marks.is_empty(),
            _ => true,
        };
        if applies
            && wanted
            && !matches!(info.action, Action::Help | Action::Quit | Action::Refresh)
        {
            out.push(pair(info.action));
        }
    }
    let views = [
        Action::ShowTokens,
        Action::ShowDomains,
        Action::ShowTimeline,
        Action::ShowFindings,
    ]
    .map(|a| km.label(a));
    out.push((
        SafeText::joined(&views, "/").into_string().into(),
        "views".into(),
    ));
    // Unarmed writes say how to arm them early: every write key is refused until then.
    if state.session.guard.armable() && state.session.guard.armed_until().is_none() {
        out.retain(|(_, what)| what.as_ref() != Action::ArmWrites.info().hint);
        out.insert(1, pair(Action::ArmWrites));
    }
    // Help, quit and refresh go early so a narrow terminal still shows them.
    out.insert(1, pair(Action::Refresh));
    out.insert(1, pair(Action::Quit));
    out.insert(1, pair(Action::Help));
    if registry::what_changed(state.drift.found.is_some()).is_ok() {
        out.insert(4, pair(Action::WhatChanged));
    }
    if state.session.phase == Phase::Inventory {
        out.insert(4, pair(Action::Accounts));
    }
    out
}

pub fn hint_bar(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let mut used = 1;
    let mut spans = vec![Span::raw(" ")];
    for (keys, what) in hints(state, now) {
        let need = display_width(&keys) + 1 + display_width(&what) + 2;
        if used + need > width {
            break;
        }
        used += need;
        // ` {what}  ` as three spans of one style: the same cells, with no text formatted for them.
        spans.extend([
            Span::styled(keys, theme.key),
            Span::styled(" ", theme.dim),
            Span::styled(what, theme.dim),
            Span::styled("  ", theme.dim),
        ]);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
