use axum::extract::Path;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router {
    Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", get(get_order).delete(cancel_order))
}

async fn list_orders() -> &'static str {
    "[]"
}

async fn create_order() -> &'static str {
    "created"
}

async fn get_order(Path(id): Path<String>) -> String {
    format!("order {id}")
}

async fn cancel_order(Path(id): Path<String>) -> String {
    format!("cancelled {id}")
}
