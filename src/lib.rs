//! # nisba
//!
//! Resolve the many spellings of Arabic-origin names — *Mustafa al-Kadhimi*, *Mostafa al-Kazemi*,
//! *مصطفى الكاظمي* — to canonical entities, and find those names in running text.
//!
//! The pipeline, in data-flow order:
//!
//! 1. **normalise** ([`normalize()`], [`normalize_with`]): Unicode NFKC/NFKD, Latin case and diacritic
//!    folding, Arabic orthography (hamza seats, alef forms, ى/ي/ی, ة, ک, tatweel, harakat, digits), with an
//!    alignment from every normalised character back to the caller's original text;
//! 2. **tokenise** ([`tokenize()`]): words with byte spans into the original text, Latin articles and
//!    Arabic proclitics recorded so later stages can look up the stems;
//!
//! ```
//! let text = "Erbil (إِرْبِيل)";
//! for token in nisba::tokenize(text) {
//!     println!("{} -> {}", token.surface(text), token.norm);
//! }
//! assert_eq!(nisba::normalize("إِرْبِيل"), "اربيل");
//! ```
//!
//! ## Limits
//!
//! Spans are byte ranges into the text you pass in (Python gets code-point offsets). Normalisation works
//! one base character plus its combining marks at a time, so a span never splits a letter from its marks.
#![deny(missing_docs)]
#![forbid(unsafe_op_in_unsafe_fn)]

/// mimalloc as the global allocator (feature `mimalloc`, on in the CLI and the Python wheel).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod default;
pub mod error;
pub mod gazetteer;
pub mod key;
pub mod link;
mod memo;
pub mod names;
pub mod normalize;
pub mod resolve;
pub mod tokenize;
pub mod translit;
pub mod variants;

#[cfg(feature = "python")]
mod bindings;
#[cfg(feature = "cli")]
pub mod cli;

pub use error::{Error, ErrorKind, Result};
pub use gazetteer::{Alias, Entity, EntityRef, Gazetteer, GazetteerBuilder, Kind, Metadata};
pub use key::{loose_key, part_keys, strict_key, KEY_VERSION};
pub use link::{Linker, LinkerBuilder, Mention};
pub use names::{parse_name, NamePart, ParsedName, Role};
pub use normalize::{normalize, normalize_with, NormalizeOptions, Normalized, NORMALIZER_VERSION};
pub use resolve::{compare, Candidate, Comparison, ResolveOptions};
pub use tokenize::{tokenize, tokenize_with, Script, Stem, Token};
pub use translit::{
    buckwalter_decode, name_part_frequency, to_arabic, transliterate, ArabicSpelling, Scheme,
    Source, Transliteration,
};
pub use variants::{variants, Region, Variant, VariantOptions};

/// The crate version, as written into gazetteer metadata.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
