//! Shell integration: completion scripts and the man page, generated without any configuration.

use crate::common::{run, Workspace};

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
