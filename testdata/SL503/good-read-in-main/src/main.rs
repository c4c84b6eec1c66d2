//! The secret is read once, in `main`, and the value is passed to the handler.
use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let secrets = aws_sdk_secretsmanager::Client::new(&config);
    let key = load_key(&secrets).await?;
    run(service_fn(|request: Request| sign(&key, request))).await
}

async fn load_key(secrets: &aws_sdk_secretsmanager::Client) -> Result<String, Error> {
    let out = secrets.get_secret_value().secret_id("signing-key").send().await?;
    Ok(out.secret_string().unwrap_or_default().to_string())
}

async fn sign(key: &str, request: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from(format!("{}:{:?}", key.len(), request.body()))))
}
