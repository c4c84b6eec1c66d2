//! `slint capacity`: the concurrency budget of each account as a table, as JSON, or as a
//! self-contained HTML page with a chart (inline SVG and CSS: no script, no network).

use std::fmt::Write;

use serde::Serialize;

use crate::capacity::{AccountBudget, CapacityPlan, DeclaredLoad, FunctionBudget};
use crate::model::function::MIN_UNRESERVED;

/// One table per account, then its totals.
pub fn table(plan: &CapacityPlan) -> String {
    let mut out = String::new();
    if plan.accounts.is_empty() {
        out.push_str("No functions found.\n");
        return out;
    }
    for account in &plan.accounts {
        let _ = writeln!(out, "Account `{}` (quota {})\n", account.name, account.quota);
        let header = ["function", "template", "trigger", "timeout", "memory", "reserved", "declared load", "required"];
        let rows: Vec<[String; 8]> = account.functions.iter().map(row).collect();
        let mut widths = header.map(str::len);
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        write_row(&mut out, &header.map(str::to_string), &widths);
        write_row(&mut out, &widths.map(|w| "-".repeat(w)), &widths);
        for row in &rows {
            write_row(&mut out, row, &widths);
        }
        out.push('\n');
        for line in totals(account) {
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }
    out
}

fn write_row(out: &mut String, cells: &[String; 8], widths: &[usize; 8]) {
    let line: Vec<String> = cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
    let _ = writeln!(out, "{}", line.join("  ").trim_end());
}

fn row(f: &FunctionBudget) -> [String; 8] {
    // Logical ids and paths come from the templates: no terminal escapes (`super::printable`).
    [
        super::printable(&f.function_id).into_owned(),
        super::printable(&f.template_path).into_owned(),
        trigger(f),
        f.timeout_s.map_or("?".into(), |t| format!("{t} s")),
        f.memory_mb.map_or("?".into(), |m| format!("{m} MB")),
        reserved(f),
        f.load.map_or("not declared".into(), |l| load(&l)),
        f.required_concurrency.map_or("-".into(), |r| r.to_string()),
    ]
}

fn trigger(f: &FunctionBudget) -> String {
    if f.sources.is_empty() { f.trigger.to_string() } else { format!("{} ({})", f.trigger, f.sources.join(", ")) }
}

fn reserved(f: &FunctionBudget) -> String {
    match (f.reserved, f.reserved_unknown) {
        (Some(r), _) => r.to_string(),
        (None, true) => "set (unknown)".into(),
        (None, false) => "none".into(),
    }
}

fn load(l: &DeclaredLoad) -> String {
    format!("{} req/s × {} ms", number(l.peak_rps), number(l.avg_duration_ms))
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") }
}

/// The account's totals against its quota, in words.
fn totals(a: &AccountBudget) -> Vec<String> {
    let mut lines = vec![
        format!("reserved total: {} of {}", a.reserved_total, a.quota),
        format!(
            "unreserved pool left: {}{}",
            a.unreserved,
            if a.leaves_too_little_unreserved() {
                format!(" (below the {MIN_UNRESERVED} AWS keeps unreserved)")
            } else {
                String::new()
            }
        ),
    ];
    let uncapped = a.functions.iter().filter(|f| !f.is_capped()).count();
    let mut demand = format!("demand of the {uncapped} functions without a reservation: {}", a.uncapped_demand);
    if a.uncapped_without_load > 0 {
        let _ = write!(demand, " (+ {} without a declared load: unknown)", a.uncapped_without_load);
    }
    if a.uncapped_demand > a.unreserved.max(0) as u64 {
        let _ = write!(demand, ", more than the {} unreserved", a.unreserved.max(0));
    }
    lines.push(demand);
    lines
}

#[derive(Serialize)]
struct Versioned<'a> {
    version: u32,
    accounts: &'a [AccountBudget],
}

/// The plan as one JSON object, versioned like `check --format json`.
pub fn json(plan: &CapacityPlan) -> String {
    let mut text = serde_json::to_string_pretty(&Versioned { version: 1, accounts: &plan.accounts })
        .unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// Colours for functions in the chart (Okabe–Ito, distinguishable with colour blindness).
const PALETTE: [&str; 7] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];

