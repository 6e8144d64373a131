//! Which rules run and their thresholds: the config file's `[hygiene]` table, as plain values (the config
//! module reads the file into this).

use std::collections::BTreeSet;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::rules::RuleId;

pub const DEFAULT_EXPIRES_SOON_DAYS: u32 = 7;
pub const DEFAULT_EXPIRES_VERY_SOON_DAYS: u32 = 1;
/// Thresholds beyond ten years would only ever say "expires soon" about everything.
pub const MAX_THRESHOLD_DAYS: u32 = 3650;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleConfig {
    /// Rules that do not run.
    pub disabled: BTreeSet<RuleId>,
    /// A token that expires within this many days is reported as expiring soon (warn).
    pub expires_soon_days: u32,
    /// … and within this many as expiring very soon (danger).
    pub expires_very_soon_days: u32,
}

impl Default for RuleConfig {
    fn default() -> Self {
        Self {
            disabled: BTreeSet::new(),
            expires_soon_days: DEFAULT_EXPIRES_SOON_DAYS,
            expires_very_soon_days: DEFAULT_EXPIRES_VERY_SOON_DAYS,
        }
    }
}

impl RuleConfig {
    pub fn runs(&self, rule: RuleId) -> bool {
        !self.disabled.contains(&rule)
    }

    pub fn expires_soon(&self) -> TimeDelta {
        TimeDelta::days(i64::from(self.expires_soon_days.min(MAX_THRESHOLD_DAYS)))
    }

    pub fn expires_very_soon(&self) -> TimeDelta {
        TimeDelta::days(i64::from(
            self.expires_very_soon_days.min(MAX_THRESHOLD_DAYS),
        ))
    }
}
