use serde_json::Value;

pub async fn notify(payload: &Value) -> Result<(), reqwest::Error> {
    send(payload).await
}

async fn send(payload: &Value) -> Result<(), reqwest::Error> {
    // slint: allow(client-in-handler) a fixture for suppression comments
    let http = reqwest::Client::new();
    http.post("https://example.com/hook").json(payload).send().await?;
    Ok(())
}

#[cfg(test)]
pub fn mock_client() -> reqwest::Client {
    reqwest::Client::new()
}
