//! No template: the handler takes an HTTP request, so its callers wait.
use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let http = reqwest::Client::new();
    run(service_fn(|request: Request| enrich(&http, request))).await
}

async fn enrich(http: &reqwest::Client, request: Request) -> Result<Response<Body>, Error> {
    let id = String::from_utf8(request.body().to_vec())?;
    let profile = http.get(format!("https://crm.example.com/profiles/{id}")).send().await?.text().await?; // expect: SL502
    Ok(Response::new(Body::from(profile)))
}
