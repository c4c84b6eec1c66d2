//! No template: an async handler that nests executors.
use futures::executor::block_on;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(|event: LambdaEvent<Value>| async move { handle(event) })).await
}

fn handle(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let enriched = block_on(enrich(event.payload)); // expect: SL505
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build()?; // expect: SL505
    let total = rt.block_on(async { 2 });
    Ok(serde_json::json!({ "enriched": enriched, "total": total }))
}

async fn enrich(payload: Value) -> Value {
    payload
}
