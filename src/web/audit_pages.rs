//! The audit log: every submission and decision on the moderator's sites,
//! and every configuration change, filtered by site, moderator and dates,
//! as a page and as CSV.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use futures_util::stream;
use serde::Deserialize;

use super::assets;
use super::nav::nav;
use super::page_error::PageError;
use super::queue_view::encode;
use super::session::CurrentSession;
use super::templates::{AuditPage, AuditRowView, ConfigRowView, render};
use crate::api::AppState;
use crate::error::AppError;
use crate::exports::{ExportFormat, ExportKind, ExportRequest, csv};
use crate::moderation::{self, AuditFilter};

/// Entries per page, and per query while exporting.
const PAGE: i64 = 100;
const EXPORT_CHUNK: i64 = 1_000;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditQueryParams {
    #[serde(default)]
    site: String,
    #[serde(default)]
    moderator: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    to: String,
    before: Option<i64>,
    changes_before: Option<i64>,
}

impl AuditQueryParams {
    fn filter(&self) -> Result<AuditFilter, AppError> {
        let date = |field: &str, value: &str| -> Result<Option<NaiveDateTime>, AppError> {
            let value = value.trim();
            if value.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0))
                .map_err(|_| AppError::validation(field, "must be a date like 2026-11-28"))
        };
        let some = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
        Ok(AuditFilter {
            site: some(&self.site),
            moderator: some(&self.moderator),
            from: date("from", &self.from)?,
            until: date("to", &self.to)?.map(|d| d + chrono::Duration::days(1)),
        })
    }

    fn query_string(&self) -> String {
        [
            ("site", &self.site),
            ("moderator", &self.moderator),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `GET /audit`: the log, newest first, a page at a time, and the
/// configuration changes for the same filters, paged apart.
pub async fn show_audit(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    params: web::Query<AuditQueryParams>,
) -> Result<HttpResponse, PageError> {
    let params = params.into_inner();
    let filter = params.filter()?;
    let lines = moderation::audit_entries(
        &state.db,
        &session.moderator,
        filter.clone(),
        params.before,
        PAGE,
    )
    .await?;
    let changes = moderation::config_changes(
        &state.db,
        &session.moderator,
        filter,
        params.changes_before,
        PAGE,
    )
    .await?;
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    let query = params.query_string();
    let with_query = |path: &str| {
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    };
    let older = |field: &str, last: Option<i64>, full: bool| {
        full.then_some(last).flatten().map(|last| {
            let rest = if query.is_empty() {
                String::new()
            } else {
                format!("&{query}")
            };
            format!("/audit?{field}={last}{rest}")
        })
    };
    Ok(render(&AuditPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        sites: choices.sites,
        site: params.site.clone(),
        moderator: params.moderator.clone(),
        from: params.from.clone(),
        to: params.to.clone(),
        csv_link: with_query("/audit.csv"),
        changes_csv_link: with_query("/audit/changes.csv"),
        export_query: with_query(""),
        next_page: older(
            "before",
            lines.last().map(|l| l.id),
            lines.len() as i64 == PAGE,
        ),
        next_changes: older(
            "changes_before",
            changes.last().map(|c| c.id),
            changes.len() as i64 == PAGE,
        ),
        rows: lines
            .iter()
            .map(|l| AuditRowView {
                at: time(l.entry.at),
                site: l.site.clone(),
                comment_id: l.comment_id.to_string(),
                actor: l.entry.actor.clone(),
                action: l.entry.action.clone(),
                change: l.entry.change(),
                reason: l.entry.reason.clone().unwrap_or_default(),
                note: l.entry.note.clone().unwrap_or_default(),
            })
            .collect(),
        changes: changes
            .iter()
            .map(|c| ConfigRowView {
                at: time(c.at),
                site: c.site.clone(),
                actor: c.actor.clone(),
                action: c.action.clone(),
                subject: c.subject.clone(),
                detail: c.detail.clone(),
            })
            .collect(),
    }))
}

/// `GET /audit.csv`: the filtered log of submissions and decisions.
pub async fn export_audit(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    params: web::Query<AuditQueryParams>,
) -> Result<HttpResponse, PageError> {
    let filter = params.filter()?;
    let db = state.db.clone();
    let moderator = session.moderator.clone();
    Ok(csv_response(
        "modq-audit.csv",
        "id,time_utc,site,comment_id,actor,action,from_status,to_status,reason,note\r\n",
        move |before| {
            let (db, moderator, filter) = (db.clone(), moderator.clone(), filter.clone());
            async move {
                let lines =
                    moderation::audit_entries(&db, &moderator, filter, before, EXPORT_CHUNK)
                        .await?;
                Ok(lines
                    .iter()
                    .map(|line| {
                        let entry = &line.entry;
                        let row = csv::row(&[
                            &line.id.to_string(),
                            &time(entry.at),
                            &line.site,
                            &line.comment_id.to_string(),
                            &entry.actor,
                            &entry.action,
                            entry.from_status.as_deref().unwrap_or_default(),
                            &entry.to_status,
                            entry.reason.as_deref().unwrap_or_default(),
                            entry.note.as_deref().unwrap_or_default(),
                        ]);
                        (line.id, row)
                    })
                    .collect())
            }
        },
    ))
}

/// `GET /audit/changes.csv`: the filtered configuration changes.
pub async fn export_changes(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    params: web::Query<AuditQueryParams>,
) -> Result<HttpResponse, PageError> {
    let filter = params.filter()?;
    let db = state.db.clone();
    let moderator = session.moderator.clone();
    Ok(csv_response(
        "modq-configuration-changes.csv",
        "id,time_utc,site,actor,action,subject,detail\r\n",
        move |before| {
            let (db, moderator, filter) = (db.clone(), moderator.clone(), filter.clone());
            async move {
                let lines =
                    moderation::config_changes(&db, &moderator, filter, before, EXPORT_CHUNK)
                        .await?;
                Ok(lines
                    .iter()
                    .map(|c| {
                        let row = csv::row(&[
                            &c.id.to_string(),
                            &time(c.at),
                            &c.site,
                            &c.actor,
                            &c.action,
                            &c.subject,
                            &c.detail,
                        ]);
                        (c.id, row)
                    })
                    .collect())
            }
        },
    ))
}

/// `GET /export/{kind}.{csv|jsonl}`: comments, moderators' decisions or the
/// audit log of the moderator's sites, in the page's site, moderator and
/// date filter, oldest first, streamed a chunk at a time.
pub async fn download_export(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    file: web::Path<String>,
    params: web::Query<AuditQueryParams>,
) -> Result<HttpResponse, PageError> {
    let (kind, format) = file
        .split_once('.')
        .and_then(|(k, f)| {
            Some((
                k.parse::<ExportKind>().ok()?,
                f.parse::<ExportFormat>().ok()?,
            ))
        })
        .ok_or(AppError::NotFound("export"))?;
    let filter = params.filter()?;
    let site_ids = moderation::visible_sites(&state.db, &session.moderator, filter.site).await?;
    let request = ExportRequest {
        kind,
        format,
        site_ids,
        from: filter.from,
        until: filter.until,
        moderator: filter.moderator,
    };
    let header_line = request.header();
    let db = state.db.clone();
    let rows = stream::unfold(Some(0), move |after| {
        let (db, request) = (db.clone(), request.clone());
        async move {
            let chunk = match request.chunk(&db, after?).await {
                Ok(chunk) => chunk,
                Err(err) => {
                    tracing::error!(error = %err, "export stopped");
                    let failed = actix_web::error::ErrorInternalServerError("export failed");
                    return Some((Err(failed), None));
                }
            };
            if chunk.rows == 0 {
                return None;
            }
            let next = chunk.last_id.filter(|_| chunk.is_full());
            Some((Ok(web::Bytes::from(chunk.text)), next))
        }
    });
    Ok(attachment(
        &format!("modq-{file}"),
        format.content_type(),
        header_line,
        rows,
    ))
}

/// Streams a CSV download: the header, then rows fetched newest first,
/// `EXPORT_CHUNK` at a time, each fetch continuing below the last id of
/// the one before, so memory stays flat however long the export is.
fn csv_response<F, Fut>(filename: &str, header_line: &'static str, fetch: F) -> HttpResponse
where
    F: Fn(Option<i64>) -> Fut + 'static,
    Fut: Future<Output = Result<Vec<(i64, String)>, AppError>> + 'static,
{
    struct Cursor<F> {
        fetch: F,
        before: Option<i64>,
        done: bool,
    }
    let start = Cursor {
        fetch,
        before: None,
        done: false,
    };
    let rows = stream::unfold(start, |mut cursor| async move {
        if cursor.done {
            return None;
        }
        match (cursor.fetch)(cursor.before).await {
            Ok(rows) => {
                cursor.done = (rows.len() as i64) < EXPORT_CHUNK;
                cursor.before = rows.last().map(|(id, _)| *id);
                if rows.is_empty() {
                    return None;
                }
                let text: String = rows.into_iter().map(|(_, row)| row).collect();
                Some((Ok::<_, actix_web::Error>(web::Bytes::from(text)), cursor))
            }
            Err(err) => {
                tracing::error!(error = %err, "CSV export stopped");
                cursor.done = true;
                Some((
                    Err(actix_web::error::ErrorInternalServerError("export failed")),
                    cursor,
                ))
            }
        }
    });
    attachment(filename, "text/csv; charset=utf-8", header_line, rows)
}

/// A streamed download: `first_line`, then `rows` as they come.
fn attachment<S>(
    filename: &str,
    content_type: &str,
    first_line: &'static str,
    rows: S,
) -> HttpResponse
where
    S: futures_util::Stream<Item = Result<web::Bytes, actix_web::Error>> + 'static,
{
    let head = stream::once(async move {
        Ok::<_, actix_web::Error>(web::Bytes::from_static(first_line.as_bytes()))
    });
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(futures_util::StreamExt::chain(head, rows))
}
