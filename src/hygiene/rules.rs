//! The registry of hygiene rules: each has a stable id (what the config file, `lint` and SARIF name it
//! by), a severity, a one-line text and a fix hint. The order here is the order findings of equal
//! severity are listed in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much a finding matters; ordered, so `Danger > Warn > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warn,
    Danger,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Danger, Severity::Warn, Severity::Info];

    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Danger => "danger",
        }
    }

    /// A symbol beside the word, so the severity reads without colour (`NO_COLOR`).
    pub fn symbol(self) -> &'static str {
        match self {
            Severity::Info => "ℹ",
            Severity::Warn => "⚠",
            Severity::Danger => "✖",
        }
    }

    /// SARIF 2.1.0's `level` for it.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Info => "note",
            Severity::Warn => "warning",
            Severity::Danger => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.word())
    }
}

/// Every rule. Its id is its name in the config file and in `lint`'s output, so it never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    OwnAdminNeverExpires,
    AdminNeverExpires,
    ExpiresVerySoon,
    ExpiresSoon,
    InResetGrace,
    NoPermissions,
    ExpiredAwaitingPurge,
    AdminScopeNarrower,
    DuplicatePermissions,
    CreatorTokenGone,
}

/// What the registry says about one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: RuleId,
    pub severity: Severity,
    /// One line saying what is wrong, without the token's particulars.
    pub text: &'static str,
    /// What to do about it.
    pub hint: &'static str,
}

pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::OwnAdminNeverExpires,
        severity: Severity::Danger,
        text: "the token this program runs on is an account admin that never expires",
        hint: "Run it on a token that expires: `mailtrap-tokens reset ID --expires-in 90d`, then use the new secret.",
    },
    Rule {
        id: RuleId::AdminNeverExpires,
        severity: Severity::Danger,
        text: "an account admin that never expires",
        hint: "Reset it with an expiry (`mailtrap-tokens reset ID --expires-in 90d`) or replace it with a narrower token.",
    },
    Rule {
        id: RuleId::ExpiresVerySoon,
        severity: Severity::Danger,
        text: "expires very soon",
        hint: "Reset it now (`mailtrap-tokens reset ID`) and hand the new secret over, or let it lapse if nothing uses it.",
    },
    Rule {
        id: RuleId::ExpiresSoon,
        severity: Severity::Warn,
        text: "expires soon",
        hint: "Reset it before then (`mailtrap-tokens reset ID`) and hand the new secret over, or let it lapse if nothing uses it.",
    },
    Rule {
        id: RuleId::InResetGrace,
        severity: Severity::Warn,
        text: "was reset and stops working when its grace ends",
        hint: "Move whatever uses it to the token that replaced it before the grace ends.",
    },
    Rule {
        id: RuleId::NoPermissions,
        severity: Severity::Warn,
        text: "has no permissions",
        hint: "It can do nothing: delete it, or give it the permissions it was meant to have.",
    },
    Rule {
        id: RuleId::ExpiredAwaitingPurge,
        severity: Severity::Info,
        text: "has expired and is waiting to be purged",
        hint: "Anything still using it already fails; delete it now or let Mailtrap's cleanup take it.",
    },
    Rule {
        id: RuleId::AdminScopeNarrower,
        severity: Severity::Info,
        text: "an account admin whose name points at one resource",
        hint: "If it only works on that resource, replace it with a token that is admin of that resource alone.",
    },
    Rule {
        id: RuleId::DuplicatePermissions,
        severity: Severity::Info,
        text: "has exactly the permissions of other tokens",
        hint: "If they serve one integration, keep one; if they serve several, let their names say which.",
    },
    Rule {
        id: RuleId::CreatorTokenGone,
        severity: Severity::Info,
        text: "was created by a token that no longer exists",
        hint: "Find out who uses it and say so in its name; nobody is left to ask through its creator.",
    },
];

impl RuleId {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::OwnAdminNeverExpires => "own-admin-never-expires",
            RuleId::AdminNeverExpires => "admin-never-expires",
            RuleId::ExpiresVerySoon => "expires-very-soon",
            RuleId::ExpiresSoon => "expires-soon",
            RuleId::InResetGrace => "in-reset-grace",
            RuleId::NoPermissions => "no-permissions",
            RuleId::ExpiredAwaitingPurge => "expired-awaiting-purge",
            RuleId::AdminScopeNarrower => "admin-scope-narrower",
            RuleId::DuplicatePermissions => "duplicate-permissions",
            RuleId::CreatorTokenGone => "creator-token-gone",
        }
    }

    /// The registry's entry.
    pub fn rule(self) -> &'static Rule {
        &RULES[self.index()]
    }

    /// Its place in [`RULES`] (the registry lists every rule once, in declaration order).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn severity(self) -> Severity {
        self.rule().severity
    }

    /// Every rule id, in registry order.
    pub fn all() -> impl Iterator<Item = RuleId> {
        RULES.iter().map(|r| r.id)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::all()
            .find(|id| id.as_str() == s.trim())
            .ok_or_else(|| {
                let ids: Vec<&str> = RuleId::all().map(RuleId::as_str).collect();
                format!("{s:?} is not a rule id (the rules: {})", ids.join(", "))
            })
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_lists_every_rule_once_in_declaration_order() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.id.index(), i, "{}", rule.id);
            assert_eq!(rule.id.as_str().parse::<RuleId>(), Ok(rule.id));
        }
        assert!("admin-never-expire".parse::<RuleId>().is_err());
    }

    #[test]
    fn texts_are_one_line_and_ids_are_kebab_case() {
        for rule in RULES {
            assert!(!rule.text.contains('\n') && !rule.hint.contains('\n'));
            assert!(
                rule.id
                    .as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
        }
    }
}
