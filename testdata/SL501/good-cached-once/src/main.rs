//! The `cached` crate's `#[once]` memoises a function for the life of the process: the
//! client it builds is built on the first request only.
use aws_sdk_dynamodb::types::AttributeValue;
use cached::proc_macro::once;
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

#[once]
async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await
}

#[cached::proc_macro::once(sync_writes = true)]
async fn profiles_table() -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::new(&sdk_config().await)
}

async fn handler(req: Request) -> Result<Response<Body>, Error> {
    let user = req.path_parameters().first("user").unwrap_or_default().to_string();
    let ddb = profiles_table().await;
    let profile = ddb
        .get_item()
        .table_name("profiles")
        .key("user", AttributeValue::S(user))
        .send()
        .await?;
    Ok(Response::new(Body::from(format!("{:?}", profile.item()))))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}
