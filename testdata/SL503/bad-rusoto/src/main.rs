//! No template, rusoto era: the client is shared, the secret is read per invocation.
use lambda_runtime::{handler_fn, Context, Error};
use rusoto_core::Region;
use rusoto_secretsmanager::{GetSecretValueRequest, SecretsManager, SecretsManagerClient};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = SecretsManagerClient::new(Region::default());
    lambda_runtime::run(handler_fn(|event: Value, ctx: Context| handle(&client, event, ctx))).await
}

async fn handle(client: &SecretsManagerClient, event: Value, _: Context) -> Result<Value, Error> {
    let request = GetSecretValueRequest { secret_id: "api-token".to_string(), ..Default::default() };
    let secret = client.get_secret_value(request).await?; // expect: SL503
    Ok(serde_json::json!({ "event": event, "has_token": secret.secret_string.is_some() }))
}
