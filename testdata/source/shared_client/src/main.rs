use aws_sdk_dynamodb::Client;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

mod helpers;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = Client::new(&config);
    run(service_fn(|event: LambdaEvent<Value>| {
        let client = client.clone();
        async move { handle(&client, event).await }
    }))
    .await
}

async fn handle(client: &Client, event: LambdaEvent<Value>) -> Result<Value, Error> {
    client.get_item().table_name("orders").send().await?;
    helpers::notify(&event.payload).await?;
    Ok(event.payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_mock() {
        let _mock = Client::from_conf(aws_sdk_dynamodb::Config::builder().build());
    }
}
