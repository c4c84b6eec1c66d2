//! The JSON loader on arbitrary bytes: decode, parse, build the tree, check its spans.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slint::model::load::{self, Format};
use slint::model::tree::Limits;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = load::decode(data) else { return };
    if let Ok(tree) = load::load(text, Format::Json, Limits::default()) {
        common::check_tree(text, &tree);
    }
});
