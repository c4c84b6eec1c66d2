//! lambda_runtime 0.1 with a synchronous handler that drives async SDK calls by building a
//! runtime on every invocation.
#[macro_use]
extern crate lambda_runtime;

use lambda_runtime::{error::HandlerError, Context};
use serde_json::Value;

fn main() {
    lambda!(on_event);
}

fn on_event(event: Value, _ctx: Context) -> Result<Value, HandlerError> {
    let rt = tokio::runtime::Runtime::new().map_err(|e| HandlerError::from(e.to_string().as_str()))?; // expect: SL505
    let count = rt.block_on(count_items()) + audit();
    Ok(serde_json::json!({ "event": event, "count": count }))
}

async fn count_items() -> i32 {
    let config = aws_config::load_from_env().await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    ddb.scan().table_name("items").send().await.map(|o| o.count()).unwrap_or(0)
}

fn audit() -> i32 {
    let rt = tokio::runtime::Builder::new_current_thread() // expect: SL505
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async { 1 })
}
