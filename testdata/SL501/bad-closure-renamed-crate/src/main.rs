//! No template: the crate is analysed on its own because it depends on lambda_runtime
//! (renamed to `lambda`).
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), lambda::Error> {
    lambda::run(lambda::service_fn(|event: lambda::LambdaEvent<Value>| async move {
        let http = reqwest::Client::builder().build()?; // expect: SL501
        http.post("https://hooks.example.com/notify").json(&event.payload).send().await?;
        Ok::<(), lambda::Error>(())
    }))
    .await
}
