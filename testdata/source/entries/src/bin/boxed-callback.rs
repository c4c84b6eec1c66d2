//! A callback boxed into a config is not a handler: the pool calls it per new connection.
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

struct Config {
    setup: Box<dyn Fn() -> String>,
}

fn open_connection() -> String {
    reqwest::Client::new();
    String::new()
}

async fn handler(_event: LambdaEvent<serde_json::Value>) -> Result<(), Error> {
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = Config { setup: Box::new(open_connection) };
    let _ = (config.setup)();
    run(service_fn(handler)).await
}
