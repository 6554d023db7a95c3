//! Table-driven tests over the shared fixtures in data/test/ (also read by pytest).

use nisba::{parse_name, ParsedName};

/// Rows of a TSV fixture: comment lines (`#`) and blank lines skipped; the header row is the first
/// comment line and documents the columns.
fn rows(path: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(format!("{}/{}", env!("CARGO_MANIFEST_DIR"), path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The fixture form of a parsed name: `role(particle)+:norm` items joined by ` | ` (`+` marks the
/// article, `(particle)` a kunya/nasab particle).
fn render(p: &ParsedName) -> String {
    p.parts
        .iter()
        .map(|x| {
            let mut s = x.role.as_str().to_string();
            if let Some(pt) = &x.particle {
                s.push_str(&format!("({pt})"));
            }
            if x.article {
                s.push('+');
            }
            format!("{s}:{}", x.norm)
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn names_fixture() {
    let rows = rows("data/test/names.tsv");
    assert!(rows.len() >= 40, "names.tsv too small");
    let mut bad = Vec::new();
    for r in &rows {
        let got = render(&parse_name(&r[0]));
        if got != r[1] {
            bad.push(format!("{}\n   want {}\n   got  {}", r[0], r[1], got));
        }
        for part in parse_name(&r[0]).parts {
            assert_eq!(&r[0][part.span.clone()], part.text);
        }
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn split_names(cell: &str) -> Vec<&str> {
    cell.split(" | ").map(str::trim).collect()
}

#[test]
fn keys_fixture() {
    use nisba::key::{loose_key, strict_key};
    let rows = rows("data/test/keys.tsv");
    let groups = rows.iter().filter(|r| r[0] == "loose").count();
    assert!(
        groups >= 41,
        "keys.tsv needs the 11 issue groups and 30 more"
    );
    let mut bad = Vec::new();
    for r in &rows {
        let names = split_names(&r[1]);
        let f: fn(&str) -> String = match r[0].as_str() {
            "loose" | "not-loose" => loose_key,
            "strict" | "not-strict" => strict_key,
            other => panic!("unknown kind {other}"),
        };
        let keys: Vec<String> = names.iter().map(|n| f(n)).collect();
        let same = keys.iter().all(|k| *k == keys[0]);
        let want_same = !r[0].starts_with("not-");
        if same != want_same {
            let shown: Vec<String> = names
                .iter()
                .zip(&keys)
                .map(|(n, k)| format!("{n}={k}"))
                .collect();
            bad.push(format!("{}: {}", r[0], shown.join(", ")));
        }
    }
    assert!(
        bad.is_empty(),
        "{} key rows fail:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn part_keys_drop_titles() {
    let keys = nisba::key::part_keys("Sheikh Qais al-Khazali");
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[1].1, nisba::key::loose_key("الخزعلي"));
}
