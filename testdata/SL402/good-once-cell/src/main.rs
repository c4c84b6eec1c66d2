//! The pool is built lazily, once, inside `OnceCell::get_or_init`: the handler reaches the
//! initialiser, but it runs once per execution environment.
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;
use sqlx::postgres::{PgPool, PgPoolOptions};
use tokio::sync::OnceCell;

static POOL: OnceCell<PgPool> = OnceCell::const_new();

async fn pool() -> &'static PgPool {
    POOL.get_or_init(|| async {
        let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
        PgPoolOptions::new().max_connections(1).connect_lazy(&url).expect("valid url")
    })
    .await
}

async fn report(_event: LambdaEvent<Value>) -> Result<Value, Error> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(pool().await).await?;
    Ok(serde_json::json!({ "orders": count }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(report)).await
}
