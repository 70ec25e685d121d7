//! Which built-in models score each site's comments: the site's own
//! active model per attribute where it has one, the shipped seeds
//! otherwise. Reloaded whole when any instance stores a new model.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::classifier::{Attribute, AttributeModel, BuiltinClassifier, LinearModel};
use crate::domain::SiteId;
use crate::error::AppError;
use crate::storage::{self, Database};

pub struct ModelBook {
    db: Database,
    seeds: BuiltinClassifier,
    current: RwLock<Arc<Snapshot>>,
}

struct Snapshot {
    revision: (i64, i64),
    by_site: HashMap<i64, BuiltinClassifier>,
}

/// How a site's model is named in every score it gives.
pub fn site_model_id(site: SiteId, attribute: Attribute, version: i32) -> String {
    format!("site-{}-{attribute}@v{version}", site.0)
}

impl ModelBook {
    pub fn load(db: Database) -> Result<Arc<Self>, AppError> {
        let seeds = crate::classifier::seed_classifier().map_err(AppError::internal)?;
        let book = Self {
            db,
            seeds,
            current: RwLock::new(Arc::new(Snapshot {
                revision: (-1, -1),
                by_site: HashMap::new(),
            })),
        };
        book.refresh()?;
        Ok(Arc::new(book))
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The built-in classifier for a site's comments now.
    pub fn for_site(&self, site: SiteId) -> BuiltinClassifier {
        self.snapshot()
            .by_site
            .get(&site.0)
            .cloned()
            .unwrap_or_else(|| self.seeds.clone())
    }

    pub fn seeds(&self) -> &BuiltinClassifier {
        &self.seeds
    }

    /// Reloads the active models if any were stored since the last load.
    pub fn refresh(&self) -> Result<bool, AppError> {
        let known = self.snapshot().revision;
        let loaded = self.db.read_blocking(|conn| {
            let revision = storage::classifier_models::revision(conn)?;
            if revision == known {
                return Ok::<_, AppError>(None);
            }
            Ok(Some((revision, storage::classifier_models::active(conn)?)))
        })?;
        let Some((revision, rows)) = loaded else {
            return Ok(false);
        };
        let mut by_site: HashMap<i64, BuiltinClassifier> = HashMap::new();
        for row in rows {
            let Ok(attribute) = row.attribute.parse::<Attribute>() else {
                tracing::warn!(model = row.id, "model for an unknown attribute skipped");
                continue;
            };
            let model = match LinearModel::from_bytes(&row.weights) {
                Ok(model) => model,
                Err(err) => {
                    tracing::warn!(model = row.id, error = %err, "unreadable model skipped");
                    continue;
                }
            };
            let site = SiteId(row.site_id);
            let entry = by_site
                .entry(row.site_id)
                .or_insert_with(|| self.seeds.clone());
            *entry = entry.with(
                attribute,
                Arc::new(AttributeModel::Linear {
                    id: site_model_id(site, attribute, row.version),
                    model,
                }),
            );
        }
        if let Ok(mut guard) = self.current.write() {
            *guard = Arc::new(Snapshot { revision, by_site });
        }
        Ok(true)
    }
}
