//! What the token list alone says about resets: which token replaced which. Shared by the rules and the
//! console's table, so both read a reset the same way.

use std::borrow::Borrow;
use std::collections::HashMap;

use crate::api::{ApiToken, TokenId};

/// For each token in its reset grace, the index of the token that replaced it: the token named
/// `"<old name> <new id>"` whose id is that suffix and is greater than the old id (spec §4).
pub fn successors<T: Borrow<ApiToken>>(tokens: &[T]) -> HashMap<TokenId, usize> {
    let mut found: HashMap<TokenId, usize> = HashMap::new();
    for (old, new) in successor_pairs(tokens) {
        // Two tokens of one id (a list the server repeated a token in): the nearest newer id, as for one.
        let id = |i: usize| tokens[i].borrow().id;
        found
            .entry(id(old))
            .and_modify(|kept| {
                if id(new) < id(*kept) {
                    *kept = new;
                }
            })
            .or_insert(new);
    }
    found
}

/// [`successors`] as places in `tokens`: each replaced token's index, with its successor's.
pub fn successor_pairs<T: Borrow<ApiToken>>(tokens: &[T]) -> Vec<(usize, usize)> {
    // Only a token named after another one plus its own id can be a successor; there are few, so the
    // names are looked up for those alone, and no other token costs an allocation. Every token's name
    // is hashed once (100,000 at most), with a hasher that is quick on short keys and seeded per process.
    let mut wanted: foldhash::HashMap<&str, Candidates> = foldhash::HashMap::default();
    for (new_index, new) in tokens.iter().enumerate() {
        let new = new.borrow();
        if let Some(old_name) = name_before_id(&new.name, new.id) {
            wanted.entry(old_name).or_default().push(new_index);
        }
    }
    let mut found = Vec::new();
    if wanted.is_empty() {
        return found;
    }
    for (old_index, old) in tokens.iter().enumerate() {
        let old = old.borrow();
        let Some(candidates) = wanted.get(old.name.as_str()) else {
            continue;
        };
        // Several resets of same-named tokens: the nearest newer id is the real successor.
        let nearest = candidates
            .iter()
            .map(|&new_index| (tokens[new_index].borrow().id, new_index))
            .filter(|&(new_id, _)| old.id < new_id)
            .min_by_key(|&(new_id, _)| new_id);
        if let Some((_, new_index)) = nearest {
            found.push((old_index, new_index));
        }
    }
    found
}

/// The tokens named after one name: nearly always one, held without an allocation.
type Candidates = smallvec::SmallVec<[usize; 1]>;

/// `"ci deploy"` for `("ci deploy 42", 42)`: the name a reset's new token was named after.
fn name_before_id(name: &str, id: TokenId) -> Option<&str> {
    let mut digits = [0u8; 24];
    let mut end = digits.len();
    let mut rest = id.unsigned_abs();
    loop {
        end -= 1;
        // `rest % 10` is below 10.
        digits[end] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if id < 0 {
        end -= 1;
        digits[end] = b'-';
    }
    let suffix = &digits[end..];
    let bytes = name.as_bytes();
    let at = bytes.len().checked_sub(suffix.len() + 1)?;
    (bytes[at] == b' ' && &bytes[at + 1..] == suffix).then(|| &name[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_before_the_id_is_found_without_formatting() {
        assert_eq!(name_before_id("ci deploy 42", 42), Some("ci deploy"));
        assert_eq!(name_before_id("ci deploy 42", 4), None);
        assert_eq!(name_before_id("ci deploy 32", 42), None);
        assert_eq!(name_before_id("ci deploy 142", 42), None);
        assert_eq!(name_before_id("ci deploy42", 42), None);
        assert_eq!(name_before_id(" 0", 0), Some(""));
        assert_eq!(name_before_id("42", 42), None);
        assert_eq!(name_before_id("x -7", -7), Some("x"));
        assert_eq!(name_before_id("東京 9", 9), Some("東京"));
    }
}
