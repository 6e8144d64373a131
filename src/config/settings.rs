//! What the config file holds and its defaults, and what the console makes of it (the refresh interval,
//! the keymap, the theme). Reading the file is `file.rs`; reading its TOML leniently is `reader.rs`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::theme::{self, Theme, ThemeConfig};
use crate::hygiene::RuleConfig;
use crate::keys::keymap::Keymap;

pub const DEFAULT_REFRESH_SECS: u64 = 30;
/// Faster auto-refresh would spend the account's rate limit for no one's benefit.
pub const MIN_REFRESH_SECS: u64 = 5;
pub const DEFAULT_CLEAR_AFTER_SECS: u64 = 30;

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
    /// Which hygiene rules run, and their thresholds.
    pub hygiene: RuleConfig,
    /// The token table's columns.
    pub tokens: TokensConfig,
    /// Where a new secret can be handed: the `[[handoff]]` tables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub handoff: Vec<HandoffTarget>,
    /// Where secrets are saved.
    pub secrets: SecretsConfig,
    /// Whether writes are allowed (`false`), refused (`true`) or refused until armed (`"until-armed"`).
    pub read_only: WriteMode,
    /// How long `W` arms writes for, in minutes, when `read_only = "until-armed"`.
    pub arm_minutes: u64,
    /// Settings for one account, by account id (`[accounts.1719941]`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, AccountSettings>,
}

pub const DEFAULT_ARM_MINUTES: u64 = 10;
/// A day: longer than that, "armed for a while" has become "always armed".
pub const MAX_ARM_MINUTES: u64 = 24 * 60;

/// Whether the console and the commands may change anything on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WriteMode {
    #[default]
    Allowed,
    /// Every write is refused, and says why.
    ReadOnly,
    /// Read-only until writes are armed on demand (`W` in the console, `--arm` for a command), for a
    /// while in the console.
    UntilArmed,
}

impl WriteMode {
    /// The config file's spelling of the armed-on-demand mode.
    pub const UNTIL_ARMED: &'static str = "until-armed";

    pub fn allows_writes(self) -> bool {
        self == WriteMode::Allowed
    }
}

impl Serialize for WriteMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            WriteMode::Allowed => s.serialize_bool(false),
            WriteMode::ReadOnly => s.serialize_bool(true),
            WriteMode::UntilArmed => s.serialize_str(Self::UNTIL_ARMED),
        }
    }
}

impl<'de> Deserialize<'de> for WriteMode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Spelled {
            Flag(bool),
            Word(String),
        }
        match Spelled::deserialize(d)? {
            Spelled::Flag(false) => Ok(WriteMode::Allowed),
            Spelled::Flag(true) => Ok(WriteMode::ReadOnly),
            Spelled::Word(w) if w == Self::UNTIL_ARMED => Ok(WriteMode::UntilArmed),
            Spelled::Word(w) => Err(serde::de::Error::custom(format!(
                "{w:?} is not a read_only setting (true, false or \"{}\")",
                Self::UNTIL_ARMED
            ))),
        }
    }
}

/// `[accounts.<id>]`: what differs for one account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<WriteMode>,
}

/// `[secrets]`: where the console's `s` and every rescue write secret files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecretsConfig {
    /// An absolute directory; `None` is the state directory's `secrets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<std::path::PathBuf>,
}

/// The longest a hand-off command may run, and how long it may run unless its table says otherwise.
pub const MAX_HANDOFF_SECS: u64 = 3600;
pub const DEFAULT_HANDOFF_SECS: u64 = 30;

/// The placeholders a hand-off command's arguments may hold.
pub const HANDOFF_PLACEHOLDERS: [&str; 4] = ["{name}", "{id}", "{account}", "{place}"];

/// One `[[handoff]]` table: a command that takes a new secret on its standard input and puts it where it is
/// used (a password manager, a vault, a CI variable, a Kubernetes secret, a file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffTarget {
    pub name: String,
    /// The program and its arguments, with the placeholders of [`HANDOFF_PLACEHOLDERS`].
    pub command: Vec<String>,
    /// Seconds before the command is stopped.
    #[serde(default = "default_handoff_secs")]
    pub timeout: u64,
    /// A token name pattern (`*` for any run of characters) the target is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<String>,
    /// The places the target updates; a token that lists one of them is handed here, and those places
    /// are ticked when the command succeeds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
}

fn default_handoff_secs() -> u64 {
    DEFAULT_HANDOFF_SECS
}

/// The names of the token table's columns, as `[tokens] columns` writes them.
pub const TOKEN_COLUMNS: [&str; 8] = [
    "name", "creator", "access", "expires", "token", "id", "findings", "account",
];

/// The columns the token table shows unless `[tokens] columns` says otherwise.
pub const DEFAULT_TOKEN_COLUMNS: [&str; 5] = ["name", "creator", "access", "expires", "token"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokensConfig {
    /// Column names from [`TOKEN_COLUMNS`], in the order shown.
    pub columns: Vec<String>,
}

impl Default for TokensConfig {
    fn default() -> Self {
        Self {
            columns: DEFAULT_TOKEN_COLUMNS.map(String::from).to_vec(),
        }
    }
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
            hygiene: RuleConfig::default(),
            tokens: TokensConfig::default(),
            handoff: Vec::new(),
            secrets: SecretsConfig::default(),
            read_only: WriteMode::Allowed,
            arm_minutes: DEFAULT_ARM_MINUTES,
            accounts: BTreeMap::new(),
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

impl Config {
    pub fn refresh(&self) -> Duration {
        Duration::from_secs(self.refresh_interval.max(MIN_REFRESH_SECS))
    }

    /// The live keymap. Its problems were already reported by [`Config::load`].
    pub fn keymap(&self) -> Keymap {
        Keymap::with_overrides(&self.keys).0
    }

    /// The secrets directory: `[secrets] dir`, else the state directory's `secrets` (`None` when there
    /// is neither, no home directory having been found).
    pub fn secrets_dir(&self, state_dir: Option<&std::path::Path>) -> Option<std::path::PathBuf> {
        self.secrets
            .dir
            .clone()
            .or_else(|| state_dir.map(crate::custody::secrets_dir))
    }

    /// Whether writes to `account` are allowed: its `[accounts.<id>] read_only`, else the global one.
    pub fn write_mode(&self, account: i64) -> WriteMode {
        self.accounts
            .get(&account.to_string())
            .and_then(|a| a.read_only)
            .unwrap_or(self.read_only)
    }

    /// Every account's write mode that differs from the global one, by id.
    pub fn account_write_modes(&self) -> BTreeMap<i64, WriteMode> {
        self.accounts
            .iter()
            .filter_map(|(id, a)| Some((id.parse().ok()?, a.read_only?)))
            .collect()
    }

    /// The theme to draw with. Its problems were already reported by [`Config::load`].
    pub fn theme(&self, no_color: bool) -> Theme {
        theme::resolve_theme(&self.theme, no_color).0
    }
}
