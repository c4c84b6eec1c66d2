//! The one-line summary the text formats end with, in the style of ruff:
//! `Found 3 findings (1 error, 2 warnings) in 2 files. 559 files checked (557 templates,
//! 0 sources), 2 could not be parsed.`

use std::collections::HashSet;

use super::{Report, Summary};

/// The summary line for `report`, without a trailing newline.
///
/// Counts come from `report.summary` (the same numbers the JSON summary shows); only the
/// number of files with findings is computed here, because `Summary` does not carry it.
pub(super) fn line(report: &Report) -> String {
    let s = &report.summary;
    let checked = checked(s);
    if s.findings == 0 && s.binaries_not_analysed == 0 {
        return format!("All checks passed. {checked}");
    }
    if s.findings == 0 {
        // Never "all passed" while a Lambda binary's handlers went unread (its SL005 was
        // ignored or suppressed).
        return format!("No findings, but not every Lambda binary could be analysed. {checked}");
    }
    let files: HashSet<_> = report.findings.iter().map(|f| f.file).collect();
    let breakdown = breakdown(s);
    let breakdown = if breakdown.is_empty() { String::new() } else { format!(" ({breakdown})") };
    format!(
        "Found {}{breakdown} in {}. {checked}",
        plural(s.findings, "finding", "findings"),
        plural(files.len(), "file", "files"),
    )
}

/// `1 error, 2 warnings, 3 info`: only the severities that occur.
fn breakdown(s: &Summary) -> String {
    let parts = [
        (s.errors, plural(s.errors, "error", "errors")),
        (s.warnings, plural(s.warnings, "warning", "warnings")),
        // "infos" reads badly; info is used as a mass noun.
        (s.infos, plural(s.infos, "info", "info")),
    ];
    let shown: Vec<String> = parts.into_iter().filter(|(n, _)| *n > 0).map(|(_, t)| t).collect();
    shown.join(", ")
}

/// `559 files checked (557 templates, 0 sources), 2 could not be parsed; 4 template functions,
/// 3 linked to Rust code; 3 of 4 Lambda binaries analysed.`
fn checked(s: &Summary) -> String {
    let mut text = format!(
        "{} checked ({}, {})",
        plural(s.files, "file", "files"),
        plural(s.templates, "template", "templates"),
        plural(s.sources, "source", "sources"),
    );
    if s.parse_failures > 0 {
        text.push_str(&format!(", {} could not be parsed", s.parse_failures));
    }
    if s.functions > 0 {
        text.push_str(&format!(
            "; {}, {} linked to Rust code",
            plural(s.functions, "template function", "template functions"),
            s.functions_linked
        ));
    }
    if s.lambda_binaries > 0 {
        let analysed = s.lambda_binaries - s.binaries_not_analysed.min(s.lambda_binaries);
        text.push_str(&format!(
            "; {} of {} analysed",
            analysed,
            plural(s.lambda_binaries, "Lambda binary", "Lambda binaries")
        ));
    }
    if s.baselined > 0 {
        text.push_str(&format!("; {} in the baseline not shown", plural(s.baselined, "finding", "findings")));
    }
    text.push('.');
    text
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(summary: Summary) -> Report {
        Report { findings: Vec::new(), summary }
    }

    #[test]
    fn clean_run() {
        let s = Summary { files: 1, templates: 1, ..Summary::default() };
        assert_eq!(line(&report(s)), "All checks passed. 1 file checked (1 template, 0 sources).");
    }

    #[test]
    fn findings_and_parse_failures() {
        let s = Summary {
            files: 559,
            templates: 557,
            sources: 0,
            findings: 3,
            errors: 1,
            warnings: 2,
            infos: 0,
            parse_failures: 2,
            lambda_binaries: 0,
            binaries_not_analysed: 0,
            functions: 0,
            functions_linked: 0,
            baselined: 0,
        };
        // No findings in the report itself, so "in 0 files": the count is the report's own.
        assert_eq!(
            line(&report(s)),
            "Found 3 findings (1 error, 2 warnings) in 0 files. 559 files checked \
             (557 templates, 0 sources), 2 could not be parsed."
        );
    }

    #[test]
    fn a_binary_not_analysed_is_never_all_passed() {
        let s = Summary { files: 3, sources: 3, lambda_binaries: 2, binaries_not_analysed: 1, ..Summary::default() };
        assert_eq!(
            line(&report(s)),
            "No findings, but not every Lambda binary could be analysed. 3 files checked (0 templates, 3 sources); \
             1 of 2 Lambda binaries analysed."
        );
        let s = Summary { files: 3, sources: 3, lambda_binaries: 2, ..Summary::default() };
        assert_eq!(
            line(&report(s)),
            "All checks passed. 3 files checked (0 templates, 3 sources); 2 of 2 Lambda binaries analysed."
        );
    }

    #[test]
    fn inconsistent_counts_do_not_leave_empty_parentheses() {
        let s = Summary { findings: 1, ..Summary::default() };
        assert_eq!(line(&report(s)), "Found 1 finding in 0 files. 0 files checked (0 templates, 0 sources).");
    }
}
