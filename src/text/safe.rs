//! `SafeText`: text that may reach the terminal. The only ways to make one sanitize what they are given,
//! so text from the server (or the config, or the user) becomes safe once, when it enters the console's
//! state, and drawing code that takes a `SafeText` cannot be handed anything else.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

use super::{display_width, sanitize, truncate_to_width};

#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SafeText(String);

impl SafeText {
    pub fn new(raw: &str) -> Self {
        Self(sanitize(raw))
    }

    /// Words written in this program: already safe, so they are taken as they are (checked in debug
    /// builds). Text from anywhere else goes through `new`.
    pub fn literal(text: &'static str) -> Self {
        debug_assert_eq!(sanitize(text), text, "a literal that is not safe");
        Self(text.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How many terminal cells it takes.
    pub fn width(&self) -> usize {
        display_width(&self.0)
    }

    /// Fitted into `max` cells: unchanged when it fits, else cut on a grapheme boundary and ended with `…`.
    pub fn fit(&self, max: usize) -> String {
        truncate_to_width(&self.0, max)
    }

    /// `fit`, borrowing the text when it fits: a frame's cells then copy only what they cut.
    pub fn fit_cow(&self, max: usize) -> Cow<'_, str> {
        if display_width(&self.0) <= max {
            Cow::Borrowed(&self.0)
        } else {
            Cow::Owned(truncate_to_width(&self.0, max))
        }
    }

    /// Appends another safe text (no second pass over either).
    pub fn push(&mut self, other: &SafeText) {
        self.0.push_str(&other.0);
    }

    /// Appends outside text, made safe on the way in.
    pub fn push_raw(&mut self, raw: &str) {
        self.0.push_str(&sanitize(raw));
    }

    pub fn pop(&mut self) -> Option<char> {
        self.0.pop()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Safe texts joined by a literal separator.
    pub fn joined(parts: &[SafeText], separator: &'static str) -> SafeText {
        SafeText(
            parts
                .iter()
                .map(SafeText::as_str)
                .collect::<Vec<_>>()
                .join(separator),
        )
    }

    /// This text after a literal prefix.
    pub fn after(&self, prefix: &'static str) -> SafeText {
        let mut out = SafeText::literal(prefix);
        out.push(self);
        out
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<&str> for SafeText {
    fn from(raw: &str) -> Self {
        Self::new(raw)
    }
}

impl From<String> for SafeText {
    fn from(raw: String) -> Self {
        Self::new(&raw)
    }
}

impl From<&String> for SafeText {
    fn from(raw: &String) -> Self {
        Self::new(raw)
    }
}

impl From<SafeText> for String {
    fn from(safe: SafeText) -> Self {
        safe.0
    }
}

impl Deref for SafeText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SafeText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SafeText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SafeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SafeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq<str> for SafeText {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for SafeText {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for SafeText {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<SafeText> for &str {
    fn eq(&self, other: &SafeText) -> bool {
        *self == other.0
    }
}

impl PartialEq<SafeText> for String {
    fn eq(&self, other: &SafeText) -> bool {
        *self == other.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_in_sanitizes() {
        let hostile = "a\x1b[2Jb\u{202E}c";
        for safe in [
            SafeText::new(hostile),
            SafeText::from(hostile),
            SafeText::from(hostile.to_string()),
        ] {
            assert!(
                !safe.chars().any(|c| c.is_control() || c == '\u{202E}'),
                "{safe:?}"
            );
        }
    }

    #[test]
    fn fits_like_the_cell_truncation() {
        assert_eq!(SafeText::new("ci-deploy").fit(5), "ci-d…");
        assert_eq!(SafeText::new("日本語").width(), 6);
    }
}
