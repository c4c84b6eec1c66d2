use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ses = aws_sdk_sesv2::Client::new(&config);
    run(service_fn(|event: LambdaEvent<SqsEvent>| send_all(&ses, event))).await
}

/// A queue worker may take its time: nobody waits on the other side.
async fn send_all(ses: &aws_sdk_sesv2::Client, event: LambdaEvent<SqsEvent>) -> Result<(), Error> {
    for _record in event.payload.records {
        ses.send_email().send().await?;
    }
    Ok(())
}
