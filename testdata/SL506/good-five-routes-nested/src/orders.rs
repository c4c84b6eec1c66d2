use axum::extract::Path;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router {
    Router::new()
        .route("/orders", get(list).post(create))
        .route("/orders/{id}", get(show).delete(cancel))
}

async fn list() -> &'static str {
    "[]"
}

async fn create() -> &'static str {
    "created"
}

async fn show(Path(id): Path<String>) -> String {
    format!("order {id}")
}

async fn cancel(Path(id): Path<String>) -> String {
    format!("cancelled {id}")
}
