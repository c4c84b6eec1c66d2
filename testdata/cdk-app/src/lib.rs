//! Shared code of the orders functions.

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize)]
pub struct Order {
    pub id: String,
    pub customer: String,
    pub items: Vec<String>,
}

pub fn table_name() -> String {
    std::env::var("TABLE_NAME").expect("TABLE_NAME is set by the template")
}

pub async fn save(ddb: &aws_sdk_dynamodb::Client, order: &Order) -> Result<(), aws_sdk_dynamodb::Error> {
    ddb.put_item()
        .table_name(table_name())
        .item("id", AttributeValue::S(order.id.clone()))
        .item("customer", AttributeValue::S(order.customer.clone()))
        .item("items", AttributeValue::Ss(order.items.clone()))
        .send()
        .await?;
    Ok(())
}
