//! A token list answer: the tokens that could be read, the ones that could not, and reading the answer as
//! its bytes arrive: each token is found as soon as its last byte is in and decoded then (or, past the
//! answer's first megabyte, in a batch on another thread: `parallel.rs`), so the answer is never held
//! whole (at 100,000 tokens it is 21 MB) and decoding overlaps the transfer.
//!
//! One odd token cannot blind the rest: a token this build cannot read is set aside with the reason, and
//! the tokens after it are read as usual. An answer that is not a JSON list at all, or breaks off, is an
//! error in the decoder's words, with its line and column in the whole answer.

use std::fmt;

use serde::de::IgnoredAny;

use super::token::{ApiToken, TokenId};

mod parallel;
mod scan;

pub use parallel::{Digest, ParallelReader};

/// A token in a list that could not be read at all (a missing or non-numeric id, a missing name, a date
/// that is not a date…): what could be made out of it, and why the rest could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableToken {
    /// Its place in the server's list, from 0.
    pub position: usize,
    pub id: Option<TokenId>,
    pub name: Option<String>,
    /// What is wrong with it, in the decoder's words.
    pub reason: String,
}

impl UnreadableToken {
    fn from_raw(position: usize, raw: &str, error: &serde_json::Error) -> Self {
        let value: Option<serde_json::Value> = serde_json::from_str(raw).ok();
        let id = value.as_ref().and_then(|v| v.get("id")).and_then(|id| {
            id.as_i64()
                .or_else(|| id.as_str().and_then(|s| s.trim().parse().ok()))
        });
        let name = value
            .as_ref()
            .and_then(|v| v.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_string);
        // serde's position is within this one token's text, which says nothing to a reader.
        let mut reason = error.to_string();
        if let Some(at) = reason.rfind(" at line ") {
            reason.truncate(at);
        }
        Self {
            position,
            id,
            name,
            reason: crate::text::sanitize(&reason),
        }
    }
}

impl fmt::Display for UnreadableToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token #{} in the list", self.position + 1)?;
        if let Some(id) = self.id {
            write!(f, " (id {id})")?;
        }
        if let Some(name) = &self.name {
            write!(f, " {:?}", crate::text::sanitize(name))?;
        }
        write!(f, " could not be read: {}", self.reason)
    }
}

/// A token list: the tokens that could be read, and the ones that could not, each on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenList {
    pub tokens: Vec<ApiToken>,
    pub unreadable: Vec<UnreadableToken>,
}

impl From<Vec<ApiToken>> for TokenList {
    fn from(tokens: Vec<ApiToken>) -> Self {
        Self {
            tokens,
            unreadable: Vec::new(),
        }
    }
}

impl std::ops::Deref for TokenList {
    type Target = [ApiToken];

    /// Reads as the readable tokens, which is what most callers want.
    fn deref(&self) -> &[ApiToken] {
        &self.tokens
    }
}

impl<'a> IntoIterator for &'a TokenList {
    type Item = &'a ApiToken;
    type IntoIter = std::slice::Iter<'a, ApiToken>;

    fn into_iter(self) -> Self::IntoIter {
        self.tokens.iter()
    }
}

impl TokenList {
    /// Decodes a whole list answer so that one odd token cannot blind the rest (see [`ListReader`]). An
    /// answer that is not a JSON list at all is still an error.
    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let mut tokens = Vec::new();
        let mut each = |token, _: &[u8]| {
            tokens.push(token);
            Ok::<(), std::convert::Infallible>(())
        };
        let mut reader = ListReader::new();
        let read = reader
            .feed(bytes, &mut each)
            .and_then(|()| reader.finish(&mut each));
        match read {
            Ok(unreadable) => Ok(TokenList::collected(tokens, unreadable)),
            Err(StreamStop::Decode(e)) => Err(e),
            Err(StreamStop::Each(never)) => match never {},
        }
    }

    /// The list a read that handed its tokens on one by one collected.
    pub fn collected(mut tokens: Vec<ApiToken>, unreadable: Vec<UnreadableToken>) -> Self {
        // Grown by doubling: at 100,000 tokens a quarter of the buffer would stay empty.
        tokens.shrink_to_fit();
        TokenList { tokens, unreadable }
    }
}

