//! slint: an architecture linter for AWS serverless projects.
//!
//! Models in, rules in the middle, renderers out:
//! `files`/`model`/`source` load what is on disk, `rules` query those models and produce
//! `diagnostic::Finding`s, `report` turns findings into text.

pub mod diagnostic;
pub mod files;
pub mod model;
pub mod report;
pub mod span;
