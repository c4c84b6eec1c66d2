//! One in-memory template through everything `slint check` does with it: load, model, every
//! built-in rule, the builtin Guard pack, suppressions, and every output format. Panics inside
//! rules and loaders are caught by slint and become SL004 findings, so an SL004 is a crash.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use slint::guard::Packs;
use slint::model::load;
use slint::model::tree::Limits;
use slint::project::Project;
use slint::report::{self, OutputFormat, RenderOptions, Report, Summary};
use slint::settings::Settings;

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| Settings::new(PathBuf::from("/nonexistent/slint-fuzz")));
static PACKS: LazyLock<Packs> = LazyLock::new(|| {
    let builtin = if slint::guard::ENABLED { vec!["builtin:well-architected".to_string()] } else { Vec::new() };
    Packs::load(&builtin, Path::new("/")).expect("the builtin pack loads")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = load::decode(data) else { return };
    let json = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).starts_with('{');
    let name = if json { "template.json" } else { "template.yaml" };
    let path = SETTINGS.cwd.join(name);
    let mut project = Project::from_text(path, text, &SETTINGS, Limits::default());
    project.capacity = slint::capacity::plan(&project, &SETTINGS);
    let findings = slint::rules::engine::run(&project, &SETTINGS, &PACKS);
    if let Some(crash) = findings.iter().find(|f| f.code == "SL004") {
        panic!("{}", crash.message);
    }
    let report = Report { findings, summary: Summary::default() };
    let mut rules = slint::rules::registry::infos();
    rules.extend(PACKS.infos());
    for format in
        [OutputFormat::Human, OutputFormat::Concise, OutputFormat::Json, OutputFormat::Sarif, OutputFormat::Github]
    {
        let mut out = Vec::new();
        report::render(format, &report, &project.db, &rules, RenderOptions::default(), &mut out).expect("renders");
    }
});
