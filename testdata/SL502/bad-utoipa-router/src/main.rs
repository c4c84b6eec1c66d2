//! utoipa's `OpenApiRouter`: handlers are registered through `routes!(..)` and the axum
//! router comes out of `split_for_parts`.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use lambda_http::{run, Error};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Clone)]
struct AppState {
    sns: aws_sdk_sns::Client,
    topic: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
struct Item {
    name: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let state = AppState { sns: aws_sdk_sns::Client::new(&config), topic: std::env::var("ITEMS_TOPIC")? };
    let (router, _openapi) = OpenApiRouter::new()
        .routes(routes!(list_items, create_item))
        .with_state(state)
        .split_for_parts();
    run(router).await
}

#[utoipa::path(get, path = "/items", responses((status = 200, body = [Item])))]
async fn list_items() -> Json<Vec<Item>> {
    Json(Vec::new())
}

#[utoipa::path(post, path = "/items", request_body = Item, responses((status = 201)))]
async fn create_item(State(state): State<AppState>, Json(item): Json<Item>) -> StatusCode {
    let event = serde_json::to_string(&item).unwrap_or_default();
    let published = state
        .sns
        .publish() // expect: SL502
        .topic_arn(&state.topic)
        .message(event)
        .send()
        .await;
    if published.is_ok() { StatusCode::CREATED } else { StatusCode::BAD_GATEWAY }
}
