//! The selected token's details, drawn beside the view on a wide screen and over it on a narrow one
//! (`state::views::details` says what they hold).

use chrono::{DateTime, FixedOffset, Local, Utc};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::api::AccessLevel;
use crate::config::Theme;
use crate::hygiene::{PURGE_AFTER, Severity, about};
use crate::keys::action::Action;

use super::super::dialogs::wrap;
use super::super::state::State;
use super::super::state::views::Details;

/// The least width of a side panel, and the screen width from which it goes beside the view.
pub const SIDE_MIN_WIDTH: u16 = 44;
pub const SIDE_FROM_WIDTH: u16 = 110;

/// Where the details go in the main area, and what is left for the view: beside it on a wide screen, over
/// all of it otherwise (then the view gets `None`).
pub fn split(main: Rect) -> (Option<Rect>, Rect) {
    if main.width >= SIDE_FROM_WIDTH {
        let width = (main.width * 2 / 5).clamp(SIDE_MIN_WIDTH, 64);
        let view = Rect {
            width: main.width - width,
            ..main
        };
        let panel = Rect {
            x: main.x + view.width,
            width,
            ..main
        };
        (Some(view), panel)
    } else {
        (None, main)
    }
}

const LABEL: usize = 13;

fn field(label: &str, value: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {label:<width$}", width = LABEL), theme.dim),
        Span::styled(value.into(), theme.text),
    ])
}

fn exact(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn local(at: DateTime<Utc>, offset: Option<FixedOffset>) -> String {
    let pattern = "%Y-%m-%d %H:%M:%S %:z local";
    match offset {
        Some(offset) => at.with_timezone(&offset).format(pattern).to_string(),
        None => at.with_timezone(&Local).format(pattern).to_string(),
    }
}

fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at > now {
        format!("in {}", about(at - now))
    } else {
        format!("{} ago", about(now - at))
    }
}

fn level_word(level: AccessLevel) -> String {
    match level {
        l if l.is_admin() => "Admin".into(),
        l if l.0 >= AccessLevel::VIEWER.0 => "Viewer".into(),
        l => l.to_string(),
    }
}

/// Every line of `details` for a panel `width` cells wide.
pub fn lines(
    details: &Details,
    local_offset: Option<FixedOffset>,
    now: DateTime<Utc>,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        format!(" {}", details.name.fit(width.saturating_sub(1))),
        theme.title,
    )];
    if let Some(reason) = &details.unreadable {
        out.push(field("Unreadable", reason.to_string(), theme));
        return out;
    }
    out.push(field("Id", details.id.to_string(), theme));
    if !details.account.is_empty() {
        out.push(field("Account", details.account.to_string(), theme));
    }
    out.push(field("Created by", details.creator.to_string(), theme));
    out.push(field("Token", details.masked.to_string(), theme));
    if details.own_token {
        out.push(field("", "the token this console runs on", theme));
    }
    match details.expires_at {
        None => out.push(field("Expires", "never", theme)),
        Some(at) => {
            let word = if details.in_grace {
                "Grace ends"
            } else if at <= now {
                "Expired"
            } else {
                "Expires"
            };
            out.push(field(word, exact(at), theme));
            out.push(field("", local(at, local_offset), theme));
            out.push(field("", relative(at, now), theme));
            let purge = at + PURGE_AFTER;
            out.push(field("Purged", exact(purge), theme));
            out.push(field("", relative(purge, now), theme));
        }
    }
    if let Some((name, id)) = &details.replaced {
        out.push(field("Replaced", format!("{name} #{id}"), theme));
    }
    if let Some((name, id)) = &details.replaced_by {
        out.push(field("Replaced by", format!("{name} #{id}"), theme));
    }
    out.push(Line::raw(""));
    let done = details.places.iter().filter(|(_, d)| *d).count();
    let heading = if details.in_grace && !details.places.is_empty() {
        format!(" Places ({done} of {} updated)", details.places.len())
    } else {
        format!(" Places ({})", details.places.len())
    };
    out.push(Line::styled(heading, theme.header));
    if details.places.is_empty() {
        out.push(Line::styled(
            format!(
                "   none listed: {} adds where it is used",
                details.places_key
            ),
            theme.dim,
        ));
    }
    for (place, ticked) in &details.places {
        let (mark, style) = match (*ticked, details.in_grace) {
            (true, _) => ("[x] ", theme.ok),
            (false, true) => ("[ ] ", theme.warn),
            (false, false) => ("· ", theme.text),
        };
        out.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(mark, style),
            Span::styled(place.fit(width.saturating_sub(8)), theme.text),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(" Permissions", theme.header));
    if details.permissions.is_empty() {
        out.push(Line::styled("   none", theme.dim));
    }
    for p in &details.permissions {
        let indent = 1 + 2 * p.depth.min(6);
        let level = p.level.map(level_word).unwrap_or_default();
        let room = width.saturating_sub(indent + 10);
        let style = if p.aside { theme.dim } else { theme.text };
        out.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(format!("{:<room$}", p.name.fit(room)), style),
            Span::styled(format!(" {level}"), theme.key),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(" Sends from ({})", details.domains.len()),
        theme.header,
    ));
    if details.domains.is_empty() {
        out.push(Line::styled("   no sending domain", theme.dim));
    }
    for (name, level) in &details.domains {
        let level = format!("  {}", level_word(*level));
        let room = width.saturating_sub(3 + level.len());
        out.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(name.fit(room), theme.text),
            Span::styled(level, theme.dim),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(" Findings ({})", details.findings.len()),
        theme.header,
    ));
    if details.findings.is_empty() {
        out.push(Line::styled("   none", theme.dim));
    }
    let text_width = u16::try_from(width.saturating_sub(5)).unwrap_or(u16::MAX);
    for f in &details.findings {
        let style = match f.severity() {
            Severity::Danger => theme.danger,
            Severity::Warn => theme.warn,
            Severity::Info => theme.info,
        };
        out.push(Line::styled(
            format!("   {} {}", f.severity().symbol(), f.rule.as_str()),
            style,
        ));
        for line in wrap(&f.text, text_width) {
            out.push(Line::styled(format!("     {line}"), theme.text));
        }
        for line in wrap(f.hint(), text_width) {
            out.push(Line::styled(format!("     {line}"), theme.dim));
        }
    }
    out
}

