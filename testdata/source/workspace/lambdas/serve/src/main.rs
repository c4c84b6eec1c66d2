#[tokio::main]
async fn main() -> Result<(), shared::Error> {
    let table = std::env::var("TABLE").unwrap_or_default();
    shared::serve(table).await
}
