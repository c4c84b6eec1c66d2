//! The convention inside a Guard custom message `<< >>` (see the module docs): leading
//! `severity:` and `help:` lines, then the message.

use crate::diagnostic::Severity;

/// A custom message split into its parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    pub severity: Option<Severity>,
    pub help: Option<String>,
    /// The message proper: the remaining lines, trimmed and joined by spaces (findings are one
    /// line in every output format).
    pub text: String,
}

/// Splits a custom message. A bad `severity:` value is an error (reported when the pack loads,
/// so a typo never silently becomes a warning).
pub fn parse(raw: &str) -> Result<Message, String> {
    let mut message = Message::default();
    let mut lines = raw.lines().map(str::trim).filter(|l| !l.is_empty()).peekable();
    while let Some((key, value)) = lines.peek().and_then(|line| header(line)) {
        match key {
            Header::Severity => {
                let severity = Severity::parse(&value.to_ascii_lowercase()).ok_or_else(|| {
                    format!("`severity: {value}` in a custom message: expected `error`, `warning` or `info`")
                })?;
                message.severity.get_or_insert(severity);
            }
            Header::Help => {
                message.help.get_or_insert_with(|| value.to_string());
            }
        }
        lines.next();
    }
    message.text = lines.collect::<Vec<_>>().join(" ");
    Ok(message)
}

/// Like [`parse`], for evaluation time: the pack was validated on load, so a bad severity can
/// only mean a message slint never saw; it is ignored rather than failing the run.
pub fn parse_lenient(raw: &str) -> Message {
    parse(raw).unwrap_or_else(|_| Message {
        text: raw.split_whitespace().collect::<Vec<_>>().join(" "),
        ..Message::default()
    })
}

enum Header {
    Severity,
    Help,
}

fn header(line: &str) -> Option<(Header, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = match key.trim().to_ascii_lowercase().as_str() {
        "severity" => Header::Severity,
        "help" => Header::Help,
        _ => return None,
    };
    Some((key, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_then_message() {
        let m = parse(
            "\n  severity: error\n  help: set `Architectures: [arm64]`\n  functions run on arm64\n  (Graviton)\n",
        )
        .unwrap();
        assert_eq!(m.severity, Some(Severity::Error));
        assert_eq!(m.help.as_deref(), Some("set `Architectures: [arm64]`"));
        assert_eq!(m.text, "functions run on arm64 (Graviton)");
    }

    #[test]
    fn a_plain_message_has_no_headers() {
        let m = parse("Lambda functions must set a timeout: 30 s at most").unwrap();
        assert_eq!(
            m,
            Message { text: "Lambda functions must set a timeout: 30 s at most".into(), ..Message::default() }
        );
    }

    #[test]
    fn headers_are_only_leading_lines_and_any_case() {
        let m = parse("Severity: INFO\nmessage\nhelp: not a header here").unwrap();
        assert_eq!(m.severity, Some(Severity::Info));
        assert_eq!(m.help, None);
        assert_eq!(m.text, "message help: not a header here");
    }

    #[test]
    fn a_bad_severity_is_an_error_on_load_and_ignored_later() {
        assert!(parse("severity: fatal\nx").unwrap_err().contains("`severity: fatal`"));
        assert_eq!(parse_lenient("severity: fatal\nx").text, "severity: fatal x");
    }
}
