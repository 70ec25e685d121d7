//! Rule engine benchmarks on the shared corpus (`../shared/bench/corpus`,
//! or the directory in `MODQ_BENCH_CORPUS`).
//!
//!     cargo bench --bench rules
//!
//! Besides criterion's means, prints the per-comment p50/p99 over every
//! comment of about 1 KB, which is what the budget is stated in.

#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark reports on stdout and stops on bad input"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use modq::rules::{
    CommentInput, CompiledRules, Matcher, RuleAction, RuleDefinition, RuleMode, RuleRecord,
    Severity, ShapeSpec, TermInput, TermMode,
};

fn corpus_dir() -> PathBuf {
    std::env::var_os("MODQ_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/corpus"))
}

fn comments() -> Vec<String> {
    let text = std::fs::read_to_string(corpus_dir().join("comments.jsonl")).expect("corpus");
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["text"].as_str().expect("text").to_owned()
        })
        .collect()
}

/// The corpus's banned words, then made-up words until there are `n`.
fn terms(n: usize) -> Vec<String> {
    let banned = std::fs::read_to_string(corpus_dir().join("banned_words.txt")).expect("words");
    let mut words: Vec<String> = banned
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let syllables = [
        "ka", "zu", "mer", "lo", "tri", "van", "qe", "sho", "pix", "dra",
    ];
    let mut i = 0usize;
    while words.len() < n {
        let w: String = (0..3)
            .map(|k| syllables[(i / 10usize.pow(k)) % 10])
            .collect();
        words.push(format!("{w}{}", i % 7));
        i += 1;
    }
    words.truncate(n);
    words
}

fn rule(id: i64, name: &str, matcher: Matcher) -> RuleRecord {
    RuleRecord {
        id,
        version: 1,
        site_id: Some(1),
        article: None,
        definition: RuleDefinition {
            name: name.to_owned(),
            action: RuleAction::Hold,
            reason: Some("spam".to_owned()),
            mode: RuleMode::Enforce,
            enabled: true,
            message: None,
            priority: 10,
            matcher,
        },
    }
}

/// `n_terms` terms over four rules (with allowlists and every match mode),
/// `n_regex` regexes, and every structural rule.
fn rule_set(n_terms: usize, n_regex: usize) -> Vec<RuleRecord> {
    let words = terms(n_terms.max(n_regex));
    let mut rules = Vec::new();
    for (k, chunk) in words[..n_terms].chunks(n_terms.div_ceil(4)).enumerate() {
        let terms = chunk
            .iter()
            .enumerate()
            .map(|(i, w)| match i % 10 {
                0 => TermInput::Plain(format!("{w}*")),
                1 => TermInput::Detailed {
                    term: w.clone(),
                    mode: TermMode::Substring,
                },
                _ => TermInput::Plain(w.clone()),
            })
            .collect();
        rules.push(rule(
            k as i64,
            &format!("terms {k}"),
            Matcher::Terms {
                terms,
                allow: vec!["scunthorpe".into(), "cocktail".into(), "assassin".into()],
            },
        ));
    }
    for (i, w) in words.iter().take(n_regex).enumerate() {
        let pattern = match i % 4 {
            0 => format!(r"\b{w}\s+(?:now|today|here)\b"),
            1 => format!(r"(?:cheap|free|best)\s+{w}s?\b"),
            2 => format!(r"\b{w}\d{{2,4}}\b"),
            _ => format!(r"{w}[-_.]?(?:com|net|org)\b"),
        };
        let matcher = Matcher::Regex {
            pattern,
            normalize: i % 2 == 0,
        };
        rules.push(rule(100 + i as i64, &format!("regex {i}"), matcher));
    }
    rules.push(rule(
        10_000,
        "links",
        Matcher::Links {
            max_links: Some(3),
            block_domains: vec!["spam.example".into(), "casino.example".into()],
            allow_domains: Vec::new(),
            shorteners: true,
            new_authors: true,
        },
    ));
    rules.push(rule(
        10_001,
        "shape: length",
        Matcher::Shape(ShapeSpec {
            min_length: Some(5),
            max_length: Some(5_000),
            ..ShapeSpec::default()
        }),
    ));
    let shapes = [
        (
            "shape: shouting",
            ShapeSpec {
                shouting: Some(0.7),
                ..ShapeSpec::default()
            },
        ),
        (
            "shape: repeats",
            ShapeSpec {
                repeated_chars: Some(6),
                repeated_words: Some(4),
                ..ShapeSpec::default()
            },
        ),
        (
            "shape: digits",
            ShapeSpec {
                digit_run: Some(9),
                phone_numbers: true,
                ..ShapeSpec::default()
            },
        ),
        (
            "shape: wallets",
            ShapeSpec {
                crypto_addresses: true,
                ..ShapeSpec::default()
            },
        ),
    ];
    for (i, (name, spec)) in shapes.into_iter().enumerate() {
        rules.push(rule(10_002 + i as i64, name, Matcher::Shape(spec)));
    }
    rules.push(rule(
        10_006,
        "blocklist",
        Matcher::Blocklist {
            authors: vec!["spammer-1".into()],
            email_domains: vec!["mailinator.com".into()],
            ips: vec!["203.0.113.0/24".into(), "2001:db8::/32".into()],
        },
    ));
    rules
}

