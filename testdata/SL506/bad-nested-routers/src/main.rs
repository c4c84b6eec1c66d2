//! Routes spread over modules: `nest` prefixes the API's, `merge` adds the admin's.
mod admin;
mod api;

use axum::routing::get;
use axum::Router;
use lambda_http::{run, Error};

async fn health() -> &'static str {
    "ok"
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = Router::new()
        .route("/health", get(health))
        .nest("/api", api::routes())
        .merge(admin::routes());
    run(app).await // expect: SL506
}
