//! The layering of ARCHITECTURE.md, checked on the source itself, so that it stays so.
//!
//! Every file under `src/` is parsed with `syn` (test code left out: `tests.rs` files and items
//! under `#[cfg(test)]`). From each part's code it collects the other parts it names
//! (`crate::part::…`, in `use` trees and in paths), the I/O crates it names (rusqlite, reqwest,
//! tokio, `std::fs`, `std::env`, `std::net`) and the clock it reads (`Utc::now`, `Instant::now`…),
//! and the length of every function. The test fails when:
//! - `model` names another part, or any I/O crate or the clock;
//! - a pure stage names `app`, `cli`, `config`, `fetch` or `store`, an I/O crate or the clock;
//! - `store` names a stage (it may name `model` only), or `fetch` names a stage other than the
//!   model and the configuration it is given;
//! - the graph between parts has a cycle;
//! - a function outside tests is longer than [`MAX_FUNCTION_LINES`].
//!
//! Paths written inside macro invocations (`format!(…)`) are tokens to `syn` and are not seen; no
//! part of veille reaches another that way today. Run with `-- --nocapture` (or
//! `scripts/architecture`) to print the module map, the graph and the longest functions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// The longest function allowed outside tests, first line to closing brace.
const MAX_FUNCTION_LINES: usize = 80;

/// The parts in the order of the data flow, each with its layer.
const PARTS: &[(&str, Layer)] = &[
    ("cli", Layer::Face),
    ("app", Layer::App),
    ("fuzzing", Layer::App),
    ("config", Layer::Config),
    ("fetch", Layer::Fetch),
    ("parse", Layer::Pure),
    ("extract", Layer::Pure),
    ("normalize", Layer::Pure),
    ("cluster", Layer::Pure),
    ("tag", Layer::Pure),
    ("search", Layer::Pure),
    ("health", Layer::Pure),
    ("digest", Layer::Pure),
    ("store", Layer::Store),
    ("model", Layer::Model),
    // Flat helpers, to be placed under the stage they serve.
    ("charset", Layer::Pure),
    ("dates", Layer::Pure),
    ("identity", Layer::Pure),
    ("query", Layer::Pure),
    ("opml", Layer::Pure),
    ("discover", Layer::Pure),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Face,
    App,
    Config,
    Fetch,
    Pure,
    Store,
    Model,
}

/// I/O a part may name only in the layers that do I/O.
const IO_CRATES: &[&str] = &["rusqlite", "reqwest", "tokio"];
const IO_STD: &[&str] = &["fs", "env", "net", "process"];
const CLOCKS: &[&str] = &["Utc", "Local", "Instant", "SystemTime"];

/// What one part's code names.
#[derive(Debug, Default)]
struct Facts {
    /// Other parts of the crate, each with one place that names it.
    parts: BTreeMap<String, String>,
    /// I/O crates, `std::fs`-like modules and clocks, each with one place.
    io: BTreeMap<String, String>,
    /// The first line of the part's `//!` doc.
    doc: String,
    lines: usize,
}

struct Function {
    place: String,
    name: String,
    lines: usize,
}

#[test]
fn the_parts_import_along_the_flow_and_no_function_is_too_long() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut facts: BTreeMap<String, Facts> = BTreeMap::new();
    let mut functions = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap().to_path_buf();
        if relative == Path::new("main.rs") || relative == Path::new("lib.rs") {
            continue;
        }
        let part = part_of(&relative);
        let text = std::fs::read_to_string(&file).unwrap();
        let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let entry = facts.entry(part.clone()).or_default();
        entry.lines += text.lines().count();
        if is_part_root(&relative) {
            entry.doc = first_doc_line(&text);
        }
        if is_test_file(&relative) {
            continue;
        }
        let mut walker = Walker {
            file: relative.display().to_string(),
            part: &part,
            facts: entry,
            functions: &mut functions,
        };
        walker.visit_file(&syntax);
    }

    print_report(&facts, &mut functions);
    let mut broken = Vec::new();
    for (part, found) in &facts {
        let layer = layer_of(part);
        for (other, place) in &found.parts {
            if !may_import(layer, part, other) {
                broken.push(format!("{part} names {other} ({place})"));
            }
        }
        if !matches!(
            layer,
            Layer::App | Layer::Fetch | Layer::Store | Layer::Config
        ) {
            for (io, place) in &found.io {
                broken.push(format!("{part} uses {io} ({place})"));
            }
        }
    }
    if let Some(cycle) = find_cycle(&facts) {
        broken.push(format!("cycle: {}", cycle.join(" → ")));
    }
    for f in functions.iter().filter(|f| f.lines > MAX_FUNCTION_LINES) {
        broken.push(format!(
            "{} ({}) is {} lines (at most {MAX_FUNCTION_LINES})",
            f.name, f.place, f.lines
        ));
    }
    assert!(
        broken.is_empty(),
        "the layering rules of ARCHITECTURE.md are broken:\n  {}",
        broken.join("\n  ")
    );
}

/// Whether a part of `layer` may name `other` (STYLE.md's arrows).
fn may_import(layer: Layer, part: &str, other: &str) -> bool {
    let target = layer_of(other);
    match layer {
        Layer::Face | Layer::App => true,
        Layer::Config => matches!(target, Layer::Model | Layer::Pure),
        // The fetcher is given its settings by the configuration, and nothing else.
        Layer::Fetch => matches!(target, Layer::Model | Layer::Config),
        Layer::Pure => matches!(target, Layer::Model | Layer::Pure) && other != part,
        Layer::Store => target == Layer::Model,
        Layer::Model => false,
    }
}

