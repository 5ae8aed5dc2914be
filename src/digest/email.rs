//! A rendered digest → an RFC 5322 message (lettre): From, To, Subject (RFC 2047 when it is not
//! ASCII), Date, Message-ID, and a `multipart/alternative` body with the text and HTML digests in
//! UTF-8. Pure: the date and the Message-ID are arguments; sending is the app's.

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

/// What goes into the message besides the bodies.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    pub from: &'a Mailbox,
    pub to: &'a [Mailbox],
    pub subject: &'a str,
    pub date: DateTime<Utc>,
    /// With its angle brackets: `<…@…>`.
    pub message_id: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("the digest has no recipient: set `to` in [email] or pass --to ADDRESS")]
    NoRecipient,
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// The digest as one email with a text and an HTML alternative.
pub fn message(envelope: &Envelope, text: String, html: String) -> Result<Message, EmailError> {
    if envelope.to.is_empty() {
        return Err(EmailError::NoRecipient);
    }
    let mut builder = Message::builder()
        .from(envelope.from.clone())
        .subject(envelope.subject)
        .date(envelope.date.into())
        .message_id(Some(envelope.message_id.to_string()))
        .user_agent(concat!("veille/", env!("CARGO_PKG_VERSION")).to_string());
    for to in envelope.to {
        builder = builder.to(to.clone());
    }
    Ok(builder.multipart(MultiPart::alternative_plain_html(text, html))?)
}

/// A Message-ID for a digest sent from `from`: unique through `now` (to the nanosecond) and
/// `salt` (the caller passes something of its process), in the sender's domain.
pub fn message_id(from: &Mailbox, now: DateTime<Utc>, salt: u64) -> String {
    format!(
        "<veille.{}.{:x}.{salt:x}@{}>",
        now.format("%Y%m%d%H%M%S"),
        now.timestamp_subsec_nanos(),
        from.email.domain()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_message_has_every_header_and_both_parts() {
        let from: Mailbox = "Veille <veille@example.org>".parse().unwrap();
        let to: Vec<Mailbox> = vec!["Équipe <equipe@example.org>".parse().unwrap()];
        let date = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
        let id = message_id(&from, date, 42);
        assert!(
            id.starts_with("<veille.20261123070000.0.2a@example.org"),
            "{id}"
        );
        let envelope = Envelope {
            from: &from,
            to: &to,
            subject: "Veille — Semaine du 16 au 22 novembre 2026",
            date,
            message_id: &id,
        };
        let message = message(&envelope, "texte é".into(), "<p>html é</p>".into()).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        // Non-ASCII words are encoded (RFC 2047).
        assert!(
            raw.contains("Subject: Veille =?utf-8?b?4oCU?= Semaine"),
            "{raw}"
        );
        assert!(
            raw.contains("Date: Mon, 23 Nov 2026 07:00:00 +0000"),
            "{raw}"
        );
        assert!(raw.contains(&format!("Message-ID: {id}")), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain; charset=utf-8"), "{raw}");
        assert!(raw.contains("text/html; charset=utf-8"), "{raw}");
    }

    #[test]
    fn no_recipient_is_an_error() {
        let from: Mailbox = "veille@example.org".parse().unwrap();
        let envelope = Envelope {
            from: &from,
            to: &[],
            subject: "s",
            date: Utc::now(),
            message_id: "<a@b>",
        };
        assert!(matches!(
            message(&envelope, String::new(), String::new()),
            Err(EmailError::NoRecipient)
        ));
    }
}
