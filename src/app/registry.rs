//! The per-row action registry: the one place that decides which actions a token row offers and, for
//! each one that cannot be done, why — in words a person reads. The action menu, the hotkeys, the hint
//! bar and the help all call [`actions_for`], so they cannot disagree.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use crate::api::{ApiToken, ResourceKind, ResourceNode, TokenId};
use crate::keys::action::Action;
use crate::text::sanitize;

/// Everything the registry needs to know about one row, gathered by the console. It holds no console
/// state itself, only borrowed facts.
#[derive(Clone, Copy, Debug)]
pub struct RowContext<'a> {
    pub token: &'a ApiToken,
    pub now: DateTime<Utc>,
    /// This console received the token's secret (right after create or reset) and still holds it.
    pub holds_secret: bool,
    /// The token is the one this console authenticates with.
    pub is_own_token: bool,
    /// The loaded tokens that share a domain with this one, this one included (no other token can make
    /// a difference to it).
    pub loaded_tokens: Related<'a>,
    /// Tokens known to be in their reset grace, with the time the old token stops working
    /// (see [`infer_reset_grace`] for what the list alone reveals).
    pub reset_grace: &'a HashMap<TokenId, DateTime<Utc>>,
    /// The permissions tree, used only to name domains in reasons; may be empty.
    pub resource_tree: &'a [ResourceNode],
    /// The console's own token is only a viewer: it cannot create, reset, delete or edit.
    pub caller_is_viewer: bool,
    /// Why writes are refused (read-only, or not armed), if they are.
    pub writes_refused: Option<&'a str>,
    /// A request for this token is in flight; a second one must wait.
    pub request_in_flight: bool,
    /// The server sent this token in a shape that could not be read: what is wrong with it.
    pub unreadable: Option<&'a str>,
    /// The permission edit of this session that `u` would undo, if there is one.
    pub undoable_edit: Option<EditToUndo>,
}

/// The last permission edit of this session, as the registry weighs it for a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EditToUndo {
    pub token: TokenId,
    /// The token still has the permissions the edit left it with.
    pub unchanged_since: bool,
}

/// Tokens the registry reads beside the row's own: a list of them, or references into the table's rows
/// (so that a domain with thousands of tokens costs no copies).
#[derive(Clone, Copy, Debug)]
pub enum Related<'a> {
    Tokens(&'a [ApiToken]),
    Refs(&'a [&'a ApiToken]),
}

impl<'a> Related<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a ApiToken> {
        let (tokens, refs) = match self {
            Related::Tokens(tokens) => (tokens, &[][..]),
            Related::Refs(refs) => (&[][..], refs),
        };
        tokens.iter().chain(refs.iter().copied())
    }
}

/// One action of a row and whether it can be done now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowAction {
    pub action: Action,
    /// `Err(reason)` when the action cannot be done, the reason in plain words (shown in the menu and
    /// in the status line when the hotkey is refused).
    pub availability: Result<(), String>,
}

impl RowAction {
    pub fn is_available(&self) -> bool {
        self.availability.is_ok()
    }

    pub fn reason(&self) -> Option<&str> {
        self.availability.as_ref().err().map(String::as_str)
    }
}

/// The row actions in menu order: Copy, Reset, Edit permissions, Delete, Undo, Clone as new, New
/// token, Places.
pub const ROW_ACTIONS: [Action; 8] = [
    Action::Copy,
    Action::Reset,
    Action::EditPermissions,
    Action::Delete,
    Action::Undo,
    Action::Clone,
    Action::NewToken,
    Action::Places,
];

/// Why `w` shows nothing: no comparison at start found a change.
pub const NOTHING_CHANGED_REASON: &str =
    "nothing changed elsewhere since the last look (or there was no earlier look to compare with)";

/// `w`, what changed elsewhere: there is something to show once the comparison at start found changes,
/// and it stays there after the banner is dismissed.
pub fn what_changed(found_changes: bool) -> Result<(), String> {
    if found_changes {
        Ok(())
    } else {
        Err(NOTHING_CHANGED_REASON.into())
    }
}

