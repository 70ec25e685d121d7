//! Fitting a site's models to its moderators' decisions. For each
//! attribute, rejections citing the attribute's guideline codes are
//! positive and approvals negative. A fifth of them is held out; the new
//! model replaces the current one (the site's or the seed) only if it
//! does no worse on that fifth, by ROC AUC and by F1.

use serde::Serialize;

use crate::classifier::features::{Features, featurize};
use crate::classifier::metrics::fold_assignment;
use crate::classifier::{Attribute, AttributeModel, LinearModel, Metrics, TrainOptions, evaluate};
use crate::domain::{ClassifierSettings, IdGenerator, SiteId};
use crate::error::AppError;
use crate::storage::{self, Database};

use super::{ModelBook, site_model_id};

/// The most recent decisions a refit reads.
pub const MAX_TRAINING_DECISIONS: i64 = 200_000;
/// Fewer examples of either label than this and there is nothing to fit.
pub const MIN_PER_LABEL: usize = 10;

/// What one attribute's refit found.
#[derive(Debug, Clone, Serialize)]
pub struct RetrainReport {
    pub attribute: Attribute,
    pub examples: usize,
    pub positives: usize,
    /// Why nothing was fitted, if nothing was.
    pub skipped: Option<String>,
    pub candidate: Option<Metrics>,
    pub current: Option<Metrics>,
    pub current_model: String,
    pub replaced: bool,
    pub version: Option<i32>,
}

/// Refits every banded attribute of `site`, stores each candidate (active
/// when it replaced the current model) and reloads the model book.
pub fn retrain_site(
    db: &Database,
    ids: &IdGenerator,
    book: &ModelBook,
    site: SiteId,
    mut progress: impl FnMut(&str, usize, usize),
) -> Result<Vec<RetrainReport>, AppError> {
    let (settings, decided, total) = db.read_blocking(|conn| {
        let row = storage::sites::find(conn, site.0)?.ok_or(AppError::NotFound("site"))?;
        let settings =
            ClassifierSettings::from_stored(&row.classifier).map_err(AppError::internal)?;
        let decided = storage::comments::moderated(conn, site.0, None, MAX_TRAINING_DECISIONS)?;
        let total = storage::comments::count_moderated(conn, site.0)?;
        Ok::<_, AppError>((settings, decided, total))
    })?;
    let features: Vec<Features> = decided.iter().map(|d| featurize(&d.body)).collect();
    let current = book.for_site(site);
    let mut reports = Vec::new();
    for attribute in Attribute::ALL {
        if settings.band(attribute).is_none() {
            continue;
        }
        let codes = settings.learn_from(attribute);
        let examples: Vec<(usize, bool)> = decided
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match d.action.as_deref() {
                Some("approve") => Some((i, false)),
                Some("reject") if d.reason.as_ref().is_some_and(|r| codes.contains(r)) => {
                    Some((i, true))
                }
                _ => None,
            })
            .collect();
        let positives = examples.iter().filter(|(_, y)| *y).count();
        let negatives = examples.len() - positives;
        let current_model = current
            .model(attribute)
            .map(|m| m.id().to_owned())
            .unwrap_or_default();
        let mut report = RetrainReport {
            attribute,
            examples: examples.len(),
            positives,
            skipped: None,
            candidate: None,
            current: None,
            current_model,
            replaced: false,
            version: None,
        };
        if positives < MIN_PER_LABEL || negatives < MIN_PER_LABEL {
            report.skipped = Some(format!(
                "needs at least {MIN_PER_LABEL} rejections citing {} and {MIN_PER_LABEL} approvals; has {positives} and {negatives}",
                codes.join("/")
            ));
            reports.push(report);
            continue;
        }
        let labels: Vec<bool> = examples.iter().map(|(_, y)| *y).collect();
        let options = TrainOptions::default();
        let folds = fold_assignment(&labels, 5, options.seed);
        let train: Vec<(Features, bool)> = examples
            .iter()
            .zip(&folds)
            .filter(|(_, f)| **f != 0)
            .map(|((i, y), _)| (features[*i].clone(), *y))
            .collect();
        let held_out: Vec<(usize, bool)> = examples
            .iter()
            .zip(&folds)
            .filter(|(_, f)| **f == 0)
            .map(|(e, _)| *e)
            .collect();
        let name = attribute.as_str();
        let candidate =
            LinearModel::train(&train, options, |done, total| progress(name, done, total));
        let candidate_scores: Vec<(f32, bool)> = held_out
            .iter()
            .map(|(i, y)| (candidate.predict(&features[*i]), *y))
            .collect();
        let current_scores: Vec<(f32, bool)> = held_out
            .iter()
            .map(|(i, y)| {
                let score = match current.model(attribute) {
                    Some(AttributeModel::Linear { model, .. }) => model.predict(&features[*i]),
                    Some(AttributeModel::Vocabulary(model)) => {
                        let text = crate::rules::normalise::normalize(&decided[*i].body).text;
                        model.predict(&text) as f32
                    }
                    None => 0.5,
                };
                (score, *y)
            })
            .collect();
        let candidate_metrics = evaluate(&candidate_scores, 0.5);
        let current_metrics = evaluate(&current_scores, 0.5);
        let replaced = candidate_metrics.auc >= current_metrics.auc
            && candidate_metrics.f1 >= current_metrics.f1;
        let metrics = serde_json::json!({
            "candidate": candidate_metrics,
            "current": current_metrics,
            "current_model": report.current_model,
            "examples": examples.len(),
            "held_out": held_out.len(),
            "replaced": replaced,
        })
        .to_string();
        let weights = candidate.to_bytes();
        let id = ids.next();
        let version = db.write_blocking(move |conn| {
            let version = storage::classifier_models::history(conn, site.0, name, 1)?
                .first()
                .map_or(1, |m| m.version + 1);
            storage::classifier_models::insert(
                conn,
                &storage::classifier_models::NewModel {
                    id,
                    site_id: site.0,
                    attribute: name,
                    version,
                    weights: &weights,
                    metrics: &metrics,
                    decisions: i32::try_from(total).unwrap_or(i32::MAX),
                    active: replaced,
                    created_at: storage::now(),
                },
            )?;
            Ok::<_, AppError>(version)
        })?;
        tracing::info!(
            site = site.0,
            attribute = name,
            version,
            replaced,
            candidate_auc = candidate_metrics.auc,
            current_auc = current_metrics.auc,
            candidate_f1 = candidate_metrics.f1,
            current_f1 = current_metrics.f1,
            model = %site_model_id(site, attribute, version),
            "classifier refit"
        );
        report.candidate = Some(candidate_metrics);
        report.current = Some(current_metrics);
        report.replaced = replaced;
        report.version = Some(version);
        reports.push(report);
    }
    book.refresh()?;
    Ok(reports)
}

