//! GET /orders/{id} and GET /orders?customer=...

use std::sync::OnceLock;

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

static DDB: OnceLock<aws_sdk_dynamodb::Client> = OnceLock::new();

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    DDB.get_or_init(|| aws_sdk_dynamodb::Client::new(&config));
    run(service_fn(get_order)).await
}

async fn get_order(request: Request) -> Result<Response<Body>, Error> {
    let ddb = DDB.get().expect("initialised in main");
    let table = orders::table_name();
    if let Some(id) = request.path_parameters_ref().and_then(|p| p.first("id")) {
        let item = ddb.get_item().table_name(&table).key("id", AttributeValue::S(id.to_string())).send().await?;
        return Ok(Response::new(Body::from(format!("{:?}", item.item()))));
    }
    // Listing a customer's orders reads the whole table.
    let customer = request.query_string_parameters_ref().and_then(|q| q.first("customer")).unwrap_or_default();
    let all = ddb.scan().table_name(&table).send().await?;
    let mine: Vec<_> = all
        .items()
        .iter()
        .filter(|item| item.get("customer").and_then(|c| c.as_s().ok()).is_some_and(|c| c == customer))
        .collect();
    Ok(Response::new(Body::from(format!("{} orders", mine.len()))))
}
