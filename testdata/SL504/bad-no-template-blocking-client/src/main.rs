//! No template: an HTTP function that calls upstream with a blocking client.
use std::sync::OnceLock;

use lambda_http::{run, service_fn, Body, Error, Request, Response};

static HTTP: OnceLock<reqwest::blocking::Client> = OnceLock::new();

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(forward)).await
}

async fn forward(request: Request) -> Result<Response<Body>, Error> {
    let http = HTTP.get_or_init(reqwest::blocking::Client::new);
    let upstream = http.post("https://upstream.example.com").body(request.body().to_vec()).send()?; // expect: SL504
    Ok(Response::new(Body::from(upstream.text()?)))
}
