use axum::routing::post;
use axum::Router;

pub fn routes() -> Router {
    Router::new().route("/admin/reindex", post(reindex))
}

async fn reindex() -> &'static str {
    "reindexing"
}
