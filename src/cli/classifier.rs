//! `modq classifier …`: measuring the built-in model on labelled text and
//! fitting seed models from it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;

use crate::classifier::{self, Attribute, LabelledText, TrainOptions};
use crate::config::Settings;
use crate::domain::SiteId;
use crate::scoring::{self, ModelBook};
use crate::startup;
use crate::storage;

#[derive(Debug, Subcommand)]
pub enum ClassifierCommand {
    /// Measure the built-in model on FILE (`label<TAB>text` per line):
    /// precision, recall, F1 and ROC AUC.
    Eval {
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
        /// Cross-validate over this many folds (otherwise a stratified
        /// 80/20 split).
        #[arg(long, value_name = "K")]
        cv: Option<usize>,
        #[command(flatten)]
        training: TrainingFlags,
    },
    /// Refit the site's models (every site's without --site) to its
    /// moderators' decisions; each new model replaces the current one only
    /// if it does no worse on held-out decisions.
    Train {
        #[arg(long)]
        site: Option<String>,
    },
    /// Print the seed models' scores for TEXT, or for every line of
    /// FILE (one line per text: the scores tab-separated, spam first, then
    /// the transformer's).
    Score {
        #[arg(required_unless_present = "file")]
        text: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "text")]
        file: Option<PathBuf>,
        /// Also give the all-MiniLM-L6-v2 transformer's scores, with its
        /// weights from this directory (`--features ml-candle` builds).
        #[arg(long, value_name = "DIR")]
        transformer: Option<PathBuf>,
    },
    /// Fit a model to all of FILE and write it, gzipped, to OUT: how the
    /// shipped seed models are made.
    Fit {
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
        #[command(flatten)]
        training: TrainingFlags,
    },
}

/// Training settings, for trying others than the defaults.
#[derive(Debug, clap::Args)]
pub struct TrainingFlags {
    /// Fit a head over all-MiniLM-L6-v2 embeddings from this directory
    /// (`tools/fetch_minilm.sh`) instead of the built-in model; needs a
    /// build with `--features ml-candle`.
    #[arg(long, value_name = "DIR")]
    transformer: Option<PathBuf>,
    /// Passes over the data.
    #[arg(long)]
    epochs: Option<usize>,
    /// AdaGrad's base learning rate.
    #[arg(long)]
    learning_rate: Option<f32>,
    /// L2 penalty.
    #[arg(long)]
    l2: Option<f32>,
}

impl TrainingFlags {
    fn options(&self) -> TrainOptions {
        let default = if self.transformer.is_some() {
            TrainOptions::for_embeddings()
        } else {
            TrainOptions::default()
        };
        TrainOptions {
            epochs: self.epochs.unwrap_or(default.epochs),
            learning_rate: self.learning_rate.unwrap_or(default.learning_rate),
            l2: self.l2.unwrap_or(default.l2),
            seed: default.seed,
        }
    }
}

