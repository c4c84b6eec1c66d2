use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

struct State {
    table: aws_sdk_dynamodb::Client,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let state = State { table: aws_sdk_dynamodb::Client::new(&config) };
    let h = |ev: LambdaEvent<Value>| process(ev, &state);
    run(service_fn(&h)).await
}

async fn process(ev: LambdaEvent<Value>, state: &State) -> Result<(), Error> {
    state.table.put_item().table_name("t").send().await?;
    let _ = ev;
    Ok(())
}
