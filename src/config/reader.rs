//! The lenient reader of config text: every setting that is right is kept, each wrong one keeps its
//! default and becomes a warning that names the line and the key.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::settings::{
    AccountSettings, ClipboardRoute, Config, DEFAULT_ARM_MINUTES, DEFAULT_CLEAR_AFTER_SECS,
    DEFAULT_HANDOFF_SECS, DEFAULT_REFRESH_SECS, HANDOFF_PLACEHOLDERS, HandoffTarget,
    MAX_ARM_MINUTES, MAX_HANDOFF_SECS, MIN_REFRESH_SECS, TOKEN_COLUMNS, WriteMode,
};
use super::theme::{self, Theme};
use super::warning::{ConfigWarning, LineIndex, MAX_WARNINGS};
use crate::hygiene::{
    DEFAULT_EXPIRES_SOON_DAYS, DEFAULT_EXPIRES_VERY_SOON_DAYS, MAX_THRESHOLD_DAYS, RuleId,
};
use crate::keys::keymap::Keymap;

/// Parses config text leniently: every warning it built, sorted, and the number it did not build.
pub(super) fn parse_uncapped(
    text: &str,
    file: Option<&Path>,
) -> (Config, Vec<ConfigWarning>, usize) {
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

const TOP_LEVEL_KEYS: &[&str] = &[
    "keys",
    "theme",
    "refresh_interval",
    "clipboard",
    "default_account",
    "mouse",
    "hygiene",
    "tokens",
    "handoff",
    "secrets",
    "read_only",
    "arm_minutes",
    "accounts",
];

const HANDOFF_KEYS: &[&str] = &["name", "command", "timeout", "tokens", "places"];

const HYGIENE_KEYS: &[&str] = &["disabled", "expires_soon_days", "expires_very_soon_days"];

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
                "hygiene" => self.hygiene(value),
                "tokens" => self.tokens(value),
                "handoff" => self.handoffs(value),
                "secrets" => self.secrets(value),
                "read_only" => {
                    if let Some(mode) = self.write_mode("read_only", value) {
                        self.config.read_only = mode;
                    }
                }
                "arm_minutes" => self.arm_minutes(value),
                "accounts" => self.accounts(value),
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

    fn hygiene(&mut self, value: &Value<'_>) {
        let Some(table) = self.table("hygiene", value) else {
            return;
        };
        for (key, item) in table {
            if self.damaged(key, item) {
                continue;
            }
            match key.get_ref().as_ref() {
                "disabled" => self.disabled_rules(item),
                "expires_soon_days" => {
                    if let Some(days) =
                        self.days("hygiene.expires_soon_days", item, DEFAULT_EXPIRES_SOON_DAYS)
                    {
                        self.config.hygiene.expires_soon_days = days;
                    }
                }
                "expires_very_soon_days" => {
                    if let Some(days) = self.days(
                        "hygiene.expires_very_soon_days",
                        item,
                        DEFAULT_EXPIRES_VERY_SOON_DAYS,
                    ) {
                        self.config.hygiene.expires_very_soon_days = days;
                    }
                }
                other => {
                    let dotted = format!("hygiene.{other}");
                    self.unknown_key(&dotted, key, HYGIENE_KEYS);
                }
            }
        }
        let rules = &self.config.hygiene;
        if rules.expires_very_soon_days > rules.expires_soon_days {
            let message = format!(
                "expires_very_soon_days ({}) is more than expires_soon_days ({}), so no token is ever \
                 reported as expiring soon, only very soon",
                rules.expires_very_soon_days, rules.expires_soon_days
            );
            self.warn("hygiene", value.span().start, message);
        }
    }

    fn handoffs(&mut self, value: &Value<'_>) {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                "handoff",
                value,
                "[[handoff]] tables (each with a name and a command)",
                "no hand-off targets",
            );
            return;
        };
        for item in items {
            let Some(table) = self.table("handoff", item) else {
                continue;
            };
            if let Some(target) = self.handoff(table, item.span().start) {
                self.config.handoff.push(target);
            }
        }
    }

    /// One `[[handoff]]` table, or `None` (with a warning) when it cannot be used.
    fn handoff(&mut self, table: &DeTable<'_>, at: usize) -> Option<HandoffTarget> {
        let mut name: Option<String> = None;
        let mut command: Option<Vec<String>> = None;
        let mut timeout = DEFAULT_HANDOFF_SECS;
        let mut tokens: Option<String> = None;
        let mut places: Vec<String> = Vec::new();
        for (key, item) in table {
            if self.damaged(key, item) {
                continue;
            }
            let dotted = format!("handoff.{}", key.get_ref());
            match key.get_ref().as_ref() {
                "name" => match item.get_ref() {
                    DeValue::String(s) if !s.trim().is_empty() => name = Some(s.trim().to_string()),
                    _ => self.wrong_type(&dotted, item, "a name such as \"vault\"", "nothing"),
                },
                "command" => command = self.strings(&dotted, item, "an argument list such as [\"vault\", \"kv\", \"put\", \"secret/{name}\", \"token=-\"]"),
                "timeout" => {
                    let default = format!("the default ({DEFAULT_HANDOFF_SECS})");
                    if let Some(secs) = self.integer(&dotted, item, "a number of seconds", &default) {
                        match u64::try_from(secs) {
                            Ok(secs) if (1..=MAX_HANDOFF_SECS).contains(&secs) => timeout = secs,
                            _ => self.warn(
                                &dotted,
                                item.span().start,
                                format!("{secs} is not from 1 to {MAX_HANDOFF_SECS}; using {default}"),
                            ),
                        }
                    }
                }
                "tokens" => match item.get_ref() {
                    DeValue::String(s) => tokens = Some(s.to_string()),
                    _ => self.wrong_type(&dotted, item, "a token name pattern such as \"ci-*\"", "every token"),
                },
                "places" => places = self.strings(&dotted, item, "a list of places").unwrap_or_default(),
                _ => self.unknown_key(&dotted, key, HANDOFF_KEYS),
            }
        }
        let Some(name) = name else {
            self.warn(
                "handoff",
                at,
                "a [[handoff]] table without a name is left out",
            );
            return None;
        };
        let Some(command) = command.filter(|c| !c.is_empty()) else {
            self.warn(
                "handoff",
                at,
                format!("the hand-off {name:?} has no command, so it is left out"),
            );
            return None;
        };
        if self.config.handoff.iter().any(|t| t.name == name) {
            self.warn(
                "handoff",
                at,
                format!("a second hand-off named {name:?} is left out"),
            );
            return None;
        }
        for arg in &command {
            let mut rest = arg.as_str();
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}') else {
                    break;
                };
                let placeholder = &rest[open..open + close + 1];
                // Only a word in braces looks like a placeholder; a shell or jq program's braces do not.
                let inside = &placeholder[1..placeholder.len() - 1];
                let word = !inside.is_empty()
                    && inside.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                if word && !HANDOFF_PLACEHOLDERS.contains(&placeholder) {
                    self.warn(
                        "handoff.command",
                        at,
                        format!(
                            "{placeholder} in the hand-off {name:?} is not a placeholder ({}); it is passed as written",
                            HANDOFF_PLACEHOLDERS.join(", ")
                        ),
                    );
                }
                rest = &rest[open + close + 1..];
            }
        }
        Some(HandoffTarget {
            name,
            command,
            timeout,
            tokens,
            places,
        })
    }

    /// A list of strings (a single string is a list of one).
    fn strings(&mut self, key: &str, value: &Value<'_>, expected: &str) -> Option<Vec<String>> {
        let items: Vec<&Value<'_>> = match value.get_ref() {
            DeValue::String(_) => vec![value],
            DeValue::Array(items) => items.iter().collect(),
            _ => {
                self.wrong_type(key, value, expected, "nothing");
                return None;
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                _ => {
                    self.wrong_type(key, item, expected, "nothing");
                    return None;
                }
            }
        }
        Some(out)
    }

    fn tokens(&mut self, value: &Value<'_>) {
        let Some(table) = self.table("tokens", value) else {
            return;
        };
        for (key, item) in table {
            if self.damaged(key, item) {
                continue;
            }
            match key.get_ref().as_ref() {
                "columns" => self.token_columns(item),
                other => {
                    let dotted = format!("tokens.{other}");
                    self.unknown_key(&dotted, key, &["columns"]);
                }
            }
        }
    }

    fn secrets(&mut self, value: &Value<'_>) {
        let Some(table) = self.table("secrets", value) else {
            return;
        };
        for (key, item) in table {
            if self.damaged(key, item) {
                continue;
            }
            match key.get_ref().as_ref() {
                "dir" => self.secrets_dir(item),
                other => {
                    let dotted = format!("secrets.{other}");
                    self.unknown_key(&dotted, key, &["dir"]);
                }
            }
        }
    }

    fn secrets_dir(&mut self, value: &Value<'_>) {
        let key = "secrets.dir";
        let default = "the state directory's secrets/";
        let DeValue::String(text) = value.get_ref() else {
            self.wrong_type(key, value, "a directory path in quotes", default);
            return;
        };
        // Secrets must land where the operator meant: a path relative to wherever the console was
        // started, or a `~` nothing here expands, would scatter them.
        let why = if text.trim().is_empty() {
            Some("is empty")
        } else if text.starts_with('~') {
            Some("starts with ~, which is not expanded here; write the full path")
        } else if text.chars().any(char::is_control) {
            Some("holds a control character")
        } else if !Path::new(text.as_ref()).is_absolute() {
            Some("is not an absolute path")
        } else {
            None
        };
        match why {
            Some(why) => self.warn(
                key,
                value.span().start,
                format!("{:?} {why}; using {default}", text.as_ref()),
            ),
            None => self.config.secrets.dir = Some(std::path::PathBuf::from(text.as_ref())),
        }
    }

    fn token_columns(&mut self, value: &Value<'_>) {
        let key = "tokens.columns";
        let known = TOKEN_COLUMNS.join(", ");
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                key,
                value,
                "a list of column names such as [\"name\", \"access\", \"expires\"]",
                "the default columns",
            );
            return;
        };
        let mut columns: Vec<String> = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(name) => {
                    let name = name.trim().to_ascii_lowercase();
                    if !TOKEN_COLUMNS.contains(&name.as_str()) {
                        self.warn(
                            key,
                            item.span().start,
                            format!("unknown column {name:?}, left out (the columns: {known})"),
                        );
                    } else if columns.contains(&name) {
                        self.warn(key, item.span().start, format!("{name:?} is listed twice"));
                    } else {
                        columns.push(name);
                    }
                }
                _ => self.wrong_type(key, item, "a column name written as a string", "the others"),
            }
        }
        if !columns.iter().any(|c| c == "name") {
            self.warn(
                key,
                value.span().start,
                "the name column is always shown (a row is recognised by it); it comes first",
            );
            columns.insert(0, "name".to_string());
        }
        self.config.tokens.columns = columns;
    }

    fn disabled_rules(&mut self, value: &Value<'_>) {
        let key = "hygiene.disabled";
        let items: Vec<&Value<'_>> = match value.get_ref() {
            DeValue::String(_) => vec![value],
            DeValue::Array(items) => items.iter().collect(),
            _ => {
                self.wrong_type(
                    key,
                    value,
                    "a list of rule ids such as [\"duplicate-permissions\"]",
                    "every rule running",
                );
                return;
            }
        };
        for item in items {
            match item.get_ref() {
                DeValue::String(id) => match id.parse::<RuleId>() {
                    Ok(rule) => {
                        self.config.hygiene.disabled.insert(rule);
                    }
                    Err(e) => self.warn(key, item.span().start, format!("{e}; ignored")),
                },
                _ => self.wrong_type(
                    key,
                    item,
                    "a rule id written as a string",
                    "the other entries",
                ),
            }
        }
    }

    /// A whole number of days from 1 to [`MAX_THRESHOLD_DAYS`].
    fn days(&mut self, key: &str, value: &Value<'_>, default: u32) -> Option<u32> {
        let default_text = format!("the default ({default})");
        let days = self.integer(key, value, "a number of days", &default_text)?;
        match u32::try_from(days) {
            Ok(d) if (1..=MAX_THRESHOLD_DAYS).contains(&d) => Some(d),
            _ => {
                self.warn(
                    key,
                    value.span().start,
                    format!(
                        "{days} is not between 1 and {MAX_THRESHOLD_DAYS} days (to stop the rule, list its id \
                         in `disabled`); using {default_text}"
                    ),
                );
                None
            }
        }
    }

    /// `true`, `false` or `"until-armed"`. A mistake here keeps the safer reading: a value that is
    /// not understood is taken as read-only, never as "writes allowed".
    fn write_mode(&mut self, key: &str, value: &Value<'_>) -> Option<WriteMode> {
        match value.get_ref() {
            DeValue::Boolean(true) => Some(WriteMode::ReadOnly),
            DeValue::Boolean(false) => Some(WriteMode::Allowed),
            DeValue::String(s) if s.trim().eq_ignore_ascii_case(WriteMode::UNTIL_ARMED) => {
                Some(WriteMode::UntilArmed)
            }
            _ => {
                self.wrong_type(
                    key,
                    value,
                    &format!("true, false or \"{}\"", WriteMode::UNTIL_ARMED),
                    "read-only (true), the safe reading of a setting that says something else",
                );
                Some(WriteMode::ReadOnly)
            }
        }
    }

    fn arm_minutes(&mut self, value: &Value<'_>) {
        let default = format!("the default ({DEFAULT_ARM_MINUTES})");
        let Some(minutes) = self.integer("arm_minutes", value, "a number of minutes", &default)
        else {
            return;
        };
        match u64::try_from(minutes) {
            Ok(m) if (1..=MAX_ARM_MINUTES).contains(&m) => self.config.arm_minutes = m,
            _ => self.warn(
                "arm_minutes",
                value.span().start,
                format!(
                    "{minutes} is not between 1 and {MAX_ARM_MINUTES} minutes; using {default}"
                ),
            ),
        }
    }

    /// `[accounts.<id>]` tables: settings for one account.
    fn accounts(&mut self, value: &Value<'_>) {
        let Some(table) = self.table("accounts", value) else {
            return;
        };
        for (id, settings) in table {
            let dotted = format!("accounts.{}", id.get_ref());
            let account = id.get_ref().trim().parse::<i64>().ok().filter(|n| *n > 0);
            let Some(account) = account else {
                self.warn(
                    &dotted,
                    id.span().start,
                    "an account's table is named by its id, a positive number (`[accounts.1719941]`); ignored",
                );
                continue;
            };
            let DeValue::Table(items) = settings.get_ref() else {
                self.wrong_type(
                    &dotted,
                    settings,
                    "a table of settings",
                    "no settings for it",
                );
                continue;
            };
            let mut account_settings = AccountSettings::default();
            for (key, item) in items {
                if self.damaged(key, item) {
                    continue;
                }
                let item_key = format!("{dotted}.{}", key.get_ref());
                match key.get_ref().as_ref() {
                    "read_only" => account_settings.read_only = self.write_mode(&item_key, item),
                    _ => self.unknown_key(&item_key, key, &["read_only"]),
                }
            }
            self.config
                .accounts
                .insert(account.to_string(), account_settings);
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
