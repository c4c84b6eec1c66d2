pub mod handlers;

pub use lambda_runtime::Error;
use lambda_runtime::{run, service_fn};

/// The whole runtime start lives in the library.
pub async fn serve(table: String) -> Result<(), Error> {
    let table = &table;
    run(service_fn(move |event| handlers::save(table, event))).await
}
