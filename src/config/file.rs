//! The config file: what it holds, its defaults, and a loader that turns every mistake into a warning
//! that names the file, line and key, keeping every setting it could read.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::paths::Paths;
use super::theme::{self, Theme, ThemeConfig};
use super::warning::{ConfigWarning, LineIndex};
use crate::keys::keymap::Keymap;

pub const DEFAULT_REFRESH_SECS: u64 = 30;
/// Faster auto-refresh would spend the account's rate limit for no one's benefit.
pub const MIN_REFRESH_SECS: u64 = 5;
pub const DEFAULT_CLEAR_AFTER_SECS: u64 = 30;

/// The commented file `config init` writes; a test keeps it equal to `Config::default()`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../../assets/config.default.toml");

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Action name → keys, replacing that action's default keys; actions not named keep theirs.
    pub keys: BTreeMap<String, Vec<String>>,
    pub theme: ThemeConfig,
    /// Seconds between automatic refreshes of the token list; at least [`MIN_REFRESH_SECS`].
    pub refresh_interval: u64,
    pub clipboard: ClipboardConfig,
    /// The account to manage when neither `--account-id` nor `MAILTRAP_ACCOUNT_ID` is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_account: Option<i64>,
    /// Capture the mouse; off by default so the terminal's own text selection keeps working.
    pub mouse: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            keys: BTreeMap::new(),
            theme: ThemeConfig::default(),
            refresh_interval: DEFAULT_REFRESH_SECS,
            clipboard: ClipboardConfig::default(),
            default_account: None,
            mouse: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardRoute {
    /// The native clipboard where a display exists, else OSC 52.
    #[default]
    Auto,
    Native,
    Osc52,
    /// Never copy; the console says so instead.
    Off,
}

impl ClipboardRoute {
    pub const ALL: [ClipboardRoute; 4] = [Self::Auto, Self::Native, Self::Osc52, Self::Off];

    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Native => "native",
            Self::Osc52 => "osc52",
            Self::Off => "off",
        }
    }
}

impl fmt::Display for ClipboardRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ClipboardRoute {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|r| r.name()).collect();
                format!("{s:?} is not a clipboard route ({})", names.join(", "))
            })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClipboardConfig {
    pub route: ClipboardRoute,
    /// Seconds after which a copied secret is cleared from the native clipboard if still there; 0 = never.
    pub clear_after: u64,
}

impl Default for ClipboardConfig {
    fn default() -> Self {
        Self {
            route: ClipboardRoute::Auto,
            clear_after: DEFAULT_CLEAR_AFTER_SECS,
        }
    }
}

impl ClipboardConfig {
    /// `None` means never clear.
    pub fn clear_after(&self) -> Option<Duration> {
        (self.clear_after > 0).then(|| Duration::from_secs(self.clear_after))
    }
}

/// The config the console runs with, the problems found on the way, and the file it came from (`None`
/// only when no config location could be found at all).
#[derive(Clone, Debug)]
pub struct LoadedConfig {
    pub config: Config,
    pub warnings: Vec<ConfigWarning>,
    pub path: Option<PathBuf>,
}

impl Config {
    /// Reads `explicit` (from `--config`) or the file in the platform's config directory. Never fails:
    /// a missing default file means defaults; every problem becomes a warning.
    pub fn load(explicit: Option<&Path>) -> LoadedConfig {
        match explicit {
            Some(path) => Self::load_file(path, true),
            None => match Paths::discover() {
                Some(paths) => Self::load_file(&paths.config_file, false),
                None => LoadedConfig {
                    config: Config::default(),
                    warnings: vec![ConfigWarning::new(
                        None,
                        "no home directory was found, so no config file was read; using the defaults",
                    )],
                    path: None,
                },
            },
        }
    }

