//! Stable-toolchain fuzz driver: replays the corpus of a target (every file under `fuzz/corpus/<target>/`
//! and `fuzz/artifacts/<target>/`), then, with `--secs N`, mutates corpus entries at random for N
//! seconds (byte flips, inserts, deletes, splices, interesting Unicode) and runs the same check on each.
//! No coverage feedback: this is the fallback when libFuzzer (`cargo fuzz`) cannot run, and the CI
//! smoke test. A panic prints the input's path (it is saved under `fuzz/artifacts/<target>/`).
//!
//! Usage: `cargo run --release --manifest-path fuzz/Cargo.toml --bin replay -- <target|all> [--secs N]`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// xorshift64*: deterministic given the seed, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[&str] = &[
    "\u{0}",
    "\u{200f}",
    "\u{202e}",
    "\u{2066}",
    "\u{0651}",
    "\u{064b}\u{0650}\u{0652}",
    "\u{0640}",
    "ال",
    "لل",
    "\u{fdfa}",
    "\u{fefb}",
    "ﷲ",
    "\u{10ffff}",
    "\u{1f600}",
    "\u{e0001}",
    "\u{fffd}",
    "İ",
    "ß",
    "ǅ",
    "\u{0301}",
    "al-",
    "'s",
    "’",
    "Abd al-",
    "Abu ",
    " bin ",
    "U.S.",
    "\n",
    "\r\n",
    "\t",
    "ـ",
    "ة",
    "ى",
    "ئ",
    "ؤ",
    "ٱ",
    "ک",
    "ی",
    "۰",
    "٣",
];

fn mutate(rng: &mut Rng, corpus: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        match rng.below(7) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(input.len() + 1);
                input.insert(i, rng.next() as u8);
            }
            2 if !input.is_empty() => {
                let i = rng.below(input.len());
                let n = rng.below(input.len() - i + 1).min(16);
                input.drain(i..i + n);
            }
            3 => {
                let s = INTERESTING[rng.below(INTERESTING.len())].as_bytes();
                let i = rng.below(input.len() + 1);
                input.splice(i..i, s.iter().copied());
            }
            4 if !corpus.is_empty() => {
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = a + rng.below(other.len() - a + 1);
                    let i = rng.below(input.len() + 1);
                    input.splice(i..i, other[a..b].iter().copied());
                }
            }
            5 if input.len() > 1 => {
                // repeat a slice (hostile repetition)
                let a = rng.below(input.len());
                let b = (a + 1 + rng.below(8)).min(input.len());
                let chunk = input[a..b].to_vec();
                for _ in 0..rng.below(64) {
                    input.extend_from_slice(&chunk);
                }
            }
            _ if input.len() > 8 => {
                let i = rng.below(input.len() - 8);
                let v = [0u8, 0xff, 0x7f, 0x80][rng.below(4)];
                for b in &mut input[i..i + rng.below(8) + 1] {
                    *b = v;
                }
            }
            _ => input.push(rng.next() as u8),
        }
    }
    input.truncate(1 << 16);
}

fn run_target(root: &Path, target: &str, secs: u64, seed: u64) -> (u64, Duration) {
    let corpus_dir = root.join("corpus").join(target);
    let mut paths = files(&corpus_dir);
    paths.extend(files(&root.join("artifacts").join(target)));
    let corpus: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let start = Instant::now();
    let mut execs = 0u64;
    for (p, data) in paths.iter().zip(&corpus) {
        let r = std::panic::catch_unwind(|| nisba_fuzz::run(target, data));
        if r.is_err() {
            eprintln!("{target}: crash on {}", p.display());
            std::process::exit(1);
        }
        execs += 1;
    }
    let mut rng = Rng(seed | 1);
    let deadline = Duration::from_secs(secs);
    let art = root.join("artifacts").join(target);
    while start.elapsed() < deadline {
        let mut input = corpus
            .get(rng.below(corpus.len()))
            .cloned()
            .unwrap_or_default();
        mutate(&mut rng, &corpus, &mut input);
        let t0 = Instant::now();
        let r = std::panic::catch_unwind(|| nisba_fuzz::run(target, &input));
        let slow = t0.elapsed() > Duration::from_secs(2);
        if r.is_err() || slow {
            std::fs::create_dir_all(&art).unwrap();
            let name = format!(
                "{}-{:016x}",
                if slow { "slow" } else { "crash" },
                rng.next()
            );
            std::fs::write(art.join(&name), &input).unwrap();
            eprintln!("{target}: {name} saved under {}", art.display());
            if r.is_err() {
                std::process::exit(1);
            }
        }
        execs += 1;
    }
    (execs, start.elapsed())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map(String::as_str).unwrap_or("all");
    let secs = args
        .iter()
        .position(|a| a == "--secs")
        .and_then(|i| args.get(i + 1))
        .map_or(0, |s| s.parse().expect("--secs N"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if which == "seed-gazetteer" {
        // The gazetteer corpus seed: the small fuzz gazetteer's file bytes.
        let out = args.get(1).expect("seed-gazetteer OUT");
        std::fs::write(out, nisba_fuzz::small_gazetteer().as_bytes()).unwrap();
        return;
    }
    let targets: Vec<&str> = if which == "all" {
        nisba_fuzz::TARGETS.to_vec()
    } else {
        vec![which]
    };
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    nisba_fuzz::warm_up();
    for t in targets {
        let (execs, took) = run_target(root, t, secs, seed);
        println!(
            "{t}: {execs} inputs in {:.1}s, no crash",
            took.as_secs_f64()
        );
    }
}
