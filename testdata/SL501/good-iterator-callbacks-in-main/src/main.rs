//! Clients built in closures that `main` runs on the spot (iterator and `Option` adapters):
//! they run once, before the runtime starts.
use std::collections::HashMap;

use aws_lambda_events::event::s3::S3Event;
use aws_sdk_sqs::config::Region;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

struct Clients {
    queues: HashMap<String, aws_sdk_sqs::Client>,
    archive: aws_sdk_s3::Client,
    replica: Option<aws_sdk_s3::Client>,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    // One SQS client per region the fan-out queues live in.
    let regions = ["eu-west-1", "us-east-1"];
    let queues = regions
        .iter()
        .map(|name| {
            let conf = aws_sdk_sqs::config::Builder::from(&config).region(Region::new(*name)).build();
            (name.to_string(), aws_sdk_sqs::Client::from_conf(conf))
        })
        .collect();
    let archive = std::env::var("ARCHIVE_ENDPOINT")
        .ok()
        .map(|url| aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).endpoint_url(url).build()))
        .unwrap_or_else(|| aws_sdk_s3::Client::new(&config));
    let replica = std::env::var("REPLICA_REGION").ok().map(|region| {
        let conf = aws_sdk_s3::config::Builder::from(&config).region(Region::new(region)).build();
        aws_sdk_s3::Client::from_conf(conf)
    });
    let clients = Clients { queues, archive, replica };
    run(service_fn(|event: LambdaEvent<S3Event>| handler(&clients, event))).await
}

async fn handler(clients: &Clients, event: LambdaEvent<S3Event>) -> Result<(), Error> {
    for record in event.payload.records {
        let key = record.s3.object.key.unwrap_or_default();
        for (region, sqs) in &clients.queues {
            let url = format!("https://sqs.{region}.amazonaws.com/123456789012/uploads");
            sqs.send_message().queue_url(url).message_body(&key).send().await?;
        }
        clients.archive.head_object().bucket("archive").key(&key).send().await?;
        if let Some(replica) = &clients.replica {
            replica.head_object().bucket("replica").key(&key).send().await?;
        }
    }
    Ok(())
}
