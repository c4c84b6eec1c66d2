use aws_config::BehaviorVersion;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub struct Config {
    pub sender: Option<String>,
}

impl Config {
    pub fn from_env() -> Config {
        Config { sender: std::env::var("SENDER_ADDRESS").ok() }
    }
}

#[derive(Clone)]
pub struct AppState {
    ses: aws_sdk_sesv2::Client,
    sender: String,
}

#[derive(Deserialize)]
pub struct NewOrder {
    email: String,
    sku: String,
}

pub async fn create_app(config: Config) -> Router {
    let sdk = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let sender = config.sender.clone().unwrap_or_default();
    let state = AppState { ses: aws_sdk_sesv2::Client::new(&sdk), sender };
    let router = match std::env::var("ORDERS_API_MODE").as_deref() {
        Ok("read-only") => Router::new().route("/orders/{id}", get(show)),
        _ => writable(&config).unwrap_or_else(|| Router::new().route("/orders/{id}", get(show))),
    };
    router.with_state(state)
}

/// Orders can be taken only when confirmations can be sent.
fn writable(config: &Config) -> Option<Router<AppState>> {
    config.sender.as_ref()?;
    Some(Router::new().route("/orders", post(create)).route("/orders/{id}", get(show)))
}

async fn show(Path(id): Path<String>) -> String {
    format!("order {id}")
}

async fn create(State(state): State<AppState>, Json(order): Json<NewOrder>) -> StatusCode {
    match notify(&state, &order).await {
        Ok(()) => StatusCode::CREATED,
        Err(_) => StatusCode::BAD_GATEWAY,
    }
}

async fn notify(state: &AppState, order: &NewOrder) -> Result<(), aws_sdk_sesv2::Error> {
    let subject = Content::builder().data(format!("Order for {}", order.sku)).build()?;
    let message = Message::builder().subject(subject).body(Body::builder().build()).build();
    state
        .ses
        .send_email() // expect: SL502
        .from_email_address(&state.sender)
        .destination(Destination::builder().to_addresses(&order.email).build())
        .content(EmailContent::builder().simple(message).build())
        .send()
        .await?;
    Ok(())
}
