//! Consumes the jobs queue.

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(handle)).await
}

async fn handle(event: LambdaEvent<SqsEvent>) -> Result<(), Error> {
    for record in event.payload.records {
        println!("{:?}", record.body);
    }
    Ok(())
}
