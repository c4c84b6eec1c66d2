//! JSON templates → [`Tree`] (not written yet).

use crate::model::load::LoadError;
use crate::model::tree::{Limits, Tree};

pub(crate) fn load(_text: &str, _limits: Limits) -> Result<Tree, LoadError> {
    Err(LoadError::at(0, "JSON templates are not supported yet"))
}
