//! The default gazetteer compiled into the library (`data/default.nisba`).

use std::sync::OnceLock;

use crate::gazetteer::Gazetteer;

static DEFAULT_BYTES: &[u8] = include_bytes!("../data/default.nisba");

impl Gazetteer<&'static [u8]> {
    /// The default gazetteer embedded in the library (curated persons and organisations, countries,
    /// cities, subdivisions and name-table persons), parsed once on first use.
    ///
    /// # Panics
    ///
    /// Only if the embedded file is corrupt, which the build's tests rule out.
    pub fn default_embedded() -> &'static Gazetteer<&'static [u8]> {
        static GZ: OnceLock<Gazetteer<&'static [u8]>> = OnceLock::new();
        GZ.get_or_init(|| {
            Gazetteer::from_bytes(DEFAULT_BYTES).expect("embedded default gazetteer is valid")
        })
    }
}
