use lambda_http::{run, Body, Error, Request, Response};
use tower::ServiceBuilder;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let svc = ServiceBuilder::new().concurrency_limit(1).service_fn(on_request);
    run(svc).await
}

async fn on_request(request: Request) -> Result<Response<Body>, Error> {
    let _ = request;
    Ok(Response::new(Body::Empty))
}
