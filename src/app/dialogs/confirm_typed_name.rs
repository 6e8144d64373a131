//! The typed-name gate of a confirmation: Confirm stays disabled until the token's name is typed
//! exactly (pasted control characters are stripped by the field).

use super::text_input::TextInput;

/// Names are at most 255 characters; a little slack lets a person see they typed too much.
const MAX_TYPED: usize = 300;

#[derive(Clone, Debug)]
pub struct NameGate {
    expected: String,
    pub input: TextInput,
}

impl NameGate {
    /// `expected` is the sanitized name as displayed, so what the person sees is what they type.
    pub fn new(expected: &str) -> Self {
        Self {
            expected: expected.to_string(),
            input: TextInput::new(MAX_TYPED),
        }
    }

    pub fn expected(&self) -> &str {
        &self.expected
    }

    pub fn is_satisfied(&self) -> bool {
        self.input.value() == self.expected
    }

    pub fn prompt(&self) -> String {
        format!("Type the token's name to confirm: {}", self.expected)
    }
}
