//! Prints every mention of the text given as arguments with its explanation and candidates.
//!
//! `cargo run --example explain "Kadhimi met Sadr in Najaf"`

fn main() {
    let linker = nisba::Linker::new(nisba::Gazetteer::default_embedded());
    let text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    for m in linker.link(&text) {
        println!(
            "{:?} {}..{} -> {} ({}, {}) {:.2}\n  {:?}\n  {:?}",
            m.text,
            m.span.start,
            m.span.end,
            m.id,
            m.name,
            m.kind,
            m.score,
            m.explanation,
            m.candidates
        );
    }
}
