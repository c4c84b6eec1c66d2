//! One resource, three routes: a small, cohesive function.
use axum::routing::get;
use axum::Router;
use lambda_http::{run, Error};

async fn list_orders() -> &'static str { "[]" }
async fn create_order() -> &'static str { "created" }
async fn get_order() -> &'static str { "{}" }

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", get(get_order));
    run(app).await
}
