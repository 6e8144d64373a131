//! A problem in the config file. Never fatal: the console shows it and uses the default for what it names.

use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigWarning {
    /// The file the problem is in; `None` for settings that did not come from a file.
    pub file: Option<PathBuf>,
    /// 1-based line and column (in characters) of the offending key or value.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The dotted key, e.g. `keys.refresh` or `theme.warn`; `None` for problems with the file as a whole.
    pub key: Option<String>,
    pub message: String,
}

impl ConfigWarning {
    pub fn new(key: Option<String>, message: impl Into<String>) -> Self {
        Self {
            file: None,
            line: None,
            column: None,
            key,
            message: message.into(),
        }
    }

    /// Locates the warning at a byte offset of `source`.
    pub(crate) fn at(mut self, source: &str, offset: usize) -> Self {
        let (line, column) = line_and_column(source, offset);
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub(crate) fn in_file(mut self, file: Option<&std::path::Path>) -> Self {
        self.file = file.map(PathBuf::from);
        self
    }
}

/// 1-based line and column (counted in characters) of a byte offset.
pub(crate) fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

impl fmt::Display for ConfigWarning {
    /// One line: `FILE:LINE:COLUMN: KEY: MESSAGE`, leaving out what is not known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        } else if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        // A message must stay on one line whatever the parser wrote.
        let one_line = self
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        f.write_str(&crate::text::sanitize(&one_line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_and_column(src, 0), (1, 1));
        assert_eq!(line_and_column(src, 6), (2, 1));
        assert_eq!(line_and_column(src, 9), (2, 3));
        assert_eq!(line_and_column(src, 999), (3, 1));
    }

    #[test]
    fn displays_on_one_line() {
        let w = ConfigWarning::new(Some("mouse".into()), "expected\na boolean")
            .at("x\nmouse = 3", 2)
            .in_file(Some(std::path::Path::new("/c.toml")));
        assert_eq!(w.to_string(), "/c.toml:2:1: mouse: expected a boolean");
    }
}
