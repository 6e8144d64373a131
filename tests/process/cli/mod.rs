//! The scriptable commands end to end: the built binary run as a process against `mailtrap-tokens serve`
//! over real loopback HTTP.

mod docs;
mod dump;
mod handoff;
mod harness;
mod journal;
mod lint;
mod prompt;
mod reads;
mod writes;
