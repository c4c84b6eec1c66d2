use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use lambda_runtime::{Error, LambdaEvent};
use serde_json::Value;
use tower::Service;

struct Counter {
    hits: Arc<AtomicU64>,
}

impl Service<LambdaEvent<Value>> for Counter {
    type Response = Value;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Value, Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, event: LambdaEvent<Value>) -> Self::Future {
        self.hits.fetch_add(1, Ordering::Relaxed);
        let http = reqwest::Client::new();
        Box::pin(async move {
            http.get("https://example.com").send().await?;
            Ok(event.payload)
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(Counter { hits: Arc::default() }).await
}
