use async_trait::async_trait;
use aws_sdk_sesv2::types::{
    Body, BulkEmailContent, BulkEmailEntry, Content, Destination, EmailContent, Message, Template,
};

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, to: &str, subject: &str) -> Result<(), aws_sdk_sesv2::Error>;
    async fn send_bulk(&self, to: &[String], subject: &str) -> Result<(), aws_sdk_sesv2::Error>;
}

pub struct SesMailer {
    pub client: aws_sdk_sesv2::Client,
    pub from: String,
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, to: &str, subject: &str) -> Result<(), aws_sdk_sesv2::Error> {
        let message = Message::builder()
            .subject(Content::builder().data(subject).build()?)
            .body(Body::builder().build())
            .build();
        self.client
            .send_email() // expect: SL502
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await?;
        Ok(())
    }

    async fn send_bulk(&self, to: &[String], subject: &str) -> Result<(), aws_sdk_sesv2::Error> {
        let entries = to
            .iter()
            .map(|address| {
                let destination = Destination::builder().to_addresses(address).build();
                BulkEmailEntry::builder().destination(destination).build()
            })
            .collect::<Vec<_>>();
        let data = format!("{{\"subject\":\"{subject}\"}}");
        let template = Template::builder().template_name("announcement").template_data(data).build();
        self.client
            .send_bulk_email() // expect: SL502
            .from_email_address(&self.from)
            .set_bulk_email_entries(Some(entries))
            .default_content(BulkEmailContent::builder().template(template).build())
            .send()
            .await?;
        Ok(())
    }
}
