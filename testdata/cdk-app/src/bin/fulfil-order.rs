//! Consumes the fulfilment queue, one order per message.

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use orders::Order;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    run(service_fn(|event: LambdaEvent<SqsEvent>| {
        let ddb = ddb.clone();
        async move { fulfil(&ddb, event).await }
    }))
    .await
}

async fn fulfil(ddb: &aws_sdk_dynamodb::Client, event: LambdaEvent<SqsEvent>) -> Result<(), Error> {
    for record in event.payload.records {
        let mut order: Order = serde_json::from_str(record.body.as_deref().unwrap_or("{}"))?;
        order.items.sort();
        orders::save(ddb, &order).await?;
    }
    Ok(())
}
