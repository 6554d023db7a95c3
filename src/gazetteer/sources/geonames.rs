//! GeoNames dumps: `allCountries.txt` / `citiesN.txt` (19 tab-separated columns) and `countryInfo.txt`.
//!
//! Place rows become `geonames:<id>` LOC entities: name, ASCII name and the alternate names as aliases
//! (filtered: IATA/ICAO-looking codes, postal-looking tokens and links dropped), country code plus `cc2`,
//! population with a log-scaled prior, and the feature class and code as the description.
//!
//! `countryInfo.txt` rows (comment lines start with `#`) become `country:<ISO2>` LOC entities with the
//! ISO3 code as a weak alias.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{by_line, open_file};
use crate::error::Result;
use crate::gazetteer::{population_prior, Alias, Entity, Kind};

/// Columns of a GeoNames place row.
pub const PLACE_COLUMNS: usize = 19;

/// Opens `allCountries.txt` / `citiesN.txt` (`.gz`/`.bz2` decompressed).
pub fn open(path: &Path) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    Ok(read(open_file(path)?, Some(path.to_path_buf())))
}

/// Opens `countryInfo.txt`.
pub fn open_country_info(path: &Path) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    Ok(read_country_info(
        open_file(path)?,
        Some(path.to_path_buf()),
    ))
}

/// True for alternate names that are not names: IATA (3 capitals) and ICAO (4 capitals or digits)
/// codes, postal-looking tokens (containing a digit), and links.
pub fn is_code_or_link(s: &str) -> bool {
    let s = s.trim();
    let caps = |n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    s.is_empty()
        || s.contains("://")
        || s.starts_with("www.")
        || caps(3)
        || caps(4)
        || s.chars().any(|c| c.is_ascii_digit())
}

/// Reads place rows.
pub fn read<R: BufRead>(reader: R, path: Option<PathBuf>) -> impl Iterator<Item = Result<Entity>> {
    by_line(reader, path, |text| {
        let cols: Vec<&str> = text.split('\t').collect();
        if cols.len() != PLACE_COLUMNS {
            return Err(format!(
                "{} tab-separated columns, expected {PLACE_COLUMNS}",
                cols.len()
            ));
        }
        let id: u64 = cols[0]
            .trim()
            .parse()
            .map_err(|_| format!("bad geonameid {:?}", cols[0]))?;
        let mut e = Entity::new(format!("geonames:{id}"), cols[1].trim(), Kind::Loc);
        e.geonames_id = Some(id);
        if !cols[2].trim().is_empty() {
            e.aliases.push(Alias::new(cols[2].trim()));
        }
        e.aliases.extend(
            cols[3]
                .split(',')
                .map(str::trim)
                .filter(|a| !is_code_or_link(a))
                .map(Alias::new),
        );
        e.countries = std::iter::once(cols[8])
            .chain(cols[9].split(','))
            .map(str::trim)
            .filter(|c| c.len() == 2)
            .map(str::to_ascii_uppercase)
            .collect();
        if let Ok(pop) = cols[14].trim().parse::<u64>() {
            if pop > 0 {
                e.population = Some(pop);
                e.prior = population_prior(pop);
            }
        }
        if !cols[6].is_empty() {
            e.description = Some(format!("{}.{}", cols[6].trim(), cols[7].trim()));
        }
        e.source = Some("geonames".into());
        Ok(Some(e))
    })
}

/// Reads `countryInfo.txt` rows.
pub fn read_country_info<R: BufRead>(
    reader: R,
    path: Option<PathBuf>,
) -> impl Iterator<Item = Result<Entity>> {
    by_line(reader, path, |text| {
        if text.starts_with('#') {
            return Ok(None);
        }
        let cols: Vec<&str> = text.split('\t').collect();
        if cols.len() < 17 {
            return Err(format!(
                "{} tab-separated columns, expected at least 17",
                cols.len()
            ));
        }
        let iso = cols[0].trim();
        if iso.len() != 2 {
            return Err(format!("bad ISO code {iso:?}"));
        }
        let mut e = Entity::new(format!("country:{iso}"), cols[4].trim(), Kind::Loc);
        e.countries = vec![iso.to_string()];
        if !cols[1].trim().is_empty() {
            e.aliases.push(Alias::weak(cols[1].trim()));
        }
        e.geonames_id = cols[16].trim().parse().ok();
        if let Ok(pop) = cols[7].trim().parse::<u64>() {
            e.population = Some(pop);
            e.prior = population_prior(pop);
        }
        let capital = cols[5].trim();
        e.description = Some(if capital.is_empty() {
            "country".to_string()
        } else {
            format!("country; capital {capital}")
        });
        e.source = Some("geonames".into());
        Ok(Some(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_links_are_filtered() {
        for (s, drop) in [
            ("EBL", true),
            ("ORER", true),
            ("44001", true),
            ("https://en.wikipedia.org/wiki/Erbil", true),
            ("Arbil", false),
            ("Hawler", false),
            ("أربيل", false),
            ("Irbil", false),
        ] {
            assert_eq!(is_code_or_link(s), drop, "{s}");
        }
    }
}
