//! A nightly report of the day's orders, run on a schedule.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(report)).await
}

async fn report(event: LambdaEvent<Value>) -> Result<(), Error> {
    // A new SDK client on every invocation.
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    let count = ddb.scan().table_name(orders::table_name()).send().await?.count();
    println!("{} orders at {:?}", count, event.payload.get("time"));
    Ok(())
}
