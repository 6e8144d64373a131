//! A problem in the config file. Never fatal: the console shows it and uses the default for what it names.

use std::fmt;
use std::path::{Path, PathBuf};

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

    /// Locates the warning at a known 1-based (line, column).
    pub(crate) fn at_position(mut self, (line, column): (usize, usize)) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub(crate) fn in_file(mut self, file: Option<&std::path::Path>) -> Self {
        self.file = file.map(PathBuf::from);
        self
    }
}

/// Where each line of a text starts, so that locating many offsets in a large file stays linear overall
/// (a file full of mistakes would otherwise take quadratic time to report).
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(source: &str) -> Self {
        let newlines = source.match_indices('\n').map(|(i, _)| i + 1);
        Self {
            starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    /// 1-based line and column (counted in characters) of a byte offset of the text this index was
    /// built from.
    pub(crate) fn locate(&self, source: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset).max(1);
        let line_start = self.starts[line - 1];
        let column = source[line_start..offset].chars().count() + 1;
        (line, column)
    }
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

/// The most warnings listed; the rest are counted in one last line.
pub const MAX_WARNINGS: usize = 50;

/// Keeps the first `MAX_WARNINGS` and says how many more there were (`unlisted` of them never listed).
pub(super) fn cap_warnings(
    mut warnings: Vec<ConfigWarning>,
    unlisted: usize,
    file: Option<&Path>,
) -> Vec<ConfigWarning> {
    if warnings.len() > MAX_WARNINGS || unlisted > 0 {
        let more = warnings.len().saturating_sub(MAX_WARNINGS) + unlisted;
        warnings.truncate(MAX_WARNINGS);
        warnings.push(
            ConfigWarning::new(
                None,
                format!(
                    "and {more} more problem{}",
                    if more == 1 { "" } else { "s" }
                ),
            )
            .in_file(file),
        );
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
        LineIndex::new(source).locate(source, offset)
    }

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
            .at_position(line_and_column("x\nmouse = 3", 2))
            .in_file(Some(std::path::Path::new("/c.toml")));
        assert_eq!(w.to_string(), "/c.toml:2:1: mouse: expected a boolean");
    }
}
