//! Five routes, four of them nested under `/v1`: at the limit, and each counted once (not
//! once in `orders::routes` and again with the prefix).
mod orders;

use axum::routing::get;
use axum::Router;
use lambda_http::{run, Error};

async fn health() -> &'static str {
    "ok"
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = Router::new().route("/health", get(health)).nest("/v1", orders::routes());
    run(app).await
}
