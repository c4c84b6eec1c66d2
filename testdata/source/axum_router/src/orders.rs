pub async fn list() -> &'static str {
    "[]"
}

pub async fn create() -> &'static str {
    let http = reqwest::Client::new();
    let _ = http.post("https://payments.example.com").send().await;
    "created"
}

pub async fn one() -> &'static str {
    "{}"
}
