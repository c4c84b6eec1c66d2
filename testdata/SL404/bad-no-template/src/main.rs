//! No template: the handler takes an API Gateway request, so its callers wait. The client is
//! a lazily initialised global.
use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use tokio::sync::OnceCell;

static DDB: OnceCell<aws_sdk_dynamodb::Client> = OnceCell::const_new();

async fn ddb() -> &'static aws_sdk_dynamodb::Client {
    DDB.get_or_init(|| async { aws_sdk_dynamodb::Client::new(&aws_config::load_from_env().await) }).await
}

async fn search(event: LambdaEvent<ApiGatewayProxyRequest>) -> Result<ApiGatewayProxyResponse, Error> {
    let mut found = 0;
    let mut start = None;
    loop {
        let page = ddb().await.scan().table_name("products").set_exclusive_start_key(start).send().await?; // expect: SL404
        found += page.count();
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            break;
        }
    }
    let _ = event;
    Ok(ApiGatewayProxyResponse { status_code: 200, body: Some(found.to_string().into()), ..Default::default() })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(search)).await
}
