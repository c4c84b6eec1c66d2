pub mod c;

pub async fn spawned() {
    reqwest::get("https://spawned.example.com").await.ok();
}
