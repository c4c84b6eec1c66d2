use aws_sdk_s3 as s3;
use lambda::{Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda::run(lambda::service_fn(list)).await
}

async fn list(event: LambdaEvent<serde_json::Value>) -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let client = s3::Client::new(&config);
    client.list_buckets().send().await?;
    let _ = event;
    Ok(())
}
