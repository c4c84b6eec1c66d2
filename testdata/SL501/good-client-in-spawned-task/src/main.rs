//! Clients built inside tasks and threads that `main` starts once: init code, not handlers.
use std::sync::Arc;

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::{json, Value};
use tokio::sync::RwLock;

type Flags = Arc<RwLock<Value>>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let flags: Flags = Arc::new(RwLock::new(json!({})));

    // Refreshes the feature flags in the background for the life of the environment.
    let shared = flags.clone();
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        loop {
            refresh(&client, &shared).await;
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    });

    // Warms the S3 connection pool off the async workers while the runtime starts.
    let warm_config = config.clone();
    std::thread::spawn(move || {
        let s3 = aws_sdk_s3::Client::new(&warm_config);
        drop(s3);
    });

    run(service_fn(|event: LambdaEvent<Value>| handler(&flags, event))).await
}

async fn refresh(client: &reqwest::Client, flags: &Flags) {
    if let Ok(response) = client.get("https://flags.example.com/v1/flags").send().await {
        if let Ok(latest) = response.json::<Value>().await {
            *flags.write().await = latest;
        }
    }
}

async fn handler(flags: &Flags, event: LambdaEvent<Value>) -> Result<Value, Error> {
    let feature = event.payload["feature"].as_str().unwrap_or_default();
    let enabled = flags.read().await[feature].as_bool().unwrap_or(false);
    Ok(json!({ "enabled": enabled }))
}
