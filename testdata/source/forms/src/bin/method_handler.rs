use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

struct Handler {
    table: String,
}

impl Handler {
    fn new(table: String) -> Self {
        Handler { table }
    }

    async fn handle(&self, event: Value) -> Result<Value, Error> {
        self.audit().await;
        Ok(event)
    }

    async fn audit(&self) {
        let config = aws_config::load_from_env().await;
        let _ = (config, &self.table);
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let h = Handler::new(std::env::var("TABLE")?);
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| async { h.handle(event.payload).await })).await
}
