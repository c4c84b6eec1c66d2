use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let svc = service_fn(on_a);
    lambda_runtime::run_concurrent(svc).await
}

async fn on_a(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}
