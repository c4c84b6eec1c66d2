//! A legacy synchronous handler that keeps one runtime per execution environment in a
//! `LazyLock` and blocks on it: built once, not per invocation.
#[macro_use]
extern crate lambda_runtime;

use std::sync::LazyLock;

use lambda_runtime::{error::HandlerError, Context};
use serde_json::Value;
use tokio::runtime::Runtime;

static RT: LazyLock<Runtime> = LazyLock::new(|| Runtime::new().expect("runtime"));

fn main() {
    lambda!(on_event);
}

fn on_event(event: Value, _ctx: Context) -> Result<Value, HandlerError> {
    let doubled = RT.block_on(async { 2 });
    Ok(serde_json::json!({ "event": event, "doubled": doubled }))
}
