//! Finding where one element of a list ends without decoding it, so that the decoding can happen
//! elsewhere (on another thread) while the reader goes on to the next element.

/// One past the bracket that closes the object or list opening at `bytes[0]`; `None` when that bracket
/// is not in `bytes` (yet). Brackets are counted outside strings only, whatever their kind: whether what
/// lies between them is JSON is the decoder's to judge. For valid JSON this is where a decoder ends the
/// value; for text that is not, a decoder fails at or before it.
///
/// The reader looks through every byte of a long list here, on the one thread that all the decoders wait
/// for: 64 bytes are classified at a time (quotes, brackets, backslashes as bit masks), and only a block
/// with a backslash in it, which token lists seldom have, is walked a byte at a time.
pub(super) fn container_end(bytes: &[u8]) -> Option<usize> {
    let mut scan = Scan::default();
    let mut at = 0;
    while let Some(block) = bytes
        .get(at..at + BLOCK)
        .and_then(|b| <&[u8; BLOCK]>::try_from(b).ok())
    {
        let found = match Masks::of(block) {
            masks if masks.backslash == 0 && !scan.escaped => scan.block(&masks),
            _ => scan.walk(block),
        };
        if let Some(end) = found {
            return Some(at + end);
        }
        at += BLOCK;
    }
    scan.walk(&bytes[at..]).map(|end| at + end)
}

const BLOCK: usize = 64;

/// Where the scan is: how deep in brackets, inside a string or not, and whether the byte next is
/// escaped (a backslash ended the last block).
#[derive(Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    /// A byte at a time through `bytes`: one past the closing bracket, if it is among them.
    fn walk(&mut self, bytes: &[u8]) -> Option<usize> {
        for (i, &b) in bytes.iter().enumerate() {
            if self.escaped {
                // The character after a backslash is never the string's end.
                self.escaped = false;
            } else if self.in_string {
                match b {
                    b'"' => self.in_string = false,
                    b'\\' => self.escaped = true,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' if self.close() => return Some(i + 1),
                    _ => {}
                }
            }
        }
        None
    }

    /// A block with no backslash, whole: where each string starts and ends follows from its quotes.
    fn block(&mut self, masks: &Masks) -> Option<usize> {
        // Bit i: an odd number of quotes up to and including byte i, so byte i is inside a string
        // (or is its opening quote) when no string was open before the block.
        let mut inside = prefix_xor(masks.quote);
        if self.in_string {
            inside = !inside;
        }
        self.in_string = inside >> (BLOCK - 1) & 1 == 1;
        let open = masks.open & !inside;
        let close = masks.close & !inside;
        if self.depth > close.count_ones() as usize {
            // Not enough closing brackets to end the container here.
            self.depth = self.depth + open.count_ones() as usize - close.count_ones() as usize;
            return None;
        }
        let mut brackets = open | close;
        while brackets != 0 {
            let i = brackets.trailing_zeros() as usize;
            if open >> i & 1 == 1 {
                self.depth += 1;
            } else if self.close() {
                return Some(i + 1);
            }
            brackets &= brackets - 1;
        }
        None
    }

    /// A closing bracket: whether it closes the container.
    fn close(&mut self) -> bool {
        self.depth = self.depth.saturating_sub(1);
        self.depth == 0
    }
}

/// Bit i of each: byte i of a block is a quote, a backslash, an opening or a closing bracket.
#[derive(Debug, Default, PartialEq)]
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

