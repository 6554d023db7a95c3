//! The entity model: what the gazetteer stores for each entity, and its JSONL form.
//!
//! One [`Entity`] per line in the schema of `TEAM.md`:
//!
//! ```
//! use nisba::gazetteer::{Entity, Kind};
//! let line = r#"{"id": "nisba:per:x", "name": "Mustafa al-Kadhimi", "kind": "per",
//!   "aliases": ["Mustafa Kadhimi", {"name": "مصطفى الكاظمي", "lang": "ar"}, {"name": "MK", "weak": true}],
//!   "countries": ["IQ"], "prior": 0.6}"#;
//! let e: Entity = serde_json::from_str(line).unwrap();
//! assert_eq!(e.kind, Kind::Per);
//! assert_eq!(e.aliases[1].lang.as_deref(), Some("ar"));
//! assert!(e.aliases[2].weak);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A person.
    Per,
    /// An organisation: party, militia, company, agency, ministry…
    Org,
    /// A place: country, region, city, district, site.
    Loc,
    /// A name part (given or family name) rather than a whole entity.
    Name,
    /// Anything else.
    Other,
}

impl Kind {
    /// Every kind, in the order of their codes.
    pub const ALL: [Kind; 5] = [Kind::Per, Kind::Org, Kind::Loc, Kind::Name, Kind::Other];

    /// The upper-case name used in JSON, Python and the CLI (`"PER"`, `"ORG"`, `"LOC"`, `"NAME"`, `"OTHER"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Per => "PER",
            Kind::Org => "ORG",
            Kind::Loc => "LOC",
            Kind::Name => "NAME",
            Kind::Other => "OTHER",
        }
    }

    /// The one-byte code stored in gazetteer records.
    pub(crate) fn code(self) -> u8 {
        match self {
            Kind::Per => 0,
            Kind::Org => 1,
            Kind::Loc => 2,
            Kind::Name => 3,
            Kind::Other => 4,
        }
    }

    /// The kind of a record code, if valid.
    pub(crate) fn from_code(code: u8) -> Option<Kind> {
        Kind::ALL.get(usize::from(code)).copied()
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = Error;

    /// Case-insensitive: `"per"`, `"PER"`, `"Per"` all parse.
    fn from_str(s: &str) -> Result<Kind> {
        let t = s.trim();
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| Error::unknown_value("kind", s, &["PER", "ORG", "LOC", "NAME", "OTHER"]))
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Kind, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Another name of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Alias {
    /// The alias as written.
    pub name: String,
    /// Language or script tag (`"ar"`, `"fa"`, `"Arab"`), when the source gives one.
    pub lang: Option<String>,
    /// A weak alias: acronym, short form or nickname, which alone is weak evidence.
    pub weak: bool,
}

impl Alias {
    /// A plain (strong, untagged) alias.
    pub fn new(name: impl Into<String>) -> Alias {
        Alias {
            name: name.into(),
            lang: None,
            weak: false,
        }
    }

    /// A plain alias tagged with a language.
    pub fn with_lang(name: impl Into<String>, lang: impl Into<String>) -> Alias {
        Alias {
            name: name.into(),
            lang: Some(lang.into()),
            weak: false,
        }
    }

    /// A weak alias (acronym, short form, nickname).
    pub fn weak(name: impl Into<String>) -> Alias {
        Alias {
            name: name.into(),
            lang: None,
            weak: true,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AliasRepr {
    Plain(String),
    Full {
        name: String,
        #[serde(default)]
        lang: Option<String>,
        #[serde(default)]
        script: Option<String>,
        #[serde(default)]
        weak: bool,
    },
}

#[derive(Serialize)]
struct AliasOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    weak: bool,
}

impl Serialize for Alias {
    /// A plain string when the alias has no tag and is not weak, else an object.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if self.lang.is_none() && !self.weak {
            s.serialize_str(&self.name)
        } else {
            AliasOut {
                name: &self.name,
                lang: self.lang.as_deref(),
                weak: self.weak,
            }
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Alias {
    /// A string, or `{"name": …, "lang"?: …, "script"?: …, "weak"?: bool}`; `script` is kept as the tag when
    /// there is no `lang`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Alias, D::Error> {
        Ok(match AliasRepr::deserialize(d)? {
            AliasRepr::Plain(name) => Alias::new(name),
            AliasRepr::Full {
                name,
                lang,
                script,
                weak,
            } => Alias {
                name,
                lang: lang.or(script),
                weak,
            },
        })
    }
}

/// An entity with all of its names and attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id (`nisba:per:<slug>`, `geonames:<id>`, `country:<ISO2>`, `wikidata:<QID>`…).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// What the entity is.
    pub kind: Kind,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    /// ISO 3166-1 alpha-2 country codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Wikidata QID, only when it comes from a source file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qid: Option<String>,
    /// GeoNames id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u64>,
    /// Prominence in `[0, 1]` (1 = most prominent); populations map to log-scaled priors.
    #[serde(default)]
    pub prior: f32,
    /// Population, for places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u64>,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The source the entity came from (`nisba-curated`, `geonames`, `wikidata`, `opensanctions`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// For [`Kind::Name`] entities: `"given"`, `"family"` or `"any"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

impl Entity {
    /// An entity with an id, a name and a kind, and no other attribute.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: Kind) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind,
            aliases: Vec::new(),
            countries: Vec::new(),
            qid: None,
            geonames_id: None,
            prior: 0.0,
            population: None,
            description: None,
            source: None,
            role: None,
        }
    }

    /// The canonical name followed by every alias name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(|a| a.name.as_str()))
    }

    /// Parses one JSONL line of the entity schema.
    pub fn from_json(line: &str) -> Result<Entity> {
        serde_json::from_str(line).map_err(|e| Error::parse(None, None, e.to_string()))
    }

    /// The entity as one line of JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain strings, numbers and vectors cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A prior in `[0, 1]` from a population: `log10(1 + population) / 8`, clamped (a city of 10⁸ scores 1).
pub fn population_prior(population: u64) -> f32 {
    ((population as f64 + 1.0).log10() / 8.0).clamp(0.0, 1.0) as f32
}

/// The key of the names index: the `norm` of each [`crate::tokenize()`] token, split into its
/// [`key_parts`], joined by one space.
///
/// A linker that walks text tokens can walk the names FST token by token with the same keys
/// ([`Gazetteer::walk`](super::Gazetteer::walk) splits each fed token the same way).
///
/// ```
/// use nisba::gazetteer::name_key;
/// assert_eq!(name_key("al-Kadhimi"), "al kadhimi");
/// assert_eq!(name_key("U.S."), "u s");
/// assert_eq!(name_key("Minister's"), "minister");
/// ```
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for token in crate::tokenize(name) {
        for part in key_parts(&token.norm) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part);
        }
    }
    out
}

