//! Property tests: the sanitizer, the decoders and the config parser on arbitrary input, and the console's
//! `update` + view as a state machine fed random keys, answers, ticks and resizes.

mod console;
mod decoding;
mod text;