pub const VIEWER_REASON: &str = "this console's token is a viewer and cannot do this";
pub const IN_FLIGHT_REASON: &str = "a request for this token is still running";
pub const NO_EDIT_REASON: &str = "no permission edit to undo (resets and deletes cannot be)";

/// The actions of one row, each with its availability. Always returns all of [`ROW_ACTIONS`] in order,
/// so the menu can show the disabled ones dimmed with their reasons.
pub fn actions_for(ctx: &RowContext<'_>) -> Vec<RowAction> {
    ROW_ACTIONS
        .iter()
        .map(|&action| RowAction {
            action,
            availability: availability(ctx, action),
        })
        .collect()
}

/// The availability of one action of a row (the hotkey path); the same answer [`actions_for`] gives.
pub fn availability(ctx: &RowContext<'_>, action: Action) -> Result<(), String> {
    match refusal(ctx, action) {
        None => Ok(()),
        Some(refusal) => Err(refusal.reason(ctx)),
    }
}

/// Whether one action of a row can be done now: [`availability`] without putting the reason into words
/// (the hint bar asks every frame, and words cost allocations).
pub fn is_available(ctx: &RowContext<'_>, action: Action) -> bool {
    refusal(ctx, action).is_none()
}

/// Why an action cannot be done, before it is put into words.
enum Refusal<'a> {
    Unreadable(&'a str),
    Said(&'a str),
    NoSecret,
    AlreadyReset(DateTime<Utc>),
    Expired(DateTime<Utc>),
    LastDomain(i64),
}

impl Refusal<'_> {
    fn reason(&self, ctx: &RowContext<'_>) -> String {
        match self {
            Refusal::Unreadable(problem) => format!(
                "the server sent this token in a shape that cannot be read ({problem}); \
                 see it in Mailtrap's web app"
            ),
            Refusal::Said(reason) => (*reason).into(),
            Refusal::NoSecret => format!(
                "Mailtrap shows a secret only once; copy the name, id or …{} instead",
                sanitize(&ctx.token.last_4_digits)
            ),
            Refusal::AlreadyReset(stops) => {
                format!(
                    "already reset: the old token stops at {}",
                    clock(*stops, ctx.now)
                )
            }
            Refusal::Expired(at) => format!(
                "the token expired at {}; an expired token cannot be reset",
                clock(*at, ctx.now)
            ),
            Refusal::LastDomain(id) => format!(
                "the last token with access to domain {}",
                domain_name(ctx.resource_tree, *id)
            ),
        }
    }
}

fn refusal<'a>(ctx: &RowContext<'a>, action: Action) -> Option<Refusal<'a>> {
    let token = ctx.token;
    if let Some(problem) = ctx.unreadable
        && action != Action::NewToken
    {
        // Nothing is known for sure about it, not even that its id is its own.
        return Some(Refusal::Unreadable(problem));
    }
    let changes_server = matches!(
        action,
        Action::Reset
            | Action::EditPermissions
            | Action::Delete
            | Action::Undo
            | Action::Clone
            | Action::NewToken
    );
    if changes_server && let Some(reason) = ctx.writes_refused {
        return Some(Refusal::Said(reason));
    }
    if changes_server && ctx.caller_is_viewer {
        return Some(Refusal::Said(VIEWER_REASON));
    }
    let on_this_token = matches!(
        action,
        Action::Reset | Action::EditPermissions | Action::Delete | Action::Undo
    );
    if on_this_token && ctx.request_in_flight {
        return Some(Refusal::Said(IN_FLIGHT_REASON));
    }
    match action {
        Action::Copy => (!ctx.holds_secret).then_some(Refusal::NoSecret),
        Action::Reset => {
            if let Some(stops) = ctx.reset_grace.get(&token.id) {
                return Some(Refusal::AlreadyReset(*stops));
            }
            token
                .expires_at
                .filter(|at| *at <= ctx.now)
                .map(Refusal::Expired)
        }
        Action::Delete => last_domain_of(ctx).map(Refusal::LastDomain),
        Action::EditPermissions => {
            token
                .expires_at
                .is_some_and(|at| at <= ctx.now)
                .then_some(Refusal::Said(
                    "the token has expired; its permissions no longer matter",
                ))
        }
        Action::Undo => match ctx.undoable_edit {
            None => Some(Refusal::Said(NO_EDIT_REASON)),
            Some(edit) if edit.token != token.id => Some(Refusal::Said(
                "the last permission edit of this session was on another token; select it to undo",
            )),
            Some(edit) if !edit.unchanged_since => Some(Refusal::Said(
                "its permissions changed since the edit; `mailtrap-tokens journal undo ENTRY \
                 --force` puts them back anyway",
            )),
            Some(_) => None,
        },
        Action::Clone if !token.opaque_resources.is_empty() => Some(Refusal::Said(
            "it has permissions this console cannot read, which a clone would leave out",
        )),
        _ => None,
    }
}

