//! No template: a queue worker that reads its settings through shared state.
use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

struct State {
    ssm: aws_sdk_ssm::Client,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let state = State { ssm: aws_sdk_ssm::Client::new(&config) };
    run(service_fn(|event: LambdaEvent<SqsEvent>| report(&state, event))).await
}

async fn report(state: &State, event: LambdaEvent<SqsEvent>) -> Result<(), Error> {
    let names = ["/reports/bucket", "/reports/format"];
    let params = state.ssm.get_parameters().set_names(Some(names.map(String::from).to_vec())).send().await?; // expect: SL503
    println!("{} records, {:?}", event.payload.records.len(), params.parameters());
    Ok(())
}
