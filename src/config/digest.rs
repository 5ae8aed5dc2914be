//! `[digest]` and `[email]` → typed [`DigestSettings`] and [`EmailSettings`], with the same errors
//! (file, line, key) as the rest of the configuration. The SMTP password is never read from the
//! file: it comes from `VEILLE_SMTP_PASSWORD` when the digest is sent.

use super::Checker;
use crate::digest::Lang;
use lettre::message::Mailbox;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_DIGEST_TITLE: &str = "Veille";
/// The subject of a digest email: a minijinja template over the digest's variables.
pub const DEFAULT_SUBJECT: &str = "{{ title }} — {{ period.words }}";

/// Resolved `[digest]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestSettings {
    pub title: String,
    pub lang: Lang,
    /// Templates that replace the built-in ones (`digest.md`, `digest.html`, `digest.txt`).
    pub templates_dir: Option<PathBuf>,
    /// Leave out stories published this long before the period starts.
    pub max_age: Option<Duration>,
    /// List untagged stories last, under « Autres » / "Other".
    pub other: bool,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            title: DEFAULT_DIGEST_TITLE.to_string(),
            lang: Lang::Fr,
            templates_dir: None,
            max_age: None,
            other: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Smtp,
    /// The local `sendmail` program.
    Sendmail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: accepted only for a server on this machine.
    None,
}

/// Resolved `[email]`.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailSettings {
    pub from: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub subject: String,
    pub transport: Transport,
    pub server: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
}

impl Default for EmailSettings {
    fn default() -> Self {
        EmailSettings {
            from: None,
            to: Vec::new(),
            subject: DEFAULT_SUBJECT.to_string(),
            transport: Transport::Smtp,
            server: "localhost".to_string(),
            port: 587,
            security: Security::StartTls,
            user: None,
        }
    }
}

