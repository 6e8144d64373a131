//! The scriptable commands end to end: the built binary run as a process against `mailtrap-tokens serve`
//! over real loopback HTTP.

mod accounts;
mod docs;
mod drift;
mod dump;
mod handoff;
mod harness;
mod journal;
mod lint;
mod prompt;
mod read_only;
mod reads;
mod writes;
