//! The embedded default gazetteer matches the committed tables it is compiled from, and finds the
//! names a user of Middle East news expects.

use std::collections::HashSet;
use std::path::Path;

use nisba::gazetteer::Entity;

const TABLES: &[&str] = &[
    "data/countries/countries.jsonl",
    "data/places/subdivisions.jsonl",
    "data/places/cities.jsonl",
    "data/places/press_spellings.jsonl",
    "data/persons/full_names.jsonl",
    "data/names/name_parts.jsonl",
];

fn table_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("data/entities"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    files.extend(TABLES.iter().map(|t| root.join(t)));
    files
}

#[test]
fn default_matches_the_tables() {
    let gz = nisba::default::gazetteer();
    gz.verify().expect("embedded gazetteer verifies");
    let mut ids = HashSet::new();
    for file in table_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let want = Entity::from_json(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), n + 1));
            let got = gz.get(&want.id).unwrap_or_else(|| {
                panic!("{} missing: rebuild with data/build_default.sh", want.id)
            });
            assert_eq!(got.name(), want.name, "{}", want.id);
            assert_eq!(got.kind(), want.kind, "{}", want.id);
            let names: HashSet<&str> = got.names().collect();
            for alias in &want.aliases {
                assert!(
                    names.contains(alias.name.as_str()),
                    "{}: alias {:?}",
                    want.id,
                    alias.name
                );
            }
            ids.insert(want.id);
        }
    }
    assert_eq!(
        ids.len(),
        gz.len(),
        "the default has entities the tables lack: rebuild it"
    );
}

#[test]
fn expected_names_meet_one_entity() {
    let gz = nisba::default::gazetteer();
    let groups: &[(&str, &[&str])] = &[
        (
            "geonames:95446",
            &["Erbil", "Arbil", "Irbil", "Hawler", "أربيل"],
        ),
        ("country:IQ", &["Iraq", "Irak", "العراق"]),
        (
            "nisba:org:popular-mobilization-forces",
            &[
                "Popular Mobilization Forces",
                "PMF",
                "Hashd al-Shaabi",
                "الحشد الشعبي",
            ],
        ),
        (
            "nisba:per:mustafa-al-kadhimi",
            &["Mustafa al-Kadhimi", "مصطفى الكاظمي"],
        ),
        // The name part (kind NAME) from the lexicon: press, Persian and Arabic spellings meet.
        (
            "name:383e34f31f33",
            &[
                "Kadhimi",
                "Kazimi",
                "Kazemi",
                "al-Kazimi",
                "الكاظمي",
                "كاظمي",
            ],
        ),
    ];
    for (id, names) in groups {
        let want = gz.index_of(id).unwrap_or_else(|| panic!("{id} missing"));
        for name in *names {
            assert!(gz.lookup(name).contains(&want), "{name} does not find {id}");
        }
    }
    let baghdad: HashSet<u32> = ["Baghdad", "Bagdad", "بغداد"]
        .iter()
        .map(|n| {
            gz.lookup(n)
                .into_iter()
                .filter(|&i| gz.entity(i).kind() == nisba::Kind::Loc)
                .collect::<HashSet<_>>()
        })
        .reduce(|a, b| a.intersection(&b).copied().collect())
        .unwrap();
    assert!(!baghdad.is_empty(), "Baghdad spellings share no place");
}
