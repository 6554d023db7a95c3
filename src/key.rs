//! Stage 2 — cross-script keys on which Latin and Arabic spellings of one name meet.
//!
//! Two tiers: [`strict_key`] keeps letter classes apart (kh ≠ k), [`loose_key`] merges the h-digraphs,
//! emphatics and q/k/g and drops vowels and the article. Both are deterministic functions of the
//! normalised name; [`KEY_VERSION`] is written into every gazetteer so a file is refused when the key
//! function changes.

use crate::normalize::normalize;

/// Version of the key functions; bump on any change of their output.
pub const KEY_VERSION: u32 = 1;

/// The strict key of a name (one key for the whole name, parts joined by a space).
pub fn strict_key(name: &str) -> String {
    skeleton(&normalize(name), false)
}

/// The loose key of a name (one key for the whole name, parts joined by a space).
pub fn loose_key(name: &str) -> String {
    skeleton(&normalize(name), true)
}

fn skeleton(norm: &str, loose: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    for word in norm
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if loose && matches!(word, "al" | "el" | "ال") {
            continue;
        }
        let mut out = String::new();
        for c in word.chars() {
            if loose && matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w' | 'h') {
                continue;
            }
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        if !out.is_empty() {
            parts.push(out);
        }
    }
    parts.join(" ")
}
