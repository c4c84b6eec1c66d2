//! One connection per execution environment: the classic Lambda model.
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;
use sqlx::postgres::{PgPool, PgPoolOptions};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = PgPoolOptions::new().max_connections(1).connect_lazy(&url)?;
    let manager = bb8_postgres::PostgresConnectionManager::new_from_stringlike(&url, tokio_postgres::NoTls)?;
    let _audit = bb8::Pool::builder().max_size(1).build(manager).await?;
    let pool = &pool;
    run(service_fn(move |event: LambdaEvent<Value>| async move { handle(pool, event).await })).await
}

async fn handle(pool: &PgPool, event: LambdaEvent<Value>) -> Result<(), Error> {
    let id = event.payload["id"].as_i64().unwrap_or_default();
    sqlx::query("DELETE FROM orders WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}
