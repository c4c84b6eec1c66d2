use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ses = aws_sdk_sesv2::Client::new(&config);
    run(service_fn(|event: LambdaEvent<ApiGatewayProxyRequest>| build_report(&ses, event))).await
}

async fn build_report(ses: &aws_sdk_sesv2::Client, _event: LambdaEvent<ApiGatewayProxyRequest>) -> Result<(), Error> {
    // Slow, but API Gateway returned 202 already.
    ses.send_email().send().await?;
    Ok(())
}
