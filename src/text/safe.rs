//! `SafeText`: text that may reach the terminal. The only ways to make one sanitize what they are given,
//! so text from the server (or the config, or the user) becomes safe once, when it enters the console's
//! state, and drawing code that takes a `SafeText` cannot be handed anything else.

use std::borrow::{Borrow, Cow};
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use compact_str::CompactString;

use super::{display_width, is_safe, sanitize, truncate_to_width};

/// Held inline when short (a name, a label: most of them), so thousands of them cost no allocations.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SafeText(CompactString);

impl SafeText {
    pub fn new(raw: &str) -> Self {
        if is_safe(raw) {
            Self(CompactString::new(raw))
        } else {
            Self(sanitize(raw).into())
        }
    }

    /// Words written in this program: already safe, so they are taken as they are (checked in debug
    /// builds). Text from anywhere else goes through `new`.
    pub fn literal(text: &'static str) -> Self {
        debug_assert_eq!(sanitize(text), text, "a literal that is not safe");
        Self(CompactString::const_new(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How many terminal cells it takes.
    pub fn width(&self) -> usize {
        self.as_safe().width()
    }

    /// Fitted into `max` cells: unchanged when it fits, else cut on a grapheme boundary and ended with `…`.
    pub fn fit(&self, max: usize) -> String {
        self.as_safe().fit(max)
    }

    /// `fit`, borrowing the text when it fits: a frame's cells then copy only what they cut.
    pub fn fit_cow(&self, max: usize) -> Cow<'_, str> {
        self.as_safe().fit_cow(max)
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
                .join(separator)
                .into(),
        )
    }

    /// This text after a literal prefix.
    pub fn after(&self, prefix: &'static str) -> SafeText {
        self.as_safe().after(prefix)
    }

    pub fn into_string(self) -> String {
        self.0.into_string()
    }

    pub fn as_safe(&self) -> SafeStr<'_> {
        SafeStr(&self.0)
    }
}

/// Safe text borrowed: a `SafeText`'s, or outside text that needed no change.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SafeStr<'a>(&'a str);

impl<'a> SafeStr<'a> {
    pub const EMPTY: SafeStr<'static> = SafeStr("");

    /// `raw` itself when `sanitize` would leave it as it is.
    pub fn checked(raw: &'a str) -> Option<Self> {
        is_safe(raw).then_some(Self(raw))
    }

    pub fn as_str(self) -> &'a str {
        self.0
    }

    /// How many terminal cells it takes.
    pub fn width(self) -> usize {
        display_width(self.0)
    }

    /// Fitted into `max` cells, as `SafeText::fit`.
    pub fn fit(self, max: usize) -> String {
        truncate_to_width(self.0, max)
    }

    /// `fit`, borrowing the text when it fits.
    pub fn fit_cow(self, max: usize) -> Cow<'a, str> {
        if display_width(self.0) <= max {
            Cow::Borrowed(self.0)
        } else {
            Cow::Owned(truncate_to_width(self.0, max))
        }
    }

    /// This text after a literal prefix.
    pub fn after(self, prefix: &'static str) -> SafeText {
        debug_assert_eq!(sanitize(prefix), prefix, "a literal that is not safe");
        let mut out = CompactString::with_capacity(prefix.len() + self.0.len());
        out.push_str(prefix);
        out.push_str(self.0);
        SafeText(out)
    }

    pub fn to_safe_text(self) -> SafeText {
        SafeText(CompactString::new(self.0))
    }
}

impl Deref for SafeStr<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

impl fmt::Display for SafeStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for SafeStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl PartialEq<&str> for SafeStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A `SafeText` that is done growing: no spare room, and a word smaller.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SafeBox(Box<str>);

impl SafeBox {
    pub fn as_safe(&self) -> SafeStr<'_> {
        SafeStr(&self.0)
    }
}

impl From<SafeText> for SafeBox {
    fn from(text: SafeText) -> Self {
        Self(text.0.into_string().into_boxed_str())
    }
}

impl fmt::Debug for SafeBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Outside text made safe, holding a copy only when that changed it (rarely): it is read back with the
/// raw text it was made of, which is then shown as it is. Many texts kept this way cost a word or two
/// each instead of an allocation each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sanitized(Option<SafeBox>);

impl Sanitized {
    pub fn of(raw: &str) -> Self {
        if is_safe(raw) {
            Self(None)
        } else {
            Self(Some(SafeText::new(raw).into()))
        }
    }

    /// The safe text; `raw` must be the text this was made of.
    pub fn read<'a>(&'a self, raw: &'a str) -> SafeStr<'a> {
        match &self.0 {
            Some(copy) => copy.as_safe(),
            None => Self::as_sent(raw),
        }
    }

    /// What `read` gives for a text that needed no change, where no `Sanitized` was kept for it.
    pub fn as_sent(raw: &str) -> SafeStr<'_> {
        debug_assert!(is_safe(raw), "read with a text it was not made of");
        // Checked again (a glance at a few bytes): a wrong `raw` still cannot reach the terminal.
        SafeStr::checked(raw).unwrap_or(SafeStr("\u{FFFD}"))
    }

    /// Whether making the text safe changed it, so that this holds a copy.
    pub fn holds_copy(&self) -> bool {
        self.0.is_some()
    }
}

/// Text of the program's own making, read in place of the raw text.
impl From<SafeText> for Sanitized {
    fn from(text: SafeText) -> Self {
        Self(Some(text.into()))
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
        safe.0.into_string()
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
        self.0 == *other
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

/// Safe text shared rather than copied: one allocation however many hold it (a finding's words that
/// thousands of tokens have alike).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedText(Arc<str>);

impl SharedText {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_safe(&self) -> SafeStr<'_> {
        SafeStr(&self.0)
    }

    /// Fitted into `max` cells, as `SafeText::fit`.
    pub fn fit(&self, max: usize) -> String {
        self.as_safe().fit(max)
    }

    /// `fit`, borrowing the text when it fits.
    pub fn fit_cow(&self, max: usize) -> Cow<'_, str> {
        self.as_safe().fit_cow(max)
    }
}

/// The shared texts made so far, one of each, so that a text said again is shared rather than copied.
#[derive(Clone, Debug, Default)]
pub struct SharedTexts(HashSet<SharedText, foldhash::fast::RandomState>);

impl SharedTexts {
    /// `text`, shared with the same words made before.
    pub fn shared(&mut self, text: SafeText) -> SharedText {
        if let Some(same) = self.0.get(text.as_str()) {
            return same.clone();
        }
        let text = SharedText::from(text);
        self.0.insert(text.clone());
        text
    }
}

impl From<SafeText> for SharedText {
    fn from(text: SafeText) -> Self {
        Self(Arc::from(text.as_str()))
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
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
    fn sanitized_copies_only_what_it_changes() {
        let plain = "ci-deploy";
        assert_eq!(Sanitized::of(plain), Sanitized::default());
        assert_eq!(Sanitized::of(plain).read(plain), "ci-deploy");
        let hostile = "a\x1b[2Jb";
        let made = Sanitized::of(hostile);
        assert_eq!(made.read(hostile).as_str(), SafeText::new(hostile).as_str());
        assert_eq!(SafeStr::checked(hostile), None);
    }

    #[test]
    fn fits_like_the_cell_truncation() {
        assert_eq!(SafeText::new("ci-deploy").fit(5), "ci-d…");
        assert_eq!(SafeText::new("日本語").width(), 6);
    }
}
