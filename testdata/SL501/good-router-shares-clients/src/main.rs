//! The clients are built once in `main` and reach the route handlers through the router's
//! state: the handlers only use them.
use aws_sdk_dynamodb::types::AttributeValue;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::Router;
use lambda_http::{run, Error};

#[derive(Clone)]
struct AppState {
    s3: aws_sdk_s3::Client,
    ddb: aws_sdk_dynamodb::Client,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let state = AppState { s3: aws_sdk_s3::Client::new(&config), ddb: aws_sdk_dynamodb::Client::new(&config) };
    let app = Router::new()
        .route("/documents/{id}", put(upload))
        .route("/documents/{id}/meta", get(metadata))
        .with_state(state);
    run(app).await
}

async fn upload(State(state): State<AppState>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    let stored = state.s3.put_object().bucket("documents").key(&id).body(body.to_vec().into()).send().await;
    if stored.is_err() {
        return StatusCode::BAD_GATEWAY;
    }
    let indexed = state
        .ddb
        .put_item()
        .table_name("documents")
        .item("id", AttributeValue::S(id))
        .send()
        .await;
    if indexed.is_ok() { StatusCode::CREATED } else { StatusCode::BAD_GATEWAY }
}

async fn metadata(State(state): State<AppState>, Path(id): Path<String>) -> Result<String, StatusCode> {
    let item = state
        .ddb
        .get_item()
        .table_name("documents")
        .key("id", AttributeValue::S(id))
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    Ok(format!("{:?}", item.item()))
}
