use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = Client::new(&config);
    run(service_fn(|request: Request| list_orders(&ddb, request))).await
}

async fn list_orders(ddb: &Client, request: Request) -> Result<Response<Body>, Error> {
    let customer = request.path_parameters().first("id").unwrap_or_default().to_string();
    let count = orders_of(ddb, &customer).await?;
    Ok(Response::new(Body::from(count.to_string())))
}

async fn orders_of(ddb: &Client, customer: &str) -> Result<usize, Error> {
    let table = std::env::var("TABLE")?;
    let page = ddb
        .scan() // expect: SL404
        .table_name(table)
        .filter_expression("customer = :c")
        .expression_attribute_values(":c", AttributeValue::S(customer.to_string()))
        .send()
        .await?;
    Ok(page.items().len())
}
