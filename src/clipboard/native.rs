//! The native clipboard, owned by one long-lived thread. The thread creates the backend (arboard) on
//! its first request, keeps it alive so the selection stays served, recreates it after an error, and
//! clears a copied secret after a delay — only if the clipboard still holds that secret. A secret is
//! set with the platform's "keep out of clipboard history" mark (`x-kde-passwordManagerHint` on X11 and
//! Wayland, `org.nspasteboard.ConcealedType` on macOS, the monitoring exclusion on Windows), so a
//! clipboard manager that honours it does not keep a copy the delayed clear cannot reach.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use crate::api::Secret;

/// A native clipboard implementation. Created and used on the clipboard thread only.
pub trait Backend {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
    /// Sets a secret: as `set_text`, marked to be kept out of clipboard managers' history.
    fn set_secret(&mut self, text: &str) -> Result<(), String>;
    fn get_text(&mut self) -> Result<Secret, String>;
    fn clear(&mut self) -> Result<(), String>;
}

/// Makes a backend; called on the clipboard thread, again after an error.
pub type BackendFactory = Box<dyn FnMut() -> Result<Box<dyn Backend>, String> + Send>;

/// How long a caller waits for the clipboard thread before giving up.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);

enum Request {
    Set {
        text: Secret,
        secret: bool,
        clear_after: Option<Duration>,
        reply: Sender<Result<(), String>>,
    },
    Get {
        reply: Sender<Result<Secret, String>>,
    },
}

/// A handle to the clipboard thread; the thread ends when the handle is dropped.
pub struct NativeClipboard {
    requests: Sender<Request>,
}

impl NativeClipboard {
    pub fn spawn(factory: BackendFactory) -> Result<Self, String> {
        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name("clipboard".into())
            .spawn(move || serve(factory, rx))
            .map_err(|e| format!("could not start the clipboard thread: {e}"))?;
        Ok(Self { requests: tx })
    }

    /// Sets the clipboard; with `clear_after`, clears it later if it still holds `text`.
    pub fn set_text(&self, text: &str, clear_after: Option<Duration>) -> Result<(), String> {
        self.set(text, false, clear_after)
    }

    /// Sets a secret, marked to be kept out of clipboard history; with `clear_after` as `set_text`.
    pub fn set_secret(&self, text: &str, clear_after: Option<Duration>) -> Result<(), String> {
        self.set(text, true, clear_after)
    }

    fn set(&self, text: &str, secret: bool, clear_after: Option<Duration>) -> Result<(), String> {
        let (reply, answer) = mpsc::channel();
        self.requests
            .send(Request::Set {
                text: Secret::new(text.to_string()),
                secret,
                clear_after,
                reply,
            })
            .map_err(|_| "the clipboard thread has stopped".to_string())?;
        wait(answer)?
    }

    pub fn get_text(&self) -> Result<Secret, String> {
        let (reply, answer) = mpsc::channel();
        self.requests
            .send(Request::Get { reply })
            .map_err(|_| "the clipboard thread has stopped".to_string())?;
        wait(answer)?
    }
}

fn wait<T>(answer: Receiver<T>) -> Result<T, String> {
    answer
        .recv_timeout(ANSWER_TIMEOUT)
        .map_err(|_| "the clipboard did not answer".to_string())
}

struct Holder {
    factory: BackendFactory,
    backend: Option<Box<dyn Backend>>,
}

impl Holder {
    /// Runs `op` on the backend, creating it if needed, and once more on a fresh backend after an error.
    fn with<T>(
        &mut self,
        mut op: impl FnMut(&mut dyn Backend) -> Result<T, String>,
    ) -> Result<T, String> {
        let mut last_error = String::new();
        for _ in 0..2 {
            if self.backend.is_none() {
                match (self.factory)() {
                    Ok(b) => self.backend = Some(b),
                    Err(e) => return Err(format!("no native clipboard: {e}")),
                }
            }
            if let Some(backend) = self.backend.as_mut() {
                match op(backend.as_mut()) {
                    Ok(v) => return Ok(v),
                    Err(e) => {
                        last_error = e;
                        self.backend = None;
                    }
                }
            }
        }
        Err(last_error)
    }
}

fn serve(factory: BackendFactory, requests: Receiver<Request>) {
    let mut holder = Holder {
        factory,
        backend: None,
    };
    let mut pending_clear: Option<(Instant, Secret)> = None;
    loop {
        let next = match &pending_clear {
            Some((deadline, _)) => {
                requests.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            }
            None => requests.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match next {
            Ok(Request::Set {
                text,
                secret,
                clear_after,
                reply,
            }) => {
                let result = holder.with(|b| match secret {
                    true => b.set_secret(text.expose_secret()),
                    false => b.set_text(text.expose_secret()),
                });
                // A new copy replaces whatever was pending: the old secret is no longer there.
                pending_clear = match (&result, clear_after) {
                    (Ok(()), Some(d)) => Some((Instant::now() + d, text)),
                    _ => None,
                };
                let _ = reply.send(result);
            }
            Ok(Request::Get { reply }) => {
                let _ = reply.send(holder.with(|b| b.get_text()));
            }
            Err(RecvTimeoutError::Timeout) => {
                if let Some((_, secret)) = pending_clear.take() {
                    // Compare before clearing: never wipe something the user copied since.
                    let still_there = holder
                        .with(|b| b.get_text())
                        .is_ok_and(|current| current == secret);
                    if still_there {
                        let _ = holder.with(|b| b.clear());
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
}

struct Arboard(arboard::Clipboard);

impl Backend for Arboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        self.0.set_text(text).map_err(|e| e.to_string())
    }

    fn set_secret(&mut self, text: &str) -> Result<(), String> {
        let set = self.0.set();
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
        ))]
        let set = {
            use arboard::SetExtLinux;
            set.exclude_from_history()
        };
        #[cfg(target_os = "macos")]
        let set = {
            use arboard::SetExtApple;
            set.exclude_from_history()
        };
        // Monitoring covers the local history, the cloud clipboard and clipboard watchers alike.
        #[cfg(windows)]
        let set = {
            use arboard::SetExtWindows;
            set.exclude_from_monitoring()
        };
        set.text(text).map_err(|e| e.to_string())
    }

    fn get_text(&mut self) -> Result<Secret, String> {
        self.0
            .get_text()
            .map(Secret::new)
            .map_err(|e| e.to_string())
    }

    fn clear(&mut self) -> Result<(), String> {
        self.0.clear().map_err(|e| e.to_string())
    }
}

/// The real backend: arboard (X11, or Wayland through wlr-data-control).
pub fn arboard_factory() -> BackendFactory {
    Box::new(|| {
        arboard::Clipboard::new()
            .map(|c| Box::new(Arboard(c)) as Box<dyn Backend>)
            .map_err(|e| e.to_string())
    })
}
