//! Lambda Managed Instances: one environment serves several requests at once
//! (`run_concurrent`), so a pool of 8 is sized for its concurrency.
use lambda_runtime::{run_concurrent, service_fn, Error, LambdaEvent};
use serde_json::Value;
use sqlx::postgres::{PgPool, PgPoolOptions};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = PgPoolOptions::new().max_connections(8).connect(&url).await?;
    run_concurrent(service_fn(move |event: LambdaEvent<Value>| {
        let pool = pool.clone();
        async move { handle(&pool, event).await }
    }))
    .await
}

async fn handle(pool: &PgPool, event: LambdaEvent<Value>) -> Result<(), Error> {
    let id = event.payload["id"].as_i64().unwrap_or_default();
    sqlx::query("DELETE FROM orders WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}
