use lambda_http::{run, service_fn, Body, Error, Request, Response};
use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(create_order)).await
}

async fn create_order(request: Request) -> Result<Response<Body>, Error> {
    let url = std::env::var("DATABASE_URL")?;
    // A pool per invocation: built, used once, dropped.
    let pool = PgPoolOptions::new().max_connections(1).connect(&url).await?; // expect: SL402
    sqlx::query("INSERT INTO orders (body) VALUES ($1)").bind(request.body().to_vec()).execute(&pool).await?;
    audit(&url).await?;
    Ok(Response::new(Body::Empty))
}

async fn audit(url: &str) -> Result<(), Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?; // expect: SL402
    tokio::spawn(connection);
    client.execute("INSERT INTO audit DEFAULT VALUES", &[]).await?;
    Ok(())
}
