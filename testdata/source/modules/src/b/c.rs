pub async fn deep() {
    reqwest::get("https://deep.example.com").await.ok();
}
