//! Shell integration: completion scripts and the man page, generated without any configuration;
//! an environment that is not UTF-8.

use crate::common::{run, veille, Run, Workspace};

#[test]
fn completion_scripts_generate_for_every_shell_without_a_configuration() {
    let ws = Workspace::empty();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&ws, &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {out}");
        for word in ["fetch", "search", "sources"] {
            assert!(out.stdout.contains(word), "{shell} script lacks {word}");
        }
    }
    // The bash script is valid bash.
    let script = ws.path().join("veille.bash");
    std::fs::write(&script, run(&ws, &["completions", "bash"]).stdout).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("run bash -n");
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    assert_eq!(run(&ws, &["completions", "tcsh"]).code, 2);
}

#[test]
fn the_man_page_is_roff_that_documents_the_commands() {
    let ws = Workspace::empty();
    let out = run(&ws, &["man"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains(".TH veille 1"), "{}", out.stdout);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH \"VEILLE FETCH\"",
        ".SH \"VEILLE SOURCE REMOVE\"",
        ".SH \"VEILLE OPML IMPORT\"",
    ] {
        assert!(out.stdout.contains(section), "no {section}");
    }
    // One page: no reference to veille-fetch(1) and the like, which do not exist.
    assert!(!out.stdout.contains("veille\\-fetch(1)"), "{}", out.stdout);
    assert!(!out.stdout.contains("veille-fetch(1)"), "{}", out.stdout);
    // Every subcommand's options are on it, and --db gives its real default.
    assert!(out.stdout.contains("keep\\-articles"), "{}", out.stdout);
    assert!(out.stdout.contains("XDG_DATA_HOME"), "{}", out.stdout);
}

#[test]
fn dynamic_completion_offers_the_configured_names() {
    let server = crate::common::Server::start();
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("lemagit", &server.url("/feeds/framablog.rss")),
            ("next", &server.url("/feeds/next.json")),
        ],
        &[],
    );
    let complete = |words: &[&str]| {
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("veille"))
            .current_dir(ws.path())
            .env("HOME", ws.path())
            .env("XDG_CONFIG_HOME", ws.path().join("xdg/config"))
            .env("XDG_DATA_HOME", ws.path().join("xdg/data"))
            .env("VEILLE_CONFIG", ws.config_path())
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
            .env("_CLAP_COMPLETE_COMP_TYPE", "9")
            .env("_CLAP_COMPLETE_SPACE", "true")
            .env("_CLAP_IFS", "\n")
            .arg("--")
            .args(words)
            .output()
            .expect("run veille for a completion");
        assert!(output.status.success(), "{output:?}");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let mut words: Vec<String> = text.lines().map(String::from).collect();
        words.sort();
        words
    };
    assert_eq!(
        complete(&["veille", "fetch", "--source", "l"]),
        ["lemagit", "linuxfr"]
    );
    assert_eq!(complete(&["veille", "source", "test", "n"]), ["next"]);
    crate::common::fetch(&ws, &[]);
    let ids: Vec<String> = complete(&["veille", "show", ""])
        .into_iter()
        .filter(|w| !w.starts_with('-'))
        .collect();
    assert!(ids.len() >= 5, "{ids:?}");
    assert!(ids.iter().all(|id| id.parse::<i64>().is_ok()), "{ids:?}");
}

#[test]
fn a_variable_that_is_not_utf8_never_makes_veille_panic() {
    use std::os::unix::ffi::OsStrExt;
    let ws = Workspace::new(&[], &[]);
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9");
    // A variable veille does not read: ignored.
    let out = Run::from(
        veille(&ws)
            .arg("check")
            .env("OLD_LOCALE_NAME", latin1)
            .output()
            .expect("run veille"),
    );
    assert_eq!(out.code, 0, "{out}");
    // One it reads: named, exit 2.
    let out = Run::from(
        veille(&ws)
            .arg("check")
            .env("VEILLE_TIMEZONE", latin1)
            .output()
            .expect("run veille"),
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("VEILLE_TIMEZONE is not valid UTF-8"),
        "{out}"
    );
    assert!(!out.stderr.contains("panicked"), "{out}");
}
