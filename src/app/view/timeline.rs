//! The timeline: a chart of how many tokens stop in each of the next weeks, then every event ahead,
//! soonest first, the day named on its first event.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Row};

use crate::config::Theme;

use super::super::state::State;
use super::super::state::views::{EventKind, WEEKS};
use super::list::{ListFrame, rows_area, share};

const HEADERS: [&str; 5] = ["Day (UTC)", "Time", "In", "Event", "Token"];
const DAY_WIDTH: u16 = 14;

/// The chart's height, where the screen has room for it beside a useful list.
fn chart_height(area: Rect) -> u16 {
    if area.height >= 20 { 8 } else { 0 }
}

/// Where the list goes (below the chart).
pub fn list_area(area: Rect) -> Rect {
    let chart = chart_height(area);
    Rect {
        y: area.y + chart,
        height: area.height - chart,
        ..area
    }
}

pub fn render(state: &State, now: DateTime<Utc>, theme: &Theme, frame: &mut Frame, area: Rect) {
    let chart = chart_height(area);
    if chart > 0 {
        render_chart(
            state,
            theme,
            frame,
            Rect {
                height: chart,
                ..area
            },
        );
    }
    let area = list_area(area);
    let list = &state.views.timeline;
    let inner_width = rows_area(area).width;
    let widths = share(
        inner_width,
        &[Some(DAY_WIDTH), Some(5), Some(9), Some(16), None],
    );
    let on_screen = list.on_screen();
    let mut last_day = None;
    let rows: Vec<Row<'static>> = on_screen
        .iter()
        .map(|&i| {
            let row = &list.rows()[i];
            let day = row.at.date_naive();
            let day_cell = if last_day != Some(day) {
                Cell::from(day_text(row.at))
            } else {
                Cell::from("")
            };
            last_day = Some(day);
            let left = row.at - now;
            let style = match row.kind {
                EventKind::Purged => theme.dim,
                _ if left < Duration::hours(24) => theme.danger,
                _ if left < Duration::days(7) => theme.warn,
                _ => theme.text,
            };
            let mut token = vec![Span::raw(row.token_name.fit(usize::from(widths[4])))];
            if let Some(next) = &row.successor {
                let room = usize::from(widths[4]).saturating_sub(row.token_name.width());
                token.push(Span::styled(next.after(" → ").fit(room), theme.dim));
            }
            Row::new(vec![
                day_cell,
                Cell::from(format!("{:02}:{:02}", row.at.hour(), row.at.minute())),
                Cell::from(Span::styled(span_text(left), style)),
                Cell::from(Span::styled(row.kind.text(), style)),
                Cell::from(Line::from(token)),
            ])
        })
        .collect();
    ListFrame {
        list,
        name: "Timeline",
        headers: &HEADERS,
        widths: &widths,
        empty: "Nothing ends: no token has an expiry.",
    }
    .render(rows, theme, frame, area);
}

/// `Tue 2026-12-01`, without strftime's parsing of a pattern on every row of every frame.
fn day_text(at: DateTime<Utc>) -> String {
    let weekday = match at.weekday() {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    };
    format!(
        "{weekday} {:04}-{:02}-{:02}",
        at.year(),
        at.month(),
        at.day()
    )
}

/// `in 3d 4h`, `in 5h 12m`, `in 42m`; `now` once it is past.
fn span_text(left: Duration) -> String {
    let minutes = left.num_minutes();
    if minutes <= 0 {
        return "now".into();
    }
    let (d, h, m) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else {
        format!("{m}m")
    }
}

fn render_chart(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let start = state.views.weeks_start;
    let bars: Vec<Bar<'static>> = state
        .views
        .weeks
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let label = match start {
                Some(start) => (start + Duration::weeks(i as i64))
                    .format("%m-%d")
                    .to_string(),
                None => format!("w{}", i + 1),
            };
            Bar::default()
                .value(count)
                .label(Line::from(label))
                .style(if count > 0 { theme.warn } else { theme.dim })
                .value_style(theme.selected)
        })
        .collect();
    let total: u64 = state.views.weeks.iter().sum();
    let title = format!(
        " Tokens that stop in each of the next {WEEKS} weeks ({total} in all; weeks from today) "
    );
    let chart = BarChart::default()
        .block(
            Block::new()
                .borders(Borders::TOP)
                .border_style(theme.border)
                .title(Span::styled(title, theme.title)),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(5)
        .bar_gap(1)
        .label_style(theme.dim);
    frame.render_widget(chart, area);
}
