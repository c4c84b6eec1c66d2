//! No `fn main`: a crate-local macro writes it, and the function named in the macro call is
//! the handler.
use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use lambda_runtime::{Error, LambdaEvent};

/// Shared by the team's functions: `lambda_main!(handler);` instead of a hand-written main.
macro_rules! lambda_main {
    ($h:ident) => {
        #[tokio::main]
        async fn main() -> Result<(), lambda_runtime::Error> {
            lambda_runtime::run(lambda_runtime::service_fn($h)).await
        }
    };
}

lambda_main!(get_items);

async fn get_items(event: LambdaEvent<ApiGatewayProxyRequest>) -> Result<ApiGatewayProxyResponse, Error> {
    let category = event.payload.path_parameters.get("category").cloned().unwrap_or_default();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await; // expect: SL501
    let ddb = aws_sdk_dynamodb::Client::new(&config); // expect: SL501
    let items = ddb
        .query()
        .table_name("items")
        .key_condition_expression("category = :c")
        .expression_attribute_values(":c", aws_sdk_dynamodb::types::AttributeValue::S(category))
        .send()
        .await?;
    Ok(ApiGatewayProxyResponse {
        status_code: 200,
        body: Some(format!("{}", items.count()).into()),
        ..Default::default()
    })
}