fn block(state: &State, theme: &Theme) -> Block<'static> {
    let key = state.session.keymap.label(Action::Details);
    Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(" Details ", theme.title))
        .title_bottom(Span::styled(format!(" {key} or Esc closes "), theme.dim))
}

/// Before the frame: the panel's lines, made again only when the details, the panel's width or the
/// minute changed.
pub fn fit_lines(state: &mut State, area: Rect, now: DateTime<Utc>, theme: &Theme) {
    let width = Block::bordered().inner(area).width;
    let minute = now.timestamp().div_euclid(60);
    let Some((key, details)) = &state.views.details_made else {
        state.views.details_lines = None;
        return;
    };
    let current = state
        .views
        .details_lines
        .as_ref()
        .is_some_and(|(k, w, m, _)| k == key && *w == width && *m == minute);
    if current {
        return;
    }
    let made = lines(
        details,
        state.session.local_offset,
        now,
        theme,
        usize::from(width),
    );
    state.views.details_lines = Some((key.clone(), width, minute, made));
}

/// Draws the lines `fit_lines` made for this frame.
pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = block(state, theme);
    let inner = block.inner(area);
    // Nothing was drawn here before in this frame (the view has the rest of the screen), so the panel
    // needs no clearing; its lines go straight to the buffer.
    frame.render_widget(block, area);
    let buf = frame.buffer_mut();
    let made = state
        .selected_details()
        .and(state.views.details_lines.as_ref());
    let Some((_, _, _, all)) = made else {
        let line = Line::styled(" No token is selected.", theme.dim);
        buf.set_line(inner.x, inner.y, &line, inner.width);
        return;
    };
    let height = usize::from(inner.height);
    let max_scroll = all.len().saturating_sub(height);
    let scroll = usize::from(state.views.details_scroll).min(max_scroll);
    let more = all.len() > scroll + height;
    let room = if more {
        height.saturating_sub(1)
    } else {
        height
    };
    for (y, line) in (inner.y..).zip(all.iter().skip(scroll).take(room)) {
        set_line(buf, inner.x, y, line, inner.width);
    }
    if more && height > 0 {
        let line = Line::styled(" … more below (PgDn)", theme.dim);
        buf.set_line(inner.x, inner.bottom() - 1, &line, inner.width);
    }
}

/// `Buffer::set_line`, cell for cell, with printable ASCII written a byte to a cell: such text is one
/// grapheme and one cell a byte, so the grapheme segmentation that costs most of the panel is skipped.
fn set_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, max_width: u16) {
    let mut x = x;
    let mut remaining = max_width;
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        if !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            let end = buf.set_stringn(x, y, text, usize::from(remaining), style).0;
            remaining = remaining.saturating_sub(end.saturating_sub(x));
            x = end;
            continue;
        }
        let room = buf.area.right().saturating_sub(x).min(remaining);
        let n = u16::try_from(text.len()).unwrap_or(u16::MAX).min(room);
        for (i, dx) in (0..usize::from(n)).zip(0..n) {
            buf[(x + dx, y)].set_symbol(&text[i..=i]).set_style(style);
        }
        x += n;
        remaining -= n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Style};

    #[test]
    fn set_line_draws_what_the_buffer_would() {
        let lines = [
            Line::from(vec![
                Span::styled(" Id           ", Style::new().fg(Color::Gray)),
                Span::raw("12345"),
            ]),
            Line::styled(" Places (0) ", Style::new().fg(Color::Cyan)),
            Line::from(vec![
                Span::raw("   日本語 "),
                Span::raw("ascii after wide text"),
            ]),
            Line::raw("a line far longer than the twenty cells it is given"),
        ];
        // From x = 10, twenty cells run past the buffer's edge: both stop there.
        for (x, width) in [(2, 0), (2, 5), (2, 20), (10, 20)] {
            let area = Rect::new(0, 0, 24, 4);
            let (mut ours, mut theirs) = (Buffer::empty(area), Buffer::empty(area));
            for (y, line) in (0..).zip(&lines) {
                set_line(&mut ours, x, y, line, width);
                theirs.set_line(x, y, line, width);
            }
            assert_eq!(ours, theirs, "from {x}, {width} cells");
        }
    }
}
