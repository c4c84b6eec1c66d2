use axum::routing::{delete, get, post};
use axum::Router;
use lambda_http::{run, Error};

async fn list_orders() -> &'static str { "[]" }
async fn create_order() -> &'static str { "created" }
async fn get_order() -> &'static str { "{}" }
async fn cancel_order() -> &'static str { "cancelled" }
async fn list_users() -> &'static str { "[]" }
async fn create_user() -> &'static str { "created" }
async fn report() -> &'static str { "report" }

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}", delete(cancel_order))
        .route("/users", get(list_users))
        .route("/users", post(create_user))
        .route("/reports/daily", get(report));
    run(app).await // expect: SL506
}