    /// Reads one file. A missing file is silent unless `must_exist` (it was named on the command line).
    pub fn load_file(path: &Path, must_exist: bool) -> LoadedConfig {
        let fail = |message: String| LoadedConfig {
            config: Config::default(),
            warnings: vec![ConfigWarning::new(None, message).in_file(Some(path))],
            path: Some(path.to_path_buf()),
        };
        let bytes = match read_config_bytes(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return LoadedConfig {
                    config: Config::default(),
                    warnings: Vec::new(),
                    path: Some(path.to_path_buf()),
                };
            }
            Err(e) => return fail(format!("cannot be read ({e}); using the defaults")),
        };
        let (text, bad_lines) = utf8_lines(&bytes);
        let (config, mut warnings, mut unlisted) = Self::parse_uncapped(&text, Some(path));
        let listed = bad_lines.len().min(MAX_WARNINGS);
        unlisted += bad_lines.len() - listed;
        warnings.extend(bad_lines[..listed].iter().map(|line| {
            ConfigWarning::new(
                None,
                "is not UTF-8 text; the setting on this line was left out",
            )
            .in_file(Some(path))
            .at_position((*line, 1))
        }));
        warnings.sort_by_key(|w| (w.line, w.column));
        LoadedConfig {
            config,
            warnings: cap_warnings(warnings, unlisted, Some(path)),
            path: Some(path.to_path_buf()),
        }
    }

    /// Parses config text. Every setting that is right is kept; each wrong one keeps its default and
    /// adds a warning located at the key (or value) in `text`.
    pub fn parse(text: &str, file: Option<&Path>) -> (Config, Vec<ConfigWarning>) {
        let (config, warnings, unlisted) = Self::parse_uncapped(text, file);
        (config, cap_warnings(warnings, unlisted, file))
    }

    /// `parse` with every warning it built, sorted, and the number it did not build.
    fn parse_uncapped(text: &str, file: Option<&Path>) -> (Config, Vec<ConfigWarning>, usize) {
        let (doc, errors) = DeTable::parse_recoverable(text);
        let mut reader = Reader {
            text,
            lines: LineIndex::new(text),
            config: Config::default(),
            warnings: Vec::new(),
            error_lines: BTreeSet::new(),
        };
        // A file of nothing but mistakes would otherwise cost a warning per line (and its memory).
        let mut unlisted = 0;
        for error in errors {
            if reader.warnings.len() >= MAX_WARNINGS * 4 {
                unlisted += 1;
                continue;
            }
            let Some(span) = error.span() else {
                reader.warnings.push(ConfigWarning::new(
                    None,
                    format!("not valid TOML: {}", error.message()),
                ));
                continue;
            };
            let (line, column) = reader.lines.locate(text, span.start);
            // One syntax error per line: the parser's follow-on complaints add nothing.
            if !reader.error_lines.insert(line) {
                continue;
            }
            let snippet = text.get(span.clone()).unwrap_or("").trim();
            let message = if snippet.is_empty() || snippet.contains('\n') || snippet.len() > 40 {
                format!("not valid TOML: {}", error.message())
            } else {
                format!("not valid TOML at {snippet:?}: {}", error.message())
            };
            reader
                .warnings
                .push(ConfigWarning::new(None, message).at_position((line, column)));
        }
        reader.document(doc.get_ref());
        let mut warnings = reader.warnings;
        for w in &mut warnings {
            w.file = file.map(Path::to_path_buf);
        }
        warnings.sort_by_key(|w| (w.line, w.column));
        (reader.config, warnings, unlisted)
    }

    pub fn refresh(&self) -> Duration {
        Duration::from_secs(self.refresh_interval.max(MIN_REFRESH_SECS))
    }

    /// The live keymap. Its problems were already reported by [`Config::load`].
    pub fn keymap(&self) -> Keymap {
        Keymap::with_overrides(&self.keys).0
    }

    /// The theme to draw with. Its problems were already reported by [`Config::load`].
    pub fn theme(&self, no_color: bool) -> Theme {
        theme::resolve_theme(&self.theme, no_color).0
    }
}