/// Whether `server` names this machine, the only place a plain SMTP connection may go.
pub fn is_local(server: &str) -> bool {
    let host = server.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Checker {
    fn string(&mut self, path: &str, value: &toml::Value) -> Option<String> {
        match value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.error(path, "must be a string".into());
                None
            }
        }
    }

    pub(super) fn digest(&mut self, raw: Option<&toml::Table>, base_dir: &Path) -> DigestSettings {
        let mut settings = DigestSettings::default();
        for (key, value) in raw.into_iter().flatten() {
            let path = format!("digest.{key}");
            match key.as_str() {
                "title" => {
                    if let Some(title) = self.string(&path, value) {
                        settings.title = title;
                    }
                }
                "lang" => match self.string(&path, value).as_deref() {
                    Some("fr") => settings.lang = Lang::Fr,
                    Some("en") => settings.lang = Lang::En,
                    Some(other) => self.error(
                        &path,
                        format!("`{other}` is not a language: use \"fr\" or \"en\""),
                    ),
                    None => {}
                },
                "templates_dir" => {
                    if let Some(dir) = self.string(&path, value) {
                        settings.templates_dir = Some(base_dir.join(dir));
                    }
                }
                "max_age" => {
                    if let Some(text) = self.string(&path, value) {
                        match humantime::parse_duration(text.trim()) {
                            Ok(d) => settings.max_age = Some(d),
                            Err(_) => self.error(
                                &path,
                                format!("`{text}` is not a duration such as \"30d\" or \"8w\""),
                            ),
                        }
                    }
                }
                "other" => match value.as_bool() {
                    Some(b) => settings.other = b,
                    None => self.error(&path, "must be true or false".into()),
                },
                _ => {} // reported as an unknown key by the walk
            }
        }
        settings
    }

    pub(super) fn email(&mut self, raw: Option<&toml::Table>) -> EmailSettings {
        let mut settings = EmailSettings::default();
        let mut port = None;
        for (key, value) in raw.into_iter().flatten() {
            let path = format!("email.{key}");
            match key.as_str() {
                "from" => {
                    if let Some(text) = self.string(&path, value) {
                        settings.from = self.mailbox(&path, &text);
                    }
                }
                "to" => {
                    let list: Vec<&toml::Value> = match value {
                        toml::Value::Array(items) => items.iter().collect(),
                        one => vec![one],
                    };
                    for item in list {
                        if let Some(text) = self.string(&path, item) {
                            if let Some(mailbox) = self.mailbox(&path, &text) {
                                settings.to.push(mailbox);
                            }
                        }
                    }
                }
                "subject" => {
                    if let Some(subject) = self.string(&path, value) {
                        match minijinja::Environment::new().template_from_str(&subject) {
                            Ok(_) => settings.subject = subject,
                            Err(e) => self.error(&path, format!("is not a valid template: {e}")),
                        }
                    }
                }
                "transport" => match self.string(&path, value).as_deref() {
                    Some("smtp") => settings.transport = Transport::Smtp,
                    Some("sendmail") => settings.transport = Transport::Sendmail,
                    Some(other) => self.error(
                        &path,
                        format!("`{other}` is not a transport: use \"smtp\" or \"sendmail\""),
                    ),
                    None => {}
                },
                "server" => {
                    if let Some(server) = self.string(&path, value) {
                        if server.trim().is_empty() || server.contains(char::is_whitespace) {
                            self.error(&path, format!("`{server}` is not a host name"));
                        } else {
                            settings.server = server;
                        }
                    }
                }
                "port" => match value.as_integer().and_then(|n| u16::try_from(n).ok()) {
                    Some(n) if n > 0 => port = Some(n),
                    _ => self.error(&path, "must be a port number from 1 to 65535".into()),
                },
                "security" => match self.string(&path, value).as_deref() {
                    Some("starttls") => settings.security = Security::StartTls,
                    Some("tls") => settings.security = Security::Tls,
                    Some("none") => settings.security = Security::None,
                    Some(other) => self.error(
                        &path,
                        format!(
                            "`{other}` is not a security: use \"starttls\", \"tls\" or \"none\""
                        ),
                    ),
                    None => {}
                },
                "user" => settings.user = self.string(&path, value),
                _ => {} // reported as an unknown key by the walk
            }
        }
        if settings.security == Security::None
            && settings.transport == Transport::Smtp
            && !is_local(&settings.server)
        {
            self.error(
                "email.security",
                format!(
                    "\"none\" sends the mail and the password in clear: it is accepted only for a server on this machine (localhost), not `{}`; use \"starttls\" or \"tls\"",
                    settings.server
                ),
            );
        }
        settings.port = port.unwrap_or(match settings.security {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        });
        settings
    }

    fn mailbox(&mut self, path: &str, text: &str) -> Option<Mailbox> {
        match text.parse::<Mailbox>() {
            Ok(mailbox) => Some(mailbox),
            Err(e) => {
                self.error(
                    path,
                    format!(
                        "`{text}` is not an address such as \"Veille <veille@example.org>\": {e}"
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Overrides};
    use super::*;
    use std::collections::HashMap;

    fn parse_str(text: &str) -> Result<super::super::Config, super::super::ConfigError> {
        parse(
            text,
            Path::new("/etc/veille/feeds.toml"),
            &HashMap::new(),
            &Overrides::default(),
        )
    }

    #[test]
    fn digest_and_email_settings_are_typed() {
        let config = parse_str(
            "[digest]\ntitle = \"Veille open source\"\nlang = \"en\"\ntemplates_dir = \"tpl\"\nmax_age = \"30d\"\nother = false\n\n[email]\nfrom = \"Veille <veille@example.org>\"\nto = [\"a@example.org\", \"Équipe <b@example.org>\"]\nserver = \"localhost\"\nsecurity = \"none\"\nuser = \"veille\"\n",
        )
        .unwrap();
        assert_eq!(config.digest.title, "Veille open source");
        assert_eq!(config.digest.lang, Lang::En);
        assert_eq!(
            config.digest.templates_dir,
            Some(PathBuf::from("/etc/veille/tpl"))
        );
        assert_eq!(config.digest.max_age, Some(Duration::from_secs(30 * 86400)));
        assert!(!config.digest.other);
        assert_eq!(config.email.to.len(), 2);
        assert_eq!(config.email.to[1].email.to_string(), "b@example.org");
        assert_eq!(config.email.security, Security::None);
        assert_eq!(config.email.port, 25);
        assert_eq!(config.email.user.as_deref(), Some("veille"));
        assert_eq!(config.email.subject, DEFAULT_SUBJECT);
    }

    #[test]
    fn email_errors_name_the_line_and_key() {
        let text = "[digest]\nlang = \"de\"\n\n[email]\nfrom = \"not an address\"\nserver = \"mail.example.org\"\nsecurity = \"none\"\nport = 70000\nsubject = \"{{ start \"\n";
        let errors = parse_str(text).unwrap_err().errors;
        let joined = errors.join("\n");
        assert_eq!(errors.len(), 5, "{joined}");
        assert!(joined.contains("feeds.toml:2: `digest.lang`"), "{joined}");
        assert!(joined.contains("feeds.toml:5: `email.from`"), "{joined}");
        assert!(
            joined.contains("feeds.toml:7: `email.security`: \"none\""),
            "{joined}"
        );
        assert!(joined.contains("feeds.toml:8: `email.port`"), "{joined}");
        assert!(joined.contains("feeds.toml:9: `email.subject`"), "{joined}");
    }

    #[test]
    fn only_loopback_is_local() {
        assert!(is_local("localhost"));
        assert!(is_local("127.0.0.1"));
        assert!(is_local("[::1]"));
        assert!(!is_local("mail.example.org"));
        assert!(!is_local("10.0.0.1"));
    }
}
