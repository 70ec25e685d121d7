//! Built-in classifier benchmarks on the shared corpus
//! (`../shared/bench/corpus`, or the directory in `MODQ_BENCH_CORPUS`).
//!
//!     cargo bench --bench classifier
//!
//! Prints per-comment p50/p99 of scoring (both seed models, normalising
//! included) over every comment of about 1 KB, then the time to featurise
//! and fit 50,000 labelled comments, as a refit of a site does.

#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark reports on stdout and stops on bad input"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use modq::classifier::{
    Classifier, ClassifyInput, LabelledText, TrainOptions, features::featurize, fit,
    seed_classifier,
};

fn corpus() -> Vec<serde_json::Value> {
    let dir = std::env::var_os("MODQ_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/corpus")
        });
    std::fs::read_to_string(dir.join("comments.jsonl"))
        .expect("corpus")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let rows = corpus();
    let texts: Vec<String> = rows
        .iter()
        .map(|r| r["text"].as_str().expect("text").to_owned())
        .collect();
    let kb: Vec<&String> = texts
        .iter()
        .filter(|t| (800..=1300).contains(&t.len()))
        .collect();
    let seeds = seed_classifier().expect("seed models");

    // Warm-up pass, then five timed passes over every ~1 KB comment.
    for text in &kb {
        black_box(seeds.classify(&ClassifyInput {
            text,
            article: "a",
            author: "u",
        }))
        .expect("scores");
    }
    let mut micros = Vec::with_capacity(kb.len() * 5);
    let mut feature_micros = Vec::with_capacity(kb.len() * 5);
    for _ in 0..5 {
        for text in &kb {
            let started = Instant::now();
            black_box(seeds.classify(&ClassifyInput {
                text,
                article: "a",
                author: "u",
            }))
            .expect("scores");
            micros.push(started.elapsed().as_secs_f64() * 1e6);
            let started = Instant::now();
            black_box(featurize(text));
            feature_micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    micros.sort_by(f64::total_cmp);
    feature_micros.sort_by(f64::total_cmp);
    println!(
        "score, both seed models, {} comments of 800-1300 bytes x5: p50 {:.1} µs, p99 {:.1} µs (features alone: p50 {:.1} µs, p99 {:.1} µs)",
        kb.len(),
        percentile(&micros, 0.5),
        percentile(&micros, 0.99),
        percentile(&feature_micros, 0.5),
        percentile(&feature_micros, 0.99),
    );

    // A refit on 50,000 decisions: the corpus two and a half times over,
    // comments with banned terms or links as the rejected ones.
    let examples: Vec<LabelledText> = rows
        .iter()
        .cycle()
        .take(50_000)
        .enumerate()
        .map(|(i, r)| LabelledText {
            text: format!("{} {}", r["text"].as_str().expect("text"), i % 97),
            positive: r["n_banned"].as_u64().unwrap_or(0) > 0
                || r["n_links"].as_u64().unwrap_or(0) > 1,
        })
        .collect();
    let started = Instant::now();
    let model = fit(&examples, TrainOptions::default(), |_, _| {});
    println!(
        "fit on 50,000 comments ({} positive), featurising included: {:.2} s",
        examples.iter().filter(|e| e.positive).count(),
        started.elapsed().as_secs_f64()
    );
    black_box(model);

    #[cfg(feature = "ml-candle")]
    transformer(&texts);
}

/// The `ml-candle` transformer (encoder and spam head) on the inference
/// thread's workload: one comment at a time.
#[cfg(feature = "ml-candle")]
fn transformer(texts: &[String]) {
    use modq::classifier::{Attribute, Rescorer, minilm::MiniLmClassifier};
    let dir = std::env::var_os("MODQ_BENCH_MINILM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/minilm"));
    let model = MiniLmClassifier::load(&dir).expect("MiniLM weights (tools/fetch_minilm.sh)");
    for (label, range) in [("under 200 bytes", 0..200), ("800-1300 bytes", 800..1300)] {
        let sample: Vec<&String> = texts
            .iter()
            .filter(|t| range.contains(&t.len()))
            .take(300)
            .collect();
        model
            .rescore(sample[0], &[Attribute::Spam])
            .expect("warm-up");
        let started = Instant::now();
        let mut millis: Vec<f64> = sample
            .iter()
            .map(|text| {
                let one = Instant::now();
                black_box(model.rescore(text, &[Attribute::Spam]).expect("scores"));
                one.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        let total = started.elapsed().as_secs_f64();
        millis.sort_by(f64::total_cmp);
        println!(
            "transformer, {} comments {label}: p50 {:.1} ms, p99 {:.1} ms, {:.0} comments/s",
            sample.len(),
            percentile(&millis, 0.5),
            percentile(&millis, 0.99),
            sample.len() as f64 / total
        );
    }
}
