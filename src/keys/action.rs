//! Every command a key can trigger in the console. The keymap, the hint bar, the help screen and the
//! per-row action menu are all built from this one list, so they cannot disagree.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    SortNext,
    SortReverse,
    OpenMenu,
    Copy,
    Reset,
    EditPermissions,
    Delete,
    Undo,
    Clone,
    NewToken,
    Places,
    ToggleMark,
    MarkShown,
    ClearMarks,
    Details,
    ShowTokens,
    ShowDomains,
    ShowTimeline,
    ShowFindings,
    NextView,
    PreviousView,
    ArmWrites,
    Refresh,
    WhatChanged,
    Accounts,
    Help,
    Quit,
}

/// Where an action applies; the help screen groups by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Navigation,
    Table,
    Row,
    Views,
    Global,
}

pub struct ActionInfo {
    pub action: Action,
    /// The name used in the config file's `[keys]` table.
    pub name: &'static str,
    pub description: &'static str,
    /// Short label for the hint bar.
    pub hint: &'static str,
    pub scope: Scope,
    /// Changes or destroys something on the server.
    pub dangerous: bool,
    pub default_keys: &'static [&'static str],
}

pub const ACTIONS: &[ActionInfo] = &[
    info(
        Action::MoveUp,
        "move_up",
        "Move up",
        "up",
        Scope::Navigation,
        false,
        &["up", "k"],
    ),
    info(
        Action::MoveDown,
        "move_down",
        "Move down",
        "down",
        Scope::Navigation,
        false,
        &["down", "j"],
    ),
    info(
        Action::PageUp,
        "page_up",
        "Page up",
        "page up",
        Scope::Navigation,
        false,
        &["pageup"],
    ),
    info(
        Action::PageDown,
        "page_down",
        "Page down",
        "page down",
        Scope::Navigation,
        false,
        &["pagedown"],
    ),
    info(
        Action::Top,
        "top",
        "Go to the first row",
        "top",
        Scope::Navigation,
        false,
        &["g", "home"],
    ),
    info(
        Action::Bottom,
        "bottom",
        "Go to the last row",
        "bottom",
        Scope::Navigation,
        false,
        &["G", "end"],
    ),
    info(
        Action::Filter,
        "filter",
        "Filter the rows as you type",
        "filter",
        Scope::Table,
        false,
        &["/"],
    ),
    info(
        Action::SortNext,
        "sort_next",
        "Sort by the next column",
        "sort",
        Scope::Table,
        false,
        &["s"],
    ),
    info(
        Action::SortReverse,
        "sort_reverse",
        "Reverse the sort order",
        "reverse",
        Scope::Table,
        false,
        &["S"],
    ),
    info(
        Action::OpenMenu,
        "menu",
        "Open the row's action menu",
        "actions",
        Scope::Row,
        false,
        &["enter", "."],
    ),
    info(
        Action::Copy,
        "copy",
        "Copy the token",
        "copy",
        Scope::Row,
        false,
        &["c"],
    ),
    info(
        Action::Reset,
        "reset",
        "Reset the token",
        "reset",
        Scope::Row,
        true,
        &["R"],
    ),
    info(
        Action::EditPermissions,
        "edit_permissions",
        "Edit the token's permissions",
        "edit",
        Scope::Row,
        true,
        &["e"],
    ),
    info(
        Action::Delete,
        "delete",
        "Delete the token",
        "delete",
        Scope::Row,
        true,
        &["D"],
    ),
    info(
        Action::Undo,
        "undo",
        "Undo the last permission edit",
        "undo",
        Scope::Row,
        true,
        &["u"],
    ),
    info(
        Action::Clone,
        "clone",
        "Clone as a new token",
        "clone",
        Scope::Row,
        true,
        &["C"],
    ),
    info(
        Action::NewToken,
        "new_token",
        "Create a new token",
        "new",
        Scope::Table,
        true,
        &["n"],
    ),
    info(
        Action::Places,
        "places",
        "Where the token is used (its places)",
        "places",
        Scope::Row,
        false,
        &["p"],
    ),
    info(
        Action::ToggleMark,
        "mark",
        "Mark or unmark the selected token (bulk actions act on the marks)",
        "mark",
        Scope::Table,
        false,
        &["space"],
    ),
    info(
        Action::MarkShown,
        "mark_shown",
        "Mark every token the filter shows",
        "mark shown",
        Scope::Table,
        false,
        &["a"],
    ),
    info(
        Action::ClearMarks,
        "clear_marks",
        "Clear the marks",
        "clear marks",
        Scope::Table,
        false,
        &["x"],
    ),
    // Not `d`: one Shift away from Delete.
    info(
        Action::Details,
        "details",
        "Show or hide the selected token's details",
        "details",
        Scope::Row,
        false,
        &["i"],
    ),
    info(
        Action::ShowTokens,
        "view_tokens",
        "Tokens: the table of every token",
        "tokens",
        Scope::Views,
        false,
        &["1"],
    ),
    info(
        Action::ShowDomains,
        "view_domains",
        "Domains: who can act on each sending domain",
        "domains",
        Scope::Views,
        false,
        &["2"],
    ),
    info(
        Action::ShowTimeline,
        "view_timeline",
        "Timeline: what expires, ends its grace or is purged, and when",
        "timeline",
        Scope::Views,
        false,
        &["3"],
    ),
    info(
        Action::ShowFindings,
        "view_findings",
        "Findings: the hygiene findings, worst first",
        "findings",
        Scope::Views,
        false,
        &["4"],
    ),
    info(
        Action::NextView,
        "next_view",
        "The next view",
        "next view",
        Scope::Views,
        false,
        &["tab"],
    ),
    info(
        Action::PreviousView,
        "previous_view",
        "The view before",
        "previous view",
        Scope::Views,
        false,
        &["backtab"],
    ),
    info(
        Action::ArmWrites,
        "arm_writes",
        "Arm writes for a while, or disarm them (with read_only = \"until-armed\")",
        "arm writes",
        Scope::Global,
        false,
        &["W"],
    ),
    info(
        Action::Refresh,
        "refresh",
        "Refresh now",
        "refresh",
        Scope::Table,
        false,
        &["r", "ctrl-r"],
    ),
    info(
        Action::WhatChanged,
        "what_changed",
        "What changed elsewhere since the last look",
        "what changed",
        Scope::Global,
        false,
        &["w"],
    ),
    info(
        Action::Accounts,
        "accounts",
        "Every account the token sees: narrow the table to one, or show them all",
        "accounts",
        Scope::Views,
        false,
        &["A"],
    ),
    info(
        Action::Help,
        "help",
        "Show help for this screen",
        "help",
        Scope::Global,
        false,
        &["?"],
    ),
    info(
        Action::Quit,
        "quit",
        "Quit",
        "quit",
        Scope::Global,
        false,
        &["q"],
    ),
];

#[allow(clippy::too_many_arguments)]
const fn info(
    action: Action,
    name: &'static str,
    description: &'static str,
    hint: &'static str,
    scope: Scope,
    dangerous: bool,
    default_keys: &'static [&'static str],
) -> ActionInfo {
    ActionInfo {
        action,
        name,
        description,
        hint,
        scope,
        dangerous,
        default_keys,
    }
}

impl Action {
    pub fn info(self) -> &'static ActionInfo {
        ACTIONS
            .iter()
            .find(|i| i.action == self)
            .expect("every Action has an entry in ACTIONS (checked by a test)")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn all() -> impl Iterator<Item = Action> {
        ACTIONS.iter().map(|i| i.action)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Action {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ACTIONS
            .iter()
            .find(|i| i.name == s)
            .map(|i| i.action)
            .ok_or_else(|| {
                let names: Vec<_> = ACTIONS.iter().map(|i| i.name).collect();
                format!("unknown action {s:?}; known actions: {}", names.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_entry_and_a_unique_name() {
        let mut names: Vec<_> = ACTIONS.iter().map(|i| i.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ACTIONS.len());
        for a in Action::all() {
            assert_eq!(a.name().parse::<Action>(), Ok(a));
        }
    }
}
