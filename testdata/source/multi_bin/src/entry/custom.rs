use lambda_runtime::layers::TracingLayer;
use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    Runtime::new(service_fn(echo)).layer(TracingLayer::new()).run().await
}

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}
