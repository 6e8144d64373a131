//! A long list's room faulted in ahead of the rows written into it, on a thread of its own.
//!
//! Reading a long list, the thread that reads the answer also appends each batch's rows to the list: the
//! first write to each fresh page of its room stops that thread for a page fault (a 10,000-token list's
//! rows fill about 500 pages). A helper asks the kernel for the pages a little ahead of the writes
//! (`MADV_POPULATE_WRITE`), which costs less per page than a fault and is done off the reading thread.
//! The kernel only maps the pages, zeroed as a fault would; what is in them is never touched here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

/// How far past the rows written the room is kept faulted in.
const LEAD_BYTES: usize = 256 * 1024;

/// How much room is asked for at once.
const WINDOW_BYTES: usize = 64 * 1024;

/// Room for fewer bytes than this is left to fault as it is written: not worth a thread.
const FEWEST_BYTES: usize = 2 * LEAD_BYTES;

/// Keeps a vector's room faulted in ahead of its length while the vector keeps its allocation.
pub struct Prefault {
    /// Where the room starts, and how much of it there is (bytes).
    start: usize,
    room: usize,
    /// How far the pages have been asked for, from `start`.
    asked: usize,
    requests: Option<mpsc::Sender<(usize, usize)>>,
    /// Set when the room is done with: the helper asks for nothing more.
    stop: Arc<AtomicBool>,
    /// Waited for by the tests alone; otherwise the helper ends on its own once told to stop.
    #[cfg(test)]
    helper: Option<std::thread::JoinHandle<()>>,
}

impl Prefault {
    /// Starts faulting in `rows`'s room ahead of its length, if it is large enough to be worth a
    /// thread and this system can; `None` otherwise, and the pages fault as they are written.
    pub fn ahead_of<T>(rows: &Vec<T>) -> Option<Self> {
        if !cfg!(target_os = "linux") || std::mem::size_of::<T>() == 0 {
            return None;
        }
        let room = rows.capacity().checked_mul(std::mem::size_of::<T>())?;
        if room < FEWEST_BYTES {
            return None;
        }
        let (requests, asked) = mpsc::channel::<(usize, usize)>();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let helper = std::thread::Builder::new()
            .name("list-prefault".into())
            .spawn(move || {
                for (from, to) in asked {
                    // Told to stop; or not on this kernel, and the pages fault as they are written,
                    // as without a helper.
                    if stopped.load(Ordering::Relaxed) || !populate(from, to) {
                        return;
                    }
                }
            })
            .ok()?;
        #[cfg(not(test))]
        drop(helper);
        let mut prefault = Self {
            start: rows.as_ptr() as usize,
            room,
            asked: 0,
            requests: Some(requests),
            stop,
            #[cfg(test)]
            helper: Some(helper),
        };
        prefault.keep_ahead(rows);
        Some(prefault)
    }

    /// Waits for the helper to have asked for all it was asked to.
    #[cfg(test)]
    fn finish(mut self) {
        self.requests = None;
        if let Some(helper) = self.helper.take() {
            let _ = helper.join();
        }
    }

    /// Asks for the room past `rows`'s length, up to [`LEAD_BYTES`] ahead; nothing once the vector
    /// has moved to another allocation (the owner drops this before a move it sees coming).
    pub fn keep_ahead<T>(&mut self, rows: &[T]) {
        if rows.as_ptr() as usize != self.start {
            self.requests = None;
            return;
        }
        let Some(requests) = &self.requests else {
            return;
        };
        let written = rows.len().saturating_mul(std::mem::size_of::<T>());
        while self.asked < self.room && self.asked < written.saturating_add(LEAD_BYTES) {
            let to = (self.asked + WINDOW_BYTES).min(self.room);
            if requests
                .send((self.start + self.asked, self.start + to))
                .is_err()
            {
                self.requests = None;
                return;
            }
            self.asked = to;
        }
    }
}

impl Drop for Prefault {
    /// Tells the helper to stop, without waiting for it: the list's reader would otherwise wait for a
    /// thread the decoders may be keeping off the cores (up to half a millisecond, traced). A window
    /// it is already asking for may be mapped after the room is given back, which changes nothing in
    /// it (see `populate`).
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.requests = None;
    }
}

