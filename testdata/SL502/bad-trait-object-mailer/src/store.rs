use aws_sdk_dynamodb::types::AttributeValue;

use crate::NewUser;

pub trait Store {
    async fn put(&self, user: &NewUser) -> Result<(), lambda_http::Error>;
}

/// Writes the user, then announces it on the user-events topic.
#[derive(Clone)]
pub struct DynamoStore {
    pub ddb: aws_sdk_dynamodb::Client,
    pub sns: aws_sdk_sns::Client,
    pub topic: String,
}

impl Store for DynamoStore {
    async fn put(&self, user: &NewUser) -> Result<(), lambda_http::Error> {
        self.ddb
            .put_item()
            .table_name("users")
            .item("email", AttributeValue::S(user.email.clone()))
            .send()
            .await?;
        self.sns.publish().topic_arn(&self.topic).message(&user.email).send().await?; // expect: SL502
        Ok(())
    }
}

pub async fn save<S: Store>(store: &S, user: &NewUser) -> Result<(), lambda_http::Error> {
    store.put(user).await
}
