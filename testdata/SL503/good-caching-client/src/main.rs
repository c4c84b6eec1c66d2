//! Secrets read per invocation through the Secrets Manager caching client (TTL cache in the
//! execution environment): no call reaches Secrets Manager until the entry expires.
use std::num::NonZeroUsize;
use std::time::Duration;

use aws_secretsmanager_caching::SecretsManagerCachingClient;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let cache = SecretsManagerCachingClient::from_builder(
        aws_sdk_secretsmanager::config::Builder::from(&config),
        NonZeroUsize::new(100).unwrap(),
        Duration::from_secs(300),
        false,
    )
    .await?;
    run(service_fn(|event: LambdaEvent<Value>| handle(&cache, event))).await
}

async fn handle(cache: &SecretsManagerCachingClient, event: LambdaEvent<Value>) -> Result<Value, Error> {
    let secret = cache.get_secret_value("api-key", None, None, false).await?;
    let rotated = lookup(cache).await?;
    Ok(serde_json::json!({ "id": event.payload["id"], "key": secret.secret_string.is_some(), "rotated": rotated }))
}

async fn lookup(cache: &SecretsManagerCachingClient) -> Result<bool, Error> {
    let value = cache.get_secret_value("rotating-key", None, None, true).await?;
    Ok(value.secret_string.is_some())
}
