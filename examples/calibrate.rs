//! Fits the logistic calibration of `nisba::resolve::compare` and reports the evaluation metrics.
//!
//! ```text
//! cargo run --example calibrate -- <name_clusters.jsonl> <negative_pairs.jsonl> [--write data/calibration.tsv] [--holdout]
//! ```
//!
//! Positives: every cluster's primary Latin name against each other Latin spelling, and against each
//! Arabic spelling. Negatives: the hard negative pairs, plus the wrong candidates `resolve` ranks for the
//! training queries. The fit is a class-balanced logistic regression with sign-constrained weights
//! (similarity features may only raise the score, missing parts only lower it), then Platt-scaled on the
//! development pairs as they come, so that a score of 0.9 means about 90% of such pairs are the same
//! name; a reliability table (predicted vs observed per probability bin, and the expected calibration
//! error) checks it on the evaluated pairs. Metrics (on the same development files, so
//! in-sample for the fitted weights unless `--holdout`): Latin–Latin ROC AUC (primary vs one random other spelling per
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

/// The allowed sign of each feature's weight, in [`Features::NAMES`] order: +1 similarity and agreement,
/// -1 missing, unmatched and substituted parts (0 would leave a weight free). Freeing the mean and worst
/// aligned similarity fits the development pairs a little better but makes the score fall as a part
/// matches better (a 0.80 part match outscoring a perfect one: *Kadoma* over *Kadhimi* for الكاظمي).
const SIGNS: [f64; Features::LEN] = [
    1.0,  // matched
    1.0,  // worst
    -1.0, // miss_short
    -1.0, // miss_long
    1.0,  // whole
    1.0,  // key_part
    1.0,  // matched_abs
    -1.0, // unmatched_abs
    1.0,  // head
    -1.0, // conflict
    1.0,  // skeleton
    1.0,  // last
    1.0,  // strong
    -1.0, // subst
    -1.0, // head_subst
    -1.0, // any_subst
    1.0,  // rare
    1.0,  // info
];

/// The gradient of the weighted log-loss in coordinate `r` (0 = bias) at `beta`.
fn full_grad(
    beta: &[f64; Features::LEN + 1],
    x: &[[f32; Features::LEN]],
    y: &[f32],
    weight: &dyn Fn(usize, f32) -> f64,
    r: usize,
) -> f64 {
    let mut g = 0.0;
    for (idx, (xi, yi)) in x.iter().zip(y).enumerate() {
        let mut z = beta[0];
        for k in 0..Features::LEN {
            z += beta[k + 1] * xi[k] as f64;
        }
        let p = 1.0 / (1.0 + (-z).exp());
        let v = if r == 0 { 1.0 } else { xi[r - 1] as f64 };
        g += (p - *yi as f64) * weight(idx, *yi) * v;
    }
    g
}

