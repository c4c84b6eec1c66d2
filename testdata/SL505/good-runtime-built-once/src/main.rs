//! A runtime built once in a synchronous `main` to drive the Lambda runtime (no
//! `#[tokio::main]`): init code, not per invocation.
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

fn main() -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(run(service_fn(work)))
}

async fn work(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}
