//! Finding where one element of a list ends without decoding it, so that the decoding can happen
//! elsewhere (on another thread) while the reader goes on to the next element.

/// One past the bracket that closes the object or list opening at `bytes[0]`; `None` when that bracket
/// is not in `bytes` (yet). Brackets are counted outside strings only, whatever their kind: whether what
/// lies between them is JSON is the decoder's to judge. For valid JSON this is where a decoder ends the
/// value; for text that is not, a decoder fails at or before it.
pub(super) fn container_end(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => i = string_end(bytes, i + 1)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                i += 1;
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// One past the quote that ends the string whose text starts at `bytes[from]`; `None` when it has not
/// ended in `bytes`.
fn string_end(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        // Eight bytes at a time while none of them is a quote or a backslash: most of a list is text.
        while let Some(word) = bytes
            .get(from..from + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            let word = u64::from_le_bytes(word);
            if has_byte(word, b'"') | has_byte(word, b'\\') != 0 {
                break;
            }
            from += 8;
        }
        match *bytes.get(from)? {
            b'"' => return Some(from + 1),
            // An escape: the character after the backslash is never the string's end.
            b'\\' => from += 2,
            _ => from += 1,
        }
    }
}

/// Non-zero when one of `word`'s bytes is `byte`.
const fn has_byte(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let x = word ^ (ONES * byte as u64);
    x.wrapping_sub(ONES) & !x & (ONES << 7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IgnoredAny;

    /// Where serde ends the value at the start of `text`, or `None` if it cannot read one whole.
    fn serde_end(text: &[u8]) -> Option<usize> {
        let mut values = serde_json::Deserializer::from_slice(text).into_iter::<IgnoredAny>();
        match values.next() {
            Some(Ok(_)) => Some(values.byte_offset()),
            _ => None,
        }
    }

    #[test]
    fn a_container_ends_where_serde_ends_it() {
        for text in [
            r#"{}"#,
            r#"[]"#,
            r#"{"a":1}"#,
            r#"{"a":"}"}"#,
            r#"{"a":"\"}"}"#,
            r#"{"a":"\\"}"#,
            r#"{"a":"\\\"]"}"#,
            r#"{"a":[{"b":[1,2,{"c":"]]]"}]}],"d":null}"#,
            r#"[1,"x",[2,[3]],{"e":"é \u00e9 \n"}]"#,
            "{ \"a\" : [ 1 , 2 ] ,\n \"b\" : { } }",
        ] {
            let followed = format!("{text},{{\"next\":1}}]");
            assert_eq!(
                container_end(followed.as_bytes()),
                serde_end(followed.as_bytes()),
                "{text}"
            );
            assert_eq!(container_end(text.as_bytes()), Some(text.len()), "{text}");
        }
    }

    #[test]
    fn strings_of_any_length_end_at_their_own_quote() {
        // Eight bytes are skipped at a time: quotes and escapes at every place within and across them.
        for len in 0..40 {
            for at in 0..len {
                for mark in [r#"\""#, r#"\\"#, "]", "}", "é"] {
                    let mut text: String = "a".repeat(len);
                    text.insert_str(at, mark);
                    let value = format!(r#"{{"k":"{text}","l":["{text}"]}}"#);
                    let followed = format!("{value}, 1]");
                    assert_eq!(
                        container_end(followed.as_bytes()),
                        serde_end(followed.as_bytes()),
                        "{value}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_container_cut_anywhere_has_not_ended() {
        let text = r#"{"a":"\"}\\","b":[{"c":"]"}],"d":{}}"#;
        for cut in 0..text.len() {
            assert_eq!(container_end(&text.as_bytes()[..cut]), None, "cut at {cut}");
        }
        assert_eq!(container_end(text.as_bytes()), Some(text.len()));
    }

    #[test]
    fn text_that_is_not_json_still_ends_at_a_balancing_bracket() {
        // The decoder judges what is between; the scanner only has to stop somewhere it would fail.
        assert_eq!(container_end(b"{\"a\":1]"), Some(7));
        assert_eq!(container_end(b"{\"a\" 1}}"), Some(7));
        assert_eq!(container_end(b"{\"a\":\"x\\"), None);
    }
}
