//! What a key means: every action the console offers and the keymap that binds keys to them. Below
//! both `config` (which reads the user's bindings) and `app` (which acts on them), so neither has to
//! reach into the other for it.
//!
//! - `action.rs`: the one list of actions, their names, labels and scopes.
//! - `keymap.rs`: the default bindings, the user's overrides on top, and the README's key table.

pub mod action;
pub mod keymap;
