use std::net::IpAddr;

use crate::accounts::SiteContext;
use crate::domain::{
    CommentId, IdGenerator, PublishedSettings, ReportReason, ReportStatus, Status, TextField,
};
use crate::error::AppError;
use crate::storage::{self, Database, DbConn, audit::NewAudit, reports::NewReport as NewRow};
use crate::views::{self, CommentView};
use crate::webhooks::{self, EventType};

use super::ReportView;

/// A parsed report from a reader, as the site relays it.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// The reader, by the site's own user id.
    pub reporter: TextField,
    pub reporter_ip: Option<IpAddr>,
    pub reason: ReportReason,
    pub note: Option<TextField>,
}

/// What a report did.
#[derive(Debug)]
pub struct ReportOutcome {
    pub report: ReportView,
    /// `false` when the reporter had reported the comment already: the
    /// earlier report is returned and nothing changes.
    pub created: bool,
    /// Whether this report sent the comment to the Reported queue.
    pub queued: bool,
    pub comment: Box<CommentView>,
}

/// Records a report. Returns only after the transaction has committed.
#[tracing::instrument(skip_all, fields(site = %site.id, comment = %id))]
pub async fn report_comment(
    db: &Database,
    ids: &std::sync::Arc<IdGenerator>,
    site: &SiteContext,
    id: CommentId,
    report: NewReport,
) -> Result<ReportOutcome, AppError> {
    let (site, ids) = (site.clone(), ids.clone());
    let outcome = db
        .write(move |conn| report_in_tx(conn, &ids, &site, id, &report))
        .await?;
    let effect = match (&outcome, outcome.report.status) {
        (o, _) if !o.created => "repeat",
        (o, _) if o.queued => "queued",
        (_, ReportStatus::Void) => "void",
        (o, _) if o.report.counted => "counted",
        _ => "not_counted",
    };
    crate::metrics::registry().reports.inc(&[effect]);
    Ok(outcome)
}

fn report_in_tx(
    conn: &mut DbConn,
    ids: &IdGenerator,
    site: &SiteContext,
    id: CommentId,
    report: &NewReport,
) -> Result<ReportOutcome, AppError> {
    let row = storage::comments::find(conn, id.0)?
        .filter(|c| c.site_id == site.id.0)
        .ok_or(AppError::NotFound("comment"))?;
    let reporter = report.reporter.as_str();
    // One report per reader per comment: a repeat gets the first back. An
    // edit since a resolved report lets the reader report the new text.
    if let Some(existing) = storage::reports::latest_by(conn, row.id, reporter)?
        && (existing.status == ReportStatus::Open.as_str()
            || row
                .edited_at
                .is_none_or(|edited| existing.created_at >= edited))
    {
        let comment = views::load_comment(conn, id)?.ok_or(AppError::NotFound("comment"))?;
        return Ok(ReportOutcome {
            report: ReportView::try_from(existing)?,
            created: false,
            queued: false,
            comment: Box::new(comment),
        });
    }

    let site_row = storage::sites::find(conn, site.id.0)?.ok_or(AppError::Unauthorized)?;
    let settings = PublishedSettings::from_stored(&site_row.published)
        .map_err(AppError::internal)?
        .reports;
    let published = row.status == Status::Approved.as_str();
    let counted = published && {
        let (dismissed, upheld) = storage::reports::reporter_record(conn, site.id.0, reporter)?;
        settings.counts_reporter(dismissed, upheld)
    };
    let trusted = counted
        && match settings.trusted_reporter_approved {
            Some(needed) => storage::authors::find_by_external(conn, site.id.0, reporter)?
                .is_some_and(|a| i64::from(a.approved_count) >= i64::from(needed)),
            None => false,
        };
    let now = storage::now();
    let report_id = ids.next();
    let status = if published {
        ReportStatus::Open
    } else {
        ReportStatus::Void
    };
    let ip = report.reporter_ip.map(|ip| ip.to_string());
    storage::reports::insert(
        conn,
        &NewRow {
            id: report_id,
            site_id: site.id.0,
            comment_id: row.id,
            reporter,
            reporter_ip: ip.as_deref(),
            reason: report.reason.as_str(),
            note: report.note.as_ref().map(TextField::as_str),
            status: status.as_str(),
            counted,
            created_at: now,
        },
    )?;

    let counted_open = if counted && row.reported_at.is_none() {
        storage::reports::count_counted_open(conn, row.id)?
    } else {
        0
    };
    let queued = counted
        && row.reported_at.is_none()
        && (trusted || counted_open >= i64::from(settings.threshold));
    if queued {
        storage::reports::set_reported(conn, row.id, Some(now), settings.hide_on_report)?;
        let note = if trusted {
            format!("reported by trusted reader {reporter} ({})", report.reason)
        } else {
            format!(
                "{counted_open} counted report(s), threshold {}",
                settings.threshold
            )
        };
        storage::audit::append(
            conn,
            &NewAudit {
                site_id: row.site_id,
                comment_id: row.id,
                actor: &site.actor(),
                action: "report",
                from_status: Some(&row.status),
                to_status: &row.status,
                reason: Some(report.reason.as_str()),
                note: Some(&note),
                created_at: now,
            },
        )?;
    }
    let comment = views::load_comment(conn, id)?.ok_or(AppError::NotFound("comment"))?;
    if queued {
        let reports: Vec<serde_json::Value> = storage::reports::open_for(conn, &[row.id])?
            .into_iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id.to_string(),
                    "reporter": r.reporter,
                    "reason": r.reason,
                    "note": r.note,
                    "created_at": views::timestamp(r.created_at),
                })
            })
            .collect();
        let mut extra = serde_json::Map::new();
        extra.insert("reports".into(), serde_json::Value::Array(reports));
        webhooks::record_comment_event_with(
            conn,
            &site.name,
            EventType::CommentReported,
            &comment,
            now,
            extra,
        )?;
    }
    Ok(ReportOutcome {
        report: ReportView {
            id: report_id,
            comment_id: id,
            reporter: reporter.to_owned(),
            reason: report.reason,
            note: report.note.as_ref().map(|n| n.as_str().to_owned()),
            status,
            counted,
            created_at: now,
            resolved_at: None,
        },
        created: true,
        queued,
        comment: Box::new(comment),
    })
}
