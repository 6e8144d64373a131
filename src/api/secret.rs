//! A token secret. It never prints, it is wiped from memory on drop, and reading it takes an explicit,
//! greppable call (`expose_secret`) so every place that handles the raw value can be audited.

use std::fmt;
use zeroize::Zeroize;

pub struct Secret {
    value: String,
}

impl Secret {
    pub fn new(value: String) -> Self {
        Self { value }
    }

    /// The raw secret. Callers: the HTTP auth header, the secret dialog (show, copy, save) and the
    /// `create`/`reset` commands printing it to stdout. Nothing else should call this.
    pub fn expose_secret(&self) -> &str {
        &self.value
    }

    /// The last four characters, the part Mailtrap itself shows (`last_4_digits`).
    pub fn last4(&self) -> String {
        let chars: Vec<char> = self.value.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Self::new(self.value.clone())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        // Constant-time over the shorter length; secrets are fixed-length in practice.
        let (a, b) = (self.value.as_bytes(), other.value.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(…{})", self.last4())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "…{}", self.last4())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Straight into the Secret: one copy from the input (or the decoder's own string, taken over),
        // never a temporary String dropped unwiped.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Secret;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a token secret (a string)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Secret, E> {
                Ok(Secret::new(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Secret, E> {
                Ok(Secret::new(v))
            }
        }
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_secret() {
        let s = Secret::new("0123456789abcdef0123456789abdcf7".into());
        assert_eq!(format!("{s}"), "…dcf7");
        assert_eq!(format!("{s:?}"), "Secret(…dcf7)");
        assert_eq!(format!("{:#?}", Some(&s)), "Some(\n    Secret(…dcf7),\n)");
        assert_eq!(s.expose_secret().len(), 32);
    }

    #[test]
    fn short_secret_does_not_panic() {
        assert_eq!(Secret::new("ab".into()).last4(), "ab");
        assert_eq!(Secret::new(String::new()).to_string(), "…");
    }
}