/// Why reading a list one token at a time stopped: the answer could not be read, or `each` said stop.
#[derive(Debug)]
pub enum StreamStop<E> {
    Decode(serde_json::Error),
    Each(E),
}

/// How much of the answer's start is kept to quote in an error ("body starts …").
const HEAD_BYTES: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Nothing but whitespace yet: the `[` that opens the list.
    Open,
    /// Just after `[`: the first token, or `]`.
    FirstOrClose,
    /// After a token: `,` or `]`.
    CommaOrClose,
    /// After `,`: a token.
    Element,
    /// After `]`: only whitespace.
    End,
    /// The answer is not a list: it is kept whole and read at the end for the decoder's own words.
    NotAList,
}

/// Where in the whole answer an element starts: line and column from 1, as the decoder counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Where {
    line: usize,
    column: usize,
}

impl Where {
    /// A decoder error within the element, its position made one in the whole answer.
    fn relocate(self, e: &serde_json::Error) -> serde_json::Error {
        let mut words = e.to_string();
        if let Some(cut) = words.rfind(" at line ") {
            words.truncate(cut);
        }
        let (line, column) = if e.line() <= 1 {
            (self.line, self.column + e.column().saturating_sub(1))
        } else {
            (self.line + e.line() - 1, e.column())
        };
        custom(format!("{words} at line {line} column {column}"))
    }
}

/// One element of the list, whole: its place in the list (from 0), its text as sent, and where it starts.
pub struct Element<'a> {
    pub position: usize,
    pub bytes: &'a [u8],
    pub at: Where,
}

/// What an element's text decodes to.
enum Decoded<'a> {
    /// A token, with its text as sent.
    Token(ApiToken, &'a str),
    /// JSON, but not a token this build can read: why not.
    Unreadable(serde_json::Error),
    /// Not JSON: the decoder's words, within the element.
    Broken(serde_json::Error),
}

impl<'a> Element<'a> {
    fn decode(&self) -> Decoded<'a> {
        let bytes = self.bytes;
        // Checked once as a whole here, the text need not be checked again string by string.
        let typed = match std::str::from_utf8(bytes) {
            Ok(text) => match serde_json::from_str::<ApiToken>(text) {
                Ok(token) => return Decoded::Token(token, text),
                Err(e) => e,
            },
            // Not UTF-8, so not JSON: the byte reader finds where, in its own words.
            Err(_) => match serde_json::from_slice::<ApiToken>(bytes) {
                Ok(_) => unreachable_text(),
                Err(e) => e,
            },
        };
        match serde_json::from_slice::<IgnoredAny>(bytes) {
            Ok(_) => Decoded::Unreadable(typed),
            Err(e) => Decoded::Broken(e),
        }
    }

    /// Decodes the element: a token goes to `each` with its text as sent, one that cannot be read is set
    /// aside in `unreadable`, and text that is not JSON stops the read.
    pub fn read<E>(
        &self,
        unreadable: &mut Vec<UnreadableToken>,
        each: impl FnOnce(ApiToken, &str) -> Result<(), E>,
    ) -> Result<(), StreamStop<E>> {
        match self.decode() {
            Decoded::Token(token, text) => each(token, text).map_err(StreamStop::Each),
            Decoded::Unreadable(e) => {
                let raw = String::from_utf8_lossy(self.bytes);
                unreadable.push(UnreadableToken::from_raw(self.position, &raw, &e));
                Ok(())
            }
            Decoded::Broken(e) => Err(StreamStop::Decode(self.at.relocate(&e))),
        }
    }
}

