//! `veille init` and the XDG paths: the starter lands in $XDG_CONFIG_HOME/veille/, is found
//! there without --config, and sends the database to $XDG_DATA_HOME/veille/.

use crate::common::{bare, fetch_ok, run, veille, Server, Workspace};
use assert_cmd::Command;

fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run veille");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn init_writes_the_starter_in_xdg_config_home_and_refuses_to_overwrite_it() {
    let ws = Workspace::empty();
    let (code, _, stderr) = output(bare(&ws).arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("run `veille init`"), "{stderr}");

    let (code, stdout, stderr) = output(bare(&ws).arg("init"));
    assert_eq!(code, 0, "{stderr}");
    let written = ws.path().join("xdg/config/veille/feeds.toml");
    assert!(
        stdout.contains(&format!("wrote {}", written.display())),
        "{stdout}"
    );
    assert!(stdout.contains("next: `veille check`"), "{stdout}");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.starts_with("# veille — default configuration"));
    assert!(!text.lines().any(|l| l.starts_with("database")));

    // Found without --config; the database goes to XDG_DATA_HOME.
    let (code, stdout, stderr) = output(bare(&ws).arg("check"));
    assert_eq!(code, 0, "{stderr}");
    let database = ws.path().join("xdg/data/veille/veille.db");
    assert!(stdout.contains(&database.display().to_string()), "{stdout}");

    std::fs::write(&written, "# mine\n").unwrap();
    let (code, _, stderr) = output(bare(&ws).arg("init"));
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "# mine\n");
    let (code, _, _) = output(bare(&ws).args(["init", "--force"]));
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&written).unwrap(), text);
}

#[test]
fn init_writes_where_config_says() {
    let ws = Workspace::empty();
    let out = run(&ws, &["init"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(ws.config_path().is_file());
    assert!(!ws.path().join("xdg/config/veille/feeds.toml").exists());
    let (code, ..) = output(veille(&ws).arg("init"));
    assert_eq!(code, 2);
}

#[test]
fn without_a_database_setting_fetch_creates_it_in_xdg_data_home() {
    let server = Server::start();
    let ws = Workspace::empty();
    ws.write_raw(&format!(
        "[settings]\ntimeout = \"10s\"\n\n[[source]]\nname = \"linuxfr\"\nurl = \"{}\"\n",
        server.url("/feeds/linuxfr-news.atom")
    ));
    fetch_ok(&ws);
    assert!(ws.path().join("xdg/data/veille/veille.db").is_file());
    assert!(!ws.db_path().exists());
}