const TOP_LEVEL_KEYS: &[&str] = &[
    "keys",
    "theme",
    "refresh_interval",
    "clipboard",
    "default_account",
    "mouse",
];

type Key<'a> = Spanned<std::borrow::Cow<'a, str>>;
type Value<'a> = Spanned<DeValue<'a>>;

struct Reader<'t> {
    text: &'t str,
    config: Config,
    warnings: Vec<ConfigWarning>,
    /// Lines with a syntax error; values the parser recovered there are guesses, so they are not used.
    lines: LineIndex,
    error_lines: BTreeSet<usize>,
}

impl Reader<'_> {
    /// A leaf value on a line with a syntax error: skipped, the syntax error already says why.
    fn damaged(&self, key: &Key<'_>, value: &Value<'_>) -> bool {
        if matches!(value.get_ref(), DeValue::Table(_)) || self.error_lines.is_empty() {
            return false;
        }
        // A recovered value may carry an empty span far from its key, so take the widest reach.
        let lines = [key.span().start, value.span().start, value.span().end]
            .map(|offset| self.lines.locate(self.text, offset).0);
        let (first, last) = (
            lines.iter().min().copied().unwrap_or(1),
            lines.iter().max().copied().unwrap_or(1),
        );
        let key_line = lines[0];
        self.error_lines.range(first..=last).next().is_some()
            || self.error_lines.contains(&key_line)
    }

    fn warn(&mut self, key: &str, offset: usize, message: impl Into<String>) {
        self.warnings.push(
            ConfigWarning::new(Some(key.to_string()), message)
                .at_position(self.lines.locate(self.text, offset)),
        );
    }

    fn wrong_type(&mut self, key: &str, value: &Value<'_>, expected: &str, default: &str) {
        self.warn(
            key,
            value.span().start,
            format!(
                "expected {expected}, found {} {}; using {default}",
                article(value.get_ref().type_str()),
                value.get_ref().type_str()
            ),
        );
    }

    fn unknown_key(&mut self, key: &str, at: &Key<'_>, known: &[&str]) {
        // After a syntax error keys may land in the wrong table (e.g. after an unclosed `[clipboard`);
        // the error itself is what to fix first.
        let line = self.lines.locate(self.text, at.span().start).0;
        if self.error_lines.first().is_some_and(|first| *first <= line) {
            return;
        }
        self.warn(
            key,
            at.span().start,
            format!("unknown key, ignored (known keys: {})", known.join(", ")),
        );
    }

    fn document(&mut self, doc: &DeTable<'_>) {
        for (key, value) in doc {
            if self.damaged(key, value) {
                continue;
            }
            match key.get_ref().as_ref() {
                "keys" => self.keys(value),
                "theme" => self.theme(value),
                "refresh_interval" => self.refresh_interval(value),
                "clipboard" => self.clipboard(value),
                "default_account" => self.default_account(value),
                "mouse" => match value.get_ref() {
                    DeValue::Boolean(b) => self.config.mouse = *b,
                    _ => self.wrong_type("mouse", value, "true or false", "the default (false)"),
                },
                other => {
                    let other = other.to_string();
                    self.unknown_key(&other, key, TOP_LEVEL_KEYS);
                }
            }
        }
    }

    fn table<'v, 'a>(&mut self, key: &str, value: &'v Value<'a>) -> Option<&'v DeTable<'a>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(
                    key,
                    value,
                    &format!("a table (a [{key}] section)"),
                    "the defaults",
                );
                None
            }
        }
    }

    fn keys(&mut self, value: &Value<'_>) {
        let Some(table) = self.table("keys", value) else {
            return;
        };
        // Where each entry and each key in it is, to point warnings at the right line.
        let mut entry_at: BTreeMap<String, (usize, Vec<usize>)> = BTreeMap::new();
        let mut overrides: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, keys) in table {
            if self.damaged(name, keys) {
                continue;
            }
            let dotted = format!("keys.{}", name.get_ref());
            let list: Vec<&Value<'_>> = match keys.get_ref() {
                DeValue::String(_) => vec![keys],
                DeValue::Array(items) => items.iter().collect(),
                _ => {
                    self.wrong_type(
                        &dotted,
                        keys,
                        "a list of keys such as [\"r\", \"ctrl-r\"]",
                        "the default keys",
                    );
                    continue;
                }
            };
            let mut strings = Vec::new();
            let mut offsets = Vec::new();
            let mut all_strings = true;
            for item in list {
                match item.get_ref() {
                    DeValue::String(s) => {
                        strings.push(s.to_string());
                        offsets.push(item.span().start);
                    }
                    _ => {
                        all_strings = false;
                        self.wrong_type(
                            &dotted,
                            item,
                            "a key written as a string such as \"ctrl-r\"",
                            "the default keys",
                        );
                    }
                }
            }
            if !all_strings && strings.is_empty() {
                continue;
            }
            entry_at.insert(name.get_ref().to_string(), (name.span().start, offsets));
            overrides.insert(name.get_ref().to_string(), strings);
        }
        let (_, issues) = Keymap::with_overrides_detailed(&overrides);
        for issue in issues {
            let offset = entry_at
                .get(&issue.entry)
                .map_or(value.span().start, |(at, keys)| {
                    issue
                        .key_index
                        .and_then(|i| keys.get(i).copied())
                        .unwrap_or(*at)
                });
            self.warn(&format!("keys.{}", issue.entry), offset, issue.message);
        }
        self.config.keys = overrides;
    }

    fn theme(&mut self, value: &Value<'_>) {
        let Some(table) = self.table("theme", value) else {
            return;
        };
        for (role, spec) in table {
            if self.damaged(role, spec) {
                continue;
            }
            let role_name = role.get_ref().to_string();
            let dotted = format!("theme.{role_name}");
            let DeValue::String(text) = spec.get_ref() else {
                let expected = if role_name == "name" {
                    "a theme name"
                } else {
                    "a style such as \"bold red\""
                };
                self.wrong_type(&dotted, spec, expected, "the palette's style");
                continue;
            };
            if role_name == "name" {
                if theme::palette(text).is_some() {
                    self.config.theme.name = text.to_string();
                } else {
                    self.warn(
                        &dotted,
                        spec.span().start,
                        theme::unknown_palette_message(text),
                    );
                }
                continue;
            }
            if Theme::default().role(&role_name).is_none() {
                self.warn(
                    &dotted,
                    role.span().start,
                    theme::unknown_role_message(&role_name),
                );
                continue;
            }
            match theme::parse_style(text) {
                Ok(_) => {
                    self.config
                        .theme
                        .overrides
                        .insert(role_name, text.to_string());
                }
                Err(e) => self.warn(
                    &dotted,
                    spec.span().start,
                    format!("{e}; the palette's style stays"),
                ),
            }
        }
    }

    fn refresh_interval(&mut self, value: &Value<'_>) {
        let default = format!("the default ({DEFAULT_REFRESH_SECS})");
        let Some(seconds) =
            self.integer("refresh_interval", value, "a number of seconds", &default)
        else {
            return;
        };
        if seconds < MIN_REFRESH_SECS as i64 {
            self.warn(
                "refresh_interval",
                value.span().start,
                format!(
                    "{seconds} is below the floor of {MIN_REFRESH_SECS} seconds (faster refreshes would spend \
                     the rate limit); using {MIN_REFRESH_SECS}"
                ),
            );
            self.config.refresh_interval = MIN_REFRESH_SECS;
        } else {
            self.config.refresh_interval = seconds as u64;
        }
    }

    fn clipboard(&mut self, value: &Value<'_>) {
        let Some(table) = self.table("clipboard", value) else {
            return;
        };
        for (key, item) in table {
            if self.damaged(key, item) {
                continue;
            }
            match key.get_ref().as_ref() {
                "route" => match item.get_ref() {
                    DeValue::String(s) => match s.parse::<ClipboardRoute>() {
                        Ok(route) => self.config.clipboard.route = route,
                        Err(e) => self.warn(
                            "clipboard.route",
                            item.span().start,
                            format!("{e}; using auto"),
                        ),
                    },
                    _ => self.wrong_type(
                        "clipboard.route",
                        item,
                        "one of \"auto\", \"native\", \"osc52\", \"off\"",
                        "auto",
                    ),
                },
                "clear_after" => {
                    let default = format!("the default ({DEFAULT_CLEAR_AFTER_SECS})");
                    if let Some(seconds) = self.integer(
                        "clipboard.clear_after",
                        item,
                        "a number of seconds (0 = never)",
                        &default,
                    ) {
                        if seconds < 0 {
                            self.warn(
                                "clipboard.clear_after",
                                item.span().start,
                                format!(
                                    "{seconds} is negative (write 0 to never clear); using {default}"
                                ),
                            );
                        } else {
                            self.config.clipboard.clear_after = seconds as u64;
                        }
                    }
                }
                other => {
                    let dotted = format!("clipboard.{other}");
                    self.unknown_key(&dotted, key, &["route", "clear_after"]);
                }
            }
        }
    }

    fn default_account(&mut self, value: &Value<'_>) {
        if let Some(id) = self.integer(
            "default_account",
            value,
            "an account id (a number)",
            "no default account",
        ) {
            if id > 0 {
                self.config.default_account = Some(id);
            } else {
                self.warn(
                    "default_account",
                    value.span().start,
                    format!("{id} is not an account id (ids are positive); ignored"),
                );
            }
        }
    }

    fn integer(
        &mut self,
        key: &str,
        value: &Value<'_>,
        expected: &str,
        default: &str,
    ) -> Option<i64> {
        match value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.warn(
                        key,
                        value.span().start,
                        format!("the number is too large; using {default}"),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(key, value, expected, default);
                None
            }
        }
    }
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The largest config file read: a real one is a few kilobytes; a bigger one is a mistake (or a device).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The most warnings listed; the rest are counted in one last line.
pub const MAX_WARNINGS: usize = 50;

