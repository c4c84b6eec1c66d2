use lambda::{lambda, Context};
use rusoto_core::Region;
use rusoto_sqs::{SqsClient, Sqs};
use serde_json::Value;

type Error = Box<dyn std::error::Error + Send + Sync + 'static>;

#[lambda]
#[tokio::main]
async fn main(event: Value, _: Context) -> Result<Value, Error> {
    let client = SqsClient::new(Region::UsEast1);
    client.list_queues(Default::default()).await?;
    Ok(event)
}