impl Masks {
    #[cfg(target_arch = "x86_64")]
    fn of(block: &[u8; BLOCK]) -> Masks {
        // SAFETY: SSE2 is part of every x86_64 processor, so the instructions are there to run.
        unsafe { Masks::sse2(block) }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "sse2")]
    fn sse2(block: &[u8; BLOCK]) -> Masks {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        #[target_feature(enable = "sse2")]
        fn bits(lane: __m128i, byte: u8) -> u64 {
            u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(lane, _mm_set1_epi8(byte as i8))) as u16)
        }
        let mut masks = Masks::default();
        for (k, lane) in block.chunks_exact(16).enumerate() {
            // SAFETY: `lane` is 16 bytes long, and the load has no alignment requirement.
            let lane = unsafe { _mm_loadu_si128(lane.as_ptr().cast()) };
            // `[` and `]` differ from `{` and `}` only in the bit 0x20.
            let folded = _mm_or_si128(lane, _mm_set1_epi8(0x20));
            let shift = 16 * k;
            masks.quote |= bits(lane, b'"') << shift;
            masks.backslash |= bits(lane, b'\\') << shift;
            masks.open |= bits(folded, b'{') << shift;
            masks.close |= bits(folded, b'}') << shift;
        }
        masks
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of(block: &[u8; BLOCK]) -> Masks {
        Masks::portable(block)
    }

    /// The same masks a byte at a time, for other processors (and to check the fast one against).
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn portable(block: &[u8; BLOCK]) -> Masks {
        let mut masks = Masks::default();
        for (i, &b) in block.iter().enumerate() {
            let bit = 1u64 << i;
            match b {
                b'"' => masks.quote |= bit,
                b'\\' => masks.backslash |= bit,
                b'{' | b'[' => masks.open |= bit,
                b'}' | b']' => masks.close |= bit,
                _ => {}
            }
        }
        masks
    }
}

/// Bit i of the result: the parity of bits 0..=i of `x`.
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IgnoredAny;

    /// The container's end found the plain way, a byte at a time from the start.
    fn walked_end(bytes: &[u8]) -> Option<usize> {
        Scan::default().walk(bytes)
    }

    /// Text made mostly of what the scan looks for, so that quotes, escapes and brackets fall on every
    /// place of a block and across blocks.
    fn scanned_text() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"{".to_vec()),
            Just(b"}".to_vec()),
            Just(b"[".to_vec()),
            Just(b"]".to_vec()),
            Just(b"\"".to_vec()),
            Just(b"\\".to_vec()),
            Just(b"\\\"".to_vec()),
            Just(b"\\\\".to_vec()),
            Just("é|;".as_bytes().to_vec()),
            "[a-z:, ]{1,40}".prop_map(String::into_bytes),
        ];
        (
            prop_oneof![Just(b"{".to_vec()), Just(b"[".to_vec())],
            prop::collection::vec(piece, 0..80),
        )
            .prop_map(|(first, rest)| [first, rest.concat()].concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn blocks_end_a_container_where_a_byte_at_a_time_does(text in scanned_text()) {
            prop_assert_eq!(container_end(&text), walked_end(&text));
            // Cut anywhere, the end is found only once it has arrived.
            let end = walked_end(&text);
            for cut in [text.len() / 3, text.len() / 2, text.len().saturating_sub(1)] {
                let expected = end.filter(|&e| e <= cut);
                prop_assert_eq!(container_end(&text[..cut]), expected);
            }
        }

        #[test]
        fn the_masks_are_the_bytes_classes(block in prop::array::uniform32(any::<u8>()), other in prop::array::uniform32(any::<u8>())) {
            let mut whole = [0u8; BLOCK];
            whole[..32].copy_from_slice(&block);
            whole[32..].copy_from_slice(&other);
            prop_assert_eq!(Masks::of(&whole), Masks::portable(&whole));
        }
    }

    #[test]
    fn prefix_xor_is_the_running_parity() {
        for x in [
            0u64,
            1,
            0b1011,
            u64::MAX,
            0x8000_0000_0000_0001,
            0xDEAD_BEEF_0123_4567,
        ] {
            let mut parity = 0;
            for i in 0..64 {
                parity ^= x >> i & 1;
                assert_eq!(prefix_xor(x) >> i & 1, parity, "{x:#x} bit {i}");
            }
        }
    }

    #[test]
    fn a_token_list_element_ends_where_the_walk_ends_it() {
        // A token as the server writes it, its name with escapes, at every offset within a block.
        let token = br#"{"created_by":"Dana \"Ops\" W.","expires_at":null,"id":2490101,"last_4_digits":"4f1c","name":"C:\\deploy [bot] {x}","resources":[{"access_level":100,"resource_id":1824170,"resource_type":"account"}]}"#;
        for pad in 0..BLOCK {
            let mut text = b"[".to_vec();
            text.extend(std::iter::repeat_n(b' ', pad));
            let start = text.len();
            text.extend_from_slice(token);
            text.extend_from_slice(b",{\"next\":1}]");
            let element = &text[start..];
            assert_eq!(container_end(element), Some(token.len()), "pad {pad}");
            assert_eq!(container_end(element), serde_end(element), "pad {pad}");
        }
    }

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