/// Reads the config file only if it is a regular file of at most `MAX_CONFIG_BYTES`. It is opened without
/// blocking (a FIFO would otherwise wait for a writer forever) and checked on the open descriptor, so a
/// link to `/dev/zero` or a pipe is refused before a byte is read.
fn read_config_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it is {} bytes; a config file may be at most {MAX_CONFIG_BYTES}",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::new();
    // The size may change after the check: never read more than the cap.
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it grew past {MAX_CONFIG_BYTES} bytes while being read"),
        ));
    }
    Ok(bytes)
}

/// The file as text, with every line that is not UTF-8 blanked (so a bad byte costs its one setting, not
/// the file), and the 1-based numbers of those lines.
fn utf8_lines(bytes: &[u8]) -> (String, Vec<usize>) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), Vec::new());
    }
    let mut text = String::with_capacity(bytes.len());
    let mut bad = Vec::new();
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(l) => text.push_str(l),
            Err(_) => {
                bad.push(i + 1);
                if line.ends_with(b"\n") {
                    text.push('\n');
                }
            }
        }
    }
    (text, bad)
}

/// Keeps the first `MAX_WARNINGS` and says how many more there were (`unlisted` of them never listed).
fn cap_warnings(
    mut warnings: Vec<ConfigWarning>,
    unlisted: usize,
    file: Option<&Path>,
) -> Vec<ConfigWarning> {
    if warnings.len() > MAX_WARNINGS || unlisted > 0 {
        let more = warnings.len().saturating_sub(MAX_WARNINGS) + unlisted;
        warnings.truncate(MAX_WARNINGS);
        warnings.push(
            ConfigWarning::new(
                None,
                format!(
                    "and {more} more problem{}",
                    if more == 1 { "" } else { "s" }
                ),
            )
            .in_file(file),
        );
    }
    warnings
}
