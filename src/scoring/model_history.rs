//! A site's fitted models, newest first, with how each compared.

use serde::Deserialize;

use crate::classifier::Attribute;
use crate::domain::SiteId;
use crate::error::AppError;
use crate::storage::{self, Database};

#[derive(Debug, Clone)]
pub struct ModelVersion {
    pub attribute: Attribute,
    pub version: i32,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub examples: usize,
    pub candidate_auc: f64,
    pub candidate_f1: f64,
    pub current_auc: f64,
    pub current_f1: f64,
    pub compared_with: String,
}

#[derive(Deserialize)]
struct Stored {
    candidate: StoredMetrics,
    current: StoredMetrics,
    current_model: String,
    examples: usize,
}

#[derive(Deserialize)]
struct StoredMetrics {
    auc: f64,
    f1: f64,
}

/// The last `per_attribute` models of each attribute.
pub async fn model_history(
    db: &Database,
    site: SiteId,
    per_attribute: i64,
) -> Result<Vec<ModelVersion>, AppError> {
    db.read(move |conn| {
        let mut out = Vec::new();
        for attribute in Attribute::ALL {
            for row in storage::classifier_models::history(
                conn,
                site.0,
                attribute.as_str(),
                per_attribute,
            )? {
                let Ok(stored) = serde_json::from_str::<Stored>(&row.metrics) else {
                    continue;
                };
                out.push(ModelVersion {
                    attribute,
                    version: row.version,
                    active: row.active,
                    created_at: row.created_at,
                    examples: stored.examples,
                    candidate_auc: stored.candidate.auc,
                    candidate_f1: stored.candidate.f1,
                    current_auc: stored.current.auc,
                    current_f1: stored.current.f1,
                    compared_with: stored.current_model,
                });
            }
        }
        Ok(out)
    })
    .await
}
