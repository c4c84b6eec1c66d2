//! The template has an RDS instance and no proxy; the connection URL comes from a secret, so
//! only the code shows that the function connects to it.
use lambda_http::{run, service_fn, Body, Error, Request, Response};
use sqlx::postgres::{PgPool, PgPoolOptions};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = database_url().await?;
    let pool = PgPoolOptions::new().max_connections(1).connect(&url).await?;
    run(service_fn(|request: Request| list(&pool, request))).await
}

async fn database_url() -> Result<String, Error> {
    Ok(std::env::var("DATABASE_SECRET")?)
}

async fn list(pool: &PgPool, _request: Request) -> Result<Response<Body>, Error> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(pool).await?;
    Ok(Response::new(Body::from(count.to_string())))
}
