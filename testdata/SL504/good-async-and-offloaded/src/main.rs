//! Async alternatives, and blocking work moved off the async workers.
use std::time::Duration;

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(thumbnail)).await
}

async fn thumbnail(event: LambdaEvent<Value>) -> Result<Value, Error> {
    tokio::time::sleep(Duration::from_millis(20)).await;
    let source = tokio::fs::read("/tmp/source.png").await?;
    let resized = tokio::task::spawn_blocking(move || {
        std::thread::sleep(Duration::from_millis(5));
        resize(&source)
    })
    .await??;
    let written = tokio::task::spawn_blocking(write_out).await??;
    tokio::task::block_in_place(|| std::fs::write("/tmp/done", b"1"))?;
    Ok(serde_json::json!({ "key": event.payload["key"], "bytes": resized.len(), "written": written }))
}

fn resize(source: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = std::fs::read("/opt/watermark.png")?;
    out.extend_from_slice(source);
    Ok(out)
}

fn write_out() -> Result<usize, Error> {
    std::fs::write("/tmp/thumb.png", b"png")?;
    Ok(3)
}
