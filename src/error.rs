//! The one error type of a run that cannot do its job (exit code 2): a bad argument, an
//! unreadable or invalid config, a path that does not exist, a broken Guard pack.
//!
//! Problems *in the linted files* are never errors: they are findings.

use std::fmt;

/// A one-line message naming the problem (and the file, when there is one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error { message: message.into() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Shown on one line with control characters escaped ([`crate::text::printable`], and a line
/// feed as `\n`): messages quote config keys, pack text and paths, which a pull request writes,
/// and go to a terminal or a CI log.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = crate::text::printable(&self.message);
        if shown.contains('\n') { f.write_str(&shown.replace('\n', "\\n")) } else { f.write_str(&shown) }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #[test]
    fn errors_show_on_one_printable_line() {
        let err = super::Error::new("unknown rule `a\nb\u{1b}[31m`");
        assert_eq!(err.to_string(), "unknown rule `a\\nb\\u{1b}[31m`");
    }
}
