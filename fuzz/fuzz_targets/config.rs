//! Arbitrary bytes as a `slint.toml`: read from a file as `slint check` reads it (regular file,
//! size limit, UTF-8), parsed, then applied to the settings (selectors, globs, pack paths,
//! accounts, functions, rule options and their ceilings). A pull request can change the config,
//! so anything but a clean error is a crash: a panic, or an error message that is not one
//! printable line.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use slint::settings::Settings;

/// A project folder on tmpfs, made once per process; each input overwrites its `slint.toml`.
static PROJECT: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let dir = base.join(format!("slint-fuzz-config-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("policies")).expect("temp project");
    std::fs::write(dir.join("policies/org.guard"), "rule A { Resources exists }\n").expect("a pack");
    dir
});

fuzz_target!(|data: &[u8]| {
    let path = PROJECT.join("slint.toml");
    std::fs::write(&path, data).expect("write the config");
    let outcome = slint::config::load(&path).and_then(|loaded| {
        let mut settings = Settings::new(PROJECT.clone());
        settings.apply_config(&loaded).map(|()| settings)
    });
    match outcome {
        Ok(settings) => {
            assert!(settings.max_file_size <= slint::limits::MAX_FILE_SIZE_CEILING, "max-file-size past its ceiling");
            for pack in settings.packs.iter().filter(|p| !p.starts_with("builtin:")) {
                assert!(std::path::Path::new(pack).starts_with(&*PROJECT), "a pack outside the project: {pack}");
            }
        }
        Err(err) => {
            let shown = err.to_string();
            assert!(!shown.contains('\n'), "a message on several lines: {shown:?}");
            assert!(!shown.chars().any(slint::report::is_unprintable), "a control character reaches stderr: {shown:?}");
        }
    }
});
