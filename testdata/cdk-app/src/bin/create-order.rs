//! POST /orders: stores the order, queues its fulfilment, and emails a receipt.

use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use lambda_http::{run, service_fn, Body as HttpBody, Error, Request, Response};
use orders::Order;

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().init();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    let sqs = aws_sdk_sqs::Client::new(&config);
    run(service_fn(|request: Request| create_order(&ddb, &sqs, request))).await
}

async fn create_order(
    ddb: &aws_sdk_dynamodb::Client,
    sqs: &aws_sdk_sqs::Client,
    request: Request,
) -> Result<Response<HttpBody>, Error> {
    let order: Order = serde_json::from_slice(request.body())?;
    orders::save(ddb, &order).await?;
    sqs.send_message()
        .queue_url(std::env::var("QUEUE_URL")?)
        .message_body(serde_json::to_string(&order)?)
        .send()
        .await?;
    send_receipt(&order).await?;
    Ok(Response::builder().status(201).body(HttpBody::from(order.id))?)
}

async fn send_receipt(order: &Order) -> Result<(), Error> {
    // A new SDK config and client for every request, and a slow call the caller waits for.
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ses = aws_sdk_sesv2::Client::new(&config);
    let text = Content::builder().data(format!("Order {} received", order.id)).build()?;
    ses.send_email()
        .from_email_address(std::env::var("SENDER")?)
        .destination(Destination::builder().to_addresses(&order.customer).build())
        .content(
            EmailContent::builder()
                .simple(Message::builder().subject(text.clone()).body(Body::builder().text(text).build()).build())
                .build(),
        )
        .send()
        .await?;
    Ok(())
}