/// Bytes that are not UTF-8 are never a token (JSON text is UTF-8, and the decoder checks it).
fn unreachable_text() -> serde_json::Error {
    custom("a token's text is not UTF-8".into())
}

/// Where the reader hands each whole element of the list, in order.
pub trait ElementSink {
    type Error;
    fn element(&mut self, element: Element<'_>) -> Result<(), StreamStop<Self::Error>>;
}

/// The sink that decodes each element where it is read.
struct DecodeHere<'a, F> {
    each: &'a mut F,
    unreadable: &'a mut Vec<UnreadableToken>,
}

impl<E, F: FnMut(ApiToken, &[u8]) -> Result<(), E>> ElementSink for DecodeHere<'_, F> {
    type Error = E;

    fn element(&mut self, element: Element<'_>) -> Result<(), StreamStop<E>> {
        let bytes = element.bytes;
        element.read(self.unreadable, |token, _| (self.each)(token, bytes))
    }
}

/// Reads one list answer fed to it in pieces (`feed`, then `finish`): finds each element of the list,
/// and decodes it (or hands it whole to an [`ElementSink`] that decodes it elsewhere).
#[derive(Debug)]
pub struct ListReader {
    /// Received and not yet read: the start of a token whose end has not arrived (or, for an answer that
    /// is not a list, all of it).
    pending: Vec<u8>,
    expect: Expect,
    /// The next element's place in the list, from 0.
    position: usize,
    /// Line (from 1) and the answer's offset where that line starts, where the reader is.
    line: usize,
    line_start: usize,
    /// The answer's offset where the reader is (`pending[0]`).
    offset: usize,
    /// The answer's first bytes, for an error to quote.
    head: Vec<u8>,
    unreadable: Vec<UnreadableToken>,
}

impl Default for ListReader {
    fn default() -> Self {
        Self::new()
    }
}

impl ListReader {
    pub fn new() -> Self {
        Self {
            pending: Vec::new(),
            expect: Expect::Open,
            position: 0,
            line: 1,
            line_start: 0,
            offset: 0,
            head: Vec::new(),
            unreadable: Vec::new(),
        }
    }

    /// No element has been read yet (none handed on, none set aside).
    pub fn nothing_read(&self) -> bool {
        self.position == 0
    }

    /// The answer's first bytes (at most 256), for an error to quote.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Reads what `bytes` completes, handing each readable token to `each` with its bytes as the server
    /// sent them, in the server's order. Tokens that lie whole in `bytes` are read where they are; only a
    /// token cut between two pieces is copied.
    pub fn feed<E>(
        &mut self,
        bytes: &[u8],
        each: &mut impl FnMut(ApiToken, &[u8]) -> Result<(), E>,
    ) -> Result<(), StreamStop<E>> {
        let mut unreadable = std::mem::take(&mut self.unreadable);
        let fed = self.feed_to(
            bytes,
            &mut DecodeHere {
                each,
                unreadable: &mut unreadable,
            },
        );
        self.unreadable = unreadable;
        fed
    }

    /// The answer has ended: reads what is left and returns the tokens that could not be read.
    pub fn finish<E>(
        mut self,
        each: &mut impl FnMut(ApiToken, &[u8]) -> Result<(), E>,
    ) -> Result<Vec<UnreadableToken>, StreamStop<E>> {
        let mut unreadable = std::mem::take(&mut self.unreadable);
        self.finish_to(&mut DecodeHere {
            each,
            unreadable: &mut unreadable,
        })?;
        Ok(unreadable)
    }

