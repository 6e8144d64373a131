//! What text snapshots cannot see: styles of the selected row and of the warnings, with and without colour.

use mailtrap_tokens::config::Theme;
use ratatui::style::{Color, Modifier};

use super::common::*;
use crate::console_driver::*;

#[test]
fn the_selected_row_is_reversed_with_and_without_colour() {
    let mut state = loaded(demo_tokens());
    for theme in [Theme::default(), Theme::default().without_color()] {
        let terminal = draw_with(&mut state, 120, 40, &theme);
        let name = selected_name(&state).unwrap();
        let (x, y) = locate(&terminal, &name);
        let cell = &terminal.backend().buffer()[(x, y)];
        assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
        let (mx, my) = locate(&terminal, "▶");
        assert_eq!(my, y);
        assert!(mx < x);
        // A row that is not selected is not reversed.
        let (ox, oy) = locate(&terminal, "monitoring");
        assert_ne!(oy, y);
        assert!(
            !terminal.backend().buffer()[(ox, oy)]
                .modifier
                .contains(Modifier::REVERSED)
        );
    }
}

#[test]
fn warnings_have_colour_and_a_symbol() {
    let mut state = loaded(demo_tokens());
    // Off the warning rows: the selection's own style would cover their colour.
    send(&mut state, char_key('j'));
    send(&mut state, char_key('j'));
    assert_eq!(
        selected_name(&state).as_deref(),
        Some("example.com token 2498700")
    );
    let terminal = draw(&mut state, 120, 40);
    let buffer = terminal.backend().buffer();
    // Under 1 h: danger colour and ⚠.
    let (x, y) = locate(&terminal, "⚠ in 40m");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    // Under 7 d for an ordinary expiry: warning colour and ⏳.
    let (x, y) = locate(&terminal, "⏳ in 3d");
    assert_eq!(buffer[(x, y)].fg, Color::Yellow);
    // A reset grace under 24 h warns too.
    let (x, y) = locate(&terminal, "⏳ resets in 11:59:12");
    assert_eq!(buffer[(x, y)].fg, Color::Yellow);
    // A long expiry is calm.
    let (x, y) = locate(&terminal, "in 23d");
    assert_eq!(buffer[(x, y)].fg, Color::Reset);
}

#[test]
fn warnings_survive_no_color() {
    let mut state = loaded(demo_tokens());
    let terminal = draw_with(&mut state, 120, 40, &Theme::default().without_color());
    let buffer = terminal.backend().buffer();
    let (x, y) = locate(&terminal, "⚠ in 40m");
    assert_eq!(buffer[(x, y)].fg, Color::Reset);
    assert!(buffer[(x, y)].modifier.contains(Modifier::BOLD));
    locate(&terminal, "⏳ in 3d");
    locate(&terminal, "✖ expired 2h ago");
}
