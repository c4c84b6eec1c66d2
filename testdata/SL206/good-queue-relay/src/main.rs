//! Not behind an API: there is no API Gateway integration to replace it with.
use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sqs = aws_sdk_sqs::Client::new(&config);
    run(service_fn(|event: LambdaEvent<SqsEvent>| relay(&sqs, event))).await
}

async fn relay(sqs: &aws_sdk_sqs::Client, event: LambdaEvent<SqsEvent>) -> Result<(), Error> {
    let body = event.payload.records.first().and_then(|r| r.body.clone()).unwrap_or_default();
    sqs.send_message().queue_url(std::env::var("QUEUE_URL")?).message_body(body).send().await?;
    Ok(())
}
