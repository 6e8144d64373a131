//! The module layers: each module under `src/` imports only the layers its row names, and no files of one
//! module use each other in a circle. The table is defined here, once; README.md quotes it between
//! `<!-- layers:start -->` and `<!-- layers:end -->`, and a test keeps the two equal.
//!
//! The source is read as tokens, not parsed: comments, doc comments and string literals are skipped, and
//! what counts as a reference is a `use` tree (groups included) or a path in code that starts with
//! `crate::`, `super::`, `self::` or the name of a child module the file declares. Each reference is
//! resolved to the file that defines the module it names.

use std::collections::{BTreeMap, BTreeSet};

/// One row of the layer table.
pub struct Layer {
    pub module: &'static str,
    pub holds: &'static str,
    /// The other modules this one may import; each must stand above it in the table.
    pub may_import: &'static [&'static str],
}

/// The layers, bottom first. A module may import only the modules its row names, and a row may name only
/// rows above it, so every import points down.
pub const LAYERS: &[Layer] = &[
    Layer {
        module: "text",
        holds: "safe text: the one type outside text becomes on entry; fitting it into cells",
        may_import: &[],
    },
    Layer {
        module: "api",
        holds: "the typed client of Mailtrap's token API: transport, answers, models, errors, the account choice",
        may_import: &["text"],
    },
    Layer {
        module: "keys",
        holds: "what a key means: the actions and the keymap",
        may_import: &["text"],
    },
    Layer {
        module: "clipboard",
        holds: "the native and OSC 52 clipboard routes",
        may_import: &["api"],
    },
    Layer {
        module: "custody",
        holds: "where a new secret goes when it cannot stay on screen or reach standard output",
        may_import: &["text", "api"],
    },
    Layer {
        module: "hygiene",
        holds: "the hygiene rules about an account's tokens and the findings they give",
        may_import: &["text", "api"],
    },
    Layer {
        module: "config",
        holds: "the config file, themes, paths and the log file, from plain inputs",
        may_import: &["text", "api", "keys", "custody", "hygiene"],
    },
    Layer {
        module: "rotation",
        holds: "where each token is used, its cut-over checklist, and handing a new secret to a command",
        may_import: &["text", "api", "custody", "config"],
    },
    Layer {
        module: "drift",
        holds: "snapshots of an account's inventory and what changed between two of them",
        may_import: &["text", "api", "custody", "config"],
    },
    Layer {
        module: "journal",
        holds: "the append-only record of every write sent (never a secret), read back as entries",
        may_import: &["text", "api", "custody", "config"],
    },
    Layer {
        module: "sim",
        holds: "the simulator of the API, for `serve`, `demo` and the tests",
        may_import: &["api"],
    },
    Layer {
        module: "app",
        holds: "the full-screen console: state, update, effects, view, dialogs, the loop",
        may_import: &[
            "text",
            "api",
            "keys",
            "clipboard",
            "custody",
            "hygiene",
            "config",
            "rotation",
            "drift",
            "journal",
        ],
    },
    Layer {
        module: "cli",
        holds: "the command line: it assembles the console, the demo and `serve`, and runs the commands",
        may_import: &[
            "text",
            "api",
            "keys",
            "clipboard",
            "custody",
            "hygiene",
            "config",
            "rotation",
            "drift",
            "journal",
            "sim",
            "app",
        ],
    },
];

/// Violations known today that work in progress removes: the split of `src/sim` (its files import cli's
/// argument types, and http, control and sdk_proxy use each other) and the restructure of `src/app`
/// (update.rs and its update/ files call each other, as do view/mod.rs and view/screens.rs). Empty it
/// as that work lands. An entry that no longer happens fails the test as well, so the list only shrinks.
const ALLOWED: &[&str] = &[];

