//! Hostile names drawn by the real console view: a snapshot of the table, and every cell checked.

use super::fixtures::*;
use super::hostile_strings;
use crate::console_driver::*;

fn hostile_tokens() -> Vec<mailtrap_tokens::api::ApiToken> {
    hostile_strings()
        .into_iter()
        .enumerate()
        .map(|(i, (label, name))| {
            let creator = format!("{name} ({label})");
            token(
                2_490_000 + i as i64,
                &name,
                &creator,
                Some(24 * (i as i64 + 1)),
            )
        })
        .collect()
}

#[test]
fn a_table_of_hostile_names_draws_no_raw_escape() {
    let esc = '\x1b';
    let mut state = loaded(&format!("Acme{esc}]0;owned\x07"), hostile_tokens());
    let terminal = draw(&mut state, 120, 40);
    assert_clean_buffer(terminal.backend().buffer(), "120x40");
    let text = text(&terminal);
    assert!(
        text.contains("pwned"),
        "the names are shown, made safe:\n{text}"
    );
    insta::assert_snapshot!("hostile_table_120x40", text);
}

#[test]
fn hostile_names_at_every_size_from_zero() {
    let mut state = loaded("Acme\u{202E}", hostile_tokens());
    for (w, h) in [
        (0, 0),
        (1, 1),
        (0, 40),
        (120, 0),
        (2, 2),
        (59, 9),
        (60, 10),
        (61, 11),
        (300, 80),
    ] {
        let terminal = draw(&mut state, w, h);
        assert_clean_buffer(terminal.backend().buffer(), &format!("{w}x{h}"));
    }
}

#[test]
fn ten_kilobyte_names_and_fifty_thousand_rows_draw() {
    let huge = format!("{}\x1b[2J", "W".repeat(10 * 1024));
    let mut tokens: Vec<_> = (0..50_000)
        .map(|i| token(i + 1, &format!("token {i}"), "bulk", None))
        .collect();
    tokens.push(token(60_000, &huge, &huge, Some(1)));
    let mut state = loaded("Acme", tokens);
    let terminal = draw(&mut state, 120, 40);
    assert_clean_buffer(terminal.backend().buffer(), "50k rows");
}
