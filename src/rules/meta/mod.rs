//! SL0xx: problems with the input itself and with suppressions.

mod duplicate_key;
mod parse_error;
mod unused_suppression;

pub use duplicate_key::DuplicateKey;
pub use parse_error::ParseError;
pub use unused_suppression::UnusedSuppression;