#[test]
fn the_layers_point_only_down() {
    let sources = read_sources();
    for layer in LAYERS {
        let prefix = format!("src/{}", layer.module);
        assert!(
            sources.iter().any(|(path, _)| path.starts_with(&prefix)),
            "the layer table names `{}`, which is not a module under src/",
            layer.module
        );
    }
    let report = check(&sources, ALLOWED);
    assert!(
        report.is_empty(),
        "the module layers are broken (the table is in tests/process/readme/layers.rs):\n{}",
        report.join("\n")
    );
}

#[test]
fn the_table_names_only_lower_layers() {
    for (row, layer) in LAYERS.iter().enumerate() {
        for name in layer.may_import {
            let below = LAYERS[..row].iter().any(|l| l.module == *name);
            assert!(
                below,
                "{} may import {name}, which is not a layer below it",
                layer.module
            );
        }
    }
}

/// `UPDATE_README=1 cargo test --test process readme::` rewrites the README's copy after a change to the table.
#[test]
fn the_readme_quotes_the_layer_table() {
    if std::env::var_os("UPDATE_README").is_some() {
        super::rewrite_section("layers", &layer_table());
        return;
    }
    assert_eq!(
        super::section(&super::readme(), "layers"),
        layer_table(),
        "README.md's layer table is out of date: run `UPDATE_README=1 cargo test --test process readme::`"
    );
}

/// The table as README.md shows it.
pub fn layer_table() -> String {
    let mut out =
        String::from("| layer (bottom first) | what it holds | may import |\n|---|---|---|\n");
    for layer in LAYERS {
        let imports = if layer.may_import.is_empty() {
            "nothing".to_string()
        } else {
            layer
                .may_import
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| `{}` | {} | {imports} |\n",
            layer.module, layer.holds
        ));
    }
    out
}

/// Every `.rs` file under `src/`, as (path from the crate root, text), sorted.
fn read_sources() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let relative = path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .expect("under the crate")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((relative, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    out.sort();
    out
}

// ---- the checker ------------------------------------------------------------------------------------

/// What is wrong with `files` (path, text), one line each: imports that run up a layer, circles between
/// files of one module, modules with no row, and entries of `allowed` that no longer happen.
pub fn check<P: AsRef<str>, T: AsRef<str>>(files: &[(P, T)], allowed: &[&str]) -> Vec<String> {
    // The binary's root is a crate of its own: its `crate::` is not the library's.
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_ref(), t.as_ref()))
        .filter(|(p, _)| *p != "src/main.rs" && !p.starts_with("src/bin/"))
        .collect();
    let module_of: BTreeMap<&str, Vec<String>> =
        files.iter().map(|(p, _)| (*p, module_path(p))).collect();
    let file_of: BTreeMap<Vec<String>, &str> =
        module_of.iter().map(|(p, m)| (m.clone(), *p)).collect();
    let layers: BTreeMap<&str, &Layer> = LAYERS.iter().map(|l| (l.module, l)).collect();

    // Each violation under the key an allow-list entry names it by.
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut edges: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (path, text) in &files {
        let module = &module_of[path];
        let Some(from) = module.first() else {
            continue;
        };
        let Some(layer) = layers.get(from.as_str()) else {
            found
                .entry(format!("{path}: no layer"))
                .or_default()
                .push(format!(
                    "{path}: the module `{from}` has no row in the layer table"
                ));
            continue;
        };
        for reference in references(module, &tokens(text)) {
            let Some(target) = file_for(&file_of, &reference.target) else {
                continue;
            };
            let Some(to) = reference.target.first() else {
                continue;
            };
            if to != from {
                if !layer.may_import.contains(&to.as_str()) {
                    let may = if layer.may_import.is_empty() {
                        "no other module".to_string()
                    } else {
                        format!("only {}", layer.may_import.join(", "))
                    };
                    found
                        .entry(format!("{path} -> {to}"))
                        .or_default()
                        .push(format!(
                            "{path}:{}: {from} imports {to} (`{}`), which is not below it: {from} may import {may}",
                            reference.line, reference.text
                        ));
                }
            } else if target != *path && !reference.reexport {
                edges.entry((path, target)).or_insert(reference.line);
            }
        }
    }
    for circle in circles(&edges) {
        let key = format!("circle: {}", circle.join(" "));
        let uses: Vec<String> = edges
            .iter()
            .filter(|((a, b), _)| circle.contains(a) && circle.contains(b))
            .map(|((a, b), line)| format!("{a}:{line} uses {b}"))
            .collect();
        found.entry(key).or_default().push(format!(
            "circle between files of one module: {}",
            uses.join("; ")
        ));
    }

    let mut report = Vec::new();
    for (key, messages) in &found {
        if !allowed.contains(&key.as_str()) {
            report.extend(messages.iter().cloned());
        }
    }
    for entry in allowed {
        if !found.contains_key(*entry) {
            report.push(format!(
                "the allow-list names {entry:?}, which no longer happens: remove it from ALLOWED"
            ));
        }
    }
    report
}

