//! What the token list alone says about resets: which token replaced which. Shared by the rules and the
//! console's table, so both read a reset the same way.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::api::{ApiToken, TokenId};

/// For each token in its reset grace, the index of the token that replaced it: the token named
/// `"<old name> <new id>"` whose id is that suffix and is greater than the old id (spec §4).
pub fn successors(tokens: &[ApiToken]) -> HashMap<TokenId, usize> {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in tokens.iter().enumerate() {
        by_name.entry(t.name.as_str()).or_default().push(i);
    }
    let mut found: HashMap<TokenId, usize> = HashMap::new();
    let mut suffix = String::new();
    for (new_index, new) in tokens.iter().enumerate() {
        suffix.clear();
        let _ = write!(suffix, " {}", new.id);
        let Some(old_name) = new.name.strip_suffix(suffix.as_str()) else {
            continue;
        };
        for &old_index in by_name.get(old_name).map_or(&[][..], Vec::as_slice) {
            let old = &tokens[old_index];
            if old.id < new.id {
                // Several resets of same-named tokens: the nearest newer id is the real successor.
                let keep = match found.get(&old.id) {
                    Some(&current) => tokens[current].id > new.id,
                    None => true,
                };
                if keep {
                    found.insert(old.id, new_index);
                }
            }
        }
    }
    found
}
