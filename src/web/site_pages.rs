//! Site settings for admins: default policy, the new-author hold, the
//! guidelines moderators cite when rejecting, and the API key.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::csrf;
use super::nav::nav;
use super::page_error::PageError;
use super::session::CurrentSession;
use super::templates::{SitePage, render_with_status};
use crate::accounts::{Session, SiteContext};
use crate::api::{AppState, parse};
use crate::domain::{
    EditSettings, Guideline, Guidelines, PublishedSettings, ReportSettings, ThreadSettings,
};
use crate::error::AppError;
use crate::moderation;
use crate::sites::{self, SiteSettingsChange};
use crate::storage;

/// A site by name, for the admin pages.
pub(super) async fn site_named(state: &AppState, name: String) -> Result<SiteContext, AppError> {
    let row = state
        .db
        .read(move |conn| storage::sites::find_by_name(conn, &name).map_err(AppError::from))
        .await?
        .ok_or(AppError::NotFound("site"))?;
    SiteContext::from_row(row)
}

/// Guidelines as the form shows them: one per line, `code | title | text`.
fn guidelines_text(guidelines: &Guidelines) -> String {
    guidelines
        .items()
        .iter()
        .map(|g| {
            if g.text.is_empty() {
                format!("{} | {}", g.code, g.title)
            } else {
                format!("{} | {} | {}", g.code, g.title, g.text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the guidelines textarea back; the domain type checks the codes.
fn parse_guidelines(text: &str) -> Result<Guidelines, AppError> {
    let items = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let mut parts = line.splitn(3, '|').map(str::trim);
            let code = parts.next().unwrap_or_default().to_owned();
            let title = parts.next().unwrap_or_default().to_owned();
            if title.is_empty() {
                return Err(AppError::validation(
                    "guidelines",
                    format!(
                        "line {} needs \"code | title\" (and optionally \" | text\")",
                        i + 1
                    ),
                ));
            }
            Ok(Guideline {
                code,
                title,
                text: parts.next().unwrap_or_default().to_owned(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Guidelines::parse(items).map_err(|e| AppError::validation("guidelines", e))
}

async fn page(
    state: &AppState,
    session: &Session,
    site: &SiteContext,
    status: StatusCode,
    message: Option<String>,
    new_key: Option<String>,
    guidelines: Option<String>,
) -> Result<HttpResponse, PageError> {
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    let saved = status == StatusCode::OK && new_key.is_none() && message.is_some();
    Ok(render_with_status(
        status,
        &SitePage {
            assets: assets::version(),
            nav: Some(nav(session, &overview)),
            csrf: session.csrf_token.clone(),
            sites: choices.sites,
            name: site.name.clone(),
            default_policy: site.default_policy.as_str(),
            new_author_hold: site.new_author_hold,
            guidelines: guidelines.unwrap_or_else(|| guidelines_text(&site.guidelines)),
            published: site.published.clone(),
            error: message.filter(|_| status != StatusCode::OK),
            saved,
            new_key,
        },
    ))
}

/// `GET /sites`: the first site's settings (admins).
pub async fn first_site(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<HttpResponse, PageError> {
    session.moderator.require_admin()?;
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    let first = choices.sites.first().ok_or(AppError::NotFound("site"))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/sites/{}", super::queue_view::encode(first)),
        ))
        .finish())
}

/// `GET /sites/{name}`: a site's settings (admins).
pub async fn show_site(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    page(&state, &session, &site, StatusCode::OK, None, None, None).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    default_policy: String,
    new_author_hold: String,
    #[serde(default)]
    guidelines: String,
    /// Set by the form's after-publication fields; without it they are
    /// left as they are.
    #[serde(default)]
    published: String,
    #[serde(default)]
    edit_window_minutes: String,
    #[serde(default)]
    report_threshold: String,
    #[serde(default)]
    hide_on_report: String,
    #[serde(default)]
    trusted_reporter_approved: String,
    #[serde(default)]
    dismissed_percent_limit: String,
    #[serde(default)]
    judged_after: String,
    #[serde(default)]
    hold_replies_on_reject: String,
}

impl SettingsForm {
    /// The edit, report and thread settings typed in, if the form had them.
    fn published(&self) -> Result<Option<PublishedSettings>, AppError> {
        if self.published.is_empty() {
            return Ok(None);
        }
        let number = |field: &str, text: &str| -> Result<u32, AppError> {
            text.trim()
                .parse()
                .map_err(|_| AppError::validation(field, "must be a whole number"))
        };
        let optional = |field: &str, text: &str| -> Result<Option<u32>, AppError> {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                number(field, text).map(Some)
            }
        };
        let settings = PublishedSettings {
            edits: EditSettings {
                window_minutes: optional("edits.window_minutes", &self.edit_window_minutes)?,
            },
            reports: ReportSettings {
                threshold: number("reports.threshold", &self.report_threshold)?,
                hide_on_report: !self.hide_on_report.is_empty(),
                trusted_reporter_approved: optional(
                    "reports.trusted_reporter_approved",
                    &self.trusted_reporter_approved,
                )?,
                dismissed_percent_limit: number(
                    "reports.dismissed_percent_limit",
                    &self.dismissed_percent_limit,
                )?,
                judged_after: number("reports.judged_after", &self.judged_after)?,
            },
            threads: ThreadSettings {
                hold_replies_on_reject: !self.hold_replies_on_reject.is_empty(),
            },
        };
        settings
            .validate()
            .map_err(|e| AppError::validation(e.field, e.message))?;
        Ok(Some(settings))
    }
}

/// `POST /sites/{name}`: saves the settings; problems are shown on the form
/// with what was typed.
pub async fn update_site(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    let change = (|| {
        let hold: i32 = form
            .new_author_hold
            .trim()
            .parse()
            .map_err(|_| AppError::validation("new_author_hold", "must be a whole number"))?;
        parse::site_change(crate::api::dto::UpdateSiteRequest {
            default_policy: Some(form.default_policy.clone()),
            guidelines: None,
            new_author_hold: Some(hold),
            classifier: None,
            edits: None,
            reports: None,
            threads: None,
        })
        .and_then(|change| {
            let published = form.published()?;
            Ok(SiteSettingsChange {
                guidelines: Some(parse_guidelines(&form.guidelines)?),
                edits: published.as_ref().map(|p| p.edits.clone()),
                reports: published.as_ref().map(|p| p.reports.clone()),
                threads: published.map(|p| p.threads),
                ..change
            })
        })
    })();
    let change = match change {
        Ok(change) => change,
        Err(err) => {
            let status = crate::api::error_response::status_of(&err);
            return page(
                &state,
                &session,
                &site,
                status,
                Some(err.to_string()),
                None,
                Some(form.guidelines),
            )
            .await;
        }
    };
    let updated =
        sites::update_site_settings(&state.db, &site, change, &session.moderator.actor()).await?;
    state.credentials.forget_site(site.id);
    page(
        &state,
        &session,
        &updated,
        StatusCode::OK,
        Some("saved".into()),
        None,
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /sites/{name}/key`: replaces the site's API key and shows the new
/// one, once. The old key stops working here at once, and on other
/// instances within `auth.site_key_cache_secs`.
pub async fn rotate_key(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    path: web::Path<String>,
    form: web::Form<KeyForm>,
) -> Result<HttpResponse, PageError> {
    csrf::check(&session, &form.csrf)?;
    session.moderator.require_admin()?;
    let site = site_named(&state, path.into_inner()).await?;
    let (db, name, actor) = (
        state.db.clone(),
        site.name.clone(),
        session.moderator.actor(),
    );
    let key = web::block(move || sites::rotate_key(&db, &name, &actor))
        .await
        .map_err(AppError::internal)??;
    state.credentials.forget_site(site.id);
    page(
        &state,
        &session,
        &site,
        StatusCode::OK,
        None,
        Some(key),
        None,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guidelines_round_trip_through_the_textarea() {
        let text = "spam | Spam or advertising | Links to shops\nabuse | Personal attacks";
        let parsed = parse_guidelines(text).expect("valid");
        assert_eq!(parsed.items().len(), 2);
        assert_eq!(parsed.items()[1].text, "");
        assert_eq!(
            parse_guidelines(&guidelines_text(&parsed)).expect("again"),
            parsed
        );
        assert!(parse_guidelines("no title here").is_err());
        assert!(parse_guidelines("Bad Code | Title").is_err());
    }
}
