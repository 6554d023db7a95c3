//! Fits the logistic calibration of `nisba::resolve::compare` and reports the evaluation metrics.
//!
//! ```text
//! cargo run --example calibrate -- <name_clusters.jsonl> <negative_pairs.jsonl> [--write data/calibration.tsv] [--holdout]
//! ```
//!
//! Positives: every cluster's primary Latin name against each other Latin spelling, and against each
//! Arabic spelling. Negatives: the hard negative pairs. Metrics (on the same development files, so
//! in-sample for the 7 fitted numbers): Latin–Latin ROC AUC (primary vs one random other spelling per
//! cluster, against the latin-latin negatives), cross-script recall at the threshold giving ≤ 1% false
//! positives on the latin-arabic negatives, and resolve top-1 (one entity per cluster holding every name
//! but the last; the last name is the query).
use std::io::BufRead;

use nisba::resolve::{features, Calibration, Features};
use nisba::{Entity, GazetteerBuilder, Kind, ResolveOptions};

struct Cluster {
    id: String,
    kind: Kind,
    names: Vec<String>,
    arabic: Vec<String>,
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn lines(path: &str) -> Vec<serde_json::Value> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect()
}

fn auc(pos: &[f32], neg: &[f32]) -> f64 {
    let mut wins = 0.0;
    for p in pos {
        for n in neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() as f64 * neg.len() as f64)
}

