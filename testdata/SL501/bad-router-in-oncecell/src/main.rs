//! The router is built lazily, once, in a `OnceCell` and served per request with `oneshot`:
//! what `build_router` does is init; what its route handlers do is per request.
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use lambda_http::{run, service_fn, Error, IntoResponse, Request};
use tokio::sync::OnceCell;
use tower::ServiceExt;

static ROUTER: OnceCell<Router> = OnceCell::const_new();

#[derive(Clone)]
struct AppState {
    ddb: aws_sdk_dynamodb::Client,
    pricing: reqwest::Client,
}

async fn build_router() -> Router {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let state = AppState {
        ddb: aws_sdk_dynamodb::Client::new(&config),
        // Built once, with the router: not a finding.
        pricing: reqwest::Client::builder().build().expect("TLS backend"),
    };
    Router::new()
        .route("/items/{id}", get(item))
        .route("/items/{id}/stock", get(stock))
        .with_state(state)
}

async fn handler(req: Request) -> Result<impl IntoResponse, Error> {
    let router = ROUTER.get_or_init(build_router).await;
    Ok(router.clone().oneshot(req).await?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}

async fn item(State(state): State<AppState>, Path(id): Path<String>) -> String {
    let price = state.pricing.get(format!("https://pricing.example.com/{id}")).send().await;
    format!("{id}: {}", price.map(|r| r.status().as_u16()).unwrap_or(0))
}

async fn stock(State(state): State<AppState>, Path(id): Path<String>) -> String {
    let _ = state.ddb.get_item().table_name("stock").send().await;
    // A new client (connection pool, TLS setup) on every request.
    let warehouse = reqwest::Client::new(); // expect: SL501
    let level = warehouse.get(format!("https://warehouse.example.com/stock/{id}")).send().await;
    format!("{id}: {}", level.map(|r| r.status().as_u16()).unwrap_or(0))
}
