use std::sync::{LazyLock, OnceLock};

use lambda_http::{run, service_fn, Body, Error, Request, Response};

static S3: OnceLock<aws_sdk_s3::Client> = OnceLock::new();
static HTTP: LazyLock<reqwest::Client> = LazyLock::new(|| reqwest::Client::new());
static DDB: tokio::sync::OnceCell<aws_sdk_dynamodb::Client> = tokio::sync::OnceCell::const_new();
static SQS: once_cell::sync::Lazy<aws_sdk_sqs::Client> = once_cell::sync::Lazy::new(make_sqs);

lazy_static::lazy_static! {
    static ref SNS: aws_sdk_sns::Client = build_sns();
}

fn s3() -> &'static aws_sdk_s3::Client {
    S3.get_or_init(|| aws_sdk_s3::Client::from_conf(aws_sdk_s3::Config::builder().build()))
}

async fn ddb() -> &'static aws_sdk_dynamodb::Client {
    DDB.get_or_init(|| async { aws_sdk_dynamodb::Client::new(&aws_config::load_from_env().await) })
        .await
}

fn make_sqs() -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::from_conf(aws_sdk_sqs::Config::builder().build())
}

fn build_sns() -> aws_sdk_sns::Client {
    aws_sdk_sns::Client::from_conf(aws_sdk_sns::Config::builder().build())
}

async fn handler(_req: Request) -> Result<Response<Body>, Error> {
    s3().list_buckets().send().await?;
    ddb().await.scan().table_name("orders").send().await?;
    HTTP.get("https://example.com").send().await?;
    SQS.list_queues().send().await?;
    SNS.list_topics().send().await?;
    Ok(Response::new(Body::Empty))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}