/// `14:03 UTC` today, `2026-08-09 14:03 UTC` another day.
fn clock(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at.date_naive() == now.date_naive() {
        at.format("%H:%M UTC").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// Whether a token still counts as a live holder of its domains (spec: expired tokens and tokens in
/// their reset grace do not count).
fn counts_as_live(t: &ApiToken, ctx: &RowContext<'_>) -> bool {
    is_live(t, ctx.reset_grace, ctx.now)
}

/// Whether a token still counts as a live holder of its domains: neither expired nor in its reset grace.
pub fn is_live(
    t: &ApiToken,
    reset_grace: &HashMap<TokenId, DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    !reset_grace.contains_key(&t.id) && t.expires_at.is_none_or(|at| at > now)
}

/// The id of a domain this token is the only live holder of, if any (named only when a reason is put
/// into words). Account-level access does not count; only resources that name the domain itself do.
fn last_domain_of(ctx: &RowContext<'_>) -> Option<i64> {
    let token = ctx.token;
    if !counts_as_live(token, ctx) {
        return None;
    }
    for r in &token.resources {
        if r.resource_type.kind() != ResourceKind::Domain {
            continue;
        }
        let someone_else = ctx.loaded_tokens.iter().any(|other| {
            other.id != token.id
                && counts_as_live(other, ctx)
                && other.resources.iter().any(|o| {
                    o.resource_type.kind() == ResourceKind::Domain && o.resource_id == r.resource_id
                })
        });
        if !someone_else {
            return Some(r.resource_id);
        }
    }
    None
}

/// The (sanitized) name of domain `id` in the tree, else `#id`.
pub fn domain_name(tree: &[ResourceNode], id: i64) -> String {
    let mut found = None;
    ResourceNode::walk(tree, |node, _| {
        if found.is_none()
            && node.id == id
            && node.resource_type.kind() == ResourceKind::Domain
            && !node.name.is_empty()
        {
            found = Some(sanitize(&node.name));
        }
    });
    found.unwrap_or_else(|| format!("#{id}"))
}

/// What the list alone says about resets: a token `A` named `N` whose successor `B` is named
/// `N <B.id>` and which has an expiry is in its reset grace until `A.expires_at` (the simulator and
/// production both name the successor this way). Returns old token id → the time it stops.
pub fn infer_reset_grace(tokens: &[ApiToken]) -> HashMap<TokenId, DateTime<Utc>> {
    let mut grace = HashMap::new();
    for old in tokens {
        let Some(stops) = old.expires_at else {
            continue;
        };
        let has_successor = tokens
            .iter()
            .any(|new| new.id > old.id && new.name == format!("{} {}", old.name, new.id));
        if has_successor {
            grace.insert(old.id, stops);
        }
    }
    grace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_shows_the_date_only_for_another_day() {
        let now: DateTime<Utc> = "2026-08-08T10:00:00Z".parse().unwrap();
        let later: DateTime<Utc> = "2026-08-08T22:03:00Z".parse().unwrap();
        let tomorrow: DateTime<Utc> = "2026-08-09T02:03:00Z".parse().unwrap();
        assert_eq!(clock(later, now), "22:03 UTC");
        assert_eq!(clock(tomorrow, now), "2026-08-09 02:03 UTC");
    }
}