fn input(body: &str) -> CommentInput<'_> {
    CommentInput {
        body,
        article: "post-1",
        author_id: "u1",
        email: Some("reader@example.com"),
        ip: "198.51.100.7".parse().ok(),
    }
}

fn one_kb(comments: &[String]) -> Vec<&str> {
    comments
        .iter()
        .map(String::as_str)
        .filter(|t| (800..=1300).contains(&t.len()))
        .collect()
}

/// Times every comment once with freshly compiled rules (so the regex
/// engine's lazily built automaton is still cold), then three more times.
fn percentiles(label: &str, rules: &CompiledRules, texts: &[&str]) {
    let mut cold = Vec::with_capacity(texts.len());
    let mut warm = Vec::with_capacity(texts.len() * 3);
    let mut hits = 0usize;
    for pass in 0..4 {
        for text in texts {
            let started = Instant::now();
            let found = rules.evaluate(&input(text));
            let took = started.elapsed().as_nanos() as u64;
            if pass == 0 {
                cold.push(took);
                hits += usize::from(!found.is_empty());
            } else {
                warm.push(took);
            }
        }
    }
    let at = |times: &mut Vec<u64>, q: f64| {
        times.sort_unstable();
        times[((times.len() - 1) as f64 * q) as usize] as f64 / 1000.0
    };
    println!(
        "{label}: {} comments, p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs (first pass: p50 {:.1}, p99 {:.1}); {:.1}% hit",
        texts.len(),
        at(&mut warm, 0.50),
        at(&mut warm, 0.99),
        at(&mut warm, 1.0),
        at(&mut cold, 0.50),
        at(&mut cold, 0.99),
        100.0 * hits as f64 / texts.len() as f64
    );
}

fn evaluate(c: &mut Criterion) {
    let comments = comments();
    let texts = one_kb(&comments);
    let all = rule_set(2_000, 200);
    let part = |keep: fn(&Matcher) -> bool| -> CompiledRules {
        let some: Vec<RuleRecord> = all
            .iter()
            .filter(|r| keep(&r.definition.matcher))
            .cloned()
            .collect();
        CompiledRules::compile(&some).expect("compile")
    };
    percentiles(
        "  terms only",
        &part(|m| matches!(m, Matcher::Terms { .. })),
        &texts,
    );
    percentiles(
        "  regexes only",
        &part(|m| matches!(m, Matcher::Regex { .. })),
        &texts,
    );
    percentiles(
        "  structural only",
        &part(|m| {
            matches!(
                m,
                Matcher::Links { .. } | Matcher::Shape { .. } | Matcher::Blocklist { .. }
            )
        }),
        &texts,
    );
    if std::env::var_os("MODQ_BENCH_PARTS").is_some() {
        for record in all.iter().filter(|r| r.id >= 10_000) {
            let one = CompiledRules::compile(std::slice::from_ref(record)).expect("compile");
            percentiles(&format!("    {}", record.definition.name), &one, &texts);
        }
    }
    let rules = CompiledRules::compile(&all).expect("compile");
    percentiles(
        "2,000 terms + 200 regexes + structural, ~1 KB comments",
        &rules,
        &texts,
    );
    let mut i = 0;
    c.bench_function(
        "evaluate ~1 KB comment: 2,000 terms, 200 regexes, structural",
        |b| {
            b.iter(|| {
                i = (i + 1) % texts.len();
                black_box(rules.evaluate(&input(texts[i])))
            })
        },
    );

    let mut with_profanity = rule_set(2_000, 200);
    with_profanity.push(rule(
        20_000,
        "profanity",
        Matcher::Profanity {
            severity: Severity::Moderate,
        },
    ));
    let rules = CompiledRules::compile(&with_profanity).expect("compile");
    percentiles("... plus the profanity detector", &rules, &texts);

    let normalise_only = |text: &str| modq::rules::normalise::normalize(text);
    c.bench_function("normalise ~1 KB comment", |b| {
        b.iter(|| {
            i = (i + 1) % texts.len();
            black_box(normalise_only(texts[i]))
        })
    });
}

fn compile(c: &mut Criterion) {
    let big = rule_set(10_000, 500);
    let started = Instant::now();
    let compiled = CompiledRules::compile(&big).expect("compile");
    println!(
        "compile 10,000 terms + 500 regexes: {:.0} ms ({} rules)",
        started.elapsed().as_secs_f64() * 1000.0,
        compiled.len()
    );
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    group.bench_function("10,000 terms + 500 regexes", |b| {
        b.iter(|| black_box(CompiledRules::compile(&big)))
    });
    group.finish();
}

criterion_group!(benches, evaluate, compile);
criterion_main!(benches);
