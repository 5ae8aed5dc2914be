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
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(out.stdout.contains(section), "no {section}");
    }
    assert!(out.stdout.contains("fetch"));
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
