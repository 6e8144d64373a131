//! The views of the same inventory the console switches between: the token table itself (`table/`), the
//! sending domains and who can act on them, the timeline of what ends when, and the hygiene findings;
//! plus whether the selected token's details show beside (or over) the view.
//!
//! - `list.rs`: a browsable list (order, filter, selection by key), shared by the three derived views.
//! - `domains.rs`, `timeline.rs`, `findings.rs`: each view's rows and how they are made from the table.
//!
//! The derived views are made from the table when they are looked at and its data changed since (never
//! per frame): `State::fit_views`.

pub mod details;
pub mod domains;
pub mod findings;
pub mod list;
pub mod timeline;

use std::fmt;
use std::str::FromStr;

pub use details::{Details, PermissionLine};

pub use domains::{AccountWide, DomainMark, DomainRow};
pub use findings::FindingRow;
pub use list::{ListRow, ListView};
pub use timeline::{EventKind, EventRow, WEEKS};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ViewKind {
    #[default]
    Tokens,
    Domains,
    Timeline,
    Findings,
}

impl ViewKind {
    pub const ALL: [ViewKind; 4] = [
        ViewKind::Tokens,
        ViewKind::Domains,
        ViewKind::Timeline,
        ViewKind::Findings,
    ];

    /// The name `--view` and the title bar use.
    pub fn name(self) -> &'static str {
        match self {
            ViewKind::Tokens => "tokens",
            ViewKind::Domains => "domains",
            ViewKind::Timeline => "timeline",
            ViewKind::Findings => "findings",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ViewKind::Tokens => "Tokens",
            ViewKind::Domains => "Domains",
            ViewKind::Timeline => "Timeline",
            ViewKind::Findings => "Findings",
        }
    }
}

impl fmt::Display for ViewKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a view to start on is called: a view's name, or `details` (the tokens with the details of the
/// selected one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StartView {
    pub view: ViewKind,
    pub details: bool,
}

impl FromStr for StartView {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        if wanted == "details" {
            return Ok(StartView {
                view: ViewKind::Tokens,
                details: true,
            });
        }
        ViewKind::ALL
            .into_iter()
            .find(|v| v.name() == wanted)
            .map(|view| StartView {
                view,
                details: false,
            })
            .ok_or_else(|| {
                let names: Vec<&str> = ViewKind::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown view {s:?}; the views are {} and details",
                    names.join(", ")
                )
            })
    }
}

/// Which view shows, the derived views' own state, and the details panel.
#[derive(Debug, Default)]
pub struct Views {
    pub active: ViewKind,
    /// The selected token's details show (beside the view on a wide screen, over it otherwise).
    pub details: bool,
    /// The first line of the details drawn over a narrow screen.
    pub details_scroll: u16,
    /// The details cover the view (a narrow screen): the page keys and the wheel scroll them (set by the
    /// layout step).
    pub details_cover: bool,
    pub domains: ListView<DomainRow>,
    /// The live tokens with account-wide access: they can act on every domain.
    pub account_wide: AccountWide,
    pub timeline: ListView<EventRow>,
    /// How many tokens end (expire, or finish their reset grace) in each of the next `WEEKS` weeks.
    pub weeks: [u64; WEEKS],
    /// When the first of those weeks starts (the moment the timeline was made).
    pub weeks_start: Option<chrono::DateTime<chrono::Utc>>,
    pub findings: ListView<FindingRow>,
    /// The selected token's details as last made, and what they were made from (so a frame remakes
    /// them only when the selection or the data changed).
    pub details_made: Option<(DetailsKey, Details)>,
    /// Those details as lines for the panel, with what they were drawn for (the details, the panel's
    /// width and the minute, since they say "in 3 hours"): a frame draws them again only when one changed.
    pub details_lines: Option<(DetailsKey, u16, i64, Vec<ratatui::text::Line<'static>>)>,
}

/// What a token's details are made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailsKey {
    pub row: usize,
    pub token: crate::api::TokenId,
    pub generation: u64,
    pub findings: u64,
    pub places: Vec<crate::rotation::Place>,
}

impl Views {
    pub fn start_on(&mut self, start: StartView) {
        self.active = start.view;
        self.details = start.details;
    }
}
