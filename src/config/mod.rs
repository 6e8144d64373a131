//! The config file, themes and where things live.

pub mod theme;

pub use theme::Theme;