/// Whether `site` has had `retrain_after` new moderator decisions since
/// its last refit.
pub fn due_for_retraining(db: &Database, site: SiteId) -> Result<bool, AppError> {
    db.read_blocking(|conn| {
        let row = storage::sites::find(conn, site.0)?.ok_or(AppError::NotFound("site"))?;
        let settings =
            ClassifierSettings::from_stored(&row.classifier).map_err(AppError::internal)?;
        if !settings.enabled || settings.retrain_after == 0 {
            return Ok(false);
        }
        let last = Attribute::ALL
            .iter()
            .filter_map(|a| {
                storage::classifier_models::history(conn, site.0, a.as_str(), 1)
                    .ok()
                    .and_then(|h| h.first().map(|m| i64::from(m.decisions)))
            })
            .max()
            .unwrap_or(0);
        let now = storage::comments::count_moderated(conn, site.0)?;
        Ok(now - last >= i64::from(settings.retrain_after))
    })
}

/// Checks every site now and then and refits those due, one at a time,
/// on the job's own thread. A site whose refit found too little to fit is
/// tried again only after another `retrain_after` decisions.
pub fn spawn_retraining(
    db: std::sync::Weak<Database>,
    ids: std::sync::Arc<IdGenerator>,
    book: std::sync::Arc<ModelBook>,
    every: std::time::Duration,
) {
    let mut attempted: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    crate::jobs::spawn_periodic("classifier-retrain", db, every, move |db| {
        let sites =
            match db.read_blocking(|conn| storage::sites::all_ids(conn).map_err(AppError::from)) {
                Ok(sites) => sites,
                Err(err) => {
                    tracing::warn!(error = %err, "could not list sites for retraining");
                    return;
                }
            };
        for site in sites {
            let decided = db
                .read_blocking(|conn| {
                    storage::comments::count_moderated(conn, site).map_err(AppError::from)
                })
                .unwrap_or(0);
            if attempted.get(&site) == Some(&decided) {
                continue;
            }
            match due_for_retraining(db, SiteId(site)) {
                Ok(true) => {
                    attempted.insert(site, decided);
                    if let Err(err) = retrain_site(db, &ids, &book, SiteId(site), |_, _, _| {}) {
                        tracing::warn!(site, error = %err, "classifier refit failed");
                    }
                }
                Ok(false) => {}
                Err(err) => tracing::warn!(site, error = %err, "could not check for retraining"),
            }
        }
    });
}
