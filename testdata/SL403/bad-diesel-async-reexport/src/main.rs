//! No template: bb8 through diesel-async's re-export, sized explicitly, behind an axum router.
use axum::{extract::State, routing::get, Router};
use diesel_async::pooled_connection::{bb8::Pool, AsyncDieselConnectionManager};
use diesel_async::AsyncPgConnection;
use lambda_http::{run, Error};

async fn list_posts(State(_pool): State<Pool<AsyncPgConnection>>) -> &'static str {
    "[]"
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("DATABASE_URL")?;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    let pool = Pool::builder()
        .max_size(10) // expect: SL403
        .min_idle(Some(5))
        .build(manager)
        .await?;
    let app = Router::new().route("/posts", get(list_posts)).with_state(pool);
    run(app).await
}
