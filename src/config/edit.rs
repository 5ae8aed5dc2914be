//! Appending sources to the text of a `feeds.toml` with toml_edit, or removing one, so that
//! every comment and every byte of formatting of the rest of the file is kept; and the names new
//! sources get.
//! Pure: text in, text out. Writing the file and validating the result belong to `app`.

use crate::model::SourceKind;
use std::collections::HashSet;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table};

/// The longest name derived from a title, leaving room for a `-N` suffix under the 64 allowed.
const MAX_DERIVED_NAME: usize = 48;

/// A source to append, already checked by its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSource {
    pub name: String,
    pub url: String,
    pub kind: SourceKind,
    pub tags: Vec<String>,
    /// `[source.selectors]`, in the order given (html sources).
    pub selectors: Vec<(String, String)>,
}

/// `text` with one `[[source]]` table appended per entry of `sources`.
pub fn append_sources(text: &str, sources: &[NewSource]) -> Result<String, String> {
    let mut document: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("invalid TOML: {}", e.message().trim()))?;
    if !document.contains_key("source") {
        document.insert("source", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let Some(tables) = document
        .get_mut("source")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Err(
            "`source` is not written as [[source]] tables: add the source by hand".to_string(),
        );
    };
    for source in sources {
        tables.push(table_of(source));
    }
    Ok(document.to_string())
}

/// `text` without the `[[source]]` table named `name` (and the comments written above it).
pub fn remove_source(text: &str, name: &str) -> Result<String, String> {
    let mut document: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("invalid TOML: {}", e.message().trim()))?;
    let Some(tables) = document
        .get_mut("source")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Err(format!(
            "no [[source]] table named `{name}`: remove the source by hand"
        ));
    };
    let index = tables
        .iter()
        .position(|t| t.get("name").and_then(Item::as_str) == Some(name))
        .ok_or_else(|| format!("no [[source]] table named `{name}`: remove it by hand"))?;
    tables.remove(index);
    Ok(document.to_string())
}

fn table_of(source: &NewSource) -> Table {
    let mut table = Table::new();
    // A blank line before the new [[source]], as in a file written by hand.
    table.decor_mut().set_prefix("\n");
    table.insert("name", toml_edit::value(source.name.as_str()));
    table.insert("url", toml_edit::value(source.url.as_str()));
    if source.kind != SourceKind::Feed {
        table.insert("kind", toml_edit::value(source.kind.as_str()));
    }
    if !source.tags.is_empty() {
        let tags: Array = source.tags.iter().map(String::as_str).collect();
        table.insert("tags", toml_edit::value(tags));
    }
    if !source.selectors.is_empty() {
        let mut selectors = Table::new();
        for (key, css) in &source.selectors {
            selectors.insert(key, toml_edit::value(css.as_str()));
        }
        table.insert("selectors", Item::Table(selectors));
    }
    table
}

/// A name or tag from free text: accents folded, lower-case, runs of anything else than
/// `a-z0-9` made one `-`, at most [`MAX_DERIVED_NAME`] characters. May be empty.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in crate::normalize::fold(text).chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(MAX_DERIVED_NAME).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `wanted` if no source has it, else `wanted-2`, `wanted-3`…; the result is added to `taken`.
pub fn unique_name(wanted: &str, taken: &mut HashSet<String>) -> String {
    let mut name = wanted.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{wanted}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// A name for a source: its title's slug, else its host's (without `www.`), else `source`.
pub fn derive_name(title: Option<&str>, url: &url::Url, taken: &mut HashSet<String>) -> String {
    let from_title = title.map(slug).filter(|s| !s.is_empty());
    let from_host = || {
        let host = url.host_str().unwrap_or_default();
        Some(slug(host.strip_prefix("www.").unwrap_or(host))).filter(|s| !s.is_empty())
    };
    let wanted = from_title
        .or_else(from_host)
        .unwrap_or_else(|| "source".to_string());
    unique_name(&wanted, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(name: &str, url: &str) -> NewSource {
        NewSource {
            name: name.into(),
            url: url.into(),
            kind: SourceKind::Feed,
            tags: vec![],
            selectors: vec![],
        }
    }

    #[test]
    fn appending_keeps_the_file_byte_for_byte() {
        let text = "# my sources\n[settings]\ndatabase = \"x.db\"   # here\n\n[[source]]\nname = \"a\"  # first\nurl = \"https://a.example/feed\"\n";
        let out = append_sources(text, &[feed("b", "https://b.example/rss")]).unwrap();
        assert_eq!(
            out,
            format!("{text}\n[[source]]\nname = \"b\"\nurl = \"https://b.example/rss\"\n")
        );
    }

    #[test]
    fn a_file_without_sources_gets_its_first() {
        let text = "[settings]\nconcurrency = 4\n";
        let mut source = feed("b", "https://b.example/rss");
        source.tags = vec!["x".into(), "y-z".into()];
        let out = append_sources(text, &[source]).unwrap();
        assert!(out.starts_with(text), "{out}");
        assert!(out.contains("tags = [\"x\", \"y-z\"]"), "{out}");
    }

    #[test]
    fn sources_land_beside_the_others_and_topics_keep_their_comments() {
        let text = "[[source]]\nname = \"a\"\nurl = \"https://a.example/\"\n\n# --- topics ---\n[[topic]]\nname = \"t\"\nkeywords = [\"x\"]\n";
        let out = append_sources(text, &[feed("b", "https://b.example/")]).unwrap();
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(parsed["source"].as_array().unwrap().len(), 2);
        assert!(out.contains("# --- topics ---\n[[topic]]"), "{out}");
    }

    #[test]
    fn removing_a_source_keeps_the_rest_of_the_file() {
        let text = "# mine\n[settings]\nconcurrency = 4 # here\n\n[[source]]\nname = \"a\"\nurl = \"https://a.example/\"\n\n[[source]]\nname = \"b\"\nurl = \"https://b.example/\"\n[source.selectors]\nitem = \"li\"\n\n# topics\n[[topic]]\nname = \"t\"\n";
        let out = remove_source(text, "b").unwrap();
        assert_eq!(
            out,
            "# mine\n[settings]\nconcurrency = 4 # here\n\n[[source]]\nname = \"a\"\nurl = \"https://a.example/\"\n\n# topics\n[[topic]]\nname = \"t\"\n"
        );
        assert!(remove_source(text, "c").is_err());
    }

    #[test]
    fn names_are_slugs_made_unique() {
        assert_eq!(
            slug("Le Blog de l’Été — Actualités !"),
            "le-blog-de-l-ete-actualites"
        );
        assert_eq!(slug("***"), "");
        let mut taken = HashSet::from(["framablog".to_string()]);
        let url = url::Url::parse("https://www.example.org/feed").unwrap();
        assert_eq!(
            derive_name(Some("Framablog"), &url, &mut taken),
            "framablog-2"
        );
        assert_eq!(
            derive_name(Some("Framablog"), &url, &mut taken),
            "framablog-3"
        );
        assert_eq!(derive_name(None, &url, &mut taken), "example-org");
        assert!(slug(&"a".repeat(200)).len() <= MAX_DERIVED_NAME);
    }
}
