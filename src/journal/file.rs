//! The journal file: `<state dir>/journal.jsonl`, mode 0600 in a private directory, one JSON object a
//! line, only ever appended to.
//!
//! Two processes never interleave their lines: the file is opened with `O_APPEND` (each write lands at
//! the end), and each line is written while holding an exclusive `flock` on it, with one `write` call
//! for the whole line. The lock is `libc::flock`, as `libc` is already a dependency for the secret
//! files' `O_NOFOLLOW`: no new crate for one system call. A line cut short by a crash (no newline at
//! the end) is closed with a newline before the next line, so it stays one bad line and never swallows
//! the next one. No `fsync`: the line is in the kernel before the request goes out, which is what a
//! crash of this process needs; a power cut may lose the last lines.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::entry::Line;

pub const FILE_NAME: &str = "journal.jsonl";

/// The journal of one state directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journal {
    path: PathBuf,
}

/// The journal's lines as read, and a warning for each line that could not be read.
#[derive(Debug, Default)]
pub struct ReadLines {
    /// Each line with its number (from 1).
    pub lines: Vec<(usize, Line)>,
    pub warnings: Vec<String>,
}

impl Journal {
    pub fn in_state_dir(state_dir: &Path) -> Self {
        Self {
            path: state_dir.join(FILE_NAME),
        }
    }

    pub fn at(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the journal for appending, making its directory private and the file 0600 first. Opening
    /// it before anything is sent proves it can be written.
    pub fn open(&self) -> io::Result<Appender> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::custody::private_dir(dir)?;
        }
        let mut options = OpenOptions::new();
        // Read too: before a line goes in, the last byte says whether a torn line needs closing.
        options.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let file = options.open(&self.path).map_err(|e| self.error(e))?;
        if !file.metadata()?.is_file() {
            return Err(self.error(io::Error::other("not a regular file")));
        }
        Ok(Appender {
            file,
            path: self.path.clone(),
        })
    }

    /// Appends one line (opening the file for it).
    pub fn append(&self, line: &Line) -> io::Result<()> {
        self.open()?.append(line)
    }

    /// Every line that can be read, in file order; a torn or garbled line is skipped with a warning
    /// naming its number. No file yet is an empty journal.
    pub fn read(&self) -> io::Result<ReadLines> {
        let file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ReadLines::default()),
            Err(e) => return Err(self.error(e)),
        };
        let mut bytes = Vec::new();
        {
            // Shared: a line being written by another process is not read half-way.
            let _lock = Lock::take(&file, false)?;
            (&file).read_to_end(&mut bytes).map_err(|e| self.error(e))?;
        }
        Ok(parse_lines(&bytes))
    }

    fn error(&self, e: io::Error) -> io::Error {
        io::Error::new(
            e.kind(),
            format!("the journal {}: {e}", self.path.display()),
        )
    }
}

/// Reads the journal's bytes; separate from the file for the tests.
pub fn parse_lines(bytes: &[u8]) -> ReadLines {
    let mut read = ReadLines::default();
    let pieces: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last = pieces.len().saturating_sub(1);
    for (index, piece) in pieces.iter().enumerate() {
        let number = index + 1;
        if piece.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match std::str::from_utf8(piece)
            .ok()
            .and_then(|text| serde_json::from_str::<Line>(text).ok())
        {
            Some(line) => read.lines.push((number, line)),
            None => {
                let why = if index == last {
                    "cut short (torn)"
                } else {
                    "not a journal line (garbled)"
                };
                read.warnings
                    .push(format!("journal line {number} skipped: {why}"));
            }
        }
    }
    read
}

/// The journal open for appending.
pub struct Appender {
    file: File,
    path: PathBuf,
}

impl Appender {
    /// Writes one line at the end of the file, whole, under the lock.
    pub fn append(&self, line: &Line) -> io::Result<()> {
        let mut bytes = serde_json::to_vec(line).map_err(io::Error::other)?;
        bytes.push(b'\n');
        let _lock = Lock::take(&self.file, true)?;
        if !ends_with_newline(&self.file)? {
            bytes.insert(0, b'\n');
        }
        // One call for the whole line; the lock keeps a short write's rest from being interleaved.
        (&self.file).write_all(&bytes).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("the journal {}: {e}", self.path.display()),
            )
        })
    }
}

/// Whether the file is empty or ends with a newline (else its last line was cut short).
fn ends_with_newline(file: &File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let mut last = [0u8; 1];
        file.read_exact_at(&mut last, len - 1)?;
        Ok(last[0] == b'\n')
    }
    #[cfg(not(unix))]
    {
        Ok(true)
    }
}

/// An advisory `flock`, let go when dropped.
struct Lock<'a> {
    #[cfg_attr(not(unix), allow(dead_code))]
    file: &'a File,
}

impl<'a> Lock<'a> {
    fn take(file: &'a File, exclusive: bool) -> io::Result<Self> {
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            let how = if exclusive {
                libc::LOCK_EX
            } else {
                libc::LOCK_SH
            };
            loop {
                // SAFETY: flock only changes the lock state of a descriptor this File owns.
                let rc = unsafe { libc::flock(file.as_raw_fd(), how) };
                if rc == 0 {
                    break;
                }
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
        #[cfg(not(unix))]
        let _ = exclusive;
        Ok(Self { file })
    }
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: as in `take`.
            unsafe {
                libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
            }
        }
    }
}