fn layer_of(part: &str) -> Layer {
    PARTS
        .iter()
        .find(|(name, _)| *name == part)
        .map(|(_, layer)| *layer)
        .unwrap_or_else(|| panic!("src/{part} is not in this test's PARTS: give it a layer"))
}

/// The part a file belongs to: its first path component, without `.rs`.
fn part_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

fn is_part_root(relative: &Path) -> bool {
    relative.components().count() == 1
        || (relative.file_name().unwrap() == "mod.rs" && relative.components().count() == 2)
}

fn is_test_file(relative: &Path) -> bool {
    relative.file_name().unwrap() == "tests.rs"
        || relative.components().any(|c| c.as_os_str() == "tests")
}

fn first_doc_line(text: &str) -> String {
    let doc: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim())
        .collect();
    let joined = doc.join(" ");
    // The first sentence.
    match joined.find(". ") {
        Some(end) => joined[..=end].trim().to_string(),
        None => joined,
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

struct Walker<'a> {
    file: String,
    part: &'a str,
    facts: &'a mut Facts,
    functions: &'a mut Vec<Function>,
}

impl Walker<'_> {
    fn place(&self, span: proc_macro2::Span) -> String {
        format!("src/{}:{}", self.file, span.start().line)
    }

    /// Records what a path names: `crate::part…`, an I/O crate, `std::fs`, a clock's `now`.
    fn names(&mut self, segments: &[String], span: proc_macro2::Span) {
        let place = self.place(span);
        match segments {
            [first, part, ..] if first == "crate" && part != self.part => {
                self.facts.parts.entry(part.clone()).or_insert(place);
            }
            [first, ..] if IO_CRATES.contains(&first.as_str()) => {
                self.facts.io.entry(first.clone()).or_insert(place);
            }
            [std, module, ..] if std == "std" && IO_STD.contains(&module.as_str()) => {
                self.facts
                    .io
                    .entry(format!("std::{module}"))
                    .or_insert(place);
            }
            [.., clock, now] if now == "now" && CLOCKS.contains(&clock.as_str()) => {
                self.facts
                    .io
                    .entry(format!("{clock}::now"))
                    .or_insert(place);
            }
            _ => {}
        }
    }

    /// A function from its signature to its closing brace (its doc and attributes not counted).
    fn function(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let (start, end) = (sig.span().start().line, block.span().end().line);
        let name = &sig.ident;
        let lines = end - start + 1;
        self.functions.push(Function {
            place: format!("src/{}:{start}", self.file),
            name: name.to_string(),
            lines,
        });
    }
}

/// `#[cfg(test)]` or `#[test]`.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || (a.path().is_ident("cfg")
                && a.parse_args::<syn::Path>()
                    .is_ok_and(|p| p.is_ident("test")))
    })
}

/// Every path a `use` tree names, as segments.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push([prefix.clone(), vec![n.ident.to_string()]].concat()),
        syn::UseTree::Rename(r) => out.push([prefix.clone(), vec![r.ident.to_string()]].concat()),
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix, out)),
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_test(&item.attrs) {
            visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_test(&item.attrs) {
            self.function(&item.sig, &item.block);
            visit::visit_item_fn(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if !is_test(&item.attrs) {
            self.function(&item.sig, &item.block);
            visit::visit_impl_item_fn(self, item);
        }
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.function(&item.sig, block);
        }
        visit::visit_trait_item_fn(self, item);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if !is_test(&item.attrs) {
            visit::visit_item_impl(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if is_test(&item.attrs) {
            return;
        }
        let mut paths = Vec::new();
        use_paths(&item.tree, &mut Vec::new(), &mut paths);
        for path in paths {
            self.names(&path, item.span());
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.names(&segments, path.span());
        visit::visit_path(self, path);
    }
}

/// A cycle in the graph between parts, if there is one.
fn find_cycle(facts: &BTreeMap<String, Facts>) -> Option<Vec<String>> {
    fn walk(
        part: &str,
        facts: &BTreeMap<String, Facts>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == part) {
            let mut cycle = path[start..].to_vec();
            cycle.push(part.to_string());
            return Some(cycle);
        }
        if !done.insert(part.to_string()) {
            return None;
        }
        path.push(part.to_string());
        let found = facts.get(part).and_then(|f| {
            f.parts
                .keys()
                .find_map(|other| walk(other, facts, path, done))
        });
        path.pop();
        found
    }
    let mut done = BTreeSet::new();
    facts
        .keys()
        .find_map(|part| walk(part, facts, &mut Vec::new(), &mut done))
}

fn print_report(facts: &BTreeMap<String, Facts>, functions: &mut [Function]) {
    println!("module map (flow order):");
    for (part, _) in PARTS {
        if let Some(f) = facts.get(*part) {
            println!("  {part:<10} {:>6} lines  {}", f.lines, f.doc);
        }
    }
    println!("imports between parts:");
    for (part, _) in PARTS {
        if let Some(f) = facts.get(*part) {
            let names: Vec<&str> = f.parts.keys().map(String::as_str).collect();
            println!("  {part:<10} → {}", names.join(", "));
        }
    }
    functions.sort_by(|a, b| b.lines.cmp(&a.lines));
    println!("longest functions:");
    for f in functions.iter().take(15) {
        println!("  {:>4}  {} ({})", f.lines, f.name, f.place);
    }
}
