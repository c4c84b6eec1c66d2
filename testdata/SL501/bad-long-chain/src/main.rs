//! Layers of small functions: the client built eleven calls below the handler is still
//! built on every invocation (the walk has no depth limit).
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::{json, Value};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let currency = event.payload["currency"].as_str().unwrap_or("EUR").to_string();
    let rate = quote(&currency).await?;
    Ok(json!({ "rate": rate }))
}

async fn quote(currency: &str) -> Result<f64, Error> {
    convert(currency, 1.0).await
}

async fn convert(currency: &str, amount: f64) -> Result<f64, Error> {
    Ok(amount * rate_for(currency).await?)
}

async fn rate_for(currency: &str) -> Result<f64, Error> {
    cached_rate(currency).await
}

async fn cached_rate(currency: &str) -> Result<f64, Error> {
    fetch_rate(currency).await
}

async fn fetch_rate(currency: &str) -> Result<f64, Error> {
    let body = fetch_table().await?;
    Ok(body[currency].as_f64().unwrap_or(1.0))
}

async fn fetch_table() -> Result<Value, Error> {
    download("https://rates.example.com/latest.json").await
}

async fn download(url: &str) -> Result<Value, Error> {
    with_retries(url).await
}

async fn with_retries(url: &str) -> Result<Value, Error> {
    attempt(url).await
}

async fn attempt(url: &str) -> Result<Value, Error> {
    let client = http_client();
    Ok(client.get(url).send().await?.json().await?)
}

fn http_client() -> reqwest::Client {
    reqwest::Client::new() // expect: SL501
}
