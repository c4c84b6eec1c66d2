//! An axum API on Lambda whose handlers take diesel connections from an r2d2 pool: the pool is
//! built once (fine), but `pool.get()` blocks the async worker until a connection is free.
use std::sync::OnceLock;

use axum::{extract::Path, routing::get, Json, Router};
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use lambda_http::{run, Error};

type DbPool = Pool<ConnectionManager<PgConnection>>;

static POOL: OnceLock<DbPool> = OnceLock::new();

fn pool() -> &'static DbPool {
    // `POOL.get()` is the cell's own `get`: no finding.
    POOL.get().expect("pool initialised in main")
}

fn connection() -> PooledConnection<ConnectionManager<PgConnection>> {
    pool().get().expect("a connection") // expect: SL504
}

async fn show_task(Path(id): Path<i64>) -> Json<String> {
    let mut conn = connection();
    Json(load_title(&mut conn, id))
}

fn load_title(_conn: &mut PgConnection, id: i64) -> String {
    format!("task {id}")
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let manager = ConnectionManager::<PgConnection>::new(std::env::var("DATABASE_URL")?);
    let _ = POOL.set(Pool::builder().max_size(1).build(manager)?);
    let app = Router::new().route("/tasks/{id}", get(show_task));
    run(app).await
}
