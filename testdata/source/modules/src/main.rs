use lambda_runtime::*;

mod a;
mod b;
#[path = "other/place.rs"]
mod d;
mod e {
    pub mod f {
        pub async fn inline_helper() {
            super::super::d::placed().await;
        }
    }
}

pub use a::api as facade;

#[tokio::main]
async fn main() -> Result<(), Error> {
    run(service_fn(facade::entry)).await
}
