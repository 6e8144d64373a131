//! Mailtrap's token API: the typed client, its models and its errors. Nothing here knows about the console.

pub mod account_choice;
pub mod answer;
pub mod client;
pub mod cores;
pub mod error;
pub mod models;
pub mod plan;
pub mod prefault;
pub mod ratelimit;
pub mod secret;
pub mod transport;

pub use account_choice::{AccountChoice, resolve_account};
pub use client::{
    Client, ListStop, Made, TokenAnswer, TokenListAnswer, bulk_permissions_body, validate_base_url,
};
pub use cores::cores;
pub use error::{ApiError, FieldError};
pub use models::*;
pub use plan::PlannedRequest;
pub use secret::Secret;
pub use transport::{ClientOptions, RetryNotice};
