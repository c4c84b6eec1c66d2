use std::fs;
use std::io::Read;
use std::time::Duration;

use aws_lambda_events::event::sqs::SqsEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Blocking in `main` before the runtime starts is init code: not reported.
    let _mapping = fs::read_to_string("/opt/mapping.json").unwrap_or_default();
    run(service_fn(import)).await
}

async fn import(event: LambdaEvent<SqsEvent>) -> Result<(), Error> {
    for record in event.payload.records {
        let body = record.body.unwrap_or_default();
        std::thread::sleep(Duration::from_millis(50)); // expect: SL504
        let schema = fs::read_to_string("/tmp/schema.json")?; // expect: SL504
        let rates = reqwest::blocking::get("https://rates.example.com/today")?.text()?; // expect: SL504
        store(&body, &schema, &rates)?;
    }
    tokio::spawn(async {
        std::thread::sleep(Duration::from_secs(1)); // expect: SL504
    });
    notify()?;
    Ok(())
}

fn store(body: &str, schema: &str, rates: &str) -> Result<(), Error> {
    let mut client = postgres::Client::connect("host=db user=app", postgres::NoTls)?; // expect: SL504
    client.execute("INSERT INTO imports VALUES ($1, $2, $3)", &[&body, &schema, &rates])?; // expect: SL504
    let mut file = std::fs::File::create("/tmp/last-import")?; // expect: SL504
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?; // expect: SL504
    file.sync_all()?;
    Ok(())
}

fn notify() -> Result<(), Error> {
    ureq::post("https://hooks.example.com/imported").send_string("done")?; // expect: SL504
    Ok(())
}
