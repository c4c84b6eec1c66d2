//! No template: an HTTP handler whose only I/O is one SQS batch send, behind a helper.
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sqs = aws_sdk_sqs::Client::new(&config);
    run(service_fn(|request: Request| ingest(&sqs, request))).await
}

async fn ingest(sqs: &aws_sdk_sqs::Client, request: Request) -> Result<Response<Body>, Error> {
    let body = String::from_utf8(request.body().to_vec())?;
    enqueue(sqs, body).await?;
    Ok(Response::builder().status(202).body(Body::Empty)?)
}

async fn enqueue(sqs: &aws_sdk_sqs::Client, body: String) -> Result<(), Error> {
    let entry = SendMessageBatchRequestEntry::builder().id("0").message_body(body).build()?;
    sqs.send_message_batch().queue_url("https://sqs.eu-west-1.amazonaws.com/123456789012/ingest").entries(entry).send().await?; // expect: SL206
    Ok(())
}
