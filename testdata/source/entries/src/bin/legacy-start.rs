//! The 2018 `aws_lambda` crate: `start(handler)` runs the handler per invocation.
fn handler(event: serde_json::Value) -> Result<serde_json::Value, String> {
    let client = reqwest::blocking::Client::new();
    let _ = client;
    Ok(event)
}

fn main() {
    aws_lambda::start(handler)
}
