use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde::Deserialize;

#[derive(Deserialize)]
struct Order {
    id: String,
    emails: Vec<String>,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(create_order)).await
}

async fn create_order(event: LambdaEvent<Order>) -> Result<(), Error> {
    for email in &event.payload.emails {
        send_receipt(&event.payload.id, email).await?;
    }
    Ok(())
}

async fn send_receipt(id: &str, email: &str) -> Result<(), Error> {
    let client = mailer().await;
    client.send_email().from_email_address("shop@example.com").send().await?;
    let _ = (id, email);
    Ok(())
}

async fn mailer() -> aws_sdk_sesv2::Client {
    let config = aws_config::load_from_env().await;
    aws_sdk_sesv2::Client::new(&config)
}
