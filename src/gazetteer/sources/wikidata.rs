//! Wikidata JSON dumps (`latest-all.json`, plain, `.gz` or `.bz2`), streamed one entity per line.
//!
//! The dump wraps its lines as a JSON array: a `[` line, entity lines ending in `,`, and a `]` line; all
//! three are handled. Each item becomes an entity `wikidata:<QID>` with:
//!
//! - name: the label in the first of [`WikidataOptions::languages`] that has one; aliases: the labels in
//!   the other languages and the aliases in all of them, tagged with their language;
//! - kind from the P31 (instance of) claims: Q5 → PER, [`ORG_CLASSES`] → ORG, [`LOC_CLASSES`] → LOC,
//!   else OTHER; the QID is kept;
//! - description (first language that has one), ISO country code (P297), GeoNames id (P1566),
//!   population (P1082) and a prior from it.
//!
//! Items without a label or alias in any chosen language, and non-item entities (properties, lexemes),
//! are skipped.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{by_line, open_file};
use crate::error::Result;
use crate::gazetteer::{population_prior, Alias, Entity, Kind};

/// Default label languages: English, Arabic, French, Persian, Urdu, Turkish, German, Spanish.
pub const DEFAULT_LANGUAGES: [&str; 8] = ["en", "ar", "fr", "fa", "ur", "tr", "de", "es"];

/// P31 classes read as organisations (each row: the class and what it covers).
pub const ORG_CLASSES: &[&str] = &[
    "Q43229",    // organization
    "Q4830453",  // business
    "Q783794",   // company
    "Q891723",   // public company
    "Q7278",     // political party
    "Q327333",   // government agency
    "Q2659904",  // government organization
    "Q484652",   // international organization
    "Q17149090", // armed organization
    "Q15911314", // association
    "Q163740",   // nonprofit organization
    "Q3918",     // university
    "Q192350",   // ministry
    "Q7210356",  // political organization
    "Q11032",    // newspaper
    "Q1002697",  // periodical literature
    "Q1331793",  // media company
    "Q2001305",  // television channel
    "Q176799",   // military unit
    "Q45295908", // military organization (armed forces branch)
    "Q1156831",  // rebel group / paramilitary
    "Q6881511",  // enterprise
];

/// P31 classes read as places.
pub const LOC_CLASSES: &[&str] = &[
    "Q6256",     // country
    "Q3624078",  // sovereign state
    "Q515",      // city
    "Q1549591",  // big city
    "Q1637706",  // city with millions of inhabitants
    "Q5119",     // capital
    "Q486972",   // human settlement
    "Q3957",     // town
    "Q532",      // village
    "Q15284",    // municipality
    "Q10864048", // first-level administrative country subdivision
    "Q13220204", // second-level administrative country subdivision
    "Q56061",    // administrative territorial entity
    "Q82794",    // geographic region
    "Q1620908",  // historical region
    "Q23442",    // island
    "Q8502",     // mountain
    "Q4022",     // river
    "Q1248784",  // airport
    "Q123705",   // neighbourhood
    "Q2221906",  // geographic location
    "Q1093829",  // city in the United States
    "Q702492",   // urban area
];

/// What to read from a Wikidata dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikidataOptions {
    /// Label, alias and description languages, in order of preference.
    pub languages: Vec<String>,
}

impl Default for WikidataOptions {
    fn default() -> Self {
        WikidataOptions {
            languages: DEFAULT_LANGUAGES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// Opens a dump (`.gz`/`.bz2` decompressed while streaming).
pub fn open(
    path: &Path,
    options: &WikidataOptions,
) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    Ok(read(open_file(path)?, Some(path.to_path_buf()), options))
}

/// Reads entities from dump text.
pub fn read<R: BufRead>(
    reader: R,
    path: Option<PathBuf>,
    options: &WikidataOptions,
) -> impl Iterator<Item = Result<Entity>> {
    let options = options.clone();
    by_line(reader, path, move |text| {
        // A Wikidata dump is one JSON array with one entity per line.
        let text = text.trim();
        let text = text.strip_suffix(',').unwrap_or(text).trim_end();
        if text.is_empty() || text == "[" || text == "]" {
            return Ok(None);
        }
        entity_of(
            &serde_json::from_str::<Value>(text).map_err(|e| e.to_string())?,
            &options,
        )
    })
}

fn claim_values<'a>(v: &'a Value, property: &str) -> impl Iterator<Item = &'a Value> {
    v["claims"][property]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["rank"].as_str() != Some("deprecated"))
        .map(|c| &c["mainsnak"]["datavalue"]["value"])
}

fn entity_of(v: &Value, options: &WikidataOptions) -> std::result::Result<Option<Entity>, String> {
    if v["type"].as_str().is_some_and(|t| t != "item") {
        return Ok(None);
    }
    let qid = v["id"].as_str().ok_or("entity without an \"id\"")?;
    let text = |field: &str, lang: &str| {
        v[field][lang]["value"]
            .as_str()
            .filter(|s| !s.trim().is_empty())
    };
    let mut name: Option<(String, String)> = None;
    let mut aliases = Vec::new();
    for lang in &options.languages {
        if let Some(label) = text("labels", lang) {
            if name.is_none() {
                name = Some((label.to_string(), lang.clone()));
            } else {
                aliases.push(Alias::with_lang(label, lang.as_str()));
            }
        }
        for a in v["aliases"][lang.as_str()].as_array().into_iter().flatten() {
            if let Some(s) = a["value"].as_str() {
                aliases.push(Alias::with_lang(s, lang.as_str()));
            }
        }
    }
    let name = match name {
        Some((n, _)) => n,
        None if !aliases.is_empty() => aliases.remove(0).name,
        None => return Ok(None),
    };
    let classes: Vec<&str> = claim_values(v, "P31")
        .filter_map(|c| c["id"].as_str())
        .collect();
    let kind = if classes.contains(&"Q5") {
        Kind::Per
    } else if classes.iter().any(|c| ORG_CLASSES.contains(c)) {
        Kind::Org
    } else if classes.iter().any(|c| LOC_CLASSES.contains(c)) {
        Kind::Loc
    } else {
        Kind::Other
    };
    let mut e = Entity::new(format!("wikidata:{qid}"), name, kind);
    e.aliases = aliases;
    e.qid = Some(qid.to_string());
    e.description = options
        .languages
        .iter()
        .find_map(|l| text("descriptions", l))
        .map(String::from);
    e.countries = claim_values(v, "P297")
        .filter_map(Value::as_str)
        .filter(|c| c.len() == 2)
        .map(str::to_ascii_uppercase)
        .collect();
    e.geonames_id = claim_values(v, "P1566").find_map(|g| g.as_str()?.parse().ok());
    e.population = claim_values(v, "P1082")
        .filter_map(|q| {
            q["amount"]
                .as_str()?
                .trim_start_matches('+')
                .parse::<f64>()
                .ok()
        })
        .filter(|p| p.is_finite() && *p >= 0.0)
        .map(|p| p as u64)
        .max();
    if let Some(p) = e.population {
        e.prior = population_prior(p);
    }
    e.source = Some("wikidata".into());
    Ok(Some(e))
}
