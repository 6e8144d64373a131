//! Reading a long list answer on every core: this thread only finds where each element ends and gathers
//! whole elements into batches; decoders on other threads decode each batch and make of its tokens what
//! the caller wants (a table's tokens, the lines `list` prints), and the batches come back here in the
//! list's order. An answer of unknown length has its first megabyte decoded here as it comes: one no
//! longer than that (most accounts') starts no thread, whose start and hand-overs would cost it more
//! than they save. An answer announced as long goes to the decoders from its first batch.
//!
//! What the caller sees is what [`ListReader`] alone gives: the same tokens in the same order, the same
//! tokens set aside, the same error after the same tokens.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::{
    ApiToken, Element, ElementSink, ListReader, StreamStop, UnreadableToken, Where, custom,
};

/// What the decoders make of the readable tokens, a batch at a time, on their own threads.
pub trait Digest: Send + Sync + 'static {
    /// What one batch's tokens make.
    type Made: Send + 'static;
    type Error: Send + 'static;
    /// Room for what `elements` elements of `bytes` bytes of text make.
    fn start(&self, elements: usize, bytes: usize) -> Self::Made;
    /// Empties what was made and handed on, for the next batch to fill (its memory is kept: taken anew
    /// each time, it would be new pages each time).
    fn clear(&self, made: &mut Self::Made);
    /// Adds one token, with its text as the server sent it. An error stops the read after this batch's
    /// tokens before it (what was made of them is still handed on).
    fn add(&self, made: &mut Self::Made, token: ApiToken, sent: &str) -> Result<(), Self::Error>;
}

/// A batch is handed to a decoder once it holds this much text (about 600 tokens).
const BATCH_BYTES: usize = 128 * 1024;

/// Room in a batch past its full size, for the element that fills it (most are far shorter).
const BATCH_SLACK_BYTES: usize = 16 * 1024;

/// How much of a piece is looked through before the batches it filled are handed on.
const FED_AT_ONCE_BYTES: usize = BATCH_BYTES / 4;

/// Over an answer's announced last this many bytes, batches are an eighth as long: the batch still
/// being decoded when the answer has all come is what the caller waits for, a tenth of a millisecond
/// rather than most of one.
const ENDING_BYTES: usize = 2 * BATCH_BYTES;

/// Whole elements, copied out of the pieces they arrived in.
#[derive(Default)]
struct Batch {
    text: Vec<u8>,
    /// Each element's end in `text` (each starts where the one before ended), and where it starts in
    /// the whole answer.
    ends: Vec<(usize, Where)>,
    /// The first element's place in the list.
    first: usize,
}

/// A batch on its way to a decoder, with room for what it makes (emptied, from a batch before).
struct Job<D: Digest> {
    number: u64,
    batch: Batch,
    room: Option<D::Made>,
}

/// What a decoder is handed.
enum Work<D: Digest> {
    Decode(Job<D>),
    /// Memory the read is done with, let go there rather than on the reader: a batch's room is
    /// large enough to be its own mapping, and unmapping one takes tens of microseconds.
    LetGo(Vec<Batch>, Vec<D::Made>),
}

/// What a decoder made of one batch.
struct Decoded<D: Digest> {
    /// The batch, its room to be filled again.
    batch: Batch,
    made: D::Made,
    unreadable: Vec<UnreadableToken>,
    /// Why the read stops after this batch, if it does.
    stop: Option<StreamStop<D::Error>>,
}

fn decode<D: Digest>(digest: &D, mut batch: Batch, room: Option<D::Made>) -> Decoded<D> {
    let made = room.unwrap_or_else(|| digest.start(batch.ends.len(), batch.text.len()));
    let (made, unreadable, stop) = decode_in(digest, &batch, made);
    batch.text.clear();
    batch.ends.clear();
    Decoded {
        batch,
        made,
        unreadable,
        stop,
    }
}

type DecodedIn<D> = (
    <D as Digest>::Made,
    Vec<UnreadableToken>,
    Option<StreamStop<<D as Digest>::Error>>,
);

