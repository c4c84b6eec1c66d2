use crate::b::c::deep as renamed;
use crate::e::f::*;
use lambda_runtime::{Error, LambdaEvent};
use serde_json::Value;

pub async fn entry(event: LambdaEvent<Value>) -> Result<(), Error> {
    let (x, y) = tokio::join!(renamed(), inline_helper());
    let task = tokio::spawn(async move { crate::b::spawned().await });
    task.await?;
    let _ = (x, y, event);
    Ok(())
}
