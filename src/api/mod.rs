//! Mailtrap's token API: the typed client, its models and its errors. Nothing here knows about the console.

pub mod client;
pub mod error;
pub mod models;
pub mod ratelimit;
pub mod secret;

pub use client::{Client, ClientOptions, RetryNotice, validate_base_url};
pub use error::{ApiError, FieldError};
pub use models::*;
pub use secret::Secret;
