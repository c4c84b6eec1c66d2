use futures::future::BoxFuture;
use lambda_http::{run, service_fn, Body, Error, Request, Response};

struct Deps {
    http: reqwest::Client,
}

fn make_handler<'a>(deps: &'a Deps) -> impl Fn(Request) -> BoxFuture<'a, Result<Response<Body>, Error>> + 'a {
    let template = std::fs::read_to_string("template.html").unwrap_or_default();
    move |req| Box::pin(route(deps, req, template.clone()))
}

async fn route(deps: &Deps, req: Request, template: String) -> Result<Response<Body>, Error> {
    deps.http.get("https://example.com").send().await?;
    let _ = (req, template);
    Ok(Response::new(Body::Empty))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let deps = Deps { http: reqwest::Client::new() };
    run(service_fn(make_handler(&deps))).await
}
