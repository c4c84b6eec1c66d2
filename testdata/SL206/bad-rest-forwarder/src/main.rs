use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sqs = aws_sdk_sqs::Client::new(&config);
    let queue_url = std::env::var("QUEUE_URL")?;
    run(service_fn(|request: Request| submit(&sqs, &queue_url, request))).await
}

async fn submit(sqs: &aws_sdk_sqs::Client, queue_url: &str, request: Request) -> Result<Response<Body>, Error> {
    let body: serde_json::Value = serde_json::from_slice(request.body())?;
    sqs.send_message() // expect: SL206
        .queue_url(queue_url)
        .message_body(body.to_string())
        .send()
        .await?;
    Ok(Response::builder().status(202).body(Body::Empty)?)
}
