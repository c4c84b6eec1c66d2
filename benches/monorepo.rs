//! `cargo bench --bench monorepo [-- SCALE...]`: how `slint check` grows with a project.
//!
//! Generates synthetic monorepos of N templates and M Rust Lambda crates of realistic shape
//! (each template: Globals, a REST API, a queue, three functions of one crate; each crate: a
//! lib and three bins with clients built in `main`, handlers that call helpers, the lib and
//! the AWS SDK), then times the release `slint check` binary on each (median of `runs_for` runs)
//! and reports its peak memory (from `/usr/bin/time -v` when available). Also times a
//! pre-commit run: one template named on the command line.
//!
//! Default scales: 1000/100, 2500/250, 5000/500, 10000/1000 templates/crates. Pass scales as
//! `N/M` arguments to choose others (`--keep` keeps the trees). A benchmark: it asserts nothing and CI does not run it.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

mod common;
use common::{measure, median, ms};

/// Runs per scale: small trees take well under a second, and on a shared machine a median of
/// five swings by a fifth from one bench to the next; large ones take seconds each.
fn runs_for(crates: usize) -> usize {
    if crates <= 100 { 21 } else { 5 }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let scales: Vec<(usize, usize)> = if args.is_empty() {
        vec![(1000, 100), (2500, 250), (5000, 500), (10_000, 1000)]
    } else {
        args.iter()
            .filter_map(|a| a.split_once('/'))
            .filter_map(|(n, m)| Some((n.parse().ok()?, m.parse().ok()?)))
            .collect()
    };
    // `--keep` leaves the generated trees in the temp folder, to profile or inspect them.
    let keep = std::env::args().any(|a| a == "--keep");
    let binary = env!("CARGO_BIN_EXE_slint");
    println!(
        "{:>9} {:>7} {:>9} {:>11} {:>11} {:>12} {:>9}",
        "templates", "crates", "rs files", "median", "min", "peak RSS", "findings"
    );
    for (templates, crates) in scales {
        let root = std::env::temp_dir().join(format!("slint-monorepo-{templates}-{crates}"));
        let rs_files = generate(&root, templates, crates);
        // Write the generated tree out first, so the kernel's writeback does not run during
        // the timed runs.
        let _ = Command::new("sync").status();
        let times = measure(runs_for(crates), || run(binary, &root, &[]));
        let (rss, findings) = peak_rss_and_findings(binary, &root);
        println!(
            "{templates:>9} {crates:>7} {rs_files:>9} {:>8.1} ms {:>8.1} ms {:>12} {findings:>9}",
            ms(median(&times)),
            ms(*times.iter().min().unwrap()),
            rss.map_or("n/a".to_string(), |kb| format!("{:.0} MB", kb as f64 / 1024.0)),
        );
        if templates == 1000 {
            let one = root.join("service-0000/template.yaml");
            let pre_commit = measure(21, || run(binary, &root, &[one.to_str().unwrap()]));
            println!("pre-commit, one template named (links its crate): median {:.1} ms", ms(median(&pre_commit)));
        }
        if !keep {
            let _ = std::fs::remove_dir_all(&root);
        }
    }
}

