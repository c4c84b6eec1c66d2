use std::time::Duration;

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;
use tokio::task;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    std::thread::sleep(Duration::from_millis(1));
    task::spawn_blocking(move || {
        std::fs::write("/tmp/a", b"a").ok();
        resize()
    })
    .await?;
    tokio::task::spawn_blocking(write_out).await?;
    tokio::runtime::Handle::current().spawn_blocking(|| std::fs::remove_file("/tmp/b")).await??;
    task::block_in_place(|| std::fs::copy("/tmp/c", "/tmp/d"))?;
    std::thread::spawn(|| std::fs::read("/tmp/e")).join().ok();
    tokio::spawn(async { std::fs::read_dir("/tmp/f") });
    Ok(event.payload)
}

fn resize() -> usize {
    std::fs::read("/tmp/g").map(|v| v.len()).unwrap_or(0)
}

fn write_out() {
    std::fs::create_dir_all("/tmp/h").ok();
}
