//! A GraphQL API on one route: the resolvers of the schema run per request.
//! The schema is built from `Query` and `Mutation` in `main`: every method of their `#[Object]`
//! impls is a handler, so `send_welcome` is on the synchronous path (SL502 at `send_email`).
use async_graphql::http::GraphiQLSource;
use async_graphql::{Context, EmptySubscription, Object, Schema};
use async_graphql_axum::GraphQL;
use aws_sdk_sesv2::types::{Destination, EmailContent};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use lambda_http::{run, Error};

struct Query;

#[Object]
impl Query {
    async fn version(&self) -> &'static str {
        "1"
    }
}

struct Mutation;

#[Object]
impl Mutation {
    async fn register(&self, ctx: &Context<'_>, email: String) -> async_graphql::Result<bool> {
        let ses = ctx.data::<aws_sdk_sesv2::Client>()?;
        send_welcome(ses, &email).await?;
        Ok(true)
    }
}

async fn send_welcome(ses: &aws_sdk_sesv2::Client, to: &str) -> Result<(), aws_sdk_sesv2::Error> {
    ses.send_email() // expect: SL502
        .from_email_address("welcome@example.com")
        .destination(Destination::builder().to_addresses(to).build())
        .content(EmailContent::builder().build())
        .send()
        .await?;
    Ok(())
}

async fn graphiql() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let schema = Schema::build(Query, Mutation, EmptySubscription)
        .data(aws_sdk_sesv2::Client::new(&config))
        .finish();
    let app = Router::new().route("/graphql", get(graphiql).post_service(GraphQL::new(schema)));
    run(app).await
}
