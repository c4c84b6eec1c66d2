//! The handler is a closure returned by a factory: the factory runs once in `main`, the
//! closure (and what it calls) per request.
use futures::future::BoxFuture;
use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

struct Deps {
    bucket: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let deps = Deps { bucket: std::env::var("EXPORT_BUCKET")? };
    run(service_fn(handler(&deps))).await
}

fn handler(deps: &Deps) -> impl Fn(Request) -> BoxFuture<'_, Result<Response<Body>, Error>> + '_ {
    // The factory runs once: this client is shared by every request.
    let webhooks = reqwest::Client::new();
    move |req| Box::pin(route(deps, webhooks.clone(), req))
}

async fn route(deps: &Deps, webhooks: reqwest::Client, req: Request) -> Result<Response<Body>, Error> {
    let id = req.path_parameters().first("id").unwrap_or_default().to_string();
    match req.method().as_str() {
        "PUT" => {
            upload(deps, &id, req.body().to_vec()).await?;
            webhooks.post("https://hooks.example.com/exported").body(id).send().await?;
            Ok(Response::builder().status(201).body(Body::Empty)?)
        }
        _ => Ok(Response::builder().status(405).body(Body::Empty)?),
    }
}

async fn upload(deps: &Deps, id: &str, bytes: Vec<u8>) -> Result<(), Error> {
    let s3 = s3_client().await;
    s3.put_object().bucket(&deps.bucket).key(id).body(bytes.into()).send().await?;
    Ok(())
}

async fn s3_client() -> aws_sdk_s3::Client {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await; // expect: SL501
    aws_sdk_s3::Client::new(&config) // expect: SL501
}