/// `src/app/update/actions.rs` → `["app", "update", "actions"]`; `src/app/mod.rs` → `["app"]`;
/// `src/lib.rs` → `[]`.
fn module_path(path: &str) -> Vec<String> {
    let inner = path
        .strip_prefix("src/")
        .unwrap_or(path)
        .trim_end_matches(".rs");
    let mut parts: Vec<String> = inner.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

/// The file that defines the longest leading part of `target` (the rest names items inside it).
fn file_for<'a>(file_of: &BTreeMap<Vec<String>, &'a str>, target: &[String]) -> Option<&'a str> {
    (1..=target.len())
        .rev()
        .find_map(|n| file_of.get(&target[..n]).copied())
}

/// The sets of files (sorted, two or more) in which each file reaches every other through `edges`.
fn circles<'a>(edges: &BTreeMap<(&'a str, &'a str), usize>) -> Vec<Vec<&'a str>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        next.entry(a).or_default().push(b);
    }
    let reach = |start: &'a str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(file) = stack.pop() {
            for to in next.get(file).into_iter().flatten() {
                if seen.insert(*to) {
                    stack.push(to);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|f| (*f, reach(f))).collect();
    let mut out: BTreeSet<Vec<&str>> = BTreeSet::new();
    for (file, reached) in &reaches {
        if !reached.contains(file) {
            continue;
        }
        let circle: Vec<&str> = reached
            .iter()
            .filter(|other| reaches.get(*other).is_some_and(|r| r.contains(file)))
            .copied()
            .collect();
        out.insert(circle);
    }
    out.into_iter().filter(|c| c.len() > 1).collect()
}

// ---- references -------------------------------------------------------------------------------------

/// A path in one file that names a module of this crate.
#[derive(Debug)]
struct Reference {
    line: usize,
    /// The absolute module path it names, item names included (`["api", "client", "Client"]`).
    target: Vec<String>,
    /// `pub use`: the file shows the item to others; its own code does not use it.
    reexport: bool,
    text: String,
}

