use lambda_runtime::{run, service_fn, Error, LambdaEvent};

mod bad;
mod deep;
mod missing;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handle)).await
}

async fn handle(event: LambdaEvent<String>) -> Result<String, Error> {
    reqwest::get("https://example.com").await?;
    Ok(event.payload)
}
