use actix_web::{get, web, App, HttpResponse, HttpServer, Responder};
use lambda_web::{is_running_on_lambda, run_actix_on_lambda, LambdaError};

#[get("/health")]
async fn health() -> impl Responder {
    HttpResponse::Ok().body("ok")
}

async fn list_orders() -> impl Responder {
    HttpResponse::Ok().body("[]")
}

async fn create_order() -> impl Responder {
    let http = reqwest::Client::new();
    let _ = http.post("https://payments.example.com").send().await;
    HttpResponse::Created().finish()
}

async fn version() -> impl Responder {
    "1"
}

#[actix_web::main]
async fn main() -> Result<(), LambdaError> {
    let factory = move || {
        let templates = std::fs::read_dir("templates");
        let _ = templates;
        App::new()
            .service(health)
            .service(
                web::scope("/api")
                    .service(web::resource("/orders").route(web::get().to(list_orders)).route(web::post().to(create_order))),
            )
            .route("/version", web::get().to(version))
    };
    if is_running_on_lambda() {
        run_actix_on_lambda(factory).await?;
    } else {
        HttpServer::new(factory).bind("127.0.0.1:8080")?.run().await?;
    }
    Ok(())
}
