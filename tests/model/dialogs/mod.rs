//! The dialogs and the row action registry: snapshots of every dialog and step, style checks, and key
//! flows. Secrets here are fakes that are not 32 hex characters.

mod confirm;
mod edit;
mod form;
mod menu;
mod registry;
mod secret;

use crate::console_driver::{Screen, ch, ctrl_key, find, key, typed};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use mailtrap_tokens::api::{AccessLevel, ApiToken, Resource, ResourceNode, ResourceType};
use mailtrap_tokens::config::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn now() -> DateTime<Utc> {
    "2026-08-08T10:00:00Z".parse().unwrap()
}

pub fn node(
    id: i64,
    name: &str,
    ty: &str,
    level: AccessLevel,
    children: Vec<ResourceNode>,
) -> ResourceNode {
    ResourceNode {
        id,
        name: name.into(),
        resource_type: ResourceType::new(ty),
        access_level: level,
        resources: children,
    }
}

/// Account 1 (admin) › project 10 › sandbox 11; domains 20 example.com and 21 shop.test (admin); a
/// billing resource the caller only views.
pub fn tree() -> Vec<ResourceNode> {
    vec![node(
        1,
        "Acme",
        "account",
        AccessLevel::ADMIN,
        vec![
            node(
                10,
                "Staging",
                "project",
                AccessLevel::ADMIN,
                vec![node(11, "QA inbox", "sandbox", AccessLevel::ADMIN, vec![])],
            ),
            node(20, "example.com", "domain", AccessLevel::ADMIN, vec![]),
            node(21, "shop.test", "domain", AccessLevel::ADMIN, vec![]),
            node(30, "Billing", "billing", AccessLevel::VIEWER, vec![]),
        ],
    )]
}

pub fn res(ty: &str, id: i64, level: AccessLevel) -> Resource {
    Resource {
        resource_type: ResourceType::new(ty),
        resource_id: id,
        access_level: level,
    }
}

pub fn token(id: i64, name: &str, resources: Vec<Resource>) -> ApiToken {
    ApiToken {
        id,
        name: name.into(),
        last_4_digits: "dcf7".into(),
        created_by: "Jane".into(),
        expires_at: None,
        resources: resources.into(),
        opaque_resources: vec![].into(),
    }
}

/// Draws one frame at 100×30 and returns the terminal for snapshotting and style checks.
pub fn draw(render: impl FnOnce(Rect, &mut Buffer, &Theme)) -> Screen {
    crate::console_driver::draw_widget(100, 30, render)
}
