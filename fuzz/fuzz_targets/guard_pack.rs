//! Arbitrary bytes as a Guard pack file, loaded as `--pack org.guard` loads it: read (regular
//! file, size limit, UTF-8), parsed by Guard's parser, its custom messages read for severity,
//! help and summary; then listed (`slint rules`) and explained. A crash is a panic (slint
//! catches Guard's own panics and reports them as a pack error), or an error message that is
//! not one printable line: a pack error quotes at most a fragment of the pack's own text.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use slint::guard::Packs;

/// A folder on tmpfs, made once per process; each input overwrites its `org.guard`.
static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let dir = base.join(format!("slint-fuzz-guard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    dir
});

fuzz_target!(|data: &[u8]| {
    std::fs::write(DIR.join("org.guard"), data).expect("write the pack");
    match Packs::load(&["org.guard".to_string()], &DIR) {
        Ok(packs) => {
            let infos = packs.infos();
            let _ = slint::report::rules_table(&infos);
            let _ = slint::report::rules_json(&infos);
            for info in &infos {
                assert!(info.code.starts_with("org/"), "a rule outside the pack: {}", info.code);
                let _ = slint::report::explain_pack_rule(info);
            }
        }
        Err(err) => {
            let shown = err.to_string();
            assert!(!shown.contains('\n'), "a message on several lines: {shown:?}");
            assert!(!shown.chars().any(slint::report::is_unprintable), "a control character reaches stderr: {shown:?}");
        }
    }
});
