//! `--statistics`: how many findings each rule has, one line per rule, like ruff's:
//!
//! `    3<TAB>SL101<TAB>uncapped-async-consumer`, then `    1<TAB>SL202<TAB>timeout-exceeds-api-limit`
//!
//! Most findings first, then by code. With `--format json`, the same as an array of
//! `{code, name, count}`; every other format gets the text table, then the summary line.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{OutputFormat, Report, printable, summary};

#[derive(Serialize)]
struct Count<'a> {
    code: &'a str,
    name: &'a str,
    count: usize,
}

/// The statistics of `report` in `format` (`json` or text).
pub fn statistics(report: &Report, format: OutputFormat, quiet: bool) -> String {
    let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &report.findings {
        *by_rule.entry((&f.code, &f.name)).or_default() += 1;
    }
    let mut counts: Vec<Count<'_>> =
        by_rule.into_iter().map(|((code, name), count)| Count { code, name, count }).collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(b.code)));
    if format == OutputFormat::Json {
        let mut text = serde_json::to_string_pretty(&counts).unwrap_or_else(|_| "[]".into());
        text.push('\n');
        return text;
    }
    let mut text = String::new();
    for c in &counts {
        text.push_str(&format!("{:>5}\t{}\t{}\n", c.count, printable(c.code), printable(c.name)));
    }
    if !quiet {
        text.push_str(&summary::line(report));
        text.push('\n');
    }
    text
}
