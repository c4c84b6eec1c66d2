//! A build without the `guard` feature: no pack can load, and saying so is an exit-2 error.

use std::io::Write;
use std::path::Path;

use super::{FailureRules, Packs};
use crate::diagnostic::{Finding, RuleInfo};
use crate::error::{Error, Result};
use crate::model::Template;
use crate::settings::RuleSettings;

fn unsupported(spec: &str) -> Error {
    Error::new(format!(
        "slint was built without Guard support, so it cannot load pack {spec} (rebuild with the `guard` feature)"
    ))
}

impl Packs {
    pub fn load(specs: &[String], _cwd: &Path) -> Result<Packs> {
        match specs.first() {
            Some(spec) => Err(unsupported(spec)),
            None => Ok(Packs::default()),
        }
    }

    pub fn is_empty(&self) -> bool {
        true
    }

    pub fn infos(&self) -> Vec<RuleInfo> {
        Vec::new()
    }

    pub fn check_templates(
        &self,
        templates: &[Template],
        _settings: &RuleSettings,
        _failures: &FailureRules,
    ) -> Vec<Vec<Finding>> {
        vec![Vec::new(); templates.len()]
    }
}

pub fn test_pack(spec: &str, _test_data: Option<&Path>, _cwd: &Path, _out: &mut dyn Write) -> Result<bool> {
    Err(unsupported(spec))
}