fn decode_in<D: Digest>(digest: &D, batch: &Batch, mut made: D::Made) -> DecodedIn<D> {
    let mut unreadable = Vec::new();
    let mut start = 0;
    for (i, &(end, at)) in batch.ends.iter().enumerate() {
        let element = Element {
            position: batch.first + i,
            bytes: &batch.text[start..end],
            at,
        };
        start = end;
        let read = element.read(&mut unreadable, |token, sent| {
            digest.add(&mut made, token, sent)
        });
        if let Err(stop) = read {
            return (made, unreadable, Some(stop));
        }
    }
    (made, unreadable, None)
}

/// The answer's first this many bytes are decoded where they are found (see the module's words).
const DECODED_HERE_BYTES: usize = 1 << 20;

/// An answer announced at least this long is decoded on the decoders from its first batch: all of it is
/// known to be coming, so decoding its first megabyte here first would only keep the other cores
/// waiting for it.
const DECODERS_FROM_THE_START_BYTES: usize = 2 * BATCH_BYTES;

/// Decodes the elements the reader finds where they are, or gathers them into batches for the decoders.
struct Gather<D: Digest> {
    digest: Arc<D>,
    /// Still decoding here.
    here: bool,
    /// What the elements decoded here made and set aside, not yet handed on (emptied and filled again).
    made: Option<D::Made>,
    made_any: bool,
    unreadable: Vec<UnreadableToken>,
    filling: Batch,
    /// A batch is full at this much text (`BATCH_BYTES`, less near the answer's end).
    batch_bytes: usize,
    full: Vec<Batch>,
    /// Batches back from the decoders, empty: filled again rather than new memory each time.
    spare: Vec<Batch>,
}

impl<D: Digest> ElementSink for Gather<D> {
    type Error = D::Error;

    fn element(&mut self, element: Element<'_>) -> Result<(), StreamStop<Self::Error>> {
        if self.here {
            let digest = &*self.digest;
            let made = self.made.get_or_insert_with(|| digest.start(0, 0));
            self.made_any = true;
            return element.read(&mut self.unreadable, |token, sent| {
                digest.add(made, token, sent)
            });
        }
        let batch = &mut self.filling;
        if batch.ends.is_empty() {
            batch.first = element.position;
            // Its room taken once, with space for the element that tips it over: grown by doubling,
            // each step would copy the batch into new pages.
            batch.text.reserve(self.batch_bytes + BATCH_SLACK_BYTES);
        }
        batch.text.extend_from_slice(element.bytes);
        batch.ends.push((batch.text.len(), element.at));
        if batch.text.len() >= self.batch_bytes {
            let next = self.spare.pop().unwrap_or_default();
            self.full.push(std::mem::replace(batch, next));
        }
        Ok(())
    }
}

/// The decoder threads: batches go out numbered and come back numbered, in whatever order they finish.
struct Decoders<D: Digest> {
    work: mpsc::Sender<Work<D>>,
    done: UnboundedReceiver<(u64, Decoded<D>)>,
}

impl<D: Digest> Decoders<D> {
    /// `threads` decoders; `None` when no thread could be started, and the batches are decoded here.
    fn start(digest: &Arc<D>, threads: usize) -> Option<Self> {
        let (work, queue) = mpsc::channel::<Work<D>>();
        let queue = Arc::new(Mutex::new(queue));
        let (finished, done) = unbounded_channel();
        let mut started = 0;
        for _ in 0..threads {
            let (digest, queue, finished) = (digest.clone(), queue.clone(), finished.clone());
            let spawned = std::thread::Builder::new()
                .name("list-decoder".into())
                .spawn(move || decoder(&*digest, &queue, &finished));
            if spawned.is_ok() {
                started += 1;
            }
        }
        (started > 0).then_some(Self { work, done })
    }
}

/// One decoder thread: batches until the reader goes away.
fn decoder<D: Digest>(
    digest: &D,
    queue: &Mutex<mpsc::Receiver<Work<D>>>,
    finished: &UnboundedSender<(u64, Decoded<D>)>,
) {
    loop {
        let next = queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let (number, batch, room) = match next {
            Ok(Work::Decode(Job {
                number,
                batch,
                room,
            })) => (number, batch, room),
            Ok(Work::LetGo(batches, made)) => {
                drop((batches, made));
                continue;
            }
            Err(_) => return,
        };
        // A decoder that failed must still answer for its batch, or the reader would wait for it.
        let decoded =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| decode(digest, batch, room)))
                .unwrap_or_else(|_| {
                    failed(
                        digest,
                        "the list's decoder failed on this part of the answer",
                    )
                });
        if finished.send((number, decoded)).is_err() {
            return;
        }
    }
}

