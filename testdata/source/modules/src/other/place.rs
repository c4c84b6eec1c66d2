pub async fn placed() {
    reqwest::get("https://placed.example.com").await.ok();
}
