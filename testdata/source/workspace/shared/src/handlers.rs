use lambda_runtime::{Error, LambdaEvent};
use serde_json::Value;

pub async fn create_order(event: LambdaEvent<Value>) -> Result<Value, Error> {
    send_receipt(&event.payload).await?;
    Ok(event.payload)
}

async fn send_receipt(order: &Value) -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let ses = aws_sdk_sesv2::Client::new(&config);
    ses.send_email().send().await?;
    let _ = order;
    Ok(())
}

pub async fn save(table: &str, event: LambdaEvent<Value>) -> Result<(), Error> {
    let _ = (table, event);
    Ok(())
}
