use lambda_http::{Body, Error, Request, Response};

pub async fn on_b(request: Request) -> Result<Response<Body>, Error> {
    let _ = request;
    Ok(Response::new(Body::Empty))
}
