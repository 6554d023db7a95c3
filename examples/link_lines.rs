//! Links every line of a text file with the default gazetteer and prints `line<TAB>surface|id ;; …`,
//! the format of `data/test/link.tsv` (review the output before adding it to the fixture).
//!
//! `cargo run --example link_lines FILE`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: link_lines FILE")?;
    let linker = nisba::Linker::new(nisba::Gazetteer::default_embedded());
    for line in std::fs::read_to_string(path)?.lines() {
        let found: Vec<String> = linker
            .link(line)
            .iter()
            .map(|m| format!("{}|{}", m.text, m.id))
            .collect();
        println!("{}\t{}", line, found.join(" ;; "));
    }
    Ok(())
}
