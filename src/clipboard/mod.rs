//! clipboard
