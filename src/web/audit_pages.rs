//! The audit log: every submission and decision on the moderator's sites,
//! filtered by site, moderator and dates, as a page and as CSV.

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
use crate::accounts::ModeratorContext;
use crate::api::AppState;
use crate::error::AppError;
use crate::moderation::{self, AuditFilter, AuditLine};
use crate::storage::Database;

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

/// `GET /audit`: the log, newest first, a page at a time.
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
    let changes = moderation::config_changes(&state.db, &session.moderator, filter, PAGE).await?;
    let overview = moderation::queue_overview(&state.db, &session.moderator, Vec::new()).await?;
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    let query = params.query_string();
    let next_page = (lines.len() as i64 == PAGE)
        .then(|| lines.last().map(|l| l.id))
        .flatten()
        .map(|last| {
            let rest = if query.is_empty() {
                String::new()
            } else {
                format!("&{query}")
            };
            format!("/audit?before={last}{rest}")
        });
    Ok(render(&AuditPage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        sites: choices.sites,
        site: params.site.clone(),
        moderator: params.moderator.clone(),
        from: params.from.clone(),
        to: params.to.clone(),
        csv_link: if query.is_empty() {
            "/audit.csv".to_owned()
        } else {
            format!("/audit.csv?{query}")
        },
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
        next_page,
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

/// `GET /audit.csv`: the filtered log as CSV, read and sent a thousand
/// entries at a time, so memory stays flat however long it is.
pub async fn export_audit(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    params: web::Query<AuditQueryParams>,
) -> Result<HttpResponse, PageError> {
    let filter = params.filter()?;
    let header_line = web::Bytes::from_static(
        b"id,time_utc,site,comment_id,actor,action,from_status,to_status,reason,note\r\n",
    );
    struct Cursor {
        db: Database,
        moderator: ModeratorContext,
        filter: AuditFilter,
        before: Option<i64>,
        done: bool,
    }
    let start = Cursor {
        db: state.db.clone(),
        moderator: session.moderator.clone(),
        filter,
        before: None,
        done: false,
    };
    let rows = stream::unfold(start, |mut cursor| async move {
        if cursor.done {
            return None;
        }
        let chunk = moderation::audit_entries(
            &cursor.db,
            &cursor.moderator,
            cursor.filter.clone(),
            cursor.before,
            EXPORT_CHUNK,
        )
        .await;
        match chunk {
            Ok(lines) => {
                cursor.done = (lines.len() as i64) < EXPORT_CHUNK;
                cursor.before = lines.last().map(|l| l.id);
                if lines.is_empty() {
                    return None;
                }
                let text: String = lines.iter().map(csv_line).collect();
                Some((Ok::<_, actix_web::Error>(web::Bytes::from(text)), cursor))
            }
            Err(err) => {
                tracing::error!(error = %err, "audit export stopped");
                Some((
                    Err(actix_web::error::ErrorInternalServerError("export failed")),
                    Cursor {
                        done: true,
                        ..cursor
                    },
                ))
            }
        }
    });
    let body = stream::once(async move { Ok::<_, actix_web::Error>(header_line) });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"modq-audit.csv\"",
        ))
        .streaming(futures_util::StreamExt::chain(body, rows)))
}

fn csv_line(line: &AuditLine) -> String {
    let entry = &line.entry;
    let fields = [
        line.id.to_string(),
        time(entry.at),
        line.site.clone(),
        line.comment_id.to_string(),
        entry.actor.clone(),
        entry.action.clone(),
        entry.from_status.clone().unwrap_or_default(),
        entry.to_status.clone(),
        entry.reason.clone().unwrap_or_default(),
        entry.note.clone().unwrap_or_default(),
    ];
    let mut out = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// A CSV field, quoted when needed. A leading `=`, `+`, `-` or `@` gets a
/// `'` in front, so a spreadsheet shows a moderator's note as text rather
/// than running it as a formula.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
    }
}
