//! Slow calls behind a trait object (`Arc<dyn Mailer>`) and a generic (`S: Store`): the
//! workspace impls are what runs.
mod mail;
mod store;

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use lambda_http::{run, Error};
use serde::Deserialize;

use crate::mail::{Mailer, SesMailer};
use crate::store::{save, DynamoStore};

#[derive(Clone)]
struct AppState {
    mailer: Arc<dyn Mailer>,
    store: DynamoStore,
}

impl AppState {
    async fn announce_to(&self, subscribers: &[String], subject: &str) -> Result<(), aws_sdk_sesv2::Error> {
        self.mailer.send_bulk(subscribers, subject).await
    }
}

#[derive(Deserialize)]
pub struct NewUser {
    pub email: String,
    pub name: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let mailer = SesMailer { client: aws_sdk_sesv2::Client::new(&config), from: "hello@example.com".into() };
    let store = DynamoStore {
        ddb: aws_sdk_dynamodb::Client::new(&config),
        sns: aws_sdk_sns::Client::new(&config),
        topic: std::env::var("USER_EVENTS_TOPIC")?,
    };
    let state = AppState { mailer: Arc::new(mailer), store };
    let app = Router::new()
        .route("/users", post(register))
        .route("/announcements", post(announce))
        .with_state(state);
    run(app).await
}

async fn register(State(state): State<AppState>, Json(user): Json<NewUser>) -> StatusCode {
    if save(&state.store, &user).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    match state.mailer.send(&user.email, &format!("Welcome, {}", user.name)).await {
        Ok(()) => StatusCode::CREATED,
        Err(_) => StatusCode::ACCEPTED,
    }
}

async fn announce(State(state): State<AppState>, Json(subscribers): Json<Vec<String>>) -> StatusCode {
    match state.announce_to(&subscribers, "What's new this month").await {
        Ok(()) => StatusCode::ACCEPTED,
        Err(_) => StatusCode::BAD_GATEWAY,
    }
}