/// The answer for a batch nothing could be made of: the read stops there.
fn failed<D: Digest>(digest: &D, why: &str) -> Decoded<D> {
    Decoded {
        batch: Batch::default(),
        made: digest.start(0, 0),
        unreadable: Vec::new(),
        stop: Some(StreamStop::Decode(custom(why.into()))),
    }
}

/// Reads one list answer fed to it in pieces, as [`ListReader`] does, with its tokens decoded on other
/// threads by `D`; `each` gets what each batch made, in the list's order.
pub struct ParallelReader<D: Digest> {
    reader: ListReader,
    digest: Arc<D>,
    gather: Gather<D>,
    /// How much of the answer has come, and how much of it is decoded here.
    received: usize,
    /// The answer's length, when it was announced.
    announced: Option<usize>,
    decoded_here: usize,
    decoders: Option<Decoders<D>>,
    /// Batches numbered so far, and the number of the next to hand on.
    sent: u64,
    next: u64,
    /// Batches back from a decoder before the ones ahead of them.
    early: BTreeMap<u64, Decoded<D>>,
    /// What batches made, handed on and emptied: room for the next ones.
    spare_made: Vec<D::Made>,
    unreadable: Vec<UnreadableToken>,
    /// How many decoders there are: one per core (this thread only gathers), at most four.
    threads: usize,
}

impl<D: Digest> ParallelReader<D> {
    pub fn new(digest: Arc<D>) -> Self {
        Self {
            reader: ListReader::new(),
            gather: Gather {
                digest: digest.clone(),
                here: true,
                made: None,
                made_any: false,
                unreadable: Vec::new(),
                filling: Batch::default(),
                batch_bytes: BATCH_BYTES,
                full: Vec::new(),
                spare: Vec::new(),
            },
            digest,
            received: 0,
            announced: None,
            decoded_here: DECODED_HERE_BYTES,
            decoders: None,
            sent: 0,
            next: 0,
            early: BTreeMap::new(),
            spare_made: Vec::new(),
            unreadable: Vec::new(),
            threads: 1,
        }
    }

    /// The answer's length as announced before its body (`Content-Length`), when it was: a long one
    /// goes to the decoders from its first batch rather than after its first megabyte.
    pub fn expecting(mut self, length: Option<usize>) -> Self {
        if length.is_some_and(|length| length >= DECODERS_FROM_THE_START_BYTES) {
            self.decoded_here = 0;
        }
        self.announced = length;
        self
    }

    /// Decodes on other threads once more than `bytes` of the answer have come (rather than 1 MiB).
    #[cfg(test)]
    fn decoding_here_at_most(mut self, bytes: usize) -> Self {
        self.decoded_here = bytes;
        self
    }

    /// No element has been found yet (none handed on, none set aside, none on its way).
    pub fn nothing_read(&self) -> bool {
        self.reader.nothing_read()
    }

    /// The answer's first bytes (at most 256), for an error to quote.
    pub fn head(&self) -> &[u8] {
        self.reader.head()
    }

