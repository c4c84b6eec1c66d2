//! Secrets and parameters read inside once-initialisers: once per execution environment.
use std::sync::LazyLock;

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;
use tokio::sync::OnceCell;

static SECRET: OnceCell<String> = OnceCell::const_new();
static REGION_HINT: LazyLock<String> = LazyLock::new(|| std::env::var("AWS_REGION").unwrap_or_default());

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let secrets = aws_sdk_secretsmanager::Client::new(&config);
    let ssm = aws_sdk_ssm::Client::new(&config);
    run(service_fn(|event: LambdaEvent<Value>| issue(&secrets, &ssm, event))).await
}

async fn issue(
    secrets: &aws_sdk_secretsmanager::Client,
    ssm: &aws_sdk_ssm::Client,
    event: LambdaEvent<Value>,
) -> Result<Value, Error> {
    let secret = SECRET
        .get_or_try_init(|| async {
            let out = secrets.get_secret_value().secret_id("jwt-secret").send().await?;
            Ok::<_, Error>(out.secret_string().unwrap_or_default().to_string())
        })
        .await?;
    let ttl = ttl(ssm).await?;
    Ok(serde_json::json!({ "sub": event.payload["sub"], "len": secret.len(), "ttl": ttl, "region": *REGION_HINT }))
}

async fn ttl(ssm: &aws_sdk_ssm::Client) -> Result<String, Error> {
    static TTL: OnceCell<String> = OnceCell::const_new();
    let value = TTL
        .get_or_try_init(|| async {
            let out = ssm.get_parameter().name("/tokens/ttl").send().await?;
            Ok::<_, Error>(out.parameter().and_then(|p| p.value()).unwrap_or("3600").to_string())
        })
        .await?;
    Ok(value.clone())
}
