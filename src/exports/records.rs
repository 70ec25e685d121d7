//! One exported row per kind, the same fields in CSV and JSON Lines, and
//! how a chunk of them is read: the rows, then the labels they refer to in
//! one query per table.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::error::AppError;
use crate::storage::audit::AuditRow;
use crate::storage::exports::{self as store, ExportWindow};
use crate::storage::{DbConn, sites};
use crate::views::timestamp;

/// A comment: where, by whom, its fate and why it was held.
#[derive(Debug, Serialize)]
pub struct CommentRecord {
    pub id: String,
    pub created_at: String,
    pub site: String,
    pub article_id: String,
    pub article_url: String,
    pub author_id: String,
    pub author_name: String,
    pub parent_id: Option<String>,
    pub status: String,
    pub policy: String,
    /// Every reason code recorded at intake, in order.
    pub reasons: Vec<String>,
    pub decision: Option<String>,
    /// The moderator's email, or "WordPress import" and the like for
    /// imported comments; empty for rules' and the site's decisions.
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<String>,
    pub client_ref: Option<String>,
    pub body: String,
    #[serde(skip)]
    numeric_id: i64,
}

impl CommentRecord {
    pub const CSV_HEADER: &'static str = "id,created_at,site,article_id,article_url,author_id,author_name,parent_id,status,policy,reasons,decision,decided_by,decision_reason,decided_at,client_ref,body\r\n";

    pub fn id_number(&self) -> i64 {
        self.numeric_id
    }

    pub fn csv_fields(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.created_at.clone(),
            self.site.clone(),
            self.article_id.clone(),
            self.article_url.clone(),
            self.author_id.clone(),
            self.author_name.clone(),
            text(&self.parent_id),
            self.status.clone(),
            self.policy.clone(),
            self.reasons.join(";"),
            text(&self.decision),
            text(&self.decided_by),
            text(&self.decision_reason),
            text(&self.decided_at),
            text(&self.client_ref),
            self.body.clone(),
        ]
    }
}

/// A moderator's decision, with how long the comment had waited.
#[derive(Debug, Serialize)]
pub struct DecisionRecord {
    #[serde(rename = "id")]
    pub entry: i64,
    pub decided_at: String,
    pub site: String,
    pub comment_id: String,
    pub moderator: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub comment_created_at: Option<String>,
    /// From the comment's arrival to this decision.
    pub seconds_in_queue: Option<i64>,
    /// Another moderator who later reopened the comment, undoing this
    /// approval or rejection.
    pub overturned_by: Option<String>,
}

impl DecisionRecord {
    pub const CSV_HEADER: &'static str = "id,decided_at,site,comment_id,moderator,action,from_status,to_status,reason,note,comment_created_at,seconds_in_queue,overturned_by\r\n";

    pub fn csv_fields(&self) -> Vec<String> {
        vec![
            self.entry.to_string(),
            self.decided_at.clone(),
            self.site.clone(),
            self.comment_id.clone(),
            self.moderator.clone(),
            self.action.clone(),
            text(&self.from_status),
            self.to_status.clone(),
            text(&self.reason),
            text(&self.note),
            text(&self.comment_created_at),
            self.seconds_in_queue
                .map(|s| s.to_string())
                .unwrap_or_default(),
            text(&self.overturned_by),
        ]
    }
}

/// An audit entry as stored.
#[derive(Debug, Serialize)]
pub struct AuditRecord {
    #[serde(rename = "id")]
    pub entry: i64,
    pub at: String,
    pub site: String,
    pub comment_id: String,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub note: Option<String>,
}

impl AuditRecord {
    pub const CSV_HEADER: &'static str =
        "id,at,site,comment_id,actor,action,from_status,to_status,reason,note\r\n";

    pub fn csv_fields(&self) -> Vec<String> {
        vec![
            self.entry.to_string(),
            self.at.clone(),
            self.site.clone(),
            self.comment_id.clone(),
            self.actor.clone(),
            self.action.clone(),
            text(&self.from_status),
            self.to_status.clone(),
            text(&self.reason),
            text(&self.note),
        ]
    }
}

