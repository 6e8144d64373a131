//! The terminal's setup and its restoration on every exit path: the guard's `Drop` (normal return and
//! error returns), the panic hook, and the signal handling in `run.rs`. Mouse capture is on only when the
//! config asks for it (it takes the terminal's own text selection away). Bracketed paste is always on,
//! so a paste arrives as text and never as key presses.

use std::io::{self, Write, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;

/// Whether mouse capture is on (config `mouse = true`), so every restore path turns it off.
static MOUSE_CAPTURED: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back: mouse released, cursor shown, main screen, cooked mode. Never panics; every step
/// is tried even if an earlier one failed.
pub fn restore() {
    let mut out = stdout();
    if MOUSE_CAPTURED.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, DisableBracketedPaste, Show, LeaveAlternateScreen);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// Why the console cannot draw here (standard output is not a terminal, or `TERM=dumb`), or `None`.
pub fn why_not_a_terminal() -> Option<&'static str> {
    use std::io::IsTerminal;
    if !stdout().is_terminal() {
        return Some("standard output is not a terminal");
    }
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return Some("TERM=dumb cannot show a full-screen console");
    }
    None
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// The live terminal; restores it when dropped.
pub struct TerminalGuard {
    /// Never dropped: ratatui's own drop reports a cursor it could not show with `eprintln!`, which
    /// panics when the terminal is gone (a closed window), and a panic there would take the secrets in
    /// custody with it. `restore` does everything that drop would.
    pub terminal: std::mem::ManuallyDrop<DefaultTerminal>,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        Self::enter_with(false)
    }

    /// Like `enter`, capturing the mouse when `mouse` is true (the terminal's own selection then needs
    /// Shift, so it is off unless the config turns it on).
    pub fn enter_with(mouse: bool) -> io::Result<Self> {
        // ratatui's init sets raw mode, the alternate screen and its own restoring panic hook; ours runs
        // first and also shows the cursor.
        let terminal = ratatui::try_init()?;
        install_panic_hook();
        MOUSE_CAPTURED.store(mouse, Ordering::SeqCst);
        let guard = Self {
            terminal: std::mem::ManuallyDrop::new(terminal),
        };
        execute!(stdout(), EnableBracketedPaste)?;
        if mouse {
            execute!(stdout(), EnableMouseCapture)?;
        }
        Ok(guard)
    }

    /// Ctrl-Z: hand the terminal back to the shell, stop, and on `fg` take it again with a full redraw.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        #[cfg(unix)]
        // SAFETY: raise() only sends a signal to this process; SIGTSTP's default action stops it until
        // SIGCONT, after which execution continues here.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        if MOUSE_CAPTURED.load(Ordering::SeqCst) {
            execute!(stdout(), EnableMouseCapture)?;
        }
        self.terminal.clear()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // Through the terminal, so it knows the cursor is back and its own drop writes nothing after us.
        let _ = self.terminal.show_cursor();
        restore();
    }
}
