//! Delivery of a digest email: SMTP (STARTTLS, implicit TLS, or plain to this machine) or the
//! local `sendmail`. The password comes from `VEILLE_SMTP_PASSWORD` only.

use crate::app::UsageError;
use crate::config::{Config, Security, Transport};
use anyhow::Context as _;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SendmailTransport, SmtpTransport, Transport as _};
use std::time::Duration;

/// How long an SMTP exchange may take before the delivery counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);
/// Where the SMTP password comes from: never the configuration file.
pub const PASSWORD_VARIABLE: &str = "VEILLE_SMTP_PASSWORD";

/// Hand the message to the configured transport; any refusal is an error (exit 1).
pub fn deliver(config: &Config, message: &Message) -> anyhow::Result<()> {
    let settings = &config.email;
    match settings.transport {
        Transport::Sendmail => SendmailTransport::new()
            .send(message)
            .context("sendmail could not take the digest; nothing was recorded"),
        Transport::Smtp => {
            let server = settings.server.as_str();
            let builder = match settings.security {
                Security::None => SmtpTransport::builder_dangerous(server),
                Security::StartTls => SmtpTransport::starttls_relay(server)
                    .with_context(|| format!("cannot use STARTTLS with {server}"))?,
                Security::Tls => SmtpTransport::relay(server)
                    .with_context(|| format!("cannot use TLS with {server}"))?,
            };
            let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
            if let Some(user) = &settings.user {
                let password = std::env::var(PASSWORD_VARIABLE).map_err(|_| {
                    UsageError(format!(
                        "[email] user is {user}: put the SMTP password in {PASSWORD_VARIABLE}"
                    ))
                })?;
                builder = builder.credentials(Credentials::new(user.clone(), password));
            }
            builder.build().send(message).map(|_| ()).with_context(|| {
                format!(
                    "the digest was not sent through {server}:{}; nothing was recorded",
                    settings.port
                )
            })
        }
    }
}
