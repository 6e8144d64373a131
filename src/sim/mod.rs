//! A simulator of Mailtrap's token API (spec §11), for `serve`, `demo` and the tests. No UI knowledge.

pub mod serve;
