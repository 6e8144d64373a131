//! Any text as a config file: the parser keeps defaults and warns, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrap_tokens::config::Config;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (config, warnings) = Config::parse(text, None);
        let _ = config.keymap();
        let _ = config.theme(false);
        for w in warnings {
            let _ = w.to_string();
        }
    }
});
