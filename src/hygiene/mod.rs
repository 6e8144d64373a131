//! Hygiene findings: a registry of rules about an account's tokens (which never expire, which expire
//! soon, which are on their way out, which look redundant or orphaned) and one function that runs them.
//!
//! [`findings`] takes the token list, the resource tree and the last four characters of the secret this
//! program runs on ([`Inventory`]), the time, and which rules run with which thresholds ([`RuleConfig`],
//! the config file's `[hygiene]` table). It reads nothing else and remembers nothing, so it is run once per
//! data change (a new list), never per frame.
//!
//! - `rules.rs`: the registry: ids, severities, texts, hints.
//! - `settings.rs`: which rules run, and the expiry thresholds.
//! - `finding.rs`: the inventory the rules read and the findings they give.
//! - `lineage.rs`: which token replaced which, from the list alone.
//! - `scope.rs`: the "a narrower scope would do" heuristic (its limits are in its doc).
//! - `engine.rs`: running every rule in one pass.

mod engine;
mod finding;
pub mod lineage;
mod rules;
mod scope;
mod settings;

pub use engine::{PURGE_AFTER, about, findings, found};
pub use finding::{Finding, Found, Inventory};
pub use rules::{RULES, Rule, RuleId, Severity};
pub use scope::{NamedResource, ResourceIndex, words};
pub use settings::{
    DEFAULT_EXPIRES_SOON_DAYS, DEFAULT_EXPIRES_VERY_SOON_DAYS, MAX_THRESHOLD_DAYS, RuleConfig,
};
