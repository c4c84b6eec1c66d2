use lambda_http::{run_with_streaming_response, service_fn, Body, Error, Request, Response};

mod stream;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run_with_streaming_response(service_fn(stream::on_b)).await
}
