//! Unit tests of `crate::config`.

use super::*;

fn parse_str(text: &str) -> Result<Config, ConfigError> {
    parse(
        text,
        Path::new("feeds.toml"),
        &HashMap::new(),
        &Overrides::default(),
    )
}

#[test]
fn defaults_apply_to_a_minimal_file() {
    let config =
        parse_str("[[source]]\nname = \"a\"\nurl = \"https://example.org/feed\"\n").unwrap();
    assert_eq!(config.settings.concurrency, DEFAULT_CONCURRENCY);
    assert_eq!(config.settings.database, PathBuf::from("veille.db"));
    assert_eq!(config.sources[0].kind, SourceKind::Feed);
    assert!(config.sources[0].enabled);
}

#[test]
fn every_error_is_reported_with_its_line() {
    let text = "[settings]\ntimeout = \"soon\"\ncolour = 1\n\n[[source]]\nname = \"Bad Name\"\nurl = \"ftp://x\"\n\n[[topic]]\nname = \"t\"\npatterns = [\"(\"]\n";
    let errors = parse_str(text).unwrap_err().errors;
    let joined = errors.join("\n");
    assert_eq!(errors.len(), 5, "{joined}");
    assert!(
        joined.contains("feeds.toml:2: `settings.timeout`"),
        "{joined}"
    );
    assert!(
        joined.contains("feeds.toml:3: unknown key `settings.colour`"),
        "{joined}"
    );
    assert!(
        joined.contains("feeds.toml:6: `source[0].name`"),
        "{joined}"
    );
    assert!(joined.contains("feeds.toml:7: `source[0].url`"), "{joined}");
    assert!(
        joined.contains("feeds.toml:11: `topic[0].patterns`"),
        "{joined}"
    );
}

#[test]
fn environment_beats_file_and_flags_beat_environment() {
    let text = "[settings]\nconcurrency = 4\ndatabase = \"x.db\"\n";
    let env = HashMap::from([
        ("VEILLE_CONCURRENCY".to_string(), "8".to_string()),
        ("VEILLE_DB".to_string(), "/tmp/env.db".to_string()),
    ]);
    let path = Path::new("/etc/veille/feeds.toml");
    let config = parse(text, path, &env, &Overrides::default()).unwrap();
    assert_eq!(config.settings.concurrency, 8);
    assert_eq!(config.settings.database, PathBuf::from("/tmp/env.db"));
    let flags = Overrides {
        database: Some("/tmp/flag.db".into()),
        concurrency: Some(2),
    };
    let config = parse(text, path, &env, &flags).unwrap();
    assert_eq!(config.settings.concurrency, 2);
    assert_eq!(config.settings.database, PathBuf::from("/tmp/flag.db"));
    let config = parse(text, path, &HashMap::new(), &Overrides::default()).unwrap();
    assert_eq!(config.settings.database, PathBuf::from("/etc/veille/x.db"));
}

#[test]
fn duplicate_names_and_html_without_selectors_are_refused() {
    let text = "[[source]]\nname = \"a\"\nurl = \"https://a.org/\"\n[[source]]\nname = \"a\"\nurl = \"https://b.org/\"\nkind = \"html\"\n";
    let joined = parse_str(text).unwrap_err().to_string();
    assert!(joined.contains("names two sources"), "{joined}");
    assert!(joined.contains("needs a [source.selectors]"), "{joined}");
}

#[test]
fn a_source_encoding_is_a_known_label() {
    let source = "[[source]]\nname = \"a\"\nurl = \"https://a.org/\"\n";
    let config = parse_str(&format!("{source}encoding = \"ISO-8859-15\"\n")).unwrap();
    assert_eq!(config.sources[0].encoding, Some(encoding_rs::ISO_8859_15));
    assert_eq!(parse_str(source).unwrap().sources[0].encoding, None);
    let err = parse_str(&format!("{source}encoding = \"latin-42\"\n"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("feeds.toml:4: `source[0].encoding`")
            && err.contains("not a character encoding"),
        "{err}"
    );
}

#[test]
fn a_keyword_that_cannot_match_is_refused_at_its_topic() {
    let text = "[[topic]]\nname = \"t\"\nkeywords = [\"« »\"]\n";
    let err = parse_str(text).unwrap_err().to_string();
    assert!(
        err.starts_with("feeds.toml:3: `topic[0].keywords`"),
        "{err}"
    );
}

#[test]
fn syntax_error_names_the_line() {
    let err = parse_str("[settings]\ntimeout = \n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("feeds.toml:2: invalid TOML"), "{err}");
}

#[test]
fn sizes_parse_and_print() {
    assert_eq!(parse_size("16MiB"), Some(16 << 20));
    assert_eq!(parse_size("500 KB"), Some(500_000));
    assert_eq!(parse_size("12 parsecs"), None);
    assert_eq!(format_size(16 << 20), "16 MiB");
    assert_eq!(format_size(300), "300 bytes");
}

#[test]
fn without_a_database_setting_the_database_goes_to_xdg_data_home() {
    let text = "[settings]\nconcurrency = 4\n";
    let path = Path::new("/etc/veille/feeds.toml");
    let xdg = HashMap::from([
        ("XDG_DATA_HOME".to_string(), "/data".to_string()),
        ("HOME".to_string(), "/home/ed".to_string()),
    ]);
    let config = parse(text, path, &xdg, &Overrides::default()).unwrap();
    assert_eq!(
        config.settings.database,
        PathBuf::from("/data/veille/veille.db")
    );
    let home = HashMap::from([("HOME".to_string(), "/home/ed".to_string())]);
    let config = parse(text, path, &home, &Overrides::default()).unwrap();
    assert_eq!(
        config.settings.database,
        PathBuf::from("/home/ed/.local/share/veille/veille.db")
    );
    // Neither: beside the configuration, as before.
    let config = parse(text, path, &HashMap::new(), &Overrides::default()).unwrap();
    assert_eq!(
        config.settings.database,
        PathBuf::from("/etc/veille/veille.db")
    );
    // A database the file names stays relative to the file.
    let named = "[settings]\ndatabase = \"veille.db\"\n";
    let config = parse(named, path, &xdg, &Overrides::default()).unwrap();
    assert_eq!(
        config.settings.database,
        PathBuf::from("/etc/veille/veille.db")
    );
}
