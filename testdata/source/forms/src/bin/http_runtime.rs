use lambda_http::{service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let runtime = lambda_http::runtime_concurrent(service_fn(on_req));
    runtime.run().await
}

async fn on_req(request: Request) -> Result<Response<Body>, Error> {
    let _ = request;
    Ok(Response::new(Body::Empty))
}
