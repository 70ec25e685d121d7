use crate::accounts::SiteContext;
use crate::domain::{
    ClassifierSettings, EditSettings, Guidelines, Policy, PublishedSettings, ReportSettings,
    SiteId, ThreadSettings,
};
use crate::error::AppError;
use crate::storage::{self, Database, sites::SiteChanges};

/// A partial change to a site's settings; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct SiteSettingsChange {
    pub default_policy: Option<Policy>,
    pub guidelines: Option<Guidelines>,
    pub new_author_hold: Option<i32>,
    pub classifier: Option<ClassifierSettings>,
    pub edits: Option<EditSettings>,
    pub reports: Option<ReportSettings>,
    pub threads: Option<ThreadSettings>,
}

/// The site's settings as stored now.
pub async fn get_site_settings(db: &Database, site: SiteId) -> Result<SiteContext, AppError> {
    let row = db
        .read(move |conn| storage::sites::find(conn, site.0).map_err(AppError::from))
        .await?
        .ok_or(AppError::NotFound("site"))?;
    SiteContext::from_row(row)
}

/// Applies the change and returns the site as it now is.
#[tracing::instrument(skip(db, change), fields(site = %site.id))]
pub async fn update_site_settings(
    db: &Database,
    site: &SiteContext,
    change: SiteSettingsChange,
    actor: &str,
) -> Result<SiteContext, AppError> {
    let site_id = site.id.0;
    let (actor, name) = (actor.to_owned(), site.name.clone());
    let mut detail = Vec::new();
    if let Some(policy) = change.default_policy {
        detail.push(format!("default_policy={}", policy.as_str()));
    }
    if let Some(hold) = change.new_author_hold {
        detail.push(format!("new_author_hold={hold}"));
    }
    if let Some(guidelines) = &change.guidelines {
        let codes: Vec<&str> = guidelines.items().iter().map(|g| g.code.as_str()).collect();
        detail.push(format!("guidelines={}", codes.join(",")));
    }
    if let Some(classifier) = &change.classifier {
        let guidelines = change.guidelines.as_ref().unwrap_or(&site.guidelines);
        classifier
            .validate(guidelines)
            .map_err(|e| AppError::validation(&e.field, e.message))?;
        detail.push(format!("classifier={}", classifier.summary()));
    }
    if let Some(edits) = &change.edits {
        detail.push(format!(
            "edits={}",
            serde_json::to_string(edits).unwrap_or_default()
        ));
    }
    if let Some(reports) = &change.reports {
        detail.push(format!(
            "reports={}",
            serde_json::to_string(reports).unwrap_or_default()
        ));
    }
    if let Some(threads) = &change.threads {
        detail.push(format!(
            "threads={}",
            serde_json::to_string(threads).unwrap_or_default()
        ));
    }
    let detail = detail.join(" ");
    let row = db
        .write(move |conn| {
            // Merged with the stored settings here, not the caller's
            // (perhaps cached) copy, so that changes to different parts
            // made one after the other all stay.
            let published =
                if change.edits.is_some() || change.reports.is_some() || change.threads.is_some() {
                    let current =
                        storage::sites::find(conn, site_id)?.ok_or(AppError::NotFound("site"))?;
                    let mut published = PublishedSettings::from_stored(&current.published)
                        .map_err(AppError::internal)?;
                    if let Some(edits) = change.edits.clone() {
                        published.edits = edits;
                    }
                    if let Some(reports) = change.reports.clone() {
                        published.reports = reports;
                    }
                    if let Some(threads) = change.threads.clone() {
                        published.threads = threads;
                    }
                    published
                        .validate()
                        .map_err(|e| AppError::validation(e.field, e.message))?;
                    Some(published.to_stored())
                } else {
                    None
                };
            let guidelines = change.guidelines.as_ref().map(Guidelines::to_stored);
            let classifier = change
                .classifier
                .as_ref()
                .map(ClassifierSettings::to_stored);
            storage::sites::update(
                conn,
                site_id,
                &SiteChanges {
                    default_policy: change.default_policy.map(Policy::as_str),
                    guidelines: guidelines.as_deref(),
                    new_author_hold: change.new_author_hold,
                    classifier: classifier.as_deref(),
                    published: published.as_deref(),
                    updated_at: storage::now(),
                },
            )?;
            storage::config_changes::note(
                conn,
                Some(site_id),
                &actor,
                "site.settings",
                &name,
                &detail,
            )?;
            storage::sites::find(conn, site_id)?.ok_or(AppError::NotFound("site"))
        })
        .await?;
    SiteContext::from_row(row)
}
