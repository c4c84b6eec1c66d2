use lambda_http::{handler, lambda_runtime::{self, Context, Error}, IntoResponse, Request};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(handler(hello)).await?;
    Ok(())
}

async fn hello(request: Request, _: Context) -> Result<impl IntoResponse, Error> {
    let _ = request;
    Ok("hello")
}
