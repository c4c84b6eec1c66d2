use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(|event: LambdaEvent<Value>| async move {
        let http = reqwest::Client::new();
        http.get("https://example.com").send().await?;
        Ok::<Value, Error>(event.payload)
    }))
    .await
}
