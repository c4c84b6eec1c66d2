//! No template: pools sized by the library default or explicitly above 1, all built once.
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

struct Pools {
    sqlx: sqlx::PgPool,
    bb8: bb8::Pool<bb8_postgres::PostgresConnectionManager<tokio_postgres::NoTls>>,
    deadpool: deadpool_postgres::Pool,
    r2d2: r2d2::Pool<diesel::r2d2::ConnectionManager<diesel::PgConnection>>,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("DATABASE_URL")?;
    let sqlx = sqlx::PgPool::connect(&url).await?; // expect: SL403
    let manager = bb8_postgres::PostgresConnectionManager::new_from_stringlike(&url, tokio_postgres::NoTls)?;
    let bb8 = bb8::Pool::builder().build(manager).await?; // expect: SL403
    let mut cfg = deadpool_postgres::Config::new();
    cfg.url = Some(url.clone());
    let deadpool = cfg.create_pool(Some(deadpool_postgres::Runtime::Tokio1), tokio_postgres::NoTls)?; // expect: SL403
    let manager = diesel::r2d2::ConnectionManager::<diesel::PgConnection>::new(&url);
    let r2d2 = r2d2::Pool::builder()
        .max_size(15) // expect: SL403
        .min_idle(Some(5))
        .build(manager)?;
    let pools = Pools { sqlx, bb8, deadpool, r2d2 };
    let pools = &pools;
    run(service_fn(move |event: LambdaEvent<Value>| async move { handle(pools, event).await })).await
}

async fn handle(pools: &Pools, _event: LambdaEvent<Value>) -> Result<(), Error> {
    sqlx::query("SELECT 1").execute(&pools.sqlx).await?;
    Ok(())
}
