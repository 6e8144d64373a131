use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailtrap_tokens::api::Secret;
use mailtrap_tokens::clipboard::{
    Backend, BackendFactory, Clipboard, ClipboardConfig, Content, CopyOutcome, Route,
};

use super::wait_until;

const FAKE: &str = "FAKE-SECRET-native";

#[derive(Clone, Default)]
struct Shared {
    text: Arc<Mutex<Option<String>>>,
    reads: Arc<AtomicUsize>,
    created: Arc<AtomicUsize>,
    fail_next_set: Arc<AtomicUsize>,
    /// Whether the last text set was marked to be kept out of clipboard history.
    hidden_from_history: Arc<Mutex<Option<bool>>>,
}

struct Fake(Shared);

impl Fake {
    fn set(&mut self, text: &str, hidden: bool) -> Result<(), String> {
        if self.0.fail_next_set.load(Ordering::SeqCst) > 0 {
            self.0.fail_next_set.fetch_sub(1, Ordering::SeqCst);
            return Err("the selection owner went away".into());
        }
        *self.0.text.lock().unwrap() = Some(text.to_string());
        *self.0.hidden_from_history.lock().unwrap() = Some(hidden);
        Ok(())
    }
}

impl Backend for Fake {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        self.set(text, false)
    }
    fn set_secret(&mut self, text: &str) -> Result<(), String> {
        self.set(text, true)
    }
    fn get_text(&mut self) -> Result<Secret, String> {
        self.0.reads.fetch_add(1, Ordering::SeqCst);
        self.0
            .text
            .lock()
            .unwrap()
            .clone()
            .map(Secret::new)
            .ok_or("empty".into())
    }
    fn clear(&mut self) -> Result<(), String> {
        *self.0.text.lock().unwrap() = None;
        Ok(())
    }
}

fn factory(shared: &Shared) -> BackendFactory {
    let shared = shared.clone();
    Box::new(move || {
        shared.created.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(Fake(shared.clone())) as Box<dyn Backend>)
    })
}

fn clipboard(shared: &Shared, clear: Duration) -> Clipboard {
    let config = ClipboardConfig {
        route: Route::Native,
        clear_secret_after: Some(clear),
    };
    Clipboard::with_backend(config, true, factory(shared))
}

#[test]
fn a_secret_is_cleared_after_the_delay() {
    let shared = Shared::default();
    let mut c = clipboard(&shared, Duration::from_millis(50));
    let mut terminal = Vec::new();
    let outcome = c.copy(FAKE, Content::Secret, &mut terminal);
    assert_eq!(
        outcome,
        CopyOutcome::Native {
            cleared_after: Some(Duration::from_millis(50))
        }
    );
    assert!(outcome.message().starts_with("copied to the clipboard"));
    // Marked for clipboard managers to leave out of their history.
    assert_eq!(*shared.hidden_from_history.lock().unwrap(), Some(true));
    assert!(
        terminal.is_empty(),
        "nothing goes to the terminal on the native route"
    );
    wait_until("the secret to be cleared", Duration::from_secs(5), || {
        shared.text.lock().unwrap().is_none()
    });
}

#[test]
fn something_copied_since_is_left_alone_and_plain_text_is_never_cleared() {
    let shared = Shared::default();
    let mut c = clipboard(&shared, Duration::from_millis(50));
    c.copy(FAKE, Content::Secret, &mut Vec::new());
    // The user copies something else elsewhere before the delay ends.
    *shared.text.lock().unwrap() = Some("something else".into());
    // The clearing step reads the clipboard once to compare; wait for that read.
    wait_until(
        "the compare-before-clear read",
        Duration::from_secs(5),
        || shared.reads.load(Ordering::SeqCst) >= 1,
    );
    assert_eq!(
        shared.text.lock().unwrap().as_deref(),
        Some("something else")
    );

    let shared = Shared::default();
    let mut c = clipboard(&shared, Duration::from_millis(10));
    assert_eq!(
        c.copy("ci deploy", Content::Plain, &mut Vec::new()),
        CopyOutcome::Native {
            cleared_after: None
        }
    );
    assert_eq!(
        c.native_text().unwrap().unwrap().expose_secret(),
        "ci deploy"
    );
    // Plain text is an ordinary copy, history and all.
    assert_eq!(*shared.hidden_from_history.lock().unwrap(), Some(false));
}

#[test]
fn the_backend_is_created_once_and_recreated_after_an_error() {
    let shared = Shared::default();
    let mut c = clipboard(&shared, Duration::from_secs(30));
    c.copy("one", Content::Plain, &mut Vec::new());
    c.copy("two", Content::Plain, &mut Vec::new());
    assert_eq!(
        shared.created.load(Ordering::SeqCst),
        1,
        "one long-lived clipboard"
    );
    shared.fail_next_set.store(1, Ordering::SeqCst);
    assert!(c.copy("three", Content::Plain, &mut Vec::new()).succeeded());
    assert_eq!(shared.created.load(Ordering::SeqCst), 2);
    assert_eq!(shared.text.lock().unwrap().as_deref(), Some("three"));
}
