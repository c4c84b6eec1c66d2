//! An API function that needs the identity provider's signing keys: they are fetched on the
//! first request only, inside once-initialisers, so no caller waits for them after that.
use std::sync::OnceLock;

use lambda_http::{run, service_fn, Body, Error, Request, Response};
use serde_json::Value;
use tokio::sync::OnceCell;

static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
static JWKS: OnceCell<Value> = OnceCell::const_new();

fn http() -> &'static reqwest::Client {
    HTTP.get_or_init(reqwest::Client::new)
}

async fn signing_keys() -> Result<&'static Value, Error> {
    JWKS.get_or_try_init(|| async {
        let url = std::env::var("JWKS_URL")?;
        let keys = http().get(url).send().await?.json::<Value>().await?;
        Ok::<Value, Error>(keys)
    })
    .await
}

async fn handler(req: Request) -> Result<Response<Body>, Error> {
    let keys = signing_keys().await?;
    let token = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let known = keys["keys"].as_array().is_some_and(|k| !k.is_empty()) && !token.is_empty();
    let status = if known { 200 } else { 401 };
    Ok(Response::builder().status(status).body(Body::Empty)?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}
