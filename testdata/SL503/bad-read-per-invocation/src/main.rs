use aws_sdk_secretsmanager::Client as SecretsClient;
use lambda_http::{run, service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let secrets = SecretsClient::new(&config);
    let ssm = aws_sdk_ssm::Client::new(&config);
    let appconfig = aws_sdk_appconfigdata::Client::new(&config);
    run(service_fn(|request: Request| checkout(&secrets, &ssm, &appconfig, request))).await
}

async fn checkout(
    secrets: &SecretsClient,
    ssm: &aws_sdk_ssm::Client,
    appconfig: &aws_sdk_appconfigdata::Client,
    request: Request,
) -> Result<Response<Body>, Error> {
    let key = secrets.get_secret_value().secret_id("stripe-key").send().await?; // expect: SL503
    let limits = settings(ssm).await?;
    let flags = feature_flags(appconfig).await?;
    let body = format!("{:?} {limits} {flags} {:?}", key.secret_string(), request.body());
    Ok(Response::new(Body::from(body)))
}

async fn settings(ssm: &aws_sdk_ssm::Client) -> Result<String, Error> {
    let out = ssm
        .get_parameters_by_path() // expect: SL503
        .path("/checkout/limits")
        .send()
        .await?;
    let mut names = Vec::new();
    for p in out.parameters() {
        let one = ssm.get_parameter().name(p.name().unwrap_or_default()).send().await?; // expect: SL503
        names.push(format!("{:?}", one.parameter()));
    }
    Ok(names.join(","))
}

async fn feature_flags(appconfig: &aws_sdk_appconfigdata::Client) -> Result<String, Error> {
    let session = appconfig
        .start_configuration_session() // expect: SL503
        .application_identifier("checkout")
        .environment_identifier("prod")
        .configuration_profile_identifier("flags")
        .send()
        .await?;
    let token = session.initial_configuration_token().unwrap_or_default();
    let config = appconfig.get_latest_configuration().configuration_token(token).send().await?; // expect: SL503
    Ok(format!("{:?}", config.configuration()))
}
