use aws_sdk_sesv2::types::{Destination, EmailContent};
use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ses = aws_sdk_sesv2::Client::new(&config);
    let sns = aws_sdk_sns::Client::new(&config);
    run(service_fn(|request: Request| signup(&ses, &sns, request))).await
}

async fn signup(ses: &aws_sdk_sesv2::Client, sns: &aws_sdk_sns::Client, request: Request) -> Result<Response<Body>, Error> {
    let email = String::from_utf8(request.body().to_vec())?;
    welcome(ses, &email).await?;
    sns.publish().topic_arn("arn:aws:sns:eu-west-1:123456789012:signups").message(&email).send().await?; // expect: SL502
    tokio::time::sleep(std::time::Duration::from_millis(200)).await; // expect: SL502
    Ok(Response::new(Body::from("welcome")))
}

async fn welcome(ses: &aws_sdk_sesv2::Client, to: &str) -> Result<(), Error> {
    ses.send_email() // expect: SL502
        .destination(Destination::builder().to_addresses(to).build())
        .content(EmailContent::builder().build())
        .send()
        .await?;
    Ok(())
}