/// Faults in the whole pages between `from` and `to`; false when the kernel cannot.
#[cfg(target_os = "linux")]
fn populate(from: usize, to: usize) -> bool {
    // Where pages are larger, the kernel refuses a range on 4 KiB bounds and the helper stops, as on a
    // kernel without the call.
    let page = 4096;
    let first = from.div_ceil(page) * page;
    let end = to / page * page;
    if end <= first {
        return true;
    }
    // SAFETY: MADV_POPULATE_WRITE reads and writes nothing in the range: it maps its pages as a write
    // fault would and leaves what is in them as it is, so the owner writing there meanwhile is no race.
    // The range was within the room when asked for; if the room has been given back since, the pages
    // are mapped with their contents untouched, or the call fails where nothing is mapped.
    let rc = unsafe {
        libc::madvise(
            first as *mut libc::c_void,
            end - first,
            libc::MADV_POPULATE_WRITE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn populate(_: usize, _: usize) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This thread's minor page faults so far.
    #[cfg(target_os = "linux")]
    fn faults_here() -> i64 {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage fills the struct it is given.
        let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, usage.as_mut_ptr()) };
        assert_eq!(rc, 0);
        // SAFETY: filled above (and zeroed before).
        unsafe { usage.assume_init() }.ru_minflt
    }

    /// The faults this thread takes writing `bytes` zeros into `rows`.
    #[cfg(target_os = "linux")]
    fn faults_writing(rows: &mut Vec<u8>, bytes: usize) -> i64 {
        let before = faults_here();
        rows.resize(rows.len() + bytes, 7);
        faults_here() - before
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_room_ahead_is_faulted_in_before_it_is_written() {
        let pages = (LEAD_BYTES / 4096) as i64;
        // Without: each page of fresh room faults as it is written.
        let mut plain: Vec<u8> = Vec::with_capacity(8 << 20);
        let plain_faults = faults_writing(&mut plain, LEAD_BYTES);
        assert!(
            plain_faults >= pages / 2,
            "fresh room faults as it is written: {plain_faults} faults for {pages} pages"
        );
        // With: the helper has faulted in the lead before the writes reach it.
        let mut rows: Vec<u8> = Vec::with_capacity(8 << 20);
        let prefault = Prefault::ahead_of(&rows).expect("room of 8 MiB is worth a helper");
        prefault.finish();
        let faults = faults_writing(&mut rows, LEAD_BYTES);
        assert!(
            faults <= 4,
            "the lead was faulted in ahead: {faults} faults for {pages} pages"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn asks_for_the_room_a_window_at_a_time_up_to_the_lead_and_never_past_the_room() {
        let mut rows: Vec<u8> = Vec::with_capacity(FEWEST_BYTES + WINDOW_BYTES / 2);
        let mut prefault = Prefault::ahead_of(&rows).expect("a helper on Linux");
        assert_eq!(
            prefault.asked, LEAD_BYTES,
            "the lead, before anything is written"
        );
        rows.resize(WINDOW_BYTES + 1, 0);
        prefault.keep_ahead(&rows);
        assert_eq!(prefault.asked, LEAD_BYTES + 2 * WINDOW_BYTES);
        rows.resize(rows.capacity(), 0);
        prefault.keep_ahead(&rows);
        assert_eq!(
            prefault.asked, prefault.room,
            "up to the room's end, not past it"
        );
        // Another allocation (the vector moved): nothing more is asked.
        let elsewhere = vec![0u8; 16];
        prefault.keep_ahead(&elsewhere);
        assert!(prefault.requests.is_none());
    }

    #[test]
    fn small_room_is_left_to_fault_as_it_is_written() {
        let rows: Vec<u64> = Vec::with_capacity(FEWEST_BYTES / 8 - 1);
        assert!(Prefault::ahead_of(&rows).is_none());
        let none: Vec<u64> = Vec::new();
        assert!(Prefault::ahead_of(&none).is_none());
    }
}
