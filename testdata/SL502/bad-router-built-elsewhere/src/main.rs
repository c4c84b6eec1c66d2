//! The router is built in another module, chosen at startup, and handed to the runtime
//! through a variable: its routes still lead to the handlers.
mod app;

use lambda_http::Error;

use crate::app::{create_app, Config};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = Config::from_env();
    let app = create_app(config).await;
    lambda_http::run(app).await
}
