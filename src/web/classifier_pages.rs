//! A site's classifier (admins): its settings and score bands, the
//! precision and recall of its current models at every threshold from
//! past decisions, drawn as SVG with the band edges marked, and the
//! models fitted so far, with a button to refit now.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::csrf;
use super::nav::nav;
use super::page_error::{PageError, form_status};
use super::session::CurrentSession;
use super::site_pages::site_named;
use super::templates::{
    BandForm, ChartView, ClassifierPage, GuidelineOption, ModelLine, render_with_status,
};
use crate::accounts::{Session, SiteContext};
use crate::api::AppState;
use crate::classifier::Attribute;
use crate::domain::{
    Band, BandAction, ClassifierSettings, ExternalScorer, FailMode, default_learn_from,
};
use crate::error::AppError;
use crate::moderation;
use crate::scoring::{self, Calibration, RetrainReport};
use crate::sites::{self, SiteSettingsChange};

/// The form's fields, flat: `spam_approve_below`, `offensive_between`, …
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClassifierForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    enabled: Option<String>,
    #[serde(default)]
    on_failure: String,
    #[serde(default)]
    retrain_after: String,
    #[serde(default)]
    external_url: String,
    #[serde(default)]
    external_timeout_ms: String,
    #[serde(flatten)]
    bands: std::collections::HashMap<String, String>,
}

impl ClassifierForm {
    fn from_settings(settings: &ClassifierSettings) -> Self {
        let mut bands = std::collections::HashMap::new();
        for band in &settings.bands {
            let a = band.attribute.as_str();
            bands.insert(format!("{a}_banded"), "on".to_owned());
            bands.insert(format!("{a}_approve_below"), band.approve_below.to_string());
            bands.insert(
                format!("{a}_reject_above"),
                band.reject_above.map(|v| v.to_string()).unwrap_or_default(),
            );
            bands.insert(format!("{a}_between"), band.between.as_str().to_owned());
            bands.insert(
                format!("{a}_reject_reason"),
                band.reject_reason.clone().unwrap_or_default(),
            );
            bands.insert(format!("{a}_learn_from"), band.learn_from.join(", "));
        }
        Self {
            csrf: String::new(),
            enabled: settings.enabled.then(|| "on".to_owned()),
            on_failure: match settings.on_failure {
                FailMode::Open => "open",
                FailMode::Closed => "closed",
            }
            .to_owned(),
            retrain_after: settings.retrain_after.to_string(),
            external_url: settings
                .external
                .as_ref()
                .map(|e| e.url.clone())
                .unwrap_or_default(),
            external_timeout_ms: settings
                .external
                .as_ref()
                .map_or(800, |e| e.timeout_ms)
                .to_string(),
            bands,
        }
    }

