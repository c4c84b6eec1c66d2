use std::sync::OnceLock;

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

static S3: OnceLock<aws_sdk_s3::Client> = OnceLock::new();

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Built once per execution environment, before the runtime starts.
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    S3.get_or_init(|| aws_sdk_s3::Client::new(&config));
    run(service_fn(move |event: LambdaEvent<Value>| {
        // A clone of a client is a reference count, not a new client.
        let ddb = ddb.clone();
        let config = config.clone();
        async move { handle(&ddb, &config, event).await }
    }))
    .await
}

async fn handle(ddb: &aws_sdk_dynamodb::Client, config: &aws_config::SdkConfig, event: LambdaEvent<Value>) -> Result<(), Error> {
    ddb.get_item().table_name("orders").send().await?;
    let s3 = S3.get().expect("initialised in main");
    s3.list_buckets().send().await?;
    // The management API endpoint depends on the caller's connection.
    let endpoint = event.payload["endpoint"].as_str().unwrap_or_default().to_string();
    let management = aws_sdk_apigatewaymanagement::Client::from_conf( // slint: allow(client-in-handler) the endpoint is per connection
        aws_sdk_apigatewaymanagement::config::Builder::from(config).endpoint_url(endpoint).build(),
    );
    management.post_to_connection().connection_id("id").send().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn mock_clients_in_tests_are_not_findings() {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let _ = aws_sdk_dynamodb::Client::new(&config);
    }
}