    /// [`Self::feed`], each whole element handed to `sink` rather than decoded here.
    pub fn feed_to<S: ElementSink>(
        &mut self,
        bytes: &[u8],
        sink: &mut S,
    ) -> Result<(), StreamStop<S::Error>> {
        if self.head.len() < HEAD_BYTES {
            let room = HEAD_BYTES - self.head.len();
            self.head.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        let mut pending = std::mem::take(&mut self.pending);
        let mut rest = bytes;
        // The token the last piece ended in: joined with as little of this piece as completes it.
        while !pending.is_empty() && !rest.is_empty() {
            let carried = pending.len();
            let more = rest.len().min(carried.max(1024));
            pending.extend_from_slice(&rest[..more]);
            let used = self.read(&pending, false, sink)?;
            if used >= carried {
                // The cut token is whole and read: what follows it is read where it lies, not copied.
                rest = &rest[used - carried..];
                pending.clear();
            } else {
                rest = &rest[more..];
                pending.drain(..used);
            }
        }
        if pending.is_empty() && !rest.is_empty() {
            let used = self.read(rest, false, sink)?;
            pending.extend_from_slice(&rest[used..]);
        }
        self.pending = pending;
        Ok(())
    }

    /// [`Self::finish`], each whole element handed to `sink`.
    pub fn finish_to<S: ElementSink>(mut self, sink: &mut S) -> Result<(), StreamStop<S::Error>> {
        let pending = std::mem::take(&mut self.pending);
        let used = self.read(&pending, true, sink)?;
        let left = &pending[used..];
        match self.expect {
            Expect::End => Ok(()),
            Expect::Open | Expect::NotAList => Err(StreamStop::Decode(not_a_list(left))),
            // The list broke off between tokens (a token cut short fails in `read`).
            _ => Err(StreamStop::Decode(self.error_at(
                left,
                left.len(),
                "EOF while parsing a list",
            ))),
        }
    }

    /// Reads what `buf` holds whole; returns how much of it was read (the rest waits for more).
    fn read<S: ElementSink>(
        &mut self,
        buf: &[u8],
        last: bool,
        sink: &mut S,
    ) -> Result<usize, StreamStop<S::Error>> {
        let mut at = 0;
        // Lines are counted up to `counted` as the reader moves on, so that each element knows where it
        // starts without looking back.
        let mut counted = 0;
        loop {
            at += buf[at..]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .count();
            let Some(&next) = buf.get(at) else {
                break;
            };
            match (self.expect, next) {
                (Expect::Open, b'[') => {
                    self.expect = Expect::FirstOrClose;
                    at += 1;
                }
                (Expect::Open, _) => {
                    // Kept whole from its start: the decoder reads it at the end for its own words.
                    self.expect = Expect::NotAList;
                    break;
                }
                (Expect::FirstOrClose | Expect::CommaOrClose, b']') => {
                    self.expect = Expect::End;
                    at += 1;
                }
                (Expect::CommaOrClose, b',') => {
                    self.expect = Expect::Element;
                    at += 1;
                }
                (Expect::CommaOrClose, _) => {
                    let error = self.error_at(&buf[counted..], at - counted, "expected `,` or `]`");
                    return Err(StreamStop::Decode(error));
                }
                (Expect::End, _) => {
                    let error = self.error_at(&buf[counted..], at - counted, "trailing characters");
                    return Err(StreamStop::Decode(error));
                }
                (Expect::FirstOrClose | Expect::Element, _) => {
                    self.count_lines(&buf[counted..at]);
                    counted = at;
                    let Some(end) = self.element_end(&buf[at..], last)? else {
                        break;
                    };
                    let element = Element {
                        position: self.position,
                        bytes: &buf[at..at + end],
                        at: self.where_is(0),
                    };
                    sink.element(element)?;
                    self.expect = Expect::CommaOrClose;
                    self.position += 1;
                    at += end;
                }
                (Expect::NotAList, _) => break,
            }
        }
        if self.expect == Expect::NotAList {
            return Ok(0);
        }
        self.count_lines(&buf[counted..at]);
        // `offset` moved with `count_lines`; the rest of `buf` is read again from `at`.
        Ok(at)
    }

    /// Where the element that starts `rest` (at the reader's offset) ends: `None` when its end has not
    /// arrived; an error when the answer ended inside it or it is not JSON.
    fn element_end<E>(&self, rest: &[u8], last: bool) -> Result<Option<usize>, StreamStop<E>> {
        if matches!(rest.first(), Some(b'{' | b'[')) {
            if let Some(end) = scan::container_end(rest) {
                return Ok(Some(end));
            }
            if !last {
                return Ok(None);
            }
        }
        // A number or a word may go on in the next piece; a string ends itself.
        let ends_itself = matches!(rest.first(), Some(b'{' | b'[' | b'"'));
        let mut any = serde_json::Deserializer::from_slice(rest).into_iter::<IgnoredAny>();
        match any.next() {
            Some(Ok(_)) => {
                let end = any.byte_offset();
                if last || ends_itself || end < rest.len() {
                    Ok(Some(end))
                } else {
                    Ok(None)
                }
            }
            Some(Err(e)) if e.is_eof() && !last => Ok(None),
            Some(Err(e)) => Err(StreamStop::Decode(self.where_is(0).relocate(&e))),
            None => Ok(None),
        }
    }

    /// Moves past `read`, keeping count of lines for the positions errors give.
    fn count_lines(&mut self, read: &[u8]) {
        if let Some(last) = memchr::memrchr(b'\n', read) {
            self.line += memchr::memchr_iter(b'\n', read).count();
            self.line_start = self.offset + last + 1;
        }
        self.offset += read.len();
    }

    /// Where the byte `ahead` bytes past the reader's offset is, with no newline between.
    fn where_is(&self, ahead: usize) -> Where {
        Where {
            line: self.line,
            column: self.offset + ahead - self.line_start + 1,
        }
    }

    /// Where `buf[at]` is in the whole answer, `buf` starting at the reader's offset.
    fn where_is_in(&self, buf: &[u8], at: usize) -> Where {
        let before = &buf[..at.min(buf.len())];
        match memchr::memrchr(b'\n', before) {
            Some(nl) => Where {
                line: self.line + memchr::memchr_iter(b'\n', before).count(),
                column: at - nl,
            },
            None => self.where_is(at),
        }
    }

    fn error_at(&self, buf: &[u8], at: usize, what: &str) -> serde_json::Error {
        let Where { line, column } = self.where_is_in(buf, at);
        custom(format!("{what} at line {line} column {column}"))
    }
}

fn custom(message: String) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(message)
}

