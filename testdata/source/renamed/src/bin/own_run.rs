// A user function called `run` is not the Lambda runtime.
use lambda::{service_fn, Error, LambdaEvent};

fn run<T>(_service: T) {}

fn main() {
    run(service_fn(on_event));
}

async fn on_event(event: LambdaEvent<serde_json::Value>) -> Result<(), Error> {
    let _ = event;
    Ok(())
}
