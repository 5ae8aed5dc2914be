//! A [`Digest`] → Markdown, HTML or plain text through minijinja templates. The three built-in
//! templates (`templates/` of the project) are embedded in the binary; the caller may replace any
//! of them with text it read. HTML templates are auto-escaped whatever their file was called.

use super::words::{labels, Labels};
use super::Digest;
use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

pub const BUILTIN_MARKDOWN: &str = include_str!("../../templates/digest.md");
pub const BUILTIN_HTML: &str = include_str!("../../templates/digest.html");
pub const BUILTIN_TEXT: &str = include_str!("../../templates/digest.txt");

/// Lines of the text digest are wrapped at this width by the `wrap` filter's default.
pub const TEXT_WIDTH: usize = 72;

/// The three templated outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Markdown,
    Html,
    Text,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Markdown, Kind::Html, Kind::Text];

    /// The template's name, which is also its file name in a `templates_dir`.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Markdown => "digest.md",
            Kind::Html => "digest.html",
            Kind::Text => "digest.txt",
        }
    }
}

/// The template text of each kind: built-in unless replaced.
#[derive(Debug, Clone)]
pub struct Templates {
    markdown: String,
    html: String,
    text: String,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            markdown: BUILTIN_MARKDOWN.to_string(),
            html: BUILTIN_HTML.to_string(),
            text: BUILTIN_TEXT.to_string(),
        }
    }
}

impl Templates {
    pub fn replace(&mut self, kind: Kind, text: String) {
        match kind {
            Kind::Markdown => self.markdown = text,
            Kind::Html => self.html = text,
            Kind::Text => self.text = text,
        }
    }

    fn get(&self, kind: Kind) -> &str {
        match kind {
            Kind::Markdown => &self.markdown,
            Kind::Html => &self.html,
            Kind::Text => &self.text,
        }
    }
}

/// A template that does not parse or fails while rendering, with minijinja's explanation
/// (which names the template and the line).
#[derive(Debug, thiserror::Error)]
#[error("template {name}: {detail}")]
pub struct RenderError {
    pub name: String,
    pub detail: String,
}

fn error(name: &str, e: minijinja::Error) -> RenderError {
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        detail.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    RenderError {
        name: name.to_string(),
        detail,
    }
}

/// What a template sees: every field of the digest, `labels`, and `total_words`.
#[derive(Serialize)]
struct View<'a> {
    #[serde(flatten)]
    digest: &'a Digest,
    labels: Labels,
    /// « 12 sujets », « 1 sujet », « 0 sujet » / "0 stories".
    total_words: String,
}

impl<'a> View<'a> {
    fn new(digest: &'a Digest) -> Self {
        let labels = labels(digest.lang);
        // French counts 0 and 1 in the singular, English only 1.
        let singular = match digest.lang {
            super::Lang::Fr => digest.total <= 1,
            super::Lang::En => digest.total == 1,
        };
        let word = if singular {
            labels.story
        } else {
            labels.stories
        };
        View {
            digest,
            labels,
            total_words: format!("{} {word}", digest.total),
        }
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.add_filter("http_url", http_url);
    env.add_filter("md", markdown_text);
    env.add_filter("md_url", markdown_url);
    env.add_filter("wrap", wrap);
    env.add_filter("nbsp", french_spacing);
    env
}

/// Render `digest` with the template of `kind`.
pub fn render(digest: &Digest, templates: &Templates, kind: Kind) -> Result<String, RenderError> {
    let name = kind.file_name();
    let mut env = environment();
    env.add_template_owned(name, templates.get(kind).to_string())
        .map_err(|e| error(name, e))?;
    let template = env.get_template(name).map_err(|e| error(name, e))?;
    template
        .render(View::new(digest))
        .map_err(|e| error(name, e))
}

/// The subject of the email: `template` rendered with the same variables, on one line.
pub fn subject(digest: &Digest, template: &str) -> Result<String, RenderError> {
    let env = environment();
    let text = env
        .render_str(template, View::new(digest))
        .map_err(|e| error("email.subject", e))?;
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `url|http_url`: the URL when it is http or https, else nothing: the only way a template
/// should put a URL it did not build in an `href`.
fn http_url(value: Value) -> Value {
    value
        .as_str()
        .and_then(super::linkable)
        .map_or(Value::from(()), Value::from)
}

/// `text|md`: plain text made inert in Markdown: no link (brackets and `<` are escaped), no HTML,
/// no emphasis or code; a `#` that would start a heading is escaped too.
pub fn markdown_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']' => true,
            '#' | '+' | '-' | '|' => at_start,
            '!' => matches!(chars.peek(), Some('[')),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        at_start = false;
    }
    out
}

/// `url|md_url`: a URL that cannot close a Markdown link early.
pub fn markdown_url(value: &str) -> String {
    value
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// `text|nbsp`: the spaces French typography puts inside « guillemets » and before `:` `;` `!` `?`
/// made non-breaking, so that a line never starts with « » » or « : » nor ends with « « ».
fn french_spacing(value: &str) -> String {
    value
        .replace("« ", "«\u{a0}")
        .replace(" »", "\u{a0}»")
        .replace(" :", "\u{a0}:")
        .replace(" ;", "\u{202f};")
        .replace(" !", "\u{202f}!")
        .replace(" ?", "\u{202f}?")
}

/// `text|wrap(width, indent)`: words wrapped at `width` (default 72) columns, lines after the
/// first indented by `indent` spaces.
fn wrap(value: &str, width: Option<usize>, indent: Option<usize>) -> String {
    let width = width.unwrap_or(TEXT_WIDTH).max(10);
    let pad = " ".repeat(indent.unwrap_or(0));
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in value.split_whitespace() {
        let needed = line.chars().count() + 1 + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(&pad);
        } else if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_is_inert() {
        assert_eq!(
            markdown_text("[x](javascript:alert(1)) <script>"),
            "\\[x\\](javascript:alert(1)) \\<script\\>"
        );
        assert_eq!(
            markdown_url("https://e.org/a (b)"),
            "https://e.org/a%20%28b%29"
        );
    }

    #[test]
    fn only_web_urls_survive_http_url() {
        assert_eq!(
            http_url(Value::from("https://example.org/a")).as_str(),
            Some("https://example.org/a")
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "JAVASCRIPT:x",
            "//x",
            "ftp://e.org/",
        ] {
            assert!(http_url(Value::from(bad)).is_none(), "{bad}");
        }
    }

    #[test]
    fn french_spaces_do_not_break() {
        assert_eq!(
            french_spacing("La doctrine « cloud au centre » : enfin ?"),
            "La doctrine «\u{a0}cloud au centre\u{a0}»\u{a0}: enfin\u{202f}?"
        );
    }

    #[test]
    fn wrap_breaks_between_words() {
        assert_eq!(
            wrap("un deux trois quatre cinq six", Some(12), Some(2)),
            "un deux\n  trois\n  quatre\n  cinq six"
        );
    }
}
