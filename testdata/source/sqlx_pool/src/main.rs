use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;
use sqlx::postgres::{PgPool, PgPoolOptions};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = PgPoolOptions::new().max_connections(10).connect(&url).await?;
    let pool_ref = &pool;
    run(service_fn(move |event: LambdaEvent<Value>| async move { handle(pool_ref, event).await })).await
}

async fn handle(pool: &PgPool, event: LambdaEvent<Value>) -> Result<(), Error> {
    let ids = event.payload.as_array().cloned().unwrap_or_default();
    for id in ids {
        sqlx::query("DELETE FROM orders WHERE id = $1").bind(id.as_i64()).execute(pool).await?;
    }
    Ok(())
}
