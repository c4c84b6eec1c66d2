//! A queue worker may scan: nobody waits for it.
use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    run(service_fn(|event: LambdaEvent<SqsEvent>| rebuild(&ddb, event))).await
}

async fn rebuild(ddb: &aws_sdk_dynamodb::Client, _event: LambdaEvent<SqsEvent>) -> Result<(), Error> {
    let page = ddb.scan().table_name("products").send().await?;
    println!("{} products", page.count());
    Ok(())
}
