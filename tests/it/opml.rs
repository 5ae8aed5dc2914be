//! `veille opml export` / `veille opml import FILE`: a round trip gives the same sources, the
//! exports of other readers (picoFeed's fixtures in ../shared/corpora) import with their folders
//! as tags, and hostile files get sentences.

use crate::common::{run, Workspace};
use std::path::PathBuf;

/// The OPML files of picoFeed's test suite, read where they are: never copied into this
/// repository. `None` when the corpora are not configured (the test then does not run).
fn picofeed(file: &str) -> Option<PathBuf> {
    let path = crate::common::corpora::corpora()?
        .join("feeds-picofeed")
        .join(file);
    assert!(
        path.is_file(),
        "{} is missing: these tests read picoFeed's fixtures from feeds-picofeed",
        path.display()
    );
    Some(path)
}

/// (name, url, tags) of every source of the workspace's feeds.toml, in file order.
fn sources(ws: &Workspace) -> Vec<(String, String, Vec<String>)> {
    let text = std::fs::read_to_string(ws.config_path()).expect("read feeds.toml");
    let table: toml::Table = toml::from_str(&text).expect("feeds.toml is TOML");
    let Some(list) = table.get("source").and_then(|s| s.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .map(|s| {
            let text = |key: &str| s[key].as_str().unwrap_or_default().to_string();
            let tags = s
                .get("tags")
                .and_then(|t| t.as_array())
                .map(|t| {
                    t.iter()
                        .map(|v| v.as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .unwrap_or_default();
            (text("name"), text("url"), tags)
        })
        .collect()
}

fn empty_config() -> Workspace {
    let ws = Workspace::empty();
    ws.write_raw("# imported sources\n[settings]\ndatabase = \"veille.db\"\n");
    ws
}

fn import(ws: &Workspace, file: &std::path::Path) -> crate::common::Run {
    run(ws, &["opml", "import", &file.display().to_string()])
}

#[test]
fn export_then_import_into_an_empty_configuration_gives_the_same_sources() {
    let ws = Workspace::empty();
    ws.write_raw(concat!(
        "[settings]\ndatabase = \"veille.db\"\n\n",
        "[[source]]\nname = \"linuxfr\"\nurl = \"https://linuxfr.org/news.atom\"\ntags = [\"presse\", \"communaute\"]\n\n",
        "[[source]]\nname = \"gsm\"\nurl = \"https://www.globalsecuritymag.fr/spip.php?page=backend&lang=fr\"\ntags = [\"presse\"]\n\n",
        "[[source]]\nname = \"framablog\"\nurl = \"https://framablog.org/feed/\"\n\n",
        "[[source]]\nname = \"gsm-page\"\nurl = \"https://www.globalsecuritymag.fr/rubrique-actus.html\"\nkind = \"html\"\n",
        "[source.selectors]\nitem = \"li.item\"\nlink = \"a@href\"\n",
    ));
    let out = run(&ws, &["opml", "export"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out
        .stdout
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    assert!(
        out.stdout.contains("spip.php?page=backend&amp;lang=fr"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("<outline text=\"presse\" title=\"presse\">"),
        "{out}"
    );
    assert!(out.stderr.contains("1 html sources left out"), "{out}");
    let file = ws.path().join("export.opml");
    let out = run(
        &ws,
        &["opml", "export", "--out", &file.display().to_string()],
    );
    assert_eq!(out.code, 0, "{out}");

    let other = empty_config();
    let out = import(&other, &file);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("3 sources imported"), "{out}");
    let mut expected: Vec<_> = sources(&ws)
        .into_iter()
        .filter(|s| s.0 != "gsm-page")
        .collect();
    let mut got = sources(&other);
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(run(&other, &["check"]).code, 0);
}

/// A source an import must give: name, url, tags.
type Expected = (&'static str, &'static str, &'static [&'static str]);

#[test]
fn exports_of_other_readers_import_with_folders_as_tags() {
    let cases: [(&str, usize, Expected); 4] = [
        (
            "google-reader.opml",
            22,
            (
                "la-quadrature-du-net",
                "http://www.laquadrature.net/fr/rss.xml",
                &["droits-du-net"],
            ),
        ),
        (
            "tinytinyrss.opml",
            2,
            (
                "planete-jquery",
                "http://feeds.feedburner.com/PlaneteJqueryFr",
                &["coding"],
            ),
        ),
        (
            "newsbeuter.opml",
            35,
            // newsbeuter exports empty titles: the name comes from the host.
            ("la-grange-net", "http://www.la-grange.net/feed.atom", &[]),
        ),
        (
            "subscriptionList.opml",
            14,
            // Its Google blog outline carries CNET's title: two names collide.
            (
                "cnet-news-com-2",
                "http://feeds.feedburner.com/blogspot/MKuf?format=xml",
                &[],
            ),
        ),
    ];
    for (file, count, (name, url, tags)) in cases {
        let ws = empty_config();
        let Some(path) = picofeed(file) else {
            return;
        };
        let out = import(&ws, &path);
        assert_eq!(out.code, 0, "{file}: {out}");
        assert!(
            out.stdout.starts_with(&format!("{count} sources imported")),
            "{file}: {out}"
        );
        let imported = sources(&ws);
        assert_eq!(imported.len(), count, "{file}");
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        assert!(
            imported.contains(&(name.to_string(), url.to_string(), tags)),
            "{file}: {imported:?}"
        );
        assert!(ws.config_path().exists());
        assert_eq!(run(&ws, &["check"]).code, 0, "{file}");
        // Again: everything is already there, and said so.
        let out = import(&ws, &path);
        assert_eq!(out.code, 0, "{file}: {out}");
        assert!(
            out.stdout.starts_with("0 sources imported"),
            "{file}: {out}"
        );
        assert!(
            out.stdout.contains(&format!("{count} already configured")),
            "{file}: {out}"
        );
        assert_eq!(sources(&ws).len(), count);
    }
    // Folders of google-reader.opml: Presse, Culture, Droits du net, Bloggers, Dev, Code…
    let ws = empty_config();
    let Some(path) = picofeed("google-reader.opml") else {
        return;
    };
    import(&ws, &path);
    let culture = sources(&ws).iter().filter(|s| s.2 == ["culture"]).count();
    assert_eq!(culture, 4);
}

#[test]
fn hostile_files_are_refused_or_filtered_with_their_lines() {
    let ws = empty_config();
    let original = std::fs::read_to_string(ws.config_path()).unwrap();
    let write = |name: &str, text: &str| {
        let path = ws.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let broken = write("broken.opml", "<opml version=\"2.0\">\n<body>\n<outline xmlUrl=\"https://a.example/\">\n</body>\n</opml>\n");
    let out = import(&ws, &broken);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("broken.opml: malformed XML at line 4"),
        "{out}"
    );
    let empty = write(
        "empty.opml",
        "<opml version=\"2.0\"><head/><body><outline text=\"Dossier vide\"/></body></opml>",
    );
    let out = import(&ws, &empty);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("no feed in this OPML file"), "{out}");
    let rss = write("feed.opml", "<rss version=\"2.0\"><channel/></rss>");
    assert!(import(&ws, &rss).stderr.contains("not an OPML file"));
    assert_eq!(std::fs::read_to_string(ws.config_path()).unwrap(), original);

    let mixed = write(
        "mixed.opml",
        concat!(
            "<opml version=\"1.0\"><body>\n",
            "<outline text=\"x\" xmlUrl=\"javascript:alert(1)\"/>\n",
            "<outline text=\"y\" xmlUrl=\"file:///etc/passwd\"/>\n",
            "<outline text=\"Le Blog\" xmlUrl=\"https://blog.example/feed/\"/>\n",
            "<outline text=\"Le Blog\" xmlUrl=\"https://blog.example/feed/#top\"/>\n",
            "<outline text=\"Le Blog\" xmlUrl=\"https://autre.example/feed/\"/>\n",
            "</body></opml>\n",
        ),
    );
    let out = import(&ws, &mixed);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("2 sources imported")
            && out.stdout.contains("1 listed twice, 2 not http(s)"),
        "{out}"
    );
    for line in [
        "mixed.opml:2: javascript:alert(1) is not an http or https URL",
        "mixed.opml:3: file:///etc/passwd is not an http or https URL",
        "mixed.opml:5: https://blog.example/feed/ was already listed at line 4",
    ] {
        assert!(out.stderr.contains(line), "missing {line:?}\n{out}");
    }
    let names: Vec<String> = sources(&ws).into_iter().map(|s| s.0).collect();
    assert_eq!(names, ["le-blog", "le-blog-2"]);
    assert!(std::fs::read_to_string(ws.config_path())
        .unwrap()
        .starts_with(&original));
}

#[test]
fn ten_thousand_outlines_import_in_one_write() {
    let ws = empty_config();
    let mut opml = String::from(
        "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n<outline text=\"Veille\">\n",
    );
    for i in 0..10_000 {
        opml.push_str(&format!(
            "<outline type=\"rss\" text=\"Blog {}\" xmlUrl=\"https://s{i}.example/feed/\"/>\n",
            i % 100
        ));
    }
    opml.push_str("</outline></body></opml>\n");
    let path = ws.path().join("big.opml");
    std::fs::write(&path, opml).unwrap();
    let out = import(&ws, &path);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("10000 sources imported"), "{out}");
    let imported = sources(&ws);
    assert_eq!(imported.len(), 10_000);
    assert!(imported.iter().any(|s| s.0 == "blog-7-100"));
    assert!(imported.iter().all(|s| s.2 == ["veille"]));
}

#[test]
fn import_into_a_missing_configuration_starts_it() {
    let ws = Workspace::empty();
    let opml = ws.path().join("reader.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Mes flux</title></head><body>
  <outline text="Logiciel libre">
    <outline type="rss" text="LinuxFr.org" title="LinuxFr.org" xmlUrl="https://linuxfr.org/news.atom"/>
  </outline>
</body></opml>"#,
    )
    .expect("write the OPML file");
    // A file that is not OPML creates nothing.
    let bad = ws.path().join("notes.txt");
    std::fs::write(&bad, "pas de l'OPML").expect("write");
    let refused = run(&ws, &["opml", "import", bad.to_str().unwrap()]);
    assert_eq!(refused.code, 2, "{refused}");
    assert!(!ws.config_path().exists(), "{refused}");

    let out = run(&ws, &["opml", "import", opml.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("1 source imported"), "{out}");
    assert_eq!(
        sources(&ws),
        [(
            "linuxfr-org".to_string(),
            "https://linuxfr.org/news.atom".to_string(),
            vec!["logiciel-libre".to_string()]
        )]
    );
    let check = run(&ws, &["check"]);
    assert_eq!(check.code, 0, "{check}");
    assert!(
        check.stdout.contains("OK: 1 source (1 enabled), 0 topics"),
        "{check}"
    );
}