/// Reliability of the probabilities on labelled pairs: per bin of predicted probability, the mean
/// prediction against the observed share of same-name pairs; returns the expected calibration error
/// (the bin-size-weighted mean gap).
fn reliability(title: &str, pos: &[f32], neg: &[f32]) -> f64 {
    const BINS: usize = 10;
    let mut n = [0usize; BINS];
    let mut sum_p = [0f64; BINS];
    let mut hits = [0usize; BINS];
    for (s, label) in pos
        .iter()
        .map(|s| (s, true))
        .chain(neg.iter().map(|s| (s, false)))
    {
        let b = ((*s as f64 * BINS as f64) as usize).min(BINS - 1);
        n[b] += 1;
        sum_p[b] += *s as f64;
        hits[b] += label as usize;
    }
    let total: usize = n.iter().sum();
    println!(
        "reliability ({title}; {} same, {} different):",
        pos.len(),
        neg.len()
    );
    println!("  bin        pairs  mean predicted  observed same");
    let mut ece = 0.0;
    for b in 0..BINS {
        if n[b] == 0 {
            continue;
        }
        let pred = sum_p[b] / n[b] as f64;
        let obs = hits[b] as f64 / n[b] as f64;
        ece += n[b] as f64 / total.max(1) as f64 * (pred - obs).abs();
        println!(
            "  {:.1}-{:.1}  {:>6}  {pred:>14.3}  {obs:>13.3}",
            b as f64 / BINS as f64,
            (b + 1) as f64 / BINS as f64,
            n[b]
        );
    }
    println!("  expected calibration error: {ece:.4}");
    ece
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
    // Every same-name pair of the evaluated clusters (primary name against each other spelling, either
    // script): the population of the reliability table, like the one the probabilities are scaled on.
    let mut rel_pos = Vec::new();
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
            if eval_on(ci) {
                rel_pos.push((primary.clone(), other.clone()));
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
                rel_pos.push((primary.clone(), ar.clone()));
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

    // How often the weakest aligned part pair falls in each similarity band, same-name vs not.
    let bands = [0.7f32, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01];
    print!("  worst aligned pair");
    for w in bands.windows(2) {
        let count = |label: f32| {
            x.iter()
                .zip(&y)
                .filter(|(xi, yi)| **yi == label && xi[1] >= w[0] && xi[1] < w[1])
                .count()
        };
        print!(
            " | {:.2}-{:.2}: {}+ {}-",
            w[0],
            w[1].min(1.0),
            count(1.0),
            count(0.0)
        );
    }
    println!();

    // Class-balanced logistic regression with a little L2, fitted by Newton's method (IRLS): the
    // optimum is found exactly, whatever the scale of the features.
    //
    // The weights carry signs (`SIGNS`): a similarity feature may only raise the score and a missing or
    // substituted part only lower it, so a better-matching pair never scores lower (unconstrained, the
    // correlated features trade off and a 0.91 part match outscored a perfect one). Constraints are kept
    // by an active set: a weight that would cross zero is pinned at zero and the rest refitted.
    const K: usize = Features::LEN + 1;
    let mut beta = [0f64; K];
    let mut pinned = [false; K];
    let lambda = 1e-3;
    for _ in 0..(50 * K) {
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
        for r in 0..K {
            if pinned[r] {
                hess[r] = [0.0; K];
                for row in hess.iter_mut() {
                    row[r] = 0.0;
                }
                hess[r][r] = 1.0;
                grad[r] = 0.0;
            }
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
        // Pin the weights whose sign is wrong; release a pinned weight whose gradient pulls it back to
        // the allowed side.
        let mut moved = false;
        for r in 1..K {
            let sign = SIGNS[r - 1];
            if !pinned[r] && sign != 0.0 && beta[r] * sign < 0.0 {
                beta[r] = 0.0;
                pinned[r] = true;
                moved = true;
            }
        }
        if change < 1e-7 && !moved {
            // Converged on the free weights: release a pinned one whose gradient points inside.
            let mut released = false;
            for r in 1..K {
                if pinned[r] && -full_grad(&beta, &x, &y, &sample_weight, r) * SIGNS[r - 1] > 1e-6 {
                    pinned[r] = false;
                    released = true;
                }
            }
            if !released {
                break;
            }
        }
    }
    // The class-balanced fit ranks well but its probabilities assume as many same-name pairs as
    // different ones (and count the mined resolve negatives). Platt scaling maps its log-odds onto the
    // development pairs as they come (every same-name pair, every hard negative, unweighted), so that a
    // score of 0.9 means about 90% of such pairs are the same name; the scale and shift fold into the
    // shipped weights, and the ranking is unchanged.
    let z: Vec<f64> = x[..n_hard]
        .iter()
        .map(|xi| {
            beta[0]
                + (0..Features::LEN)
                    .map(|k| beta[k + 1] * xi[k] as f64)
                    .sum::<f64>()
        })
        .collect();
    let (mut sa, mut sc) = (1.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut ga, mut gc, mut haa, mut hac, mut hcc) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (zi, yi) in z.iter().zip(&y[..n_hard]) {
            let p = 1.0 / (1.0 + (-(sa * zi + sc)).exp());
            let g = p - *yi as f64;
            let h = (p * (1.0 - p)).max(1e-9);
            ga += g * zi;
            gc += g;
            haa += h * zi * zi;
            hac += h * zi;
            hcc += h;
        }
        let det = haa * hcc - hac * hac;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hcc * ga - hac * gc) / det;
        let dc = (haa * gc - hac * ga) / det;
        sa -= da;
        sc -= dc;
        if da.abs().max(dc.abs()) < 1e-9 {
            break;
        }
    }
    println!("Platt scaling of the fitted log-odds: {sa:.4} z + {sc:.4}");
    let b = (sa * beta[0] + sc) as f32;
    let mut w = [0f32; Features::LEN];
    for k in 0..Features::LEN {
        w[k] = (sa * beta[k + 1]) as f32;
    }
    let cal = Calibration {
        bias: b,
        weights: w,
    };
    let mut table = String::from(
        "# Logistic calibration of nisba::resolve::compare.\n# Refit: cargo run --example calibrate -- <name_clusters.jsonl> <negative_pairs.jsonl> --write data/calibration.tsv\n# The negatives mined from resolve use the built-in weights: rebuild and refit until the weights settle (2-3 rounds).\n",
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
    let all_pos: Vec<f32> = rel_pos.iter().map(|(a, bb)| score(a, bb)).collect();
    let all_neg: Vec<f32> = neg.iter().chain(&la).copied().collect();
    reliability(
        if holdout {
            "held-out pairs"
        } else {
            "development pairs, in-sample"
        },
        &all_pos,
        &all_neg,
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
