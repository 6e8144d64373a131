//! The help overlay, generated from `action::ACTIONS` and the live keymap, so it always shows the keys the
//! operator actually has.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use chrono::{DateTime, Utc};

use crate::config::Theme;
use crate::text::{SafeText, display_width};

use super::super::dialogs::wrap;
use super::super::registry;
use super::super::state::State;
use crate::keys::action::{ACTIONS, Action, Scope};

const KEY_COLUMN: usize = 16;

fn lines(state: &State, now: DateTime<Utc>, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let wrapped = |text: &str, style| -> Vec<Line<'static>> {
        wrap(
            text,
            u16::try_from(width.saturating_sub(2)).unwrap_or(u16::MAX),
        )
        .into_iter()
        .map(|l| Line::styled(format!("  {l}"), style))
        .collect()
    };
    if !state.session.config_warnings.is_empty() {
        out.push(Line::styled(
            format!("Config problems ({})", state.session.config_warnings.len()),
            theme.warn,
        ));
        for w in &state.session.config_warnings {
            out.extend(wrapped(w, theme.text));
        }
        out.push(Line::raw(""));
    }
    if let Some(why) = state.session.guard.refusal(now) {
        out.push(Line::styled("Writes are off", theme.warn));
        let how = if state.session.guard.armable() {
            format!(
                "{why}. {} arms them for {} min.",
                state.session.keymap.label(Action::ArmWrites),
                state.session.guard.policy.arm_for.num_minutes()
            )
        } else {
            format!("{why}.")
        };
        out.extend(wrapped(&how, theme.text));
        out.push(Line::raw(""));
    }
    let groups = [
        (Scope::Navigation, "Moving"),
        (Scope::Table, "The table"),
        (Scope::Row, "The selected token"),
        (Scope::Views, "Views"),
        (Scope::Global, "Anywhere"),
    ];
    let entry = |keys: SafeText, what: &'static str| -> Line<'static> {
        let keys = keys.fit(KEY_COLUMN - 1);
        let pad = " ".repeat(KEY_COLUMN.saturating_sub(display_width(&keys)));
        Line::from(vec![
            Span::raw("  "),
            Span::styled(keys, theme.key),
            Span::raw(pad),
            Span::styled(
                SafeText::literal(what).fit(width.saturating_sub(KEY_COLUMN + 2)),
                theme.text,
            ),
        ])
    };
    for (scope, heading) in groups {
        out.push(Line::styled(heading, theme.header));
        for info in ACTIONS.iter().filter(|i| i.scope == scope) {
            out.push(entry(
                state.session.keymap.label(info.action),
                info.description,
            ));
        }
        if scope == Scope::Row
            && let Some(i) = state.selected_token_index()
        {
            // The registry's reasons for the selected row, the same words the menu shows.
            let refused: Vec<(Action, String)> = state.with_row_context(i, now, |ctx| {
                registry::actions_for(ctx)
                    .into_iter()
                    .filter_map(|a| a.reason().map(|r| (a.action, r.to_string())))
                    .collect()
            });
            for (action, reason) in refused {
                out.extend(wrapped(
                    &format!("({} not now: {reason})", state.session.keymap.label(action)),
                    theme.dim,
                ));
            }
        }
        if scope == Scope::Table {
            out.push(entry(
                SafeText::literal("Enter / Esc"),
                "Keep / clear the filter while typing",
            ));
            out.extend(wrapped(
                "With tokens marked, reset, delete and edit permissions act on every marked token: a \
                 preview lists what happens to each (and what is refused) before anything is sent.",
                theme.dim,
            ));
        }
        if scope == Scope::Views {
            out.extend(wrapped(
                "Every view filters with the filter key and opens the selected token's menu with Enter; \
                 in Findings, Enter goes to the token.",
                theme.dim,
            ));
        }
        if scope == Scope::Global {
            out.push(entry(
                SafeText::literal("Ctrl-C"),
                "Close this or the filter; quit at the table",
            ));
            out.push(entry(SafeText::literal("Ctrl-Z"), "Suspend to the shell"));
        }
        out.push(Line::raw(""));
    }
    out
}

pub fn render(
    state: &State,
    now: DateTime<Utc>,
    scroll: u16,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let width = area.width.saturating_sub(4).min(70);
    let inner_width = usize::from(width.saturating_sub(2));
    let all = lines(state, now, theme, inner_width);
    let height = (u16::try_from(all.len()).unwrap_or(u16::MAX) + 2).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let visible = usize::from(height.saturating_sub(2));
    let max_scroll = all.len().saturating_sub(visible);
    let scroll = usize::from(scroll).min(max_scroll);
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(" Help ", theme.title))
        .title_bottom(Span::styled(" Esc closes ", theme.dim));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(all.into_iter().skip(scroll).collect::<Vec<_>>()).block(block),
        rect,
    );
}
