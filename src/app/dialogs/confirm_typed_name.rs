//! The typed-name gate of a confirmation: Confirm stays disabled until the token's name is typed
//! exactly (pasted control characters are stripped by the field).

use super::text_input::TextInput;

/// Names are at most 255 characters; a little slack lets a person see they typed too much.
const MAX_TYPED: usize = 300;

#[derive(Clone, Debug)]
pub struct NameGate {
    expected: String,
    /// What the prompt asks for, when it is not the token's name (a count, say).
    asked: Option<String>,
    pub input: TextInput,
}

impl NameGate {
    /// `expected` is the sanitized name as displayed, so what the person sees is what they type.
    pub fn new(expected: &str) -> Self {
        Self {
            expected: expected.to_string(),
            asked: None,
            input: TextInput::new(MAX_TYPED),
        }
    }

    /// A gate that asks for `expected` in words of its own (`prompt` is followed by the text to type).
    pub fn asking(expected: &str, prompt: &str) -> Self {
        Self {
            asked: Some(prompt.to_string()),
            ..Self::new(expected)
        }
    }

    pub fn expected(&self) -> &str {
        &self.expected
    }

    pub fn is_satisfied(&self) -> bool {
        self.input.value() == self.expected
    }

    pub fn prompt(&self) -> String {
        match &self.asked {
            Some(prompt) => format!("{prompt}: {}", self.expected),
            None => format!("Type the token's name to confirm: {}", self.expected),
        }
    }
}