/// The parts of a normalised token that [`name_key`] keeps: the token split at ASCII punctuation other
/// than the apostrophe (word-internal dots as in `u.s`, which UAX #29 keeps inside one word).
pub fn key_parts(token_norm: &str) -> impl Iterator<Item = &str> {
    token_norm
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '\''))
        .filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_parses_case_insensitively() {
        for (text, kind) in [
            ("per", Kind::Per),
            ("ORG", Kind::Org),
            ("Loc", Kind::Loc),
            ("name", Kind::Name),
        ] {
            assert_eq!(text.parse::<Kind>().unwrap(), kind);
            assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        let err = "person".parse::<Kind>().unwrap_err();
        assert!(matches!(
            err.kind(),
            crate::ErrorKind::UnknownValue { what: "kind", .. }
        ));
    }

    #[test]
    fn aliases_round_trip_as_strings_or_objects() {
        let line = r#"{"id":"a","name":"A","kind":"ORG","aliases":["B",{"name":"C","lang":"ar"},{"name":"D","weak":true},{"name":"E","script":"Arab"}]}"#;
        let e = Entity::from_json(line).unwrap();
        assert_eq!(e.aliases[0], Alias::new("B"));
        assert_eq!(e.aliases[1], Alias::with_lang("C", "ar"));
        assert_eq!(e.aliases[2], Alias::weak("D"));
        assert_eq!(e.aliases[3].lang.as_deref(), Some("Arab"));
        let back = Entity::from_json(&e.to_json()).unwrap();
        assert_eq!(back, e);
        assert!(e.to_json().contains(r#""aliases":["B","#));
    }

    #[test]
    fn name_keys() {
        for (name, key) in [
            ("al-Kadhimi", "al kadhimi"),
            ("U.S.", "u s"),
            ("Minister's", "minister"),
            ("  Erbil   International ", "erbil international"),
            ("", ""),
        ] {
            assert_eq!(name_key(name), key, "{name}");
        }
    }

    #[test]
    fn population_priors_are_monotone_and_bounded() {
        assert_eq!(population_prior(0), 0.0);
        assert!(population_prior(1_000) < population_prior(1_000_000));
        assert_eq!(population_prior(u64::MAX), 1.0);
    }
}
