use axum::extract::Request;
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use lambda_http::{run, Error};

mod orders;

async fn auth(request: Request, next: Next) -> Response {
    next.run(request).await
}

fn app() -> Router {
    Router::new()
        .route("/orders", get(orders::list).post(orders::create))
        .route("/orders/{id}", get(orders::one))
        .route("/orders", post(orders::create))
        .layer(from_fn(auth))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = app();
    run(app).await
}
