//! Copying to the clipboard by the best route available, and saying in words which one was used.
//!
//! - **native**: one long-lived arboard clipboard, owned by a dedicated thread so the X11/Wayland
//!   selection keeps being served (arboard serves it from a thread that dies with the `Clipboard`).
//!   Tried only when `DISPLAY` or `WAYLAND_DISPLAY` is set (or on macOS/Windows); recreated after an
//!   error. A copy counts only once the clipboard gives the same text back. A secret copied this way is
//!   marked to be kept out of clipboard managers' history, and cleared after a delay, if the clipboard
//!   still holds it.
//! - **osc52**: the terminal's OSC 52 sequence through crossterm, in one write, sent plain: tmux with
//!   `set-clipboard on` keeps it and forwards it; a passthrough wrapper would need a second tmux setting.
//!   There is no acknowledgement, so the words say "sent", not "copied", and a secret sent this way still
//!   counts as unsaved.
//!
//! Copied values are never logged.

pub mod native;
pub mod osc52;

use std::fmt;
use std::io::Write;
use std::str::FromStr;
use std::time::Duration;

pub use native::{Backend, BackendFactory, NativeClipboard};

/// Which routes `copy` may use (config `clipboard = "auto" | "native" | "osc52" | "off"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Route {
    /// Native when a display exists, else (or when it fails) OSC 52.
    #[default]
    Auto,
    Native,
    Osc52,
    Off,
}

impl FromStr for Route {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Route::Auto),
            "native" => Ok(Route::Native),
            "osc52" => Ok(Route::Osc52),
            "off" => Ok(Route::Off),
            other => Err(format!(
                "unknown clipboard route {other:?}; use auto, native, osc52 or off"
            )),
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Route::Auto => "auto",
            Route::Native => "native",
            Route::Osc52 => "osc52",
            Route::Off => "off",
        })
    }
}

pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClipboardConfig {
    pub route: Route,
    /// A secret copied natively is cleared after this long if still there; `None` never clears.
    pub clear_secret_after: Option<Duration>,
}

impl Default for ClipboardConfig {
    fn default() -> Self {
        Self {
            route: Route::Auto,
            clear_secret_after: Some(DEFAULT_CLEAR_AFTER),
        }
    }
}

/// Whether the copied text is a secret (cleared later) or an ordinary value (a name, an id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    Secret,
    Plain,
}

/// Which route a copy took, or why none worked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyOutcome {
    Native { cleared_after: Option<Duration> },
    Osc52,
    Unavailable(String),
}

impl CopyOutcome {
    /// The text left this process: the clipboard took it, or the sequence went to the terminal.
    pub fn succeeded(&self) -> bool {
        !matches!(self, CopyOutcome::Unavailable(_))
    }

    /// The clipboard gave the text back, so it holds it. OSC 52 has no answer: never confirmed.
    pub fn confirmed(&self) -> bool {
        matches!(self, CopyOutcome::Native { .. })
    }

    /// The words for the status line.
    pub fn message(&self) -> String {
        match self {
            CopyOutcome::Native {
                cleared_after: Some(d),
            } => format!(
                "copied to the clipboard (cleared in {} s if still there)",
                d.as_secs()
            ),
            CopyOutcome::Native {
                cleared_after: None,
            } => "copied to the clipboard".into(),
            CopyOutcome::Osc52 => "sent to the terminal by OSC 52, which cannot confirm that \
                 anything received it"
                .into(),
            CopyOutcome::Unavailable(why) => format!("could not copy: {why}"),
        }
    }
}

/// Whether the environment offers a native clipboard.
pub fn display_available() -> bool {
    cfg!(any(target_os = "macos", target_os = "windows"))
        || ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

pub struct Clipboard {
    config: ClipboardConfig,
    display: bool,
    factory: Option<BackendFactory>,
    native: Option<NativeClipboard>,
}

impl Clipboard {
    /// The real clipboard: arboard when a display exists (checked now), created on first use.
    pub fn new(config: ClipboardConfig) -> Self {
        Self::with_backend(config, display_available(), native::arboard_factory())
    }

    /// A clipboard over any native backend (tests use a fake), `display` saying whether to try it.
    pub fn with_backend(config: ClipboardConfig, display: bool, factory: BackendFactory) -> Self {
        Self {
            config,
            display,
            factory: Some(factory),
            native: None,
        }
    }

    pub fn config(&self) -> &ClipboardConfig {
        &self.config
    }

    /// Copies `text` by the configured route; OSC 52 goes to `terminal` in one write.
    pub fn copy(&mut self, text: &str, content: Content, terminal: &mut dyn Write) -> CopyOutcome {
        match self.config.route {
            Route::Off => {
                CopyOutcome::Unavailable("the clipboard is turned off in the config".into())
            }
            Route::Osc52 => Self::osc52(text, terminal),
            Route::Native => match self.native_copy(text, content) {
                Ok(outcome) => outcome,
                Err(why) => CopyOutcome::Unavailable(why),
            },
            Route::Auto => match self.native_copy(text, content) {
                Ok(outcome) => outcome,
                Err(_) => Self::osc52(text, terminal),
            },
        }
    }

    fn osc52(text: &str, terminal: &mut dyn Write) -> CopyOutcome {
        match osc52::send(text, terminal) {
            Ok(()) => CopyOutcome::Osc52,
            Err(why) => CopyOutcome::Unavailable(why),
        }
    }

    fn native_copy(&mut self, text: &str, content: Content) -> Result<CopyOutcome, String> {
        if !self.display {
            return Err("no DISPLAY or WAYLAND_DISPLAY, so no native clipboard".into());
        }
        if self.native.is_none() {
            let factory = self
                .factory
                .take()
                .ok_or("the native clipboard could not be started")?;
            self.native = Some(NativeClipboard::spawn(factory)?);
        }
        let native = self
            .native
            .as_ref()
            .ok_or("the native clipboard could not be started")?;
        let clear_after = match content {
            Content::Secret => self.config.clear_secret_after,
            Content::Plain => None,
        };
        match content {
            Content::Secret => native.set_secret(text, clear_after)?,
            Content::Plain => native.set_text(text, clear_after)?,
        }
        // Read back: only a clipboard that returns the same text is known to hold it.
        let held = native.get_text()?;
        if held.expose_secret() != text {
            return Err("the clipboard did not keep the text".into());
        }
        Ok(CopyOutcome::Native {
            cleared_after: clear_after,
        })
    }

    /// The native clipboard's current text (for tests and diagnostics), if it is running.
    pub fn native_text(&self) -> Option<Result<crate::api::Secret, String>> {
        self.native.as_ref().map(NativeClipboard::get_text)
    }
}
