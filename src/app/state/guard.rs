//! Whether the console may write now: allowed, read-only, or read-only until the operator arms writes for
//! a while. Every write passes here twice: the registry disables it (with the reason in the menu, the
//! hints and the help), and the one place that sends writes asks again at the moment of sending, so a
//! dialog confirmed after the arming ran out still sends nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::api::AccountId;
use crate::config::WriteMode;

/// Where the write settings came from, so the reason names what to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GuardSource {
    /// `--read-only` on the command line.
    Flag,
    /// The config file's `read_only`, global or the account's.
    #[default]
    Config,
}

/// The write settings fixed at start, before the account is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WritePolicy {
    pub global: WriteMode,
    pub per_account: BTreeMap<AccountId, WriteMode>,
    pub arm_for: Duration,
    pub source: GuardSource,
}

impl Default for WritePolicy {
    fn default() -> Self {
        Self {
            global: WriteMode::Allowed,
            per_account: BTreeMap::new(),
            arm_for: Duration::minutes(crate::config::DEFAULT_ARM_MINUTES as i64),
            source: GuardSource::Config,
        }
    }
}

impl WritePolicy {
    /// `--read-only` wins over everything the config says.
    pub fn read_only_flag() -> Self {
        Self {
            global: WriteMode::ReadOnly,
            source: GuardSource::Flag,
            ..Self::default()
        }
    }

    pub fn mode_for(&self, account: AccountId) -> WriteMode {
        if self.source == GuardSource::Flag {
            return WriteMode::ReadOnly;
        }
        self.per_account
            .get(&account)
            .copied()
            .unwrap_or(self.global)
    }
}

pub const READ_ONLY_FLAG_REASON: &str = "the console runs read-only (--read-only)";
pub const READ_ONLY_CONFIG_REASON: &str =
    "the console runs read-only (read_only in the config file)";

/// The write mode in force for the account on screen, and until when writes are armed.
#[derive(Clone, Debug, Default)]
pub struct WriteGuard {
    pub policy: WritePolicy,
    mode: WriteMode,
    armed_until: Option<DateTime<Utc>>,
    /// Several accounts at once: each row's account has its own mode (`refusal_in`).
    inventory: bool,
    /// The reasons of a read-only and of a not-yet-armed mode, made once (the registry asks per row).
    read_only_reason: Option<String>,
    unarmed_reason: Option<String>,
}

impl WriteGuard {
    pub fn new(policy: WritePolicy) -> Self {
        let mode = policy.global;
        let mut guard = Self {
            policy,
            mode,
            armed_until: None,
            inventory: false,
            read_only_reason: None,
            unarmed_reason: None,
        };
        guard.read_only_reason = guard.reason_of(WriteMode::ReadOnly);
        guard.unarmed_reason = guard.reason_of(WriteMode::UntilArmed);
        guard
    }

    /// Several accounts show at once: the global mode is the title's, each account's own applies to
    /// its rows.
    pub fn enter_inventory(&mut self) {
        self.inventory = true;
        self.mode = self.policy.global;
        self.armed_until = None;
    }

    /// The mode of `account`'s rows.
    fn mode_in(&self, account: AccountId) -> WriteMode {
        if self.inventory {
            self.policy.mode_for(account)
        } else {
            self.mode
        }
    }

    fn reason_in(&self, mode: WriteMode) -> Option<&str> {
        match mode {
            WriteMode::Allowed => None,
            WriteMode::ReadOnly => self.read_only_reason.as_deref(),
            WriteMode::UntilArmed => self.unarmed_reason.as_deref(),
        }
    }

    /// Why a write in `account` is refused now (see `refusal`).
    pub fn refusal_in(&self, account: AccountId, now: DateTime<Utc>) -> Option<&str> {
        if !self.inventory {
            return self.refusal(now);
        }
        let mode = self.mode_in(account);
        match (mode, self.armed_until) {
            (WriteMode::UntilArmed, Some(until)) if until > now => None,
            _ => self.reason_in(mode),
        }
    }

    /// Why writes in `account` are refused, as the registry shows it on its rows.
    pub fn standing_refusal_in(&self, account: AccountId) -> Option<&str> {
        if !self.inventory {
            return self.standing_refusal();
        }
        let mode = self.mode_in(account);
        match (mode, self.armed_until) {
            (WriteMode::UntilArmed, Some(_)) => None,
            _ => self.reason_in(mode),
        }
    }

    /// The account is known: its own setting applies from now on.
    pub fn enter(&mut self, account: AccountId) {
        self.mode = self.policy.mode_for(account);
        self.armed_until = None;
    }

    pub fn mode(&self) -> WriteMode {
        self.mode
    }

    /// Why writes are refused now, or `None` when they may be sent. Arming that ran out counts as not
    /// armed even before the tick that notices it.
    pub fn refusal(&self, now: DateTime<Utc>) -> Option<&str> {
        match self.armed_until {
            Some(until) if until > now => None,
            _ => self.reason_in(self.mode),
        }
    }