/// Every reference to this crate's modules in the tokens of the file whose module path is `module`.
fn references(module: &[String], tokens: &[Token]) -> Vec<Reference> {
    let is = |i: usize, text: &str| tokens.get(i).is_some_and(|t| t.text == text);
    // `mod name;` at the top of the file: a child module whose name may start a path.
    let mut children = BTreeSet::new();
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t.text.as_str() {
            "{" => depth += 1,
            "}" => depth = depth.saturating_sub(1),
            "mod" if depth == 0 && is(i + 2, ";") => {
                if let Some(name) = tokens.get(i + 1).filter(|n| n.ident) {
                    children.insert(name.text.clone());
                }
            }
            _ => {}
        }
    }

    let mut out = Vec::new();
    // Inline modules (`mod tests { … }`) open inside the file: `super::` counts from them.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        match t.text.as_str() {
            "{" => {
                if i >= 2 && is(i - 2, "mod") && tokens[i - 1].ident {
                    inline.push((tokens[i - 1].text.clone(), depth));
                }
                depth += 1;
            }
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            _ => {}
        }
        let scope: Vec<String> = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(name, _)| name.clone()))
            .collect();
        let starts_path = |name: &str| {
            matches!(name, "crate" | "super" | "self")
                || (inline.is_empty() && children.contains(name))
        };
        if t.ident && t.text == "use" {
            let reexport = is(i.wrapping_sub(1), "pub")
                || (is(i.wrapping_sub(1), ")")
                    && tokens[..i]
                        .iter()
                        .rposition(|t| t.text == "(")
                        .is_some_and(|open| open > 0 && is(open - 1, "pub")));
            let end = (i..tokens.len())
                .find(|j| is(*j, ";"))
                .unwrap_or(tokens.len());
            for (segments, line) in use_paths(&tokens[i + 1..end]) {
                if segments.first().is_some_and(|s| starts_path(s))
                    && let Some(target) = resolve(&scope, &segments)
                {
                    out.push(Reference {
                        line,
                        target,
                        reexport,
                        text: segments.join("::"),
                    });
                }
            }
            i = end + 1;
            continue;
        }
        let after_path = i > 0 && (is(i - 1, "::") || is(i - 1, "$"));
        if t.ident && starts_path(&t.text) && is(i + 1, "::") && !after_path {
            let mut segments = vec![t.text.clone()];
            let mut line = t.line;
            let mut j = i + 1;
            while is(j, "::") && tokens.get(j + 1).is_some_and(|n| n.ident) {
                segments.push(tokens[j + 1].text.clone());
                line = tokens[j + 1].line;
                j += 2;
            }
            if let Some(target) = resolve(&scope, &segments) {
                out.push(Reference {
                    line,
                    target,
                    reexport: false,
                    text: segments.join("::"),
                });
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// The absolute module path `segments` names from inside `scope`; `None` for another crate's path.
fn resolve(scope: &[String], segments: &[String]) -> Option<Vec<String>> {
    let (first, rest) = segments.split_first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" | "super" => scope.to_vec(),
        child => {
            let mut b = scope.to_vec();
            b.push(child.to_string());
            b
        }
    };
    if first == "super" {
        base.pop()?;
    }
    for segment in rest {
        match segment.as_str() {
            "self" => {}
            "super" => {
                base.pop()?;
            }
            name => base.push(name.to_string()),
        }
    }
    Some(base)
}

/// The full paths of a `use` tree (the tokens between `use` and `;`), each with the line of its last
/// segment: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d` and `a::c::e`.
fn use_paths(tokens: &[Token]) -> Vec<(Vec<String>, usize)> {
    fn tree(
        tokens: &[Token],
        i: &mut usize,
        prefix: &[String],
        out: &mut Vec<(Vec<String>, usize)>,
    ) {
        let mut path = prefix.to_vec();
        let mut line = tokens.get(*i).map_or(0, |t| t.line);
        while let Some(t) = tokens.get(*i) {
            match t.text.as_str() {
                "::" => *i += 1,
                "{" => {
                    *i += 1;
                    while tokens.get(*i).is_some_and(|t| t.text != "}") {
                        if tokens[*i].text == "," {
                            *i += 1;
                        } else {
                            tree(tokens, i, &path, out);
                        }
                    }
                    *i += 1;
                    return;
                }
                "*" => {
                    *i += 1;
                    out.push((path, t.line));
                    return;
                }
                _ if t.ident && t.text != "as" => {
                    path.push(t.text.clone());
                    line = t.line;
                    *i += 1;
                }
                _ => break,
            }
        }
        // `as name` renames the leaf; the path is what it names.
        if tokens.get(*i).is_some_and(|t| t.text == "as") {
            *i += 2;
        }
        if path.len() > prefix.len() {
            out.push((path, line));
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let before = i;
        tree(tokens, &mut i, &[], &mut out);
        if i == before {
            i += 1;
        }
    }
    out
}

// ---- tokens -----------------------------------------------------------------------------------------

#[derive(Debug, PartialEq)]
struct Token {
    text: String,
    line: usize,
    ident: bool,
}

/// The identifiers and punctuation of Rust source, with `::` as one token. Comments (doc comments
/// included), string, byte-string, raw-string and character literals are dropped; numbers become `0`.
fn tokens(source: &str) -> Vec<Token> {
    let c: Vec<char> = source.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let is_ident_start = |ch: char| ch.is_alphabetic() || ch == '_';
    let is_ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Past a quoted literal that starts at `i` (its opening quote), counting lines.
    let quoted = |mut i: usize, line: &mut usize| {
        i += 1;
        while i < c.len() && c[i] != '"' {
            if c[i] == '\\' {
                i += 1;
            }
            if at(i) == '\n' {
                *line += 1;
            }
            i += 1;
        }
        i + 1
    };
    // Past a raw literal whose `#`s or quote start at `i`.
    let raw = |mut i: usize, line: &mut usize| {
        let mut hashes = 0;
        while at(i) == '#' {
            hashes += 1;
            i += 1;
        }
        i += 1;
        while i < c.len() {
            if c[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                return i + 1 + hashes;
            }
            if c[i] == '\n' {
                *line += 1;
            }
            i += 1;
        }
        i
    };
    while i < c.len() {
        let ch = c[i];
        let next = at(i + 1);
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = quoted(i, &mut line);
        } else if (ch == 'b' || ch == 'c') && next == '"' {
            i = quoted(i + 1, &mut line);
        } else if ch == 'r' && (next == '"' || (next == '#' && matches!(at(i + 2), '"' | '#'))) {
            i = raw(i + 1, &mut line);
        } else if (ch == 'b' || ch == 'c')
            && next == 'r'
            && (at(i + 2) == '"' || (at(i + 2) == '#' && matches!(at(i + 3), '"' | '#')))
        {
            i = raw(i + 2, &mut line);
        } else if ch == '\'' || (ch == 'b' && next == '\'') {
            let q = if ch == 'b' { i + 1 } else { i };
            if at(q + 1) == '\\' {
                // An escaped character: `'\n'`, `'\''`, `'\u{1F600}'`.
                let mut j = q + 3;
                while j < c.len() && c[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if at(q + 2) == '\'' {
                i = q + 3;
            } else {
                // A lifetime or a label: the name that follows is lexed on its own.
                i = q + 1;
            }
        } else if ch == 'r' && next == '#' && is_ident_start(at(i + 2)) {
            i += 2;
        } else if is_ident_start(ch) {
            let start = i;
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            out.push(Token {
                text: c[start..i].iter().collect(),
                line,
                ident: true,
            });
        } else if ch.is_ascii_digit() {
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            out.push(Token {
                text: "0".into(),
                line,
                ident: false,
            });
        } else if ch == ':' && next == ':' {
            out.push(Token {
                text: "::".into(),
                line,
                ident: false,
            });
            i += 2;
        } else {
            out.push(Token {
                text: ch.to_string(),
                line,
                ident: false,
            });
            i += 1;
        }
    }
    out
}

// ---- the checker's own tests ------------------------------------------------------------------------

/// A tiny crate with one import that runs up a layer and one circle, hidden among things that are not
/// imports at all (comments, doc comments, strings, a raw string, character literals, `$crate`).
const SYNTHETIC: &[(&str, &str)] = &[
    ("src/lib.rs", "pub mod text;\npub mod app;\n"),
    (
        "src/text/mod.rs",
        "//! Not an import: use crate::app::state::State;\n\
         /// Nor this: [`crate::app::state`]\n\
         const S: &str = \"crate::app::state::State\";\n\
         use crate::app::state::State;\n\
         /* crate::app::a */ const C: char = '\"'; const R: &str = r#\"crate::app::b\"#;\n\
         macro_rules! m { () => { $crate::text::f() }; }\n",
    ),
    ("src/app/mod.rs", "pub mod a;\npub mod b;\npub mod state;\n"),
    ("src/app/a.rs", "use super::b::B;\npub struct A;\n"),
    (
        "src/app/b.rs",
        "pub struct B;\n\nfn make() -> crate::app::a::A {\n    crate::app::a::A\n}\n",
    ),
    ("src/app/state.rs", "pub struct State;\n"),
];

#[test]
fn the_checker_reports_an_upward_import_and_a_circle() {
    let report = check(SYNTHETIC, &[]);
    assert_eq!(report.len(), 2, "{report:#?}");
    assert_eq!(
        report[0],
        "circle between files of one module: src/app/a.rs:1 uses src/app/b.rs; src/app/b.rs:3 uses src/app/a.rs"
    );
    assert_eq!(
        report[1],
        "src/text/mod.rs:4: text imports app (`crate::app::state::State`), which is not below it: text may import no other module"
    );
}

#[test]
fn the_allow_list_hides_what_it_names_and_reports_what_no_longer_happens() {
    let report = check(
        SYNTHETIC,
        &[
            "src/text/mod.rs -> app",
            "circle: src/app/a.rs src/app/b.rs",
            "src/app/a.rs -> cli",
        ],
    );
    assert_eq!(
        report,
        [
            "the allow-list names \"src/app/a.rs -> cli\", which no longer happens: remove it from ALLOWED"
        ]
    );
}

#[test]
fn a_module_without_a_row_is_reported() {
    let report = check(&[("src/gui/mod.rs", "")], &[]);
    assert_eq!(
        report,
        ["src/gui/mod.rs: the module `gui` has no row in the layer table"]
    );
}

#[test]
fn paths_resolve_through_groups_super_self_and_child_modules() {
    let source = "mod child;\n\
                  use super::super::{a::A, b};\n\
                  use self::child::{self as c, D};\n\
                  pub(crate) use crate::x::Y;\n\
                  fn f() { child::g(); super::h(); }\n\
                  mod tests { use super::*; }\n";
    let module: Vec<String> = ["app", "view", "bars"].map(String::from).to_vec();
    let found: Vec<(String, usize, bool)> = references(&module, &tokens(source))
        .into_iter()
        .map(|r| (r.target.join("::"), r.line, r.reexport))
        .collect();
    let expect = [
        ("app::a::A", 2, false),
        ("app::b", 2, false),
        ("app::view::bars::child", 3, false),
        ("app::view::bars::child::D", 3, false),
        ("x::Y", 4, true),
        ("app::view::bars::child::g", 5, false),
        ("app::view::h", 5, false),
        ("app::view::bars", 6, false),
    ]
    .map(|(p, l, r)| (p.to_string(), l, r));
    assert_eq!(found, expect);
}

// ---- safe text ----------------------------------------------------------------------------------------

/// What drawing code may not do: make text safe itself. Text from the server becomes a `SafeText` when it
/// enters the state; the view only fits what it is given.
const MAKES_TEXT_SAFE: &[&str] = &[
    "sanitize(",
    "truncate_to_width(",
    "text::fit",
    "SafeText::new(",
    "SafeText::from(",
];

/// Each place under `src/app/view/` that makes text safe itself, as `file:line: call`.
fn view_making_text_safe<P: AsRef<str>, T: AsRef<str>>(files: &[(P, T)]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        let path = path.as_ref();
        if !path.starts_with("src/app/view/") {
            continue;
        }
        for (n, line) in text.as_ref().lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for call in MAKES_TEXT_SAFE {
                if code.contains(call) {
                    out.push(format!("{path}:{}: {call}", n + 1));
                }
            }
        }
    }
    out
}

#[test]
fn the_view_never_makes_text_safe_itself() {
    let found = view_making_text_safe(&read_sources());
    assert!(
        found.is_empty(),
        "the view must draw SafeText it is given, not sanitize (make the text safe where it enters the state):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_sanitize_in_the_view_is_reported() {
    let files = [
        (
            "src/app/view/bars.rs",
            "// sanitize( in a comment is fine\nlet t = sanitize(&name);\n",
        ),
        ("src/app/state/table.rs", "let t = SafeText::new(&name);\n"),
    ];
    assert_eq!(
        view_making_text_safe(&files),
        vec!["src/app/view/bars.rs:2: sanitize(".to_string()]
    );
}