    fn field(&self, attribute: Attribute, name: &str) -> String {
        self.bands
            .get(&format!("{}_{name}", attribute.as_str()))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The settings the form describes; the domain checks the rest.
    fn settings(&self) -> Result<ClassifierSettings, AppError> {
        let number = |field: String, raw: &str| -> Result<f64, AppError> {
            raw.parse::<f64>()
                .map_err(|_| AppError::validation(&field, "must be a number from 0 to 1"))
        };
        let mut bands = Vec::new();
        for attribute in Attribute::ALL {
            if self.field(attribute, "banded").is_empty() {
                continue;
            }
            let a = attribute.as_str();
            let reject = self.field(attribute, "reject_above");
            let reason = self.field(attribute, "reject_reason");
            let learn: Vec<String> = self
                .field(attribute, "learn_from")
                .split(',')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect();
            bands.push(Band {
                attribute,
                approve_below: number(
                    format!("{a}_approve_below"),
                    &self.field(attribute, "approve_below"),
                )?,
                reject_above: (!reject.is_empty())
                    .then(|| number(format!("{a}_reject_above"), &reject))
                    .transpose()?,
                between: match self.field(attribute, "between").as_str() {
                    "flag" => BandAction::Flag,
                    _ => BandAction::Hold,
                },
                reject_reason: (!reason.is_empty()).then_some(reason),
                learn_from: if learn.is_empty() {
                    default_learn_from(attribute)
                } else {
                    learn
                },
            });
        }
        let url = self.external_url.trim();
        Ok(ClassifierSettings {
            enabled: self.enabled.is_some(),
            on_failure: if self.on_failure == "closed" {
                FailMode::Closed
            } else {
                FailMode::Open
            },
            bands,
            external: if url.is_empty() {
                None
            } else {
                Some(ExternalScorer {
                    url: url.to_owned(),
                    timeout_ms: self.external_timeout_ms.trim().parse().map_err(|_| {
                        AppError::validation("external_timeout_ms", "must be a whole number")
                    })?,
                })
            },
            retrain_after: self
                .retrain_after
                .trim()
                .parse()
                .map_err(|_| AppError::validation("retrain_after", "must be a whole number"))?,
        })
    }
}

/// `GET /sites/{name}/classifier`.
pub async fn show_classifier(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    let form = ClassifierForm::from_settings(&site.classifier);
    page(&state, &session, &site, form, Outcome::Shown).await
}

/// `POST /sites/{name}/classifier`: saves the settings.
pub async fn save_classifier(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<ClassifierForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    let settings = match form.settings() {
        Ok(settings) => settings,
        Err(err) => return page(&state, &session, &site, form, Outcome::Failed(err)).await,
    };
    let change = SiteSettingsChange {
        classifier: Some(settings),
        ..SiteSettingsChange::default()
    };
    match sites::update_site_settings(&state.db, &site, change, &session.moderator.actor()).await {
        Ok(updated) => {
            state.credentials.forget_site(site.id);
            let form = ClassifierForm::from_settings(&updated.classifier);
            page(&state, &session, &updated, form, Outcome::Saved).await
        }
        Err(err) => page(&state, &session, &site, form, Outcome::Failed(err)).await,
    }
}

#[derive(Deserialize)]
pub struct TrainForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /sites/{name}/classifier/train`: refits the site's models now
/// and shows how each compared.
pub async fn train_now(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<TrainForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    let (db, ids, book, id) = (
        state.db.clone(),
        Arc::clone(&state.ids),
        Arc::clone(&state.models),
        site.id,
    );
    let reports = tokio::task::spawn_blocking(move || {
        scoring::retrain_site(&db, &ids, &book, id, |_, _, _| {})
    })
    .await
    .map_err(AppError::internal)??;
    let form = ClassifierForm::from_settings(&site.classifier);
    page(&state, &session, &site, form, Outcome::Trained(reports)).await
}

enum Outcome {
    Shown,
    Saved,
    Failed(AppError),
    Trained(Vec<RetrainReport>),
}

async fn page(
    state: &AppState,
    session: &Session,
    site: &SiteContext,
    form: ClassifierForm,
    outcome: Outcome,
) -> Result<HttpResponse, PageError> {
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let calibrations = scoring::calibrate(&state.db, &state.models, site.id).await?;
    let history = scoring::model_history(&state.db, site.id, 5).await?;
    let (status, error, notice) = match &outcome {
        Outcome::Shown => (StatusCode::OK, None, None),
        Outcome::Saved => (StatusCode::OK, None, Some("Saved.".to_owned())),
        Outcome::Failed(err) => (form_status(err)?, Some(err.to_string()), None),
        Outcome::Trained(reports) => (StatusCode::OK, None, Some(train_summary(reports))),
    };
    let bands = Attribute::ALL
        .iter()
        .map(|a| BandForm {
            attribute: a.as_str(),
            banded: !form.field(*a, "banded").is_empty(),
            approve_below: form.field(*a, "approve_below"),
            reject_above: form.field(*a, "reject_above"),
            between: form.field(*a, "between"),
            reject_reason: form.field(*a, "reject_reason"),
            learn_from: form.field(*a, "learn_from"),
        })
        .collect();
    let charts = calibrations
        .iter()
        .map(|c| chart(c, site.classifier.band(c.attribute)))
        .collect();
    Ok(render_with_status(
        status,
        &ClassifierPage {
            assets: assets::version(),
            nav: Some(nav(session, &overview)),
            csrf: session.csrf_token.clone(),
            name: site.name.clone(),
            enabled: form.enabled.is_some(),
            on_failure: form.on_failure.clone(),
            retrain_after: form.retrain_after.clone(),
            external_url: form.external_url.clone(),
            external_timeout_ms: form.external_timeout_ms.clone(),
            bands,
            guidelines: GuidelineOption::all(&site.guidelines),
            error,
            notice,
            charts,
            models: history
                .iter()
                .map(|m| ModelLine {
                    attribute: m.attribute.as_str(),
                    version: m.version,
                    active: m.active,
                    at: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
                    examples: m.examples,
                    comparison: format!(
                        "AUC {:.3} vs {:.3}, F1 {:.3} vs {:.3} ({})",
                        m.candidate_auc,
                        m.current_auc,
                        m.candidate_f1,
                        m.current_f1,
                        m.compared_with
                    ),
                })
                .collect(),
        },
    ))
}

fn train_summary(reports: &[RetrainReport]) -> String {
    reports
        .iter()
        .map(|r| match (&r.skipped, r.replaced) {
            (Some(why), _) => format!("{}: not refitted ({why}).", r.attribute),
            (None, true) => format!(
                "{}: version {} now in use, replacing {}.",
                r.attribute,
                r.version.unwrap_or_default(),
                r.current_model
            ),
            (None, false) => format!(
                "{}: the new model did worse on held-out decisions; {} stays.",
                r.attribute, r.current_model
            ),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// The chart's drawing area, in SVG units.
const LEFT: f64 = 40.0;
const TOP: f64 = 10.0;
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 200.0;

fn x(threshold: f64) -> f64 {
    LEFT + threshold * WIDTH
}

fn y(value: f64) -> f64 {
    TOP + (1.0 - value) * HEIGHT
}

fn polyline(points: impl Iterator<Item = (f64, Option<f64>)>) -> String {
    points
        .filter_map(|(t, v)| v.map(|v| format!("{:.1},{:.1}", x(t), y(v))))
        .collect::<Vec<_>>()
        .join(" ")
}

fn chart(c: &Calibration, band: Option<&Band>) -> ChartView {
    let mut edges = Vec::new();
    if let Some(band) = band {
        edges.push((
            x(band.approve_below),
            format!("{} from {}", band.between.as_str(), band.approve_below),
        ));
        if let Some(reject) = band.reject_above {
            edges.push((x(reject), format!("reject from {reject}")));
        }
    }
    ChartView {
        attribute: c.attribute.as_str(),
        model: c.model.clone(),
        positives: c.positives,
        negatives: c.negatives,
        precision: polyline(c.points.iter().map(|p| (p.threshold, p.precision))),
        recall: polyline(c.points.iter().map(|p| (p.threshold, p.recall))),
        edges: edges
            .into_iter()
            .map(|(at, label)| (format!("{at:.1}"), label))
            .collect(),
        left: LEFT,
        top: TOP,
        right: LEFT + WIDTH,
        bottom: TOP + HEIGHT,
        middle: y(0.5),
        middle_x: x(0.5),
    }
}