pub fn run(command: ClassifierCommand, settings: &Settings) -> Result<(), String> {
    match command {
        ClassifierCommand::Train { site } => train(settings, site),
        ClassifierCommand::Eval { data, cv, training } => {
            let examples = read(&data)?;
            let started = Instant::now();
            let folds = cv.unwrap_or(5);
            let features = featurize(&examples, &training)?;
            let result = classifier::cross_validate_features(
                &features,
                folds,
                training.options(),
                progress("folds"),
            );
            eprintln!();
            if cv.is_some() {
                for (i, m) in result.folds.iter().enumerate() {
                    println!(
                        "fold {}: precision {:.4} recall {:.4} F1 {:.4} AUC {:.4}",
                        i + 1,
                        m.precision,
                        m.recall,
                        m.f1,
                        m.auc
                    );
                }
                print_metrics(&format!("{folds}-fold cross-validation"), &result.pooled);
            } else {
                // Without --cv: one held-out fifth.
                print_metrics("held-out 20%", &result.folds[0]);
            }
            println!("took {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        ClassifierCommand::Score {
            text,
            file,
            transformer,
        } => {
            let seeds = classifier::seed_classifier()?;
            let second = transformer
                .as_deref()
                .map(scoring::load_transformer)
                .transpose()?;
            let score = |text: &str| {
                let normalised = crate::rules::normalise::normalize(text);
                let mut scores = seeds.score_normalised(&normalised.text);
                if let Some(second) = &second {
                    match second.rescore(text, &[Attribute::Spam, Attribute::Offensive]) {
                        Ok(found) => scores.extend(found),
                        Err(err) => eprintln!("transformer: {err}"),
                    }
                }
                scores
            };
            if let Some(text) = text {
                for s in score(&text) {
                    println!("{}\t{:.4}\t{}", s.attribute, s.value, s.model);
                }
                return Ok(());
            }
            let path = file.unwrap_or_default();
            let content = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            for line in content.lines() {
                let values: Vec<String> = score(line)
                    .iter()
                    .map(|s| format!("{:.4}", s.value))
                    .collect();
                println!("{}", values.join("\t"));
            }
            Ok(())
        }
        ClassifierCommand::Fit {
            data,
            out,
            training,
        } => {
            let examples = read(&data)?;
            let features = featurize(&examples, &training)?;
            let model =
                classifier::LinearModel::train(&features, training.options(), progress("epochs"));
            eprintln!();
            let bytes = model.to_bytes();
            let file = std::fs::File::create(&out)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            let mut gz = flate2::GzBuilder::new()
                .mtime(0)
                .write(file, flate2::Compression::best());
            gz.write_all(&bytes)
                .and_then(|()| gz.finish().map(|_| ()))
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            println!(
                "fitted on {} examples ({} positive); wrote {}",
                examples.len(),
                examples.iter().filter(|e| e.positive).count(),
                out.display()
            );
            Ok(())
        }
    }
}

fn train(settings: &Settings, only: Option<String>) -> Result<(), String> {
    let db = startup::open_database(settings).map_err(|e| e.to_string())?;
    let ids = startup::id_generator();
    let book = ModelBook::load(db.clone()).map_err(|e| e.to_string())?;
    let sites = db
        .read_blocking(|conn| storage::sites::names(conn, None))
        .map_err(|e| e.to_string())?;
    let sites: Vec<(i64, String)> = match &only {
        Some(name) => {
            let found: Vec<_> = sites.into_iter().filter(|(_, n)| n == name).collect();
            if found.is_empty() {
                return Err(format!("no site named {name:?}"));
            }
            found
        }
        None => sites,
    };
    for (id, name) in sites {
        println!("site {name}:");
        let started = Instant::now();
        let mut bar = progress("epochs");
        let reports = scoring::retrain_site(&db, &ids, &book, SiteId(id), |_, done, total| {
            bar(done, total)
        })
        .map_err(|e| e.to_string())?;
        eprintln!();
        for r in reports {
            match (&r.skipped, r.candidate, r.current) {
                (Some(why), _, _) => println!("  {}: not refitted: {why}", r.attribute),
                (None, Some(new), Some(old)) => println!(
                    "  {}: {} decisions ({} positive), held-out 20%:\n    new model  AUC {:.4}  F1 {:.4}  precision {:.4}  recall {:.4}\n    {:<10} AUC {:.4}  F1 {:.4}  precision {:.4}  recall {:.4}\n    {}",
                    r.attribute,
                    r.examples,
                    r.positives,
                    new.auc,
                    new.f1,
                    new.precision,
                    new.recall,
                    "current",
                    old.auc,
                    old.f1,
                    old.precision,
                    old.recall,
                    if r.replaced {
                        format!(
                            "in use as version {} (replaced {})",
                            r.version.unwrap_or_default(),
                            r.current_model
                        )
                    } else {
                        format!("kept {}: the new model did worse", r.current_model)
                    }
                ),
                _ => {}
            }
        }
        println!("  took {:.1} s", started.elapsed().as_secs_f64());
    }
    db.shutdown();
    Ok(())
}

fn read(path: &Path) -> Result<Vec<LabelledText>, String> {
    let content = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let examples = classifier::read_tsv(&content)?;
    if examples.iter().all(|e| e.positive) || examples.iter().all(|e| !e.positive) {
        return Err("the data needs examples of both labels".to_owned());
    }
    Ok(examples)
}

/// The examples as the chosen model's features.
fn featurize(
    examples: &[LabelledText],
    training: &TrainingFlags,
) -> Result<Vec<(classifier::features::Features, bool)>, String> {
    let Some(dir) = &training.transformer else {
        return Ok(examples
            .iter()
            .map(|e| (classifier::features::featurize(&e.text), e.positive))
            .collect());
    };
    embed(examples, dir)
}

#[cfg(feature = "ml-candle")]
fn embed(
    examples: &[LabelledText],
    dir: &Path,
) -> Result<Vec<(classifier::features::Features, bool)>, String> {
    use classifier::minilm::{MiniLm, embedding_features};
    let encoder = MiniLm::load(dir)?;
    let mut bar = progress("texts embedded");
    let started = Instant::now();
    let mut out = Vec::with_capacity(examples.len());
    for (n, e) in examples.iter().enumerate() {
        out.push((embedding_features(&encoder.embed(&e.text)?), e.positive));
        if n % 50 == 49 || n + 1 == examples.len() {
            bar(n + 1, examples.len());
        }
    }
    eprintln!();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "embedded {} texts in {secs:.1} s: {:.2} ms per text, {:.0} texts/s",
        examples.len(),
        secs * 1000.0 / examples.len().max(1) as f64,
        examples.len() as f64 / secs
    );
    Ok(out)
}

#[cfg(not(feature = "ml-candle"))]
fn embed(
    _examples: &[LabelledText],
    _dir: &Path,
) -> Result<Vec<(classifier::features::Features, bool)>, String> {
    Err(crate::scoring::WITHOUT_CANDLE.to_owned())
}

fn print_metrics(title: &str, m: &classifier::Metrics) {
    println!(
        "{title}: {} examples, {} positive\n  precision {:.4}\n  recall    {:.4}\n  F1        {:.4}\n  ROC AUC   {:.4}\n  accuracy  {:.4}",
        m.examples, m.positives, m.precision, m.recall, m.f1, m.auc, m.accuracy
    );
}

/// A progress bar on standard error.
pub fn progress(unit: &'static str) -> impl FnMut(usize, usize) {
    move |done, total| {
        let width = 30;
        let filled = done * width / total.max(1);
        eprint!(
            "\r[{}{}] {done}/{total} {unit}",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
        let _ = std::io::stderr().flush();
    }
}