/// A self-contained HTML page: for each account a chart of its concurrency split (reserved
/// per function, unreserved pool, declared demand) and the table.
pub fn html(plan: &CapacityPlan) -> String {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str(HEAD);
    out.push_str("<h1>Concurrency budget</h1>\n<p class=\"lede\">Required concurrency = peak requests per second × average duration in seconds. Each account has a regional quota, of which AWS keeps ");
    let _ = write!(out, "{MIN_UNRESERVED}");
    out.push_str(" unreserved; functions without reserved concurrency share what is left. Only declared loads are counted.</p>\n");
    if plan.accounts.is_empty() {
        out.push_str("<p>No functions found.</p>\n");
    }
    for account in &plan.accounts {
        account_section(&mut out, account);
    }
    out.push_str("</body>\n</html>\n");
    out
}

const HEAD: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>slint capacity</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .3rem; }
.lede { color: #4a5163; max-width: 52rem; }
.stats { display: flex; gap: 1.5rem; flex-wrap: wrap; margin: .4rem 0 1rem; }
.stat { background: #f3f5f9; border-radius: 6px; padding: .45rem .8rem; }
.stat b { display: block; font-size: 1.3rem; }
.stat.bad { background: #fde8e4; color: #8c1d0f; }
.stat small { display: block; font-size: .8rem; }
.legend { list-style: none; padding: 0; margin: .2rem 0 .6rem; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: 14px; }
.legend .row { font-weight: 600; margin-right: .2rem; }
.under { color: #8c1d0f; font-weight: 600; }
tr.under td { background: #fde8e4; }
.caveat { background: #fff6dd; border-left: 4px solid #E69F00; padding: .5rem .8rem; max-width: 52rem; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 13px system-ui, sans-serif; fill: #1d2330; }
svg .inside { fill: #fff; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; font-size: 14px; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e3e6ee; }
th { background: #f3f5f9; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .4rem; vertical-align: -1px; }
code { font-size: .95em; }
</style>
</head>
<body>
"#;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn colour(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

fn account_section(out: &mut String, a: &AccountBudget) {
    let _ = writeln!(out, "<section>\n<h2>Account <code>{}</code></h2>", escape(&a.name));
    let over = a.uncapped_demand > a.unreserved.max(0) as u64;
    // The demand of functions without a declared load is unknown: the figure is a floor.
    let unknown = if a.uncapped_without_load > 0 {
        format!("<small>+ {} without a declared load: unknown</small>", a.uncapped_without_load)
    } else {
        String::new()
    };
    let under = under_reserved(a).count();
    let _ = writeln!(
        out,
        "<div class=\"stats\"><div class=\"stat\">quota<b>{}</b></div><div class=\"stat\">reserved<b>{}</b></div><div class=\"stat{}\">unreserved pool<b>{}</b></div><div class=\"stat{}\">demand without reservation<b>{}</b>{unknown}</div><div class=\"stat\">functions<b>{}</b></div><div class=\"stat{}\">under-reserved<b>{under}</b></div></div>",
        a.quota,
        a.reserved_total,
        if a.leaves_too_little_unreserved() { " bad" } else { "" },
        a.unreserved,
        if over { " bad" } else { "" },
        a.uncapped_demand,
        a.functions.len(),
        if under > 0 { " bad" } else { "" },
    );
    caveat(out, a);
    chart(out, a);
    legend(out, a);
    functions_table(out, a);
    out.push_str("</section>\n");
}

/// Functions whose reservation is below the concurrency their declared load needs: the rest of
/// their requests are throttled (SL104).
fn under_reserved(a: &AccountBudget) -> impl Iterator<Item = &FunctionBudget> {
    a.functions.iter().filter(|f| is_under_reserved(f))
}

fn is_under_reserved(f: &FunctionBudget) -> bool {
    matches!((f.reserved, f.required_concurrency), (Some(reserved), Some(required)) if (reserved.max(0) as u64) < required)
}

/// What the chart cannot show: functions whose demand is unknown.
fn caveat(out: &mut String, a: &AccountBudget) {
    let undeclared: Vec<&str> =
        a.functions.iter().filter(|f| f.load.is_none()).map(|f| f.function_id.as_str()).collect();
    if undeclared.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"caveat\"><b>Unknown demand:</b> {} of {} functions have no declared load ({}), so their demand is unknown and not drawn: the demand shown is a lower bound{}. Declare <code>peak-rps</code> and <code>avg-duration-ms</code> in the template's <code>Metadata.slint</code> or in <code>slint.toml</code>.</p>",
        undeclared.len(),
        a.functions.len(),
        escape(&undeclared.join(", ")),
        if a.uncapped_without_load > 0 {
            format!(", and {} of them without a reservation draw on the unreserved pool", a.uncapped_without_load)
        } else {
            String::new()
        }
    );
}

/// Every segment of both bars in words, so no figure needs hovering: the name, the value, and
/// for an under-reserved function what it reserves against what it needs.
fn legend(out: &mut String, a: &AccountBudget) {
    out.push_str("<ul class=\"legend\"><li class=\"row\">Quota split:</li>");
    let mut reserved_total = 0;
    for (i, f) in a.functions.iter().enumerate() {
        let Some(reserved) = f.reserved.filter(|r| *r > 0) else { continue };
        reserved_total += reserved;
        let _ = write!(
            out,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{} {reserved}</li>",
            colour(i),
            escape(&f.function_id)
        );
    }
    let _ = write!(
        out,
        "<li><span class=\"swatch\" style=\"background:#dfe3ec\"></span>unreserved {}</li>",
        (a.quota - reserved_total).max(0)
    );
    out.push_str("</ul>\n<ul class=\"legend\"><li class=\"row\">Declared demand:</li>");
    for (i, f) in a.functions.iter().enumerate() {
        let Some(required) = f.required_concurrency else { continue };
        let fill = if f.is_capped() { colour(i) } else { "#9aa3b5" };
        let note = if is_under_reserved(f) {
            format!(" <span class=\"under\">(reserves {}: under-reserved)</span>", f.reserved.unwrap_or(0))
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<li><span class=\"swatch\" style=\"background:{fill}\"></span>{} {required}{note}</li>",
            escape(&f.function_id)
        );
    }
    if a.functions.iter().all(|f| f.required_concurrency.is_none()) {
        out.push_str("<li>no declared load</li>");
    }
    out.push_str("</ul>\n");
}

/// Two stacked bars on one scale: the quota split (reservations, unreserved pool) and the
/// declared demand, with the quota and the 100-execution floor marked.
fn chart(out: &mut String, a: &AccountBudget) {
    const LEFT: f64 = 150.0;
    const WIDTH: f64 = 820.0;
    const BAR: f64 = 34.0;
    let demand_total: u64 = a.functions.iter().filter_map(|f| f.required_concurrency).sum();
    let scale_max = (a.quota.max(0) as f64).max(a.reserved_total as f64).max(demand_total as f64).max(1.0);
    let x = |value: f64| LEFT + value / scale_max * WIDTH;
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 1000 170\" role=\"img\" aria-label=\"concurrency of account {}: quota {}, reserved {}, demand {}\">",
        escape(&a.name),
        a.quota,
        a.reserved_total,
        demand_total
    );
    // Row 1: the quota split.
    let y1 = 20.0;
    let _ = writeln!(out, "<text x=\"0\" y=\"{}\">quota split</text>", y1 + 22.0);
    let mut offset = 0.0;
    for (i, f) in a.functions.iter().enumerate() {
        let Some(reserved) = f.reserved.filter(|r| *r > 0) else { continue };
        segment(out, x(offset), y1, x(offset + reserved as f64) - x(offset), BAR, colour(i), &f.function_id, reserved);
        offset += reserved as f64;
    }
    let unreserved = (a.quota as f64 - offset).max(0.0);
    if unreserved > 0.0 {
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{y1}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"#dfe3ec\"><title>unreserved: {}</title></rect>",
            x(offset),
            x(offset + unreserved) - x(offset),
            unreserved
        );
        if x(offset + unreserved) - x(offset) > 90.0 {
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{}\">unreserved {}</text>",
                x(offset) + 8.0,
                y1 + 22.0,
                unreserved
            );
        }
    }
    // Row 2: declared demand, capped functions in their colour, uncapped ones hatched.
    let y2 = 80.0;
    let _ = writeln!(out, "<text x=\"0\" y=\"{}\">declared demand</text>", y2 + 22.0);
    let mut offset = 0.0;
    for (i, f) in a.functions.iter().enumerate() {
        let Some(required) = f.required_concurrency.filter(|r| *r > 0) else { continue };
        let fill = if f.is_capped() { colour(i) } else { "#9aa3b5" };
        segment(
            out,
            x(offset),
            y2,
            x(offset + required as f64) - x(offset),
            BAR,
            fill,
            &f.function_id,
            required as i64,
        );
        if is_under_reserved(f) {
            // Outlined: the part of the demand its reservation cannot serve.
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{y2}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"none\" stroke=\"#8c1d0f\" stroke-width=\"3\"/>",
                x(offset),
                (x(offset + required as f64) - x(offset)).max(1.0)
            );
        }
        offset += required as f64;
    }
    if demand_total == 0 {
        let _ = writeln!(out, "<text x=\"{LEFT}\" y=\"{}\">no declared load</text>", y2 + 22.0);
    }
    // Markers: the quota, and where the unreserved floor starts.
    let quota_x = x(a.quota as f64);
    let floor_x = x((a.quota - MIN_UNRESERVED).max(0) as f64);
    let _ = writeln!(
        out,
        "<line x1=\"{quota_x:.1}\" y1=\"10\" x2=\"{quota_x:.1}\" y2=\"124\" stroke=\"#1d2330\" stroke-width=\"2\"/>\n<text x=\"{:.1}\" y=\"140\" text-anchor=\"end\">quota {}</text>",
        quota_x, a.quota
    );
    let _ = writeln!(
        out,
        "<line x1=\"{floor_x:.1}\" y1=\"14\" x2=\"{floor_x:.1}\" y2=\"58\" stroke=\"#8c1d0f\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n<text x=\"{:.1}\" y=\"160\" text-anchor=\"end\" style=\"fill:#8c1d0f\">AWS keeps {MIN_UNRESERVED} unreserved</text>",
        floor_x,
    );
    out.push_str("</svg>\n<p class=\"lede\">Both bars share one scale. Top: the quota split into each function's reservation (its colour) and the unreserved pool (light grey). Bottom: the concurrency each function needs at its declared load; grey functions have no reservation and draw on the unreserved pool; a red outline marks a function that needs more than it reserves. The lists below the chart give every figure.</p>\n");
}

#[allow(clippy::too_many_arguments)]
fn segment(out: &mut String, x: f64, y: f64, width: f64, height: f64, fill: &str, label: &str, value: i64) {
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{:.1}\" height=\"{height}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1\"><title>{}: {value}</title></rect>",
        width.max(1.0),
        escape(label)
    );
    let text = format!("{} {value}", escape(label));
    // Roughly 7 px per character at 13 px: label only what fits.
    if width > text.chars().count() as f64 * 7.2 + 12.0 {
        let _ = writeln!(out, "<text class=\"inside\" x=\"{:.1}\" y=\"{}\">{text}</text>", x + 6.0, y + 22.0);
    }
}

fn functions_table(out: &mut String, a: &AccountBudget) {
    out.push_str("<table>\n<thead><tr><th>function</th><th>template</th><th>trigger</th><th>timeout</th><th>memory</th><th>reserved</th><th>declared load</th><th>required</th></tr></thead>\n<tbody>\n");
    for (i, f) in a.functions.iter().enumerate() {
        let cells = row(f);
        let under = is_under_reserved(f);
        let _ = writeln!(
            out,
            "<tr{}><td><span class=\"swatch\" style=\"background:{}\"></span>{}{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            if under { " class=\"under\"" } else { "" },
            if f.is_capped() { colour(i) } else { "#9aa3b5" },
            escape(&cells[0]),
            if under { " <span class=\"under\">under-reserved</span>" } else { "" },
            escape(&cells[1]),
            escape(&cells[2]),
            escape(&cells[3]),
            escape(&cells[4]),
            escape(&cells[5]),
            escape(&cells[6]),
            escape(&cells[7])
        );
    }
    out.push_str("</tbody>\n</table>\n<ul>\n");
    for line in totals(a) {
        let _ = writeln!(out, "<li>{}</li>", escape(&line));
    }
    out.push_str("</ul>\n");
}
