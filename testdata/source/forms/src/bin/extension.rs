use lambda_extension::{service_fn, Error, Extension, LambdaEvent, NextEvent};

async fn events(event: LambdaEvent) -> Result<(), Error> {
    if let NextEvent::Shutdown(_) = event.next {}
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    Extension::new().with_events_processor(service_fn(events)).run().await
}
