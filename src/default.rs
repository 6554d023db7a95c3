//! The embedded default gazetteer: places, countries, persons and organisations of the Middle East and
//! North Africa, compiled from the tables under `data/` by `data/build_default.sh` and included in the
//! binary, so `Gazetteer::default()` works offline at once.

use std::sync::OnceLock;

use crate::gazetteer::Gazetteer;

/// The compiled default gazetteer file (see `data/README.md` for its sources and licences).
pub static DEFAULT_BYTES: &[u8] = include_bytes!("../data/default.nisba");

/// The embedded default gazetteer, opened once per process (opening checks the header only).
///
/// ```
/// let gz = nisba::default::gazetteer();
/// assert!(gz.len() > 1000);
/// assert!(!gz.lookup("Erbil").is_empty());
/// ```
pub fn gazetteer() -> &'static Gazetteer<&'static [u8]> {
    static DEFAULT: OnceLock<Gazetteer<&'static [u8]>> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        Gazetteer::from_bytes(DEFAULT_BYTES)
            .expect("the embedded default gazetteer is checked by the test suite")
    })
}

impl Gazetteer<&'static [u8]> {
    /// The embedded default gazetteer (same as [`gazetteer`]).
    pub fn default_embedded() -> &'static Gazetteer<&'static [u8]> {
        gazetteer()
    }
}
