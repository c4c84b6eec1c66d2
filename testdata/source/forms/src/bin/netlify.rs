use netlify_lambda::{handler_fn, Context};
use serde_json::Value;

type Error = Box<dyn std::error::Error + Send + Sync + 'static>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    netlify_lambda::run(handler_fn(greet)).await?;
    Ok(())
}

async fn greet(event: Value, _: Context) -> Result<Value, Error> {
    Ok(event)
}
