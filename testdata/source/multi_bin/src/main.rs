#[macro_use]
extern crate lambda_runtime;

use lambda_runtime::{error::HandlerError, Context};
use serde_json::Value;

fn main() {
    lambda!(on_event);
}

fn on_event(event: Value, _ctx: Context) -> Result<Value, HandlerError> {
    Ok(event)
}
