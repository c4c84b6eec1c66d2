//! A Lambda Web Adapter app: `axum::serve` is the runtime start, its routes the handlers.
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

#[derive(Clone)]
struct AppState {
    crm: reqwest::Client,
}

#[derive(Deserialize)]
struct Signup {
    email: String,
}

#[tokio::main]
async fn main() {
    let state = AppState { crm: reqwest::Client::new() };
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/signup", post(signup))
        .with_state(state);
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("0.0.0.0:{port}")).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

async fn signup(State(state): State<AppState>, Json(body): Json<Signup>) -> StatusCode {
    // The third-party CRM's latency is the caller's latency.
    let response = state
        .crm
        .post("https://api.crm.example.com/v1/contacts")
        .json(&serde_json::json!({ "email": body.email }))
        .send() // expect: SL502
        .await;
    match response {
        Ok(r) if r.status().is_success() => StatusCode::CREATED,
        _ => StatusCode::BAD_GATEWAY,
    }
}
