//! The CloudFormation/SAM side: span-preserving loading and the typed template model.

pub mod json;
pub mod load;
pub mod tree;
pub mod yaml;