    /// Reads what `bytes` completes; hands on what was decoded so far, in order.
    pub async fn feed(
        &mut self,
        bytes: &[u8],
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<(), StreamStop<D::Error>> {
        // A piece can hold several batches (the socket's buffer grows to hundreds of kilobytes): each goes
        // to a decoder as soon as it is full, not after the whole piece has been looked through, or the
        // decoders would wait while this thread reads.
        for piece in bytes.chunks(FED_AT_ONCE_BYTES) {
            self.gather.here = self.received < self.decoded_here;
            let ending = self
                .announced
                .is_some_and(|length| length.saturating_sub(self.received) <= ENDING_BYTES);
            self.gather.batch_bytes = if ending { BATCH_BYTES / 8 } else { BATCH_BYTES };
            let found = self.reader.feed_to(piece, &mut self.gather);
            self.hand_made_here(each)?;
            if let Err(stop) = found {
                return Err(self.stopped(stop, each).await);
            }
            self.received += piece.len();
            for batch in std::mem::take(&mut self.gather.full) {
                self.send(batch, each).await?;
            }
        }
        // What is back already is handed on without waiting for the rest.
        while let Some(decoded) = self.back_now() {
            self.hand(decoded, each)?;
        }
        Ok(())
    }

    /// The answer has ended: reads what is left, hands on the rest in order, and returns the tokens that
    /// could not be read.
    pub async fn finish(
        mut self,
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<Vec<UnreadableToken>, StreamStop<D::Error>> {
        let reader = std::mem::take(&mut self.reader);
        let found = reader.finish_to(&mut self.gather);
        self.hand_made_here(each)?;
        if let Err(stop) = found {
            return Err(self.stopped(stop, each).await);
        }
        self.flush(each).await?;
        self.let_go();
        Ok(self.unreadable)
    }

    /// Hands the rooms kept for more batches to a decoder to let go: the caller gets its tokens
    /// without waiting for that.
    fn let_go(&mut self) {
        let batches = std::mem::take(&mut self.gather.spare);
        let made = std::mem::take(&mut self.spare_made);
        if let Some(decoders) = &self.decoders {
            let _ = decoders.work.send(Work::LetGo(batches, made));
        }
    }

    /// The answer broke off: what was found before the break is still decoded and handed on (an error
    /// found in it is the read's error, being earlier in the list than the break).
    pub async fn finish_broken(
        mut self,
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<(), StreamStop<D::Error>> {
        self.flush(each).await
    }

    /// The reader stopped: the batches found before the stop are still decoded and handed on (and an
    /// error found in them comes first, being earlier in the list).
    async fn stopped(
        &mut self,
        stop: StreamStop<D::Error>,
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> StreamStop<D::Error> {
        match self.flush(each).await {
            Err(earlier) => earlier,
            Ok(()) => stop,
        }
    }

    /// Hands on what the elements decoded here made (they come before any batch).
    fn hand_made_here(
        &mut self,
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<(), StreamStop<D::Error>> {
        self.unreadable.append(&mut self.gather.unreadable);
        if !std::mem::take(&mut self.gather.made_any) {
            return Ok(());
        }
        let Some(made) = self.gather.made.as_mut() else {
            return Ok(());
        };
        let handed = each(made).map_err(StreamStop::Each);
        self.digest.clear(made);
        handed
    }

    /// Every batch gathered so far, decoded and handed on.
    async fn flush(
        &mut self,
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<(), StreamStop<D::Error>> {
        let mut batches = std::mem::take(&mut self.gather.full);
        let last = std::mem::take(&mut self.gather.filling);
        if !last.ends.is_empty() {
            batches.push(last);
        }
        for batch in batches {
            self.send(batch, each).await?;
        }
        while self.next < self.sent {
            let decoded = self.back().await;
            self.hand(decoded, each)?;
        }
        Ok(())
    }

    /// Hands a batch to a decoder, waiting for one to be back first when enough are on their way that
    /// more would only pile up (the answer is then read no faster than it is decoded).
    async fn send(
        &mut self,
        batch: Batch,
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<(), StreamStop<D::Error>> {
        if self.decoders.is_none() {
            self.threads = crate::api::cores().min(4);
            self.decoders = Decoders::start(&self.digest, self.threads);
        }
        let job = Job {
            number: self.sent,
            batch,
            room: self.spare_made.pop(),
        };
        self.sent += 1;
        let unsent = match &self.decoders {
            Some(decoders) => match decoders.work.send(Work::Decode(job)) {
                Err(mpsc::SendError(Work::Decode(job))) => Some(job),
                _ => None,
            },
            None => Some(job),
        };
        if let Some(job) = unsent {
            // No decoder to take it: decoded here, in its turn.
            let decoded = decode(&*self.digest, job.batch, job.room);
            self.early.insert(job.number, decoded);
        }
        while self.sent - self.next > 2 * self.threads as u64 {
            let decoded = self.back().await;
            self.hand(decoded, each)?;
        }
        Ok(())
    }

    /// The next batch in order, if it is back.
    fn back_now(&mut self) -> Option<Decoded<D>> {
        loop {
            if let Some(decoded) = self.early.remove(&self.next) {
                self.next += 1;
                return Some(decoded);
            }
            let (number, decoded) = self.decoders.as_mut()?.done.try_recv().ok()?;
            self.early.insert(number, decoded);
        }
    }

    /// The next batch in order, waiting for it.
    async fn back(&mut self) -> Decoded<D> {
        loop {
            if let Some(decoded) = self.early.remove(&self.next) {
                self.next += 1;
                return decoded;
            }
            let received = match self.decoders.as_mut() {
                Some(decoders) => decoders.done.recv().await,
                None => None,
            };
            match received {
                Some((number, decoded)) => {
                    self.early.insert(number, decoded);
                }
                None => {
                    // Every decoder is gone without answering (none can be, each answers even when it
                    // fails): the read cannot go on.
                    self.next += 1;
                    return failed(
                        &*self.digest,
                        "the list's decoders stopped before the answer was read",
                    );
                }
            }
        }
    }

    fn hand(
        &mut self,
        decoded: Decoded<D>,
        each: &mut impl FnMut(&mut D::Made) -> Result<(), D::Error>,
    ) -> Result<(), StreamStop<D::Error>> {
        self.unreadable.extend(decoded.unreadable);
        if decoded.batch.text.capacity() > 0 {
            self.gather.spare.push(decoded.batch);
        }
        let mut made = decoded.made;
        let handed = each(&mut made).map_err(StreamStop::Each);
        self.digest.clear(&mut made);
        self.spare_made.push(made);
        handed?;
        match decoded.stop {
            Some(stop) => Err(stop),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::TokenId;

    /// Keeps each token's id; stops with "enough" at the id given.
    struct Ids {
        stop_at: Option<TokenId>,
    }

    impl Digest for Ids {
        type Made = Vec<TokenId>;
        type Error = String;

        fn start(&self, _: usize, _: usize) -> Vec<TokenId> {
            Vec::new()
        }

        fn clear(&self, made: &mut Vec<TokenId>) {
            made.clear();
        }

        fn add(&self, made: &mut Vec<TokenId>, token: ApiToken, sent: &str) -> Result<(), String> {
            assert!(sent.contains(&format!("\"id\":{}", token.id)), "{sent}");
            if self.stop_at == Some(token.id) {
                return Err("enough".into());
            }
            made.push(token.id);
            Ok(())
        }
    }

    /// Ids handed, and the unreadable tokens' places or the error's words.
    type Read = (Vec<TokenId>, Result<Vec<usize>, String>);

    fn words<E: std::fmt::Display>(stop: StreamStop<E>) -> String {
        match stop {
            StreamStop::Decode(e) => format!("decode: {e}"),
            StreamStop::Each(e) => format!("each: {e}"),
        }
    }

    fn alone(text: &[u8], stop_at: Option<TokenId>) -> Read {
        let mut ids = Vec::new();
        let mut each = |token: ApiToken, _: &[u8]| {
            if stop_at == Some(token.id) {
                return Err("enough".to_string());
            }
            ids.push(token.id);
            Ok(())
        };
        let mut reader = ListReader::new();
        let read = reader
            .feed(text, &mut each)
            .and_then(|()| reader.finish(&mut each));
        let read = read
            .map(|u| u.iter().map(|t| t.position).collect())
            .map_err(words);
        (ids, read)
    }

    /// The answer read in pieces of `piece` bytes, decoded here up to `here` bytes and on threads after.
    async fn on_threads(text: &[u8], piece: usize, here: usize, stop_at: Option<TokenId>) -> Read {
        let reader = ParallelReader::new(Arc::new(Ids { stop_at })).decoding_here_at_most(here);
        read_with(reader, text, piece).await.0
    }

    /// The answer read by `reader` in pieces of `piece` bytes; with how many batches were handed on.
    async fn read_with(
        mut reader: ParallelReader<Ids>,
        text: &[u8],
        piece: usize,
    ) -> (Read, usize) {
        let mut ids = Vec::new();
        let mut handed = 0;
        let mut each = |made: &mut Vec<TokenId>| {
            handed += 1;
            ids.append(made);
            Ok(())
        };
        let mut fed = Ok(());
        for chunk in text.chunks(piece) {
            fed = reader.feed(chunk, &mut each).await;
            if fed.is_err() {
                break;
            }
        }
        let read = match fed {
            Ok(()) => reader.finish(&mut each).await,
            Err(stop) => Err(stop),
        };
        let read = read
            .map(|u| u.iter().map(|t| t.position).collect())
            .map_err(words);
        ((ids, read), handed)
    }

    #[tokio::test]
    async fn an_announced_end_comes_in_smaller_batches_and_reads_the_same() {
        let text = long_list(4000, None);
        let expected = alone(text.as_bytes(), None);
        let announced =
            |length| ParallelReader::new(Arc::new(Ids { stop_at: None })).expecting(Some(length));
        let (read, ending) = read_with(announced(text.len()), text.as_bytes(), 65536).await;
        assert_eq!(read, expected);
        // Announced twice as long, the answer never comes near its end.
        let (read, whole) = read_with(announced(2 * text.len()), text.as_bytes(), 65536).await;
        assert_eq!(read, expected);
        // The last `ENDING_BYTES` go in eighth-size batches: seven more for each of the two.
        assert!(
            ending >= whole + 12,
            "{ending} batches with its length announced, {whole} with twice that"
        );
        // A length that is not the answer's changes only the batches' sizes.
        for wrong in [text.len() / 2, 0] {
            let (read, _) = read_with(announced(wrong), text.as_bytes(), 65536).await;
            assert_eq!(read, expected, "announced {wrong}");
        }
    }

    fn token(id: usize) -> String {
        format!(
            r#"{{"id":{id},"name":"token {id} é \"quoted\" ]}}","last_4_digits":"ab{:02}","created_by":"Ops",
            "expires_at":"2027-01-0{}T10:00:00Z","resources":[{{"resource_type":"domain","resource_id":{id},"access_level":100}}]}}"#,
            id % 100,
            1 + id % 9
        )
    }

    /// A list of `n` tokens long enough for many batches, with elements that are not tokens among them.
    fn long_list(n: usize, broken_at: Option<usize>) -> String {
        let items: Vec<String> = (0..n)
            .map(|i| match i {
                _ if Some(i) == broken_at => r#"{"id": 1, "name": nope}"#.to_string(),
                _ if i % 997 == 5 => r#"{"id":"not a number","name":"odd"}"#.to_string(),
                _ if i % 1201 == 7 => "[1, {\"x\": \"]\"}]".to_string(),
                _ if i % 1499 == 9 => "12345".to_string(),
                _ => token(i),
            })
            .collect();
        format!("[\n  {}\n]\n", items.join(",\n  "))
    }

    #[tokio::test]
    async fn a_long_list_decoded_on_other_threads_reads_as_the_reader_alone_does() {
        let text = long_list(4000, None);
        assert!(
            text.len() > 6 * BATCH_BYTES,
            "long enough for several batches"
        );
        let expected = alone(text.as_bytes(), None);
        assert_eq!(expected.0.len(), 4000 - 5 - 4 - 3);
        for piece in [text.len(), 65536, 4093, 100] {
            for here in [0, 300_000, DECODED_HERE_BYTES] {
                let read = on_threads(text.as_bytes(), piece, here, None).await;
                assert_eq!(read, expected, "pieces of {piece}, {here} decoded here");
            }
        }
    }

    #[tokio::test]
    async fn an_element_that_is_not_json_late_in_the_list_stops_it_after_the_tokens_before_it() {
        let text = long_list(3000, Some(2500));
        let expected = alone(text.as_bytes(), None);
        let (ids, read) = &expected;
        assert_eq!(ids.last(), Some(&2499));
        // The same words and place as the decoder gives reading the whole answer at once.
        let whole = serde_json::from_str::<Vec<serde_json::Value>>(&text).unwrap_err();
        assert_eq!(read.as_ref().unwrap_err(), &format!("decode: {whole}"));
        for piece in [text.len(), 8192] {
            for here in [0, 300_000, text.len()] {
                let read = on_threads(text.as_bytes(), piece, here, None).await;
                assert_eq!(read, expected, "pieces of {piece}, {here} decoded here");
            }
        }
    }

    #[tokio::test]
    async fn a_digest_that_stops_stops_the_read_after_what_came_before() {
        let text = long_list(3000, None);
        let expected = alone(text.as_bytes(), Some(2222));
        assert_eq!(expected.1, Err("each: enough".to_string()));
        for here in [0, 300_000, text.len()] {
            assert_eq!(
                on_threads(text.as_bytes(), 16384, here, Some(2222)).await,
                expected
            );
        }
    }

    #[tokio::test]
    async fn an_answer_that_breaks_off_hands_on_every_whole_token_before_the_break() {
        let text = long_list(3000, None);
        let cut = text.len() * 2 / 3;
        let mut ids = Vec::new();
        let mut each = |made: &mut Vec<TokenId>| {
            ids.append(made);
            Ok(())
        };
        let mut reader =
            ParallelReader::new(Arc::new(Ids { stop_at: None })).decoding_here_at_most(0);
        for chunk in text.as_bytes()[..cut].chunks(32768) {
            reader.feed(chunk, &mut each).await.unwrap();
        }
        reader.finish_broken(&mut each).await.unwrap();
        let (mut whole, _) = alone(text.as_bytes(), None);
        let (before, _) = alone(&text.as_bytes()[..cut], None);
        assert_eq!(ids, before);
        whole.truncate(before.len());
        assert_eq!(ids, whole);
        assert!(ids.len() > 1500);
    }

    #[tokio::test]
    async fn an_answer_of_less_than_a_megabyte_is_decoded_here_with_no_thread_started() {
        let text = long_list(3000, None);
        let len = text.len();
        assert!(
            len > 5 * BATCH_BYTES && len < DECODED_HERE_BYTES,
            "{len} bytes"
        );
        let mut ids = Vec::new();
        let mut each = |made: &mut Vec<TokenId>| {
            ids.append(made);
            Ok(())
        };
        let mut reader = ParallelReader::new(Arc::new(Ids { stop_at: None }));
        for chunk in text.as_bytes().chunks(65536) {
            reader.feed(chunk, &mut each).await.unwrap();
        }
        assert!(reader.decoders.is_none() && reader.sent == 0);
        reader.finish(&mut each).await.unwrap();
        assert_eq!(ids, alone(text.as_bytes(), None).0);
        let mut reader =
            ParallelReader::new(Arc::new(Ids { stop_at: None })).decoding_here_at_most(0);
        reader.feed(text.as_bytes(), &mut |_| Ok(())).await.unwrap();
        assert!(
            reader.decoders.is_some() && reader.sent > 0,
            "past the limit, decoders start"
        );
    }

    #[tokio::test]
    async fn an_answer_announced_as_long_goes_to_the_decoders_from_its_first_batch() {
        let text = long_list(3000, None);
        let text = text.as_str();
        let feed_first_batch = |mut reader: ParallelReader<Ids>| async move {
            let mut ids = Vec::new();
            let mut each = |made: &mut Vec<TokenId>| {
                ids.append(made);
                Ok(())
            };
            reader
                .feed(&text.as_bytes()[..BATCH_BYTES + 4096], &mut each)
                .await
                .unwrap();
            let on_threads = reader.sent > 0;
            reader
                .feed(&text.as_bytes()[BATCH_BYTES + 4096..], &mut each)
                .await
                .unwrap();
            reader.finish(&mut each).await.unwrap();
            (on_threads, ids)
        };
        let ids = alone(text.as_bytes(), None).0;
        let new = || ParallelReader::new(Arc::new(Ids { stop_at: None }));
        let announced = feed_first_batch(new().expecting(Some(text.len()))).await;
        assert_eq!(announced, (true, ids.clone()));
        // Too short to be worth threads, or of unknown length: decoded here first.
        let short =
            feed_first_batch(new().expecting(Some(DECODERS_FROM_THE_START_BYTES - 1))).await;
        assert_eq!(short, (false, ids.clone()));
        assert_eq!(feed_first_batch(new().expecting(None)).await, (false, ids));
    }
}