    /// The reason as the registry shows it (the clock is not asked: `disarm_if_due` keeps it current).
    pub fn standing_refusal(&self) -> Option<&str> {
        match self.armed_until {
            Some(_) => None,
            None => self.reason_in(self.mode),
        }
    }

    pub fn armable(&self) -> bool {
        self.mode == WriteMode::UntilArmed
            || (self.inventory
                && self
                    .policy
                    .per_account
                    .values()
                    .any(|m| *m == WriteMode::UntilArmed))
    }

    pub fn armed_until(&self) -> Option<DateTime<Utc>> {
        self.armed_until
    }

    /// Arms writes for the configured while; `false` where arming does not apply (writes are allowed
    /// anyway, or the console is read-only for good).
    pub fn arm(&mut self, now: DateTime<Utc>) -> bool {
        if !self.armable() {
            return false;
        }
        self.armed_until = Some(now + self.policy.arm_for);
        true
    }

    /// Disarms writes by hand.
    pub fn disarm(&mut self) -> bool {
        self.armed_until.take().is_some()
    }

    /// Writes disarm by themselves when their time is up; `true` when that happened now.
    pub fn disarm_if_due(&mut self, now: DateTime<Utc>) -> bool {
        if self.armed_until.is_some_and(|until| until <= now) {
            self.armed_until = None;
            return true;
        }
        false
    }

    fn reason_of(&self, mode: WriteMode) -> Option<String> {
        let minutes = self.policy.arm_for.num_minutes();
        match mode {
            WriteMode::Allowed => None,
            WriteMode::ReadOnly => Some(
                match self.policy.source {
                    GuardSource::Flag => READ_ONLY_FLAG_REASON,
                    GuardSource::Config => READ_ONLY_CONFIG_REASON,
                }
                .to_string(),
            ),
            WriteMode::UntilArmed => Some(format!(
                "writes are not armed (read_only = \"until-armed\"): arm them for {minutes} min first"
            )),
        }
    }

    /// What the title bar says: `None` when writes are simply allowed.
    pub fn badge(&self, now: DateTime<Utc>) -> Option<String> {
        match (self.mode, self.armed_until) {
            (WriteMode::Allowed, _) => None,
            (WriteMode::ReadOnly, _) => Some("READ-ONLY".into()),
            (WriteMode::UntilArmed, Some(until)) if until > now => {
                let left = (until - now).num_seconds().max(0);
                Some(format!("WRITES ARMED {}:{:02}", left / 60, left % 60))
            }
            (WriteMode::UntilArmed, _) => Some("READ-ONLY (not armed)".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_flag_wins_over_an_account_that_allows_writes() {
        let mut policy = WritePolicy::read_only_flag();
        policy.per_account.insert(7, WriteMode::Allowed);
        assert_eq!(policy.mode_for(7), WriteMode::ReadOnly);
        let mut guard = WriteGuard::new(policy);
        guard.enter(7);
        let now = at("2026-12-01T10:00:00Z");
        assert_eq!(guard.refusal(now), Some(READ_ONLY_FLAG_REASON));
        assert!(!guard.arm(now), "read-only for good cannot be armed");
        assert_eq!(guard.badge(now).as_deref(), Some("READ-ONLY"));
    }

    #[test]
    fn an_account_of_its_own_overrides_the_global_mode() {
        let mut policy = WritePolicy::default();
        policy.per_account.insert(7, WriteMode::ReadOnly);
        let mut guard = WriteGuard::new(policy);
        let now = at("2026-12-01T10:00:00Z");
        guard.enter(8);
        assert_eq!(guard.refusal(now), None);
        assert_eq!(guard.badge(now), None);
        guard.enter(7);
        assert_eq!(guard.refusal(now), Some(READ_ONLY_CONFIG_REASON));
    }

    #[test]
    fn armed_writes_run_out_by_themselves() {
        let policy = WritePolicy {
            global: WriteMode::UntilArmed,
            arm_for: Duration::minutes(10),
            ..WritePolicy::default()
        };
        let mut guard = WriteGuard::new(policy);
        guard.enter(1);
        let now = at("2026-12-01T10:00:00Z");
        assert!(guard.refusal(now).is_some_and(|r| r.contains("not armed")));
        assert!(guard.arm(now));
        assert_eq!(guard.refusal(now), None);
        assert_eq!(guard.badge(now).as_deref(), Some("WRITES ARMED 10:00"));
        let later = now + Duration::seconds(599);
        assert_eq!(guard.badge(later).as_deref(), Some("WRITES ARMED 0:01"));
        assert!(!guard.disarm_if_due(later));
        let over = now + Duration::minutes(10);
        // Refused at the moment it runs out, before any tick noticed.
        assert!(guard.refusal(over).is_some());
        assert!(guard.disarm_if_due(over));
        assert!(guard.standing_refusal().is_some());
        assert_eq!(guard.badge(over).as_deref(), Some("READ-ONLY (not armed)"));
    }
}
