//! The CloudFormation/SAM side: span-preserving loading and the typed template model.

pub mod api;
pub mod events;
pub mod foreach;
pub mod function;
pub mod intrinsics;
pub mod json;
pub mod load;
pub mod queue;
pub mod sam;
pub mod template;
pub mod tree;
pub mod yaml;

pub use function::FunctionId;
pub use template::{LogicalId, Modelled, Resource, ResourceId, ResourceKind, Setting, Template, TemplateId};
