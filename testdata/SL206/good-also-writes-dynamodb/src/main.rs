//! The function also records the submission in DynamoDB: more than a forwarder.
use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{run, service_fn, Body, Error, Request, Response};

struct Clients {
    sqs: aws_sdk_sqs::Client,
    ddb: aws_sdk_dynamodb::Client,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let clients = Clients { sqs: aws_sdk_sqs::Client::new(&config), ddb: aws_sdk_dynamodb::Client::new(&config) };
    run(service_fn(|request: Request| submit(&clients, request))).await
}

async fn submit(clients: &Clients, request: Request) -> Result<Response<Body>, Error> {
    let body: serde_json::Value = serde_json::from_slice(request.body())?;
    let id = body["id"].as_str().unwrap_or_default().to_string();
    clients.ddb.put_item().table_name("submissions").item("id", AttributeValue::S(id)).send().await?;
    clients.sqs.send_message().queue_url(std::env::var("QUEUE_URL")?).message_body(body.to_string()).send().await?;
    Ok(Response::builder().status(202).body(Body::Empty)?)
}