/// Why an answer that is not a list cannot be read, in the decoder's words for a list expected.
fn not_a_list(bytes: &[u8]) -> serde_json::Error {
    use serde::Deserializer as _;
    struct List;
    impl<'de> serde::de::Visitor<'de> for List {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match de.deserialize_seq(List).and_then(|()| de.end()) {
        Err(e) => e,
        // Only an answer whose first character is not `[` comes here, and no list starts otherwise.
        Ok(()) => custom("invalid type: expected a sequence".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::TokenId;

    /// Each handed token's id and text as sent; the unreadable ones, or the error's words.
    type Read = (
        Vec<(TokenId, Vec<u8>)>,
        Result<Vec<UnreadableToken>, String>,
    );

    /// What a reader made of an answer fed in the given pieces.
    fn read_in_pieces(pieces: &[&[u8]]) -> Read {
        let mut handed = Vec::new();
        let mut each = |t: ApiToken, sent: &[u8]| {
            handed.push((t.id, sent.to_vec()));
            Ok::<(), ()>(())
        };
        let mut reader = ListReader::new();
        let mut read = Ok(());
        for piece in pieces {
            read = reader.feed(piece, &mut each);
            if read.is_err() {
                break;
            }
        }
        let read = read
            .and_then(|()| reader.finish(&mut each).map(Some))
            .map(Option::unwrap_or_default);
        let read = read.map_err(|stop| match stop {
            StreamStop::Decode(e) => e.to_string(),
            StreamStop::Each(()) => "stopped".into(),
        });
        (handed, read)
    }

    fn answers() -> Vec<String> {
        let good = |id: i64| {
            format!(
                r#"{{"id":{id},"name":"t{id} é","last_4_digits":"abcd","created_by":"c","expires_at":null,
                    "resources":[{{"resource_type":"domain","resource_id":7,"access_level":100}}],"x":"a\"]}}"}}"#
            )
        };
        let odd = r#"{"id":"x","name":"odd \u00e9 ]"}"#;
        vec![
            "[]".into(),
            " \n[ \n] \n".into(),
            format!("[{}]", good(1)),
            format!("[\n  {},\n  {odd},\n  {}\n]\n", good(1), good(2)),
            format!("[{odd},12345,\"text\",[1,2],{}]", good(3)),
            format!("[{},{}", good(1), good(2)),
            format!("[{},{},{{\"id\":", good(1), good(2)),
            format!("[{}] x", good(1)),
            format!("[{} {}]", good(1), good(2)),
            format!("[{},]", good(1)),
            "[1,".into(),
            "{\"error\":\"nope\"}".into(),
            "<html>".into(),
            "null".into(),
            String::new(),
        ]
    }

    fn listed(items: &[&str]) -> String {
        format!("[{}]", items.join(","))
    }

    fn good(id: i64) -> String {
        format!(
            r#"{{"id":{id},"name":"t{id}","last_4_digits":"abcd","created_by":"c","expires_at":null,
                "resources":[{{"resource_type":"domain","resource_id":7,"access_level":100}}]}}"#
        )
    }

    /// The ids of the tokens a whole answer hands, and how the read ended.
    fn streamed(text: &str) -> (Vec<TokenId>, Result<Vec<UnreadableToken>, String>) {
        let (handed, read) = streamed_sent(text);
        (handed.into_iter().map(|(id, _)| id).collect(), read)
    }

    #[test]
    fn a_streamed_list_hands_what_decode_keeps_in_the_same_order() {
        let bad_id = r#"{"id":"x","name":"odd"}"#.to_string();
        let no_name = r#"{"id":5}"#.to_string();
        for items in [
            vec![],
            vec![good(1)],
            vec![good(1), good(2), good(3)],
            vec![bad_id.clone(), good(2), good(3)],
            vec![good(1), good(2), bad_id.clone()],
            vec![good(1), bad_id.clone(), good(3), no_name.clone(), good(4)],
        ] {
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let text = listed(&refs);
            let whole = TokenList::decode(text.as_bytes()).unwrap();
            let (ids, unreadable) = streamed(&text);
            let expected: Vec<TokenId> = whole.tokens.iter().map(|t| t.id).collect();
            assert_eq!(ids, expected, "{text}");
            assert_eq!(unreadable.unwrap(), whole.unreadable, "{text}");
        }
    }

    #[test]
    fn an_answer_that_is_not_a_list_fails_as_decode_does_and_hands_nothing() {
        for text in [r#"{"error":"nope"}"#, "", "null", "[1,", "<html>"] {
            let whole = TokenList::decode(text.as_bytes()).unwrap_err().to_string();
            let (ids, read) = streamed(text);
            assert!(ids.is_empty(), "{text}");
            assert_eq!(read.unwrap_err(), whole, "{text}");
        }
    }

    #[test]
    fn an_answer_that_breaks_off_fails_after_the_tokens_before_the_break() {
        let text = format!("[{},{},{{\"id\":", good(1), good(2));
        let (ids, read) = streamed(&text);
        assert_eq!(ids, vec![1, 2]);
        assert!(read.is_err());
    }

    /// Each handed token's id and text as sent, and how the read ended.
    type Sent = (Vec<(TokenId, String)>, Result<Vec<UnreadableToken>, String>);

    /// A whole answer read as sent: each token with its text.
    fn stream_sent<E>(
        bytes: &[u8],
        mut each: impl FnMut(ApiToken, Option<&str>) -> Result<(), E>,
    ) -> Result<Vec<UnreadableToken>, StreamStop<E>> {
        let mut each = |token, sent: &[u8]| each(token, std::str::from_utf8(sent).ok());
        let mut reader = ListReader::new();
        reader.feed(bytes, &mut each)?;
        reader.finish(&mut each)
    }

    fn streamed_sent(text: &str) -> Sent {
        let mut handed = Vec::new();
        let read = stream_sent(text.as_bytes(), |t, raw| {
            handed.push((t.id, raw.unwrap_or_default().to_string()));
            Ok::<(), ()>(())
        });
        let read = read.map_err(|stop| match stop {
            StreamStop::Decode(e) => e.to_string(),
            StreamStop::Each(()) => "stopped".into(),
        });
        (handed, read)
    }

    #[test]
    fn a_list_streamed_as_sent_hands_what_decode_keeps_with_each_token_s_own_text() {
        let bad_id = r#"{"id":"x","name":"odd"}"#.to_string();
        let no_name = r#"{"id":5}"#.to_string();
        let extra = r#"{"zz":{"nested":[1,"x\u001b[31m",{}]},"id":9,"name":"n","big":123456789012345678901234567890}"#
            .to_string();
        for items in [
            vec![],
            vec![good(1)],
            vec![good(1), extra.clone(), good(3)],
            vec![bad_id.clone(), good(2), good(3)],
            vec![good(1), good(2), bad_id.clone()],
            vec![
                good(1),
                bad_id.clone(),
                good(3),
                no_name.clone(),
                extra.clone(),
            ],
        ] {
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            let text = listed(&refs);
            let whole = TokenList::decode(text.as_bytes()).unwrap();
            let (handed, unreadable) = streamed_sent(&text);
            let ids: Vec<TokenId> = handed.iter().map(|(id, _)| *id).collect();
            let expected: Vec<TokenId> = whole.tokens.iter().map(|t| t.id).collect();
            assert_eq!(ids, expected, "{text}");
            assert_eq!(unreadable.unwrap(), whole.unreadable, "{text}");
            for (_, raw) in &handed {
                assert!(items.contains(raw), "{raw} is one of the items as sent");
            }
        }
    }

    #[test]
    fn a_list_streamed_as_sent_fails_as_decode_does() {
        for text in [r#"{"error":"nope"}"#, "", "null", "[1,", "<html>"] {
            let whole = TokenList::decode(text.as_bytes()).unwrap_err().to_string();
            let (handed, read) = streamed_sent(text);
            assert!(handed.is_empty(), "{text}");
            assert_eq!(read.unwrap_err(), whole, "{text}");
        }
        let text = format!("[{},{},{{\"id\":", good(1), good(2));
        let (handed, read) = streamed_sent(&text);
        assert_eq!(handed.len(), 2);
        assert!(read.is_err());
        let text = listed(&[&good(1), &good(2), &good(3)]);
        let mut seen = 0;
        let read = stream_sent(text.as_bytes(), |_, _| {
            seen += 1;
            if seen == 2 { Err("enough") } else { Ok(()) }
        });
        assert!(matches!(read, Err(StreamStop::Each("enough"))));
        assert_eq!(seen, 2, "nothing is handed after the stop");
    }

    #[test]
    fn a_list_cut_anywhere_fails_as_sent_with_the_typed_pass_s_words() {
        let text = listed(&[
            &good(1),
            r#"{"id":"x","name":"odd"}"#,
            r#"{"id": 3, "name": "e\u00e9", "extra": {"a": [1, 2.5e3, null, true]}}"#,
        ]);
        for cut in 0..text.len() {
            let Some(part) = text.get(..cut) else {
                continue;
            };
            let typed = TokenList::decode(part.as_bytes()).map_err(|e| e.to_string());
            let (_, sent) = streamed_sent(part);
            match typed {
                Err(typed) => assert_eq!(sent.unwrap_err(), typed, "{part}"),
                Ok(list) => assert_eq!(sent.unwrap(), list.unreadable, "{part}"),
            }
        }
    }

    #[test]
    fn the_reader_can_stop_the_stream() {
        let text = listed(&[&good(1), &good(2), &good(3)]);
        let mut seen = 0;
        let read = stream_sent(text.as_bytes(), |_, _| {
            seen += 1;
            if seen == 2 { Err("enough") } else { Ok(()) }
        });
        assert!(matches!(read, Err(StreamStop::Each("enough"))));
        assert_eq!(seen, 2, "nothing is handed after the stop");
    }
    #[test]
    fn an_answer_in_any_two_pieces_reads_as_it_does_whole() {
        for answer in answers() {
            let bytes = answer.as_bytes();
            let whole = read_in_pieces(&[bytes]);
            for cut in 0..=bytes.len() {
                let (a, b) = bytes.split_at(cut);
                assert_eq!(read_in_pieces(&[a, b]), whole, "{answer:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn an_answer_a_byte_at_a_time_reads_as_it_does_whole() {
        for answer in answers() {
            let bytes = answer.as_bytes();
            let pieces: Vec<&[u8]> = bytes.chunks(1).collect();
            assert_eq!(
                read_in_pieces(&pieces),
                read_in_pieces(&[bytes]),
                "{answer:?}"
            );
        }
    }

    #[test]
    fn tokens_are_handed_with_their_text_as_sent_and_odd_ones_set_aside() {
        let answer = answers()[3].clone();
        let (handed, read) = read_in_pieces(&[answer.as_bytes()]);
        assert_eq!(handed.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [1, 2]);
        let first = String::from_utf8(handed[0].1.clone()).unwrap();
        assert!(
            first.starts_with("{\"id\":1,") && first.ends_with("\"a\\\"]}\"}"),
            "{first}"
        );
        let unreadable = read.unwrap();
        assert_eq!(unreadable.len(), 1);
        assert_eq!(unreadable[0].position, 1);
        assert_eq!(unreadable[0].name.as_deref(), Some("odd é ]"));
    }

    #[test]
    fn errors_say_where_in_the_whole_answer() {
        let (_, read) = read_in_pieces(&[b"[\n  {\"id\":1,\"name\":\"a\"}\n  x"]);
        assert_eq!(read.unwrap_err(), "expected `,` or `]` at line 3 column 3");
        let (_, read) = read_in_pieces(&[b"[{\"id\":1,", b"\"name\":\"a\"} ]  ]"]);
        assert_eq!(read.unwrap_err(), "trailing characters at line 1 column 25");
        let (_, read) = read_in_pieces(&[b"{\"error\":1}"]);
        assert!(read.unwrap_err().contains("expected a sequence"));
        let (handed, read) = read_in_pieces(&[b"[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"na"]);
        assert_eq!(handed.len(), 1);
        assert!(read.unwrap_err().starts_with("EOF while parsing"));
    }

    #[test]
    fn a_number_cut_between_pieces_is_read_whole() {
        let (_, whole) = read_in_pieces(&[b"[12345]"]);
        let (_, cut) = read_in_pieces(&[b"[12", b"345]"]);
        assert_eq!(whole, cut);
        assert!(whole.unwrap()[0].reason.contains("12345"));
    }

    #[test]
    fn the_head_keeps_the_answer_s_start_only() {
        let mut reader = ListReader::new();
        let long = vec![b' '; 1000];
        reader.feed(b"[", &mut |_, _| Ok::<(), ()>(())).unwrap();
        reader.feed(&long, &mut |_, _| Ok::<(), ()>(())).unwrap();
        assert_eq!(reader.head().len(), HEAD_BYTES);
        assert_eq!(reader.head()[0], b'[');
    }
}
