//! Property tests: the sanitizer, the decoders and the config parser on arbitrary input, and the console's
//! `update` + view as a state machine fed random keys, answers, ticks and resizes.

mod console;
#[path = "../support/console_driver.rs"]
pub mod console_driver;
mod decoding;
#[path = "../hostile/fixtures.rs"]
pub mod fixtures;
mod text;
