//! Links the development corpus (`../shared/corpus/*.txt`, read at run time, never copied) with the
//! default gazetteer and prints precision, recall and every error.
//!
//! `cargo run --example score_corpus [corpus_dir] [--lower]`
//!
//! `--lower` lower-cases every article first (as much social-media text is written): a check of the
//! linker's lower-case mode. Lower-casing keeps every character, so the gold offsets still hold.

use std::collections::HashMap;

use nisba::link::Linker;
use nisba::{normalize, Gazetteer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lower = std::env::args().any(|a| a == "--lower");
    let dir = std::env::args()
        .skip(1)
        .find(|a| a != "--lower")
        .unwrap_or_else(|| "../../shared/corpus".to_string());
    let gz = Gazetteer::default_embedded();
    let linker = Linker::new(gz);
    let mut gold: HashMap<String, Vec<(usize, usize, String, String)>> = HashMap::new();
    for line in std::fs::read_to_string(format!("{dir}/gold.jsonl"))?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        let n = |k: &str| v[k].as_u64().unwrap_or_default() as usize;
        gold.entry(s("doc"))
            .or_default()
            .push((n("start"), n("end"), s("surface"), s("entity")));
    }
    let (mut tp, mut predicted, mut expected) = (0usize, 0usize, 0usize);
    let mut docs: Vec<_> = gold.keys().cloned().collect();
    docs.sort();
    for doc in docs {
        let mut text = std::fs::read_to_string(format!("{dir}/{doc}"))?;
        if lower {
            let lowered = text.to_lowercase();
            if lowered.chars().count() != text.chars().count() {
                return Err(format!("{doc}: lower-casing changed the character count").into());
            }
            text = lowered;
        }
        let chars = |b: usize| text[..b].chars().count();
        let mentions = linker.link(&text);
        let golds = &gold[&doc];
        expected += golds.len();
        predicted += mentions.len();
        let mut hit = vec![false; golds.len()];
        for m in &mentions {
            let (s, e) = (chars(m.span.start), chars(m.span.end));
            let names: Vec<String> = gz
                .get(&m.id)
                .map(|e| e.names().map(normalize).collect())
                .unwrap_or_default();
            match golds.iter().position(|g| g.0 == s && g.1 == e) {
                Some(k) if names.contains(&normalize(&golds[k].3)) => {
                    tp += 1;
                    hit[k] = true;
                }
                Some(k) => {
                    hit[k] = true;
                    println!(
                        "WRONG {doc} {s}-{e} {:?} -> {} ({}), gold {}",
                        m.text, m.id, m.name, golds[k].3
                    );
                }
                None => println!(
                    "FP    {doc} {s}-{e} {:?} -> {} ({}) {:.2}",
                    m.text, m.id, m.name, m.score
                ),
            }
        }
        for (g, h) in golds.iter().zip(&hit) {
            if !h {
                println!("FN    {doc} {}-{} {:?} gold {}", g.0, g.1, g.2, g.3);
            }
        }
    }
    let p = tp as f64 / predicted.max(1) as f64;
    let r = tp as f64 / expected.max(1) as f64;
    println!("P {p:.3} R {r:.3} (tp {tp}, predicted {predicted}, gold {expected})");
    Ok(())
}
