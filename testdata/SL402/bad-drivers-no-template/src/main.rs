//! No template: every driver's connect call, reached from the handler.
use diesel::Connection;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;
use tokio_util::compat::TokioAsyncWriteCompatExt;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handler)).await
}

async fn handler(event: LambdaEvent<Value>) -> Result<(), Error> {
    let url = event.payload["url"].as_str().unwrap_or_default().to_string();
    relational(&url).await?;
    pools(&url).await?;
    others(&url).await?;
    Ok(())
}

async fn relational(url: &str) -> Result<(), Error> {
    let _pg = sqlx::PgPool::connect(url).await?; // expect: SL402
    let _my = sqlx::mysql::MySqlConnection::connect(url).await?; // expect: SL402
    let _sync = postgres::Client::connect(url, postgres::NoTls)?; // expect: SL402
    let mut config = tokio_postgres::Config::new();
    config.host("db.internal").user("app");
    let _pg2 = config.connect(tokio_postgres::NoTls).await?; // expect: SL402
    let _diesel = diesel::PgConnection::establish(url)?; // expect: SL402
    let _conn = mysql_async::Conn::from_url(url).await?; // expect: SL402
    let _mysql_pool = mysql_async::Pool::new(url); // expect: SL402
    let _orm = sea_orm::Database::connect(url).await?; // expect: SL402
    Ok(())
}

async fn pools(url: &str) -> Result<(), Error> {
    let manager = bb8_postgres::PostgresConnectionManager::new_from_stringlike(url, tokio_postgres::NoTls)?;
    let _bb8 = bb8::Pool::builder().max_size(1).build(manager).await?; // expect: SL402
    let mut cfg = deadpool_postgres::Config::new();
    cfg.url = Some(url.to_string());
    let _deadpool = cfg.create_pool(Some(deadpool_postgres::Runtime::Tokio1), tokio_postgres::NoTls)?; // expect: SL402
    let manager = diesel::r2d2::ConnectionManager::<diesel::PgConnection>::new(url);
    let _r2d2 = r2d2::Pool::builder().max_size(1).build(manager)?; // expect: SL402
    Ok(())
}

async fn others(url: &str) -> Result<(), Error> {
    let tcp = tokio::net::TcpStream::connect("sql.internal:1433").await?;
    let config = tiberius::Config::from_ado_string(url)?;
    let _mssql = tiberius::Client::connect(config, tcp.compat_write()).await?; // expect: SL402
    let client = redis::Client::open(url)?;
    let _redis = client.get_multiplexed_async_connection().await?; // expect: SL402
    let _manager = redis::aio::ConnectionManager::new(client).await?; // expect: SL402
    let _mongo = mongodb::Client::with_uri_str(url).await?; // expect: SL402
    Ok(())
}
