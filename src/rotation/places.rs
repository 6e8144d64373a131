//! The places each token is used, per account: free text the operator writes ("k8s prod/mail-secret",
//! "GitHub acme/web CI variable"), each with a tick for the cut-over after a reset. Kept in
//! `<state>/places/<account>.json` (0600, in a 0700 directory), written whole through a temporary file so
//! that a crash leaves the old file or the new one, never half of either.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::{AccountId, TokenId};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub place: String,
    /// Updated with the new secret (after a reset); cleared when a new cut-over starts.
    #[serde(default)]
    pub done: bool,
}

/// Token id → its places, for one account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceBook {
    #[serde(default)]
    pub tokens: BTreeMap<TokenId, Vec<Place>>,
}

/// The most places one token keeps, and the longest a place's text may be: enough for any real list,
/// and a paste of a whole file cannot grow the book without bound.
pub const MAX_PLACES: usize = 64;
pub const MAX_PLACE_CHARS: usize = 200;

impl PlaceBook {
    pub fn of(&self, token: TokenId) -> &[Place] {
        self.tokens.get(&token).map_or(&[], Vec::as_slice)
    }

    /// Replaces a token's places (an empty list forgets the token).
    pub fn set(&mut self, token: TokenId, places: Vec<Place>) {
        if places.is_empty() {
            self.tokens.remove(&token);
        } else {
            self.tokens.insert(token, places);
        }
    }

    /// A reset made `new` from `old`: the new token is used where the old one was, and the old one's
    /// checklist starts with nothing ticked.
    pub fn follow(&mut self, old: TokenId, new: TokenId) {
        let Some(places) = self.tokens.get_mut(&old) else {
            return;
        };
        for p in places.iter_mut() {
            p.done = false;
        }
        let carried: Vec<Place> = places
            .iter()
            .map(|p| Place {
                place: p.place.clone(),
                done: false,
            })
            .collect();
        self.tokens.entry(new).or_insert(carried);
    }

    /// Ticks these places of `token`; how many were ticked now.
    pub fn tick(&mut self, token: TokenId, places: &[String]) -> usize {
        let Some(list) = self.tokens.get_mut(&token) else {
            return 0;
        };
        let mut ticked = 0;
        for p in list.iter_mut().filter(|p| !p.done) {
            if places.contains(&p.place) {
                p.done = true;
                ticked += 1;
            }
        }
        ticked
    }

    /// (ticked, all) of a token's places.
    pub fn progress(&self, token: TokenId) -> (usize, usize) {
        let places = self.of(token);
        (places.iter().filter(|p| p.done).count(), places.len())
    }

    /// Keeps only the tokens still listed (a deleted or purged token's places go with it).
    pub fn retain_tokens(&mut self, alive: impl Fn(TokenId) -> bool) -> bool {
        let before = self.tokens.len();
        self.tokens.retain(|id, _| alive(*id));
        before != self.tokens.len()
    }
}

/// Where an account's places are kept.
pub fn book_path(state_dir: &Path, account: AccountId) -> PathBuf {
    state_dir.join("places").join(format!("{account}.json"))
}

/// Reads an account's places; none yet is an empty book. A file that cannot be read is moved aside
/// (`….json.unreadable`) so that the next save does not overwrite what it held, and said so.
pub fn load(path: &Path) -> Result<PlaceBook, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(PlaceBook::default()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    serde_json::from_str(&text).map_err(|e| {
        let aside = path.with_extension("json.unreadable");
        let moved = std::fs::rename(path, &aside).is_ok();
        let kept = if moved {
            format!(
                "; it was moved to {} and a new list started",
                aside.display()
            )
        } else {
            String::new()
        };
        format!(
            "the places file {} is not readable ({e}){kept}",
            path.display()
        )
    })
}

/// Writes an account's places whole: to a temporary file beside the target, then renamed over it.
pub fn save(path: &Path, book: &PlaceBook) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no directory"))?;
    crate::custody::private_dir(dir)?;
    let text = serde_json::to_string_pretty(book).map_err(io::Error::other)?;
    let mut file = tempfile::Builder::new()
        .prefix(".places-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .tempfile_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn places(names: &[&str]) -> Vec<Place> {
        names
            .iter()
            .map(|p| Place {
                place: (*p).to_string(),
                done: false,
            })
            .collect()
    }

    #[test]
    fn a_reset_carries_the_places_to_the_new_token_and_starts_the_checklist() {
        let mut book = PlaceBook::default();
        book.set(1, places(&["k8s prod", "GitHub CI"]));
        book.tick(1, &["k8s prod".into()]);
        book.follow(1, 2);
        assert_eq!(book.progress(1), (0, 2), "a new cut-over starts unticked");
        assert_eq!(book.progress(2), (0, 2));
        assert_eq!(book.tick(1, &["GitHub CI".into(), "elsewhere".into()]), 1);
        assert_eq!(book.progress(1), (1, 2));
        assert_eq!(book.tick(1, &["GitHub CI".into()]), 0, "once ticked, stays");
        book.set(1, Vec::new());
        assert!(book.of(1).is_empty());
    }

    #[test]
    fn the_book_is_saved_whole_and_private_and_a_broken_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = book_path(dir.path(), 42);
        assert_eq!(load(&path).unwrap(), PlaceBook::default());
        let mut book = PlaceBook::default();
        book.set(7, places(&["vault secret/mail"]));
        save(&path, &book).unwrap();
        assert_eq!(load(&path).unwrap(), book);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        std::fs::write(&path, "{ not json").unwrap();
        let err = load(&path).unwrap_err();
        assert!(
            err.contains("not readable") && err.contains("unreadable"),
            "{err}"
        );
        assert!(path.with_extension("json.unreadable").exists());
        assert_eq!(load(&path).unwrap(), PlaceBook::default());
    }
}
