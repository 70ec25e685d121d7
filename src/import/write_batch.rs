//! Writes a batch of imported comments in one transaction: their articles
//! and authors when new, the comment with its historical decision, an
//! `imported` audit entry, and where it came from.

use std::collections::HashMap;

use super::{ImportEntry, ImportSource};
use crate::domain::{IdGenerator, Status};
use crate::error::AppError;
use crate::intake::fingerprint;
use crate::storage::{
    self, DbConn, articles::NewArticle, audit::NewAudit, authors::NewAuthor, comments::NewComment,
    imports::NewImported,
};

/// Where a batch writes to.
pub struct Target<'a> {
    pub site_id: i64,
    pub default_policy: &'a str,
    pub source: ImportSource,
    pub ids: &'a IdGenerator,
}

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchCounts {
    pub pending: u64,
    pub approved: u64,
    pub rejected: u64,
    pub withdrawn: u64,
    /// Imported before, by an earlier run of the same file.
    pub already: u64,
    pub articles: u64,
    pub authors: u64,
}

impl BatchCounts {
    pub fn add(&mut self, other: &BatchCounts) {
        self.pending += other.pending;
        self.approved += other.approved;
        self.rejected += other.rejected;
        self.withdrawn += other.withdrawn;
        self.already += other.already;
        self.articles += other.articles;
        self.authors += other.authors;
    }

    pub fn imported(&self) -> u64 {
        self.pending + self.approved + self.rejected + self.withdrawn
    }
}

pub fn write_batch(
    conn: &mut DbConn,
    target: &Target<'_>,
    entries: &[ImportEntry],
) -> Result<BatchCounts, AppError> {
    let mut counts = BatchCounts::default();
    // Articles and authors recur within a batch: look each up once.
    let mut articles: HashMap<&str, (i64, String)> = HashMap::new();
    let mut authors: HashMap<&str, i64> = HashMap::new();
    let source = target.source.as_str();
    let actor = format!("import:{source}");
    let now = storage::now();
    for entry in entries {
        if storage::imports::find(conn, target.site_id, source, &entry.source_id)?.is_some() {
            counts.already += 1;
            continue;
        }
        let (article_id, policy) = match articles.get(entry.article.external_id.as_str()) {
            Some(found) => found.clone(),
            None => {
                let found = article(conn, target, entry, &mut counts)?;
                articles.insert(&entry.article.external_id, found.clone());
                found
            }
        };
        let author_id = match authors.get(entry.author.external_id.as_str()) {
            Some(id) => *id,
            None => {
                let id = author(conn, target, entry, &mut counts)?;
                authors.insert(&entry.author.external_id, id);
                id
            }
        };
        let parent = match &entry.parent {
            Some(parent) => storage::imports::find(conn, target.site_id, source, parent)?,
            None => None,
        };
        let decided = matches!(entry.status, Status::Approved | Status::Rejected);
        let action = match entry.status {
            Status::Approved => Some("approve"),
            Status::Rejected => Some("reject"),
            Status::Pending | Status::Withdrawn => None,
        };
        let comment_id = target.ids.next();
        let hash = fingerprint(&entry.body);
        storage::comments::insert(
            conn,
            &NewComment {
                id: comment_id,
                site_id: target.site_id,
                article_id,
                author_id,
                parent_id: parent,
                body: &entry.body,
                status: entry.status.as_str(),
                policy: &policy,
                priority: 0,
                version: 1,
                client_ref: None,
                author_ip: entry.ip.as_deref(),
                created_at: entry.created_at,
                updated_at: entry.created_at,
                decided_at: decided.then_some(entry.created_at),
                decision_action: action,
                decision_reason: entry.reason,
                decision_note: entry.note,
                body_hash: Some(&hash),
                scores: None,
                spam_score: None,
                offensive_score: None,
                imported_from: Some(source),
            },
        )?;
        match entry.status {
            Status::Approved => {
                counts.approved += 1;
                storage::authors::adjust_counts(conn, author_id, 1, 0)?;
            }
            Status::Rejected => {
                counts.rejected += 1;
                storage::authors::adjust_counts(conn, author_id, 0, 1)?;
            }
            Status::Pending => counts.pending += 1,
            Status::Withdrawn => counts.withdrawn += 1,
        }
        let note = match entry.note {
            Some(state) => format!(
                "{} comment {}, {state}",
                target.source.title(),
                entry.source_id
            ),
            None => format!("{} comment {}", target.source.title(), entry.source_id),
        };
        storage::audit::append(
            conn,
            &NewAudit {
                site_id: target.site_id,
                comment_id,
                actor: &actor,
                action: "imported",
                from_status: None,
                to_status: entry.status.as_str(),
                reason: entry.reason,
                note: Some(&note),
                created_at: now,
            },
        )?;
        storage::imports::insert(
            conn,
            &NewImported {
                site_id: target.site_id,
                source,
                source_id: &entry.source_id,
                comment_id,
                unlinked_parent: match parent {
                    Some(_) => None,
                    None => entry.parent.as_deref(),
                },
            },
        )?;
    }
    Ok(counts)
}

/// The entry's article and the policy its comments fall under, created if
/// the site does not know it yet.
fn article(
    conn: &mut DbConn,
    target: &Target<'_>,
    entry: &ImportEntry,
    counts: &mut BatchCounts,
) -> Result<(i64, String), AppError> {
    let found =
        storage::articles::find_by_external(conn, target.site_id, &entry.article.external_id)?;
    if let Some(row) = found {
        let policy = row
            .policy
            .unwrap_or_else(|| target.default_policy.to_owned());
        return Ok((row.id, policy));
    }
    let id = target.ids.next();
    storage::articles::insert(
        conn,
        &NewArticle {
            id,
            site_id: target.site_id,
            external_id: &entry.article.external_id,
            url: &entry.article.url,
            title: &entry.article.title,
            policy: None,
            created_at: entry.created_at,
            updated_at: entry.created_at,
        },
    )?;
    counts.articles += 1;
    Ok((id, target.default_policy.to_owned()))
}

/// The entry's author, created if the site does not know them yet.
fn author(
    conn: &mut DbConn,
    target: &Target<'_>,
    entry: &ImportEntry,
    counts: &mut BatchCounts,
) -> Result<i64, AppError> {
    let found =
        storage::authors::find_by_external(conn, target.site_id, &entry.author.external_id)?;
    if let Some(row) = found {
        return Ok(row.id);
    }
    let id = target.ids.next();
    storage::authors::insert(
        conn,
        &NewAuthor {
            id,
            site_id: target.site_id,
            external_id: &entry.author.external_id,
            display_name: &entry.author.name,
            email: entry.author.email.as_deref(),
            approved_count: 0,
            rejected_count: 0,
            created_at: entry.created_at,
        },
    )?;
    counts.authors += 1;
    Ok(id)
}
