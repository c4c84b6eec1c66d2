//! lambda_runtime 0.1: `lambda!` runs a plain function; there is no async runtime to block.
#[macro_use]
extern crate lambda_runtime;

use lambda_runtime::{error::HandlerError, Context};
use serde_json::Value;

fn main() {
    lambda!(on_event);
}

fn on_event(event: Value, _ctx: Context) -> Result<Value, HandlerError> {
    std::thread::sleep(std::time::Duration::from_millis(10));
    let template = std::fs::read_to_string("/opt/template.txt").unwrap_or_default();
    Ok(serde_json::json!({ "event": event, "template": template }))
}
