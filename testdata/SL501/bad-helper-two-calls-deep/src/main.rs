use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(archive)).await
}

async fn archive(event: LambdaEvent<Value>) -> Result<(), Error> {
    let key = event.payload["key"].as_str().unwrap_or("latest").to_string();
    store(&key).await
}

async fn store(key: &str) -> Result<(), Error> {
    let s3 = s3_client().await;
    s3.put_object().bucket("archive").key(key).send().await?;
    Ok(())
}

async fn s3_client() -> aws_sdk_s3::Client {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await; // expect: SL501
    aws_sdk_s3::Client::new(&config) // expect: SL501
}