fn threshold_at_fpr(neg: &[f32], fpr: f64) -> f32 {
    let mut s = neg.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let k = (fpr * s.len() as f64).floor() as usize;
    // Scores strictly above s[k] are accepted: at most k negatives.
    s.get(k).copied().unwrap_or(0.0) + 1e-6
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `calibrate --compare A B`: the features, score and explanation of one pair.
    if args.len() == 4 && args[1] == "--compare" {
        let f = features(&args[2], &args[3]);
        for (n, v) in Features::NAMES.iter().zip(f.to_array()) {
            println!("{n}\t{v:.3}");
        }
        let c = nisba::compare(&args[2], &args[3]);
        println!("score {:.3}: {}", c.score, c.explanation.join("; "));
        return;
    }
    if args.len() < 3 {
        eprintln!("usage: calibrate <name_clusters.jsonl> <negative_pairs.jsonl> [--write FILE]");
        std::process::exit(2);
    }
    let write = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1));
    let clusters: Vec<Cluster> = lines(&args[1])
        .iter()
        .map(|v| Cluster {
            id: v["cluster_id"].as_str().unwrap_or("").to_string(),
            kind: v["kind"]
                .as_str()
                .and_then(|k| k.parse().ok())
                .unwrap_or(Kind::Other),
            names: strings(&v["names"]),
            arabic: strings(&v["arabic_names"]),
        })
        .collect();
    let negs = lines(&args[2]);
    let mut rng: u64 = 0x9E3779B97F4A7C15;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };

    // Training set.
    let mut x: Vec<[f32; Features::LEN]> = Vec::new();
    let mut y: Vec<f32> = Vec::new();
    let mut eval_pos = Vec::new();
    let mut cross_pos = Vec::new();
    // `--holdout`: fit on even-numbered clusters and negative pairs, report on the odd-numbered ones.
    let holdout = args.iter().any(|a| a == "--holdout");
    let train_on = |i: usize| !holdout || i % 2 == 0;
    let eval_on = |i: usize| !holdout || i % 2 == 1;
    for (ci, c) in clusters.iter().enumerate() {
        let Some(primary) = c.names.first() else {
            continue;
        };
        for other in c.names.iter().skip(1) {
            if train_on(ci) {
                x.push(features(primary, other).to_array());
                y.push(1.0);
            }
        }
        if c.names.len() > 1 && eval_on(ci) {
            let k = 1 + next(c.names.len() - 1);
            eval_pos.push((primary.clone(), c.names[k].clone()));
        }
        for ar in &c.arabic {
            if train_on(ci) {
                x.push(features(primary, ar).to_array());
                y.push(1.0);
            }
            if eval_on(ci) {
                cross_pos.push((primary.clone(), ar.clone()));
            }
        }
    }
    let mut ll_neg = Vec::new();
    let mut la_neg = Vec::new();
    for (ni, v) in negs.iter().enumerate() {
        let (a, b) = (v["a"].as_str().unwrap_or(""), v["b"].as_str().unwrap_or(""));
        if train_on(ni) {
            x.push(features(a, b).to_array());
            y.push(0.0);
        }
        if !eval_on(ni) {
            continue;
        }
        match v["type"].as_str() {
            Some("latin-latin") => ll_neg.push((a.to_string(), b.to_string())),
            Some("latin-arabic") => la_neg.push((a.to_string(), b.to_string())),
            _ => {}
        }
    }
    // The resolve gazetteer: one entity per cluster, all names but the last; the last is the query.
    let mut builder = GazetteerBuilder::new();
    let mut queries = Vec::new();
    for (k, c) in clusters.iter().enumerate() {
        let mut all: Vec<String> = c.names.clone();
        all.extend(c.arabic.iter().cloned());
        if all.len() < 2 {
            continue;
        }
        let query = all.pop().unwrap_or_default();
        let mut e = Entity::new(format!("dev:{k}"), all[0].clone(), c.kind);
        e.aliases = all[1..]
            .iter()
            .map(|n| nisba::Alias::new(n.clone()))
            .collect();
        if builder.add(e).is_ok() {
            queries.push((format!("dev:{k}"), query, c.id.clone(), k));
        }
    }
    let gaz = builder.build().expect("build gazetteer");
    // Resolve negatives: the wrong candidates that resolve ranks for the training queries (the pairs
    // that decide top-1), weighing as much in total as the hard negative pairs.
    let n_hard = y.len();
    for (id, q, _, k) in &queries {
        if !train_on(*k) {
            continue;
        }
        for c in gaz.resolve(q, &ResolveOptions::default()) {
            if &c.id != id {
                x.push(features(q, &c.matched_alias).to_array());
                y.push(0.0);
            }
        }
    }
    let mined = y.len() - n_hard;
    let npos = y.iter().filter(|v| **v > 0.5).count() as f32;
    let nneg = y.len() as f32 - npos;
    println!("training pairs: {npos} positive, {nneg} negative ({mined} from resolve)");
    let hard_neg = nneg - mined as f32;
    let sample_weight = |k: usize, yi: f32| -> f64 {
        if yi > 0.5 {
            0.5 / npos as f64
        } else if mined == 0 {
            0.5 / hard_neg as f64
        } else if k < n_hard {
            0.3 / hard_neg as f64
        } else {
            0.2 / mined as f64
        }
    };
    for (k, name) in Features::NAMES.iter().enumerate() {
        let stat = |label: f32| {
            let v: Vec<f32> = x
                .iter()
                .zip(&y)
                .filter(|(_, yi)| **yi == label)
                .map(|(xi, _)| xi[k])
                .collect();
            let mean = v.iter().sum::<f32>() / v.len().max(1) as f32;
            let nz = v.iter().filter(|f| **f > 0.0).count() as f32 / v.len().max(1) as f32;
            (mean, nz)
        };
        let (mp, zp) = stat(1.0);
        let (mn, zn) = stat(0.0);
        println!("  {name:14} pos mean {mp:.3} nonzero {zp:.2} | neg mean {mn:.3} nonzero {zn:.2}");
    }

    // Class-balanced logistic regression with a little L2, fitted by Newton's method (IRLS): the
    // optimum is found exactly, whatever the scale of the features.
    const K: usize = Features::LEN + 1;
    let mut beta = [0f64; K];
    let lambda = 1e-3;
    for _ in 0..50 {
        let mut grad = [0f64; K];
        let mut hess = [[0f64; K]; K];
        for (idx, (xi, yi)) in x.iter().zip(&y).enumerate() {
            let mut v = [0f64; K];
            v[0] = 1.0;
            for k in 0..Features::LEN {
                v[k + 1] = xi[k] as f64;
            }
            let z: f64 = beta.iter().zip(&v).map(|(a, c)| a * c).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let cw = sample_weight(idx, *yi);
            let g = (p - *yi as f64) * cw;
            let h = p * (1.0 - p) * cw;
            for r in 0..K {
                grad[r] += g * v[r];
                for c in 0..K {
                    hess[r][c] += h * v[r] * v[c];
                }
            }
        }
        for r in 1..K {
            grad[r] += lambda * beta[r];
            hess[r][r] += lambda;
        }
        // Solve hess · step = grad (Gaussian elimination with partial pivoting).
        let mut m = hess;
        let mut rhs = grad;
        for col in 0..K {
            let piv = (col..K)
                .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
                .unwrap_or(col);
            m.swap(col, piv);
            rhs.swap(col, piv);
            let d = m[col][col];
            if d.abs() < 1e-12 {
                continue;
            }
            let pivot_row = m[col];
            let pivot_rhs = rhs[col];
            for (r, (row, b)) in m.iter_mut().zip(rhs.iter_mut()).enumerate() {
                if r != col {
                    let f = row[col] / d;
                    for (x, p) in row.iter_mut().zip(pivot_row.iter()).skip(col) {
                        *x -= f * p;
                    }
                    *b -= f * pivot_rhs;
                }
            }
        }
        let mut change = 0f64;
        for r in 0..K {
            if m[r][r].abs() >= 1e-12 {
                let step = rhs[r] / m[r][r];
                beta[r] -= step;
                change = change.max(step.abs());
            }
        }
        if change < 1e-7 {
            break;
        }
    }
    let b = beta[0] as f32;
    let mut w = [0f32; Features::LEN];
    for k in 0..Features::LEN {
        w[k] = beta[k + 1] as f32;
    }
    let cal = Calibration {
        bias: b,
        weights: w,
    };
    let mut table = String::from(
        "# Logistic calibration of nisba::resolve::compare.\n# Refit: cargo run --example calibrate -- <name_clusters.jsonl> <negative_pairs.jsonl> --write data/calibration.tsv\n",
    );
    table.push_str(&format!("bias\t{b:.4}\n"));
    for (n, v) in Features::NAMES.iter().zip(w) {
        table.push_str(&format!("{n}\t{v:.4}\n"));
    }
    print!("{table}");
    if let Some(path) = write {
        let tmp = format!("{path}.tmp");
        std::fs::write(&tmp, &table).expect("write calibration");
        std::fs::rename(&tmp, path).expect("rename calibration");
    }

    let score = |a: &str, bb: &str| cal.probability(&features(a, bb));
    let pos: Vec<f32> = eval_pos.iter().map(|(a, bb)| score(a, bb)).collect();
    let neg: Vec<f32> = ll_neg.iter().map(|(a, bb)| score(a, bb)).collect();
    println!(
        "latin-latin AUC: {:.4} ({} pos, {} neg)",
        auc(&pos, &neg),
        pos.len(),
        neg.len()
    );
    let t_ll = threshold_at_fpr(&neg, 0.01);
    let rec_ll = pos.iter().filter(|s| **s >= t_ll).count() as f64 / pos.len().max(1) as f64;
    println!("latin-latin threshold @1% FPR: {t_ll:.3}, recall {rec_ll:.4}");
    let la: Vec<f32> = la_neg.iter().map(|(a, bb)| score(a, bb)).collect();
    let t = threshold_at_fpr(&la, 0.01);
    let cp: Vec<f32> = cross_pos.iter().map(|(a, bb)| score(a, bb)).collect();
    let rec = cp.iter().filter(|s| **s >= t).count() as f64 / cp.len().max(1) as f64;
    println!(
        "cross-script recall @1% FPR (threshold {t:.3}): {rec:.4} ({} pos, {} neg)",
        cp.len(),
        la.len()
    );
    for th in [0.3f32, nisba::resolve::SAME_THRESHOLD, 0.5, 0.7] {
        let r = pos.iter().filter(|s| **s >= th).count() as f64 / pos.len() as f64;
        let f = neg.iter().filter(|s| **s >= th).count() as f64 / neg.len() as f64;
        let fc = la.iter().filter(|s| **s >= th).count() as f64 / la.len().max(1) as f64;
        let rc = cp.iter().filter(|s| **s >= th).count() as f64 / cp.len().max(1) as f64;
        println!("threshold {th}: ll recall {r:.3} fpr {f:.3}; cross recall {rc:.3} fpr {fc:.3}");
    }

    let opts = ResolveOptions::default();
    let started = std::time::Instant::now();
    let mut hits = 0;
    let mut misses = Vec::new();
    let mut evaluated = 0;
    for (id, q, cid, k) in &queries {
        if !eval_on(*k) {
            continue;
        }
        evaluated += 1;
        let r = gaz.resolve(q, &opts);
        if r.first().map(|c| &c.id) == Some(id) {
            hits += 1;
        } else {
            misses.push(format!(
                "{cid}: {q} -> {:?}",
                r.first().map(|c| (&c.matched_alias, c.score))
            ));
        }
    }
    println!(
        "resolve top-1: {:.4} ({hits}/{}), {:.1} ms/query",
        hits as f64 / evaluated.max(1) as f64,
        evaluated,
        started.elapsed().as_secs_f64() * 1000.0 / evaluated.max(1) as f64
    );
    let diag: usize = args
        .iter()
        .position(|a| a == "--diag")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if diag > 0 {
        let show = |title: &str, scores: &[f32], pairs: &[(String, String)], worst_first: bool| {
            let mut v: Vec<(f32, &(String, String))> = scores.iter().copied().zip(pairs).collect();
            v.sort_by(|a, b| {
                if worst_first {
                    a.0.total_cmp(&b.0)
                } else {
                    b.0.total_cmp(&a.0)
                }
            });
            println!("== {title}");
            for (s, (a, bb)) in v.iter().take(diag) {
                println!(
                    "{s:.3}\t{a}\t{bb}\t{}",
                    nisba::compare(a, bb).explanation.join("; ")
                );
            }
        };
        show("latin-latin positives, lowest first", &pos, &eval_pos, true);
        show("latin-latin negatives, highest first", &neg, &ll_neg, false);
        show(
            "cross-script positives, lowest first",
            &cp,
            &cross_pos,
            true,
        );
        show("cross-script negatives, highest first", &la, &la_neg, false);
    }
    if std::env::var_os("DEBUG").is_some() {
        let unrelated = eval_pos
            .iter()
            .filter(|(a, bb)| features(a, bb).matched_abs == 0.0)
            .count();
        println!(
            "  eval positives sharing no similar part: {unrelated}/{}",
            eval_pos.len()
        );
        let unrelated_c = cross_pos
            .iter()
            .filter(|(a, bb)| features(a, bb).matched_abs == 0.0)
            .count();
        println!(
            "  cross positives sharing no similar part: {unrelated_c}/{}",
            cross_pos.len()
        );
        let mut top: Vec<(f32, &(String, String))> = la.iter().copied().zip(&la_neg).collect();
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (s, (a, bb)) in top.iter().take(6) {
            println!(
                "  la-neg {s:.3} {a} | {bb} {:?}",
                nisba::compare(a, bb).explanation
            );
        }
        let mut low: Vec<(f32, &(String, String))> = cp.iter().copied().zip(&cross_pos).collect();
        low.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (s, (a, bb)) in low.iter().take(6) {
            println!(
                "  cross-pos {s:.3} {a} | {bb} {:?}",
                nisba::compare(a, bb).explanation
            );
        }
        let mut top: Vec<(f32, &(String, String))> = neg.iter().copied().zip(&ll_neg).collect();
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (s, (a, bb)) in top.iter().take(8) {
            println!("  ll-neg {s:.3} {a} | {bb}");
        }
        let mut low: Vec<(f32, &(String, String))> = pos.iter().copied().zip(&eval_pos).collect();
        low.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (s, (a, bb)) in low.iter().take(8) {
            println!("  ll-pos {s:.3} {a} | {bb}");
        }
    }
    for m in misses.iter().take(if diag > 0 { diag } else { 15 }) {
        println!("  miss {m}");
    }
    let pairs: Vec<(String, String)> = eval_pos.iter().chain(&ll_neg).cloned().collect();
    let prepared: Vec<_> = pairs
        .iter()
        .map(|(a, bb)| (nisba::resolve::prepare(a), nisba::resolve::prepare(bb)))
        .collect();
    let t1 = std::time::Instant::now();
    let mut acc2 = 0.0;
    for (a, bb) in &prepared {
        acc2 += nisba::resolve::compare_prepared(a, bb, false).score;
    }
    println!(
        "compare_prepared (no parsing, no explanation): {:.2} µs/pair (checksum {acc2:.1})",
        t1.elapsed().as_secs_f64() * 1e6 / pairs.len() as f64
    );
    let t0 = std::time::Instant::now();
    let mut acc = 0.0;
    for (a, bb) in &pairs {
        acc += nisba::compare(a, bb).score;
    }
    println!(
        "compare: {:.2} µs/pair (this build; checksum {acc:.1})",
        t0.elapsed().as_secs_f64() * 1e6 / pairs.len() as f64
    );
}
