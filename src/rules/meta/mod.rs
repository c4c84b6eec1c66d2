//! SL0xx: problems with the input itself and with suppressions.

mod duplicate_key;
mod internal_error;
mod parse_error;
mod unexpanded_loop;
mod unresolved_code_link;
mod unused_suppression;

pub use duplicate_key::DuplicateKey;
pub use internal_error::InternalError;
pub use parse_error::ParseError;
pub use unexpanded_loop::UnexpandedLoop;
pub use unresolved_code_link::UnresolvedCodeLink;
pub use unused_suppression::UnusedSuppression;
