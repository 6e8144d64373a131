//! The terminal's setup and its restoration on every exit path: the guard's `Drop` (normal return and
//! error returns), the panic hook, and the signal handling in `run.rs`. Mouse capture and bracketed paste
//! stay off, so the terminal's own text selection keeps working.

use std::io::{self, Write, stdout};
use std::sync::Once;

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;

/// Puts the terminal back: cursor shown, main screen, cooked mode. Never panics; every step is tried even if
/// an earlier one failed.
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(out, Show, LeaveAlternateScreen);
    let _ = out.flush();
    let _ = disable_raw_mode();
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
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        // ratatui's init sets raw mode, the alternate screen and its own restoring panic hook; ours runs
        // first and also shows the cursor.
        let terminal = ratatui::try_init()?;
        install_panic_hook();
        Ok(Self { terminal })
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
        execute!(stdout(), EnterAlternateScreen)?;
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