pub fn comments(conn: &mut DbConn, w: &ExportWindow) -> Result<Vec<CommentRecord>, AppError> {
    let rows = store::comments(conn, w)?;
    let ids = |f: fn(&crate::storage::comments::CommentRow) -> Option<i64>| {
        let mut ids: Vec<i64> = rows.iter().filter_map(f).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let sites = site_names(conn)?;
    let articles: HashMap<i64, (String, String)> =
        store::article_labels(conn, ids(|r| Some(r.article_id)))?
            .into_iter()
            .map(|(id, ext, url)| (id, (ext, url)))
            .collect();
    let authors: HashMap<i64, (String, String)> =
        store::author_labels(conn, ids(|r| Some(r.author_id)))?
            .into_iter()
            .map(|(id, ext, name)| (id, (ext, name)))
            .collect();
    let moderators: HashMap<i64, String> = store::moderator_emails(conn, ids(|r| r.decided_by))?
        .into_iter()
        .collect();
    let mut reasons: HashMap<i64, Vec<String>> = HashMap::new();
    for (comment, code) in store::reason_codes(conn, ids(|r| Some(r.id)))? {
        reasons.entry(comment).or_default().push(code);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let (article_id, article_url) =
                articles.get(&r.article_id).cloned().unwrap_or_default();
            let (author_id, author_name) = authors.get(&r.author_id).cloned().unwrap_or_default();
            CommentRecord {
                id: r.id.to_string(),
                created_at: timestamp(r.created_at),
                site: sites.get(&r.site_id).cloned().unwrap_or_default(),
                article_id,
                article_url,
                author_id,
                author_name,
                parent_id: r.parent_id.map(|p| p.to_string()),
                status: r.status,
                policy: r.policy,
                reasons: reasons.remove(&r.id).unwrap_or_default(),
                decision: r.decision_action,
                decided_by: r
                    .decided_by
                    .and_then(|m| moderators.get(&m).cloned())
                    .or_else(|| r.imported_from.as_deref().map(crate::import::decider)),
                decision_reason: r.decision_reason,
                decided_at: r.decided_at.map(timestamp),
                client_ref: r.client_ref,
                body: r.body,
                numeric_id: r.id,
            }
        })
        .collect())
}

pub fn decisions(conn: &mut DbConn, w: &ExportWindow) -> Result<Vec<DecisionRecord>, AppError> {
    let rows = store::audit(conn, w, true)?;
    let sites = site_names(conn)?;
    let mut comment_ids: Vec<i64> = rows.iter().map(|r| r.comment_id).collect();
    comment_ids.sort_unstable();
    comment_ids.dedup();
    let created: HashMap<i64, NaiveDateTime> = store::comment_created(conn, comment_ids.clone())?
        .into_iter()
        .collect();
    let mut reopenings: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (comment, entry, actor) in store::reopenings(conn, comment_ids)? {
        reopenings.entry(comment).or_default().push((entry, actor));
    }
    // The first later reopening by someone else overturns a decision.
    let overturned_by = |r: &AuditRow| -> Option<String> {
        if r.action == "reopen" {
            return None;
        }
        reopenings
            .get(&r.comment_id)?
            .iter()
            .find(|(entry, actor)| *entry > r.id && *actor != r.actor)
            .map(|(_, actor)| actor.strip_prefix("moderator:").unwrap_or(actor).to_owned())
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let arrived = created.get(&r.comment_id).copied();
            let overturned_by = overturned_by(&r);
            DecisionRecord {
                entry: r.id,
                decided_at: timestamp(r.created_at),
                site: sites.get(&r.site_id).cloned().unwrap_or_default(),
                comment_id: r.comment_id.to_string(),
                moderator: r
                    .actor
                    .strip_prefix("moderator:")
                    .unwrap_or(&r.actor)
                    .to_owned(),
                action: r.action,
                from_status: r.from_status,
                to_status: r.to_status,
                reason: r.reason,
                note: r.note,
                comment_created_at: arrived.map(timestamp),
                seconds_in_queue: arrived.map(|a| (r.created_at - a).num_seconds()),
                overturned_by,
            }
        })
        .collect())
}

pub fn audit(conn: &mut DbConn, w: &ExportWindow) -> Result<Vec<AuditRecord>, AppError> {
    let rows = store::audit(conn, w, false)?;
    let sites = site_names(conn)?;
    Ok(rows
        .into_iter()
        .map(|r: AuditRow| AuditRecord {
            entry: r.id,
            at: timestamp(r.created_at),
            site: sites.get(&r.site_id).cloned().unwrap_or_default(),
            comment_id: r.comment_id.to_string(),
            actor: r.actor,
            action: r.action,
            from_status: r.from_status,
            to_status: r.to_status,
            reason: r.reason,
            note: r.note,
        })
        .collect())
}

/// An optional field as CSV text: empty when absent.
fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn site_names(conn: &mut DbConn) -> Result<HashMap<i64, String>, AppError> {
    Ok(sites::names(conn, None)?.into_iter().collect())
}
