//! The Rust side: Cargo manifests, one `syn` pass per file, handlers and the invoke path.

pub mod cargo;
pub mod collect;
pub mod facts;
mod syntax;
