//! What the token list alone says about resets: which token replaced which. Shared by the rules and the
//! console's table, so both read a reset the same way.

use std::borrow::Borrow;
use std::collections::HashMap;

use crate::api::{ApiToken, TokenId};

/// For each token in its reset grace, the index of the token that replaced it: the token named
/// `"<old name> <new id>"` whose id is that suffix and is greater than the old id (spec §4).
pub fn successors<T: Borrow<ApiToken>>(tokens: &[T]) -> HashMap<TokenId, usize> {
    // Only a token named after another one plus its own id can be a successor; there are few, so the
    // names are looked up for those alone, and no other token costs an allocation.
    let mut wanted: HashMap<&str, Vec<usize>> = HashMap::new();
    for (new_index, new) in tokens.iter().enumerate() {
        let new = new.borrow();
        if let Some(old_name) = name_before_id(&new.name, new.id) {
            wanted.entry(old_name).or_default().push(new_index);
        }
    }
    let mut found: HashMap<TokenId, usize> = HashMap::new();
    if wanted.is_empty() {
        return found;
    }
    for old in tokens {
        let old = old.borrow();
        let Some(candidates) = wanted.get(old.name.as_str()) else {
            continue;
        };
        for &new_index in candidates {
            let new = tokens[new_index].borrow();
            if old.id < new.id {
                // Several resets of same-named tokens: the nearest newer id is the real successor.
                let keep = match found.get(&old.id) {
                    Some(&current) => tokens[current].borrow().id > new.id,
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
        assert_eq!(name_before_id("ci deploy42", 42), None);
        assert_eq!(name_before_id(" 0", 0), Some(""));
        assert_eq!(name_before_id("42", 42), None);
        assert_eq!(name_before_id("x -7", -7), Some("x"));
        assert_eq!(name_before_id("東京 9", 9), Some("東京"));
    }
}