fn run(binary: &str, root: &Path, files: &[&str]) {
    let mut command = Command::new(binary);
    command.args(["check", "--format", "concise", "--quiet", "--fail-on", "never", "--no-config"]).current_dir(root);
    if files.is_empty() {
        command.arg(".");
    } else {
        command.args(files);
    }
    let out = command.output().expect("slint runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Peak resident memory of one run (kB), and its number of findings.
fn peak_rss_and_findings(binary: &str, root: &Path) -> (Option<u64>, usize) {
    let time = Path::new("/usr/bin/time");
    let args = ["check", ".", "--format", "concise", "--quiet", "--fail-on", "never", "--no-config"];
    let out = if time.is_file() {
        Command::new(time).arg("-v").arg(binary).args(args).current_dir(root).output()
    } else {
        Command::new(binary).args(args).current_dir(root).output()
    }
    .expect("slint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|v| v.trim().parse().ok());
    (rss, String::from_utf8_lossy(&out.stdout).lines().count())
}

/// Writes the monorepo (idempotent: reuses an existing tree of the same scale). Returns the
/// number of `.rs` files.
fn generate(root: &Path, templates: usize, crates: usize) -> usize {
    let marker = root.join(".generated");
    if !marker.is_file() {
        let _ = std::fs::remove_dir_all(root);
        for c in 0..crates {
            write_crate(&root.join(format!("crates/orders-{c:04}")), c);
        }
        for t in 0..templates {
            let dir = root.join(format!("service-{t:04}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("template.yaml"), template(t, t % crates.max(1))).unwrap();
        }
        std::fs::write(&marker, "").unwrap();
    }
    crates * 4
}

fn template(index: usize, krate: usize) -> String {
    let timeout = if index % 7 == 0 { 40 } else { 20 };
    let batch = if index % 5 == 0 { 1 } else { 10 };
    let mut t = String::with_capacity(4096);
    let _ = write!(
        t,
        r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: Orders service {index}

Globals:
  Function:
    Runtime: provided.al2023
    Handler: bootstrap
    Architectures: [arm64]
    CodeUri: ../crates/orders-{krate:04}
    MemorySize: 512
    Timeout: {timeout}
    Tracing: Active
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        QUEUE_URL: !Ref Queue

Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      MethodSettings:
        - {{ ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 }}
      Models:
        Order: {{ type: object, required: [customer] }}

  Table:
    Type: AWS::Serverless::SimpleTable

  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 360
      RedrivePolicy: {{ deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5 }}

  Dlq:
    Type: AWS::SQS::Queue

  CreateFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: rust-cargolambda
      BuildProperties: {{ Binary: create }}
      slint: {{ peak-rps: {rps}, avg-duration-ms: 120 }}
    Properties:
      Policies:
        - DynamoDBCrudPolicy: {{ TableName: !Ref Table }}
        - SQSSendMessagePolicy: {{ QueueName: !GetAtt Queue.QueueName }}
      Events:
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /orders
            Method: post
            RequestModel: {{ Model: Order, Required: true, ValidateBody: true }}

  GetFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: rust-cargolambda
      BuildProperties: {{ Binary: get }}
    Properties:
      Policies:
        - DynamoDBReadPolicy: {{ TableName: !Ref Table }}
      Events:
        Get:
          Type: Api
          Properties: {{ RestApiId: !Ref Api, Path: "/orders/{{id}}", Method: get }}

  WorkerFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: rust-cargolambda
      BuildProperties: {{ Binary: worker }}
    Properties:
      Timeout: 60
      ReservedConcurrentExecutions: 5
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
            BatchSize: {batch}
            FunctionResponseTypes: [ReportBatchItemFailures]
            ScalingConfig: {{ MaximumConcurrency: 5 }}

Outputs:
  ApiUrl:
    Value: !Sub https://${{Api}}.execute-api.${{AWS::Region}}.amazonaws.com/prod
"#,
        rps = 10 + index % 90,
    );
    t
}

fn write_crate(dir: &Path, index: usize) {
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("bin")).unwrap();
    // Every crate is a package named `orders`, like separate services of a monorepo.
    std::fs::write(
        dir.join("Cargo.toml"),
        r#"[package]
name = "orders"
version = "0.1.0"
edition = "2021"

[dependencies]
aws-config = "1"
aws-sdk-dynamodb = "1"
aws-sdk-sqs = "1"
aws_lambda_events = { version = "0.16", default-features = false, features = ["sqs"] }
lambda_http = "0.17"
lambda_runtime = "0.14"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["macros"] }
"#,
    )
    .unwrap();
    std::fs::write(src.join("lib.rs"), LIB).unwrap();
    std::fs::write(src.join("bin/create.rs"), CREATE.replace("{index}", &index.to_string())).unwrap();
    std::fs::write(src.join("bin/get.rs"), GET).unwrap();
    std::fs::write(src.join("bin/worker.rs"), WORKER).unwrap();
}

const LIB: &str = r#"//! Shared code of the orders functions.

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Order {
    pub id: String,
    pub customer: String,
    pub items: Vec<Item>,
    pub total_cents: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Item {
    pub sku: String,
    pub quantity: u32,
    pub price_cents: u64,
}

impl Order {
    pub fn validate(&self) -> Result<(), String> {
        if self.customer.is_empty() {
            return Err("customer is required".into());
        }
        if self.items.is_empty() {
            return Err("an order needs items".into());
        }
        let computed: u64 = self.items.iter().map(|i| i.price_cents * u64::from(i.quantity)).sum();
        if computed != self.total_cents {
            return Err(format!("total {} does not match items {}", self.total_cents, computed));
        }
        Ok(())
    }
}

pub fn table_name() -> String {
    std::env::var("TABLE_NAME").unwrap_or_else(|_| "orders".to_string())
}

pub async fn save(ddb: &aws_sdk_dynamodb::Client, order: &Order) -> Result<(), aws_sdk_dynamodb::Error> {
    let items = serde_json::to_string(&order.items).unwrap_or_default();
    ddb.put_item()
        .table_name(table_name())
        .item("id", AttributeValue::S(order.id.clone()))
        .item("customer", AttributeValue::S(order.customer.clone()))
        .item("items", AttributeValue::S(items))
        .item("total", AttributeValue::N(order.total_cents.to_string()))
        .send()
        .await?;
    Ok(())
}

pub async fn load(ddb: &aws_sdk_dynamodb::Client, id: &str) -> Result<Option<Order>, aws_sdk_dynamodb::Error> {
    let out = ddb.get_item().table_name(table_name()).key("id", AttributeValue::S(id.to_string())).send().await?;
    Ok(out.item().and_then(|item| {
        let customer = item.get("customer")?.as_s().ok()?.clone();
        let items = serde_json::from_str(item.get("items")?.as_s().ok()?).ok()?;
        let total_cents = item.get("total")?.as_n().ok()?.parse().ok()?;
        Some(Order { id: id.to_string(), customer, items, total_cents })
    }))
}
"#;

const CREATE: &str = r#"//! POST /orders for service {index}.

use lambda_http::{run, service_fn, Body, Error, Request, Response};
use orders::Order;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    let sqs = aws_sdk_sqs::Client::new(&config);
    let queue = std::env::var("QUEUE_URL")?;
    run(service_fn(|request: Request| create(&ddb, &sqs, &queue, request))).await
}

async fn create(
    ddb: &aws_sdk_dynamodb::Client,
    sqs: &aws_sdk_sqs::Client,
    queue: &str,
    request: Request,
) -> Result<Response<Body>, Error> {
    let order: Order = match serde_json::from_slice(request.body()) {
        Ok(order) => order,
        Err(e) => return Ok(bad_request(&e.to_string())),
    };
    if let Err(reason) = order.validate() {
        return Ok(bad_request(&reason));
    }
    orders::save(ddb, &order).await?;
    enqueue(sqs, queue, &order).await?;
    Ok(Response::builder().status(201).body(Body::from(order.id.clone()))?)
}

async fn enqueue(sqs: &aws_sdk_sqs::Client, queue: &str, order: &Order) -> Result<(), Error> {
    sqs.send_message().queue_url(queue).message_body(serde_json::to_string(order)?).send().await?;
    Ok(())
}

fn bad_request(reason: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(reason.to_string()));
    *response.status_mut() = lambda_http::http::StatusCode::BAD_REQUEST;
    response
}
"#;

const GET: &str = r#"//! GET /orders/{id}.

use std::sync::OnceLock;

use lambda_http::{run, service_fn, Body, Error, Request, RequestExt, Response};

static DDB: OnceLock<aws_sdk_dynamodb::Client> = OnceLock::new();

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    DDB.get_or_init(|| aws_sdk_dynamodb::Client::new(&config));
    run(service_fn(get)).await
}

async fn get(request: Request) -> Result<Response<Body>, Error> {
    let ddb = DDB.get().expect("initialised in main");
    let Some(id) = request.path_parameters_ref().and_then(|p| p.first("id")).map(str::to_string) else {
        return Ok(Response::builder().status(400).body(Body::from("missing id"))?);
    };
    match orders::load(ddb, &id).await? {
        Some(order) => Ok(Response::new(Body::from(serde_json::to_string(&order)?))),
        None => Ok(Response::builder().status(404).body(Body::Empty)?),
    }
}
"#;

const WORKER: &str = r#"//! Fulfils queued orders, reporting failed messages one by one.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use orders::Order;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let ddb = aws_sdk_dynamodb::Client::new(&config);
    run(service_fn(|event: LambdaEvent<SqsEvent>| fulfil(&ddb, event))).await
}

async fn fulfil(ddb: &aws_sdk_dynamodb::Client, event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    for record in event.payload.records {
        let id = record.message_id.clone().unwrap_or_default();
        if let Err(e) = process(ddb, record.body.as_deref().unwrap_or("{}")).await {
            tracing::warn!(%id, error = %e, "failed");
            response.batch_item_failures.push(BatchItemFailure { item_identifier: id });
        }
    }
    Ok(response)
}

async fn process(ddb: &aws_sdk_dynamodb::Client, body: &str) -> Result<(), Error> {
    let mut order: Order = serde_json::from_str(body)?;
    order.items.sort_by(|a, b| a.sku.cmp(&b.sku));
    orders::save(ddb, &order).await?;
    Ok(())
}
"#;
