//! The wire types of Mailtrap's token API, lenient in exactly the ways production is (spec §2.1, §2.6):
//! `expires_at` null or a date with any offset, `resource_id` integer or numeric string, unknown resource
//! types and access levels kept as they are, unknown fields ignored.
//!
//! - `permission.rs`: access levels, resource types and one token's permissions, typed or kept opaque.
//! - `token.rs`: a token as list, get, create and reset send it, and what create and reset are sent.
//! - `token_list/`: a token list answer: the tokens, the ones that could not be read, and reading it as
//!   it arrives (`mod.rs`), finding where each token ends without decoding it (`scan.rs`), and decoding a
//!   long one on every core (`parallel.rs`).
//! - `account.rs`: accounts, their accesses and the resource tree permissions are edited against.

pub mod account;
pub mod permission;
pub mod token;
pub mod token_list;

pub use account::*;
pub use permission::*;
pub use token::*;
pub use token_list::*;
