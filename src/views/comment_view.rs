use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::domain::{
    ArticleId, AuthorId, CommentId, Guidelines, Policy, Reason, ReasonSource, RuleRef, ScoreRef,
    SiteId, Span, Status,
};
use crate::error::AppError;
use crate::storage::{
    self, DbConn, articles::ArticleRow, authors::AuthorRow, comments::CommentRow,
    comments::ReasonRow,
};

/// A comment with everything needed to show or decide it.
#[derive(Debug, Clone)]
pub struct CommentView {
    pub id: CommentId,
    pub site_id: SiteId,
    pub article_id: ArticleId,
    pub article_external_id: String,
    pub article_title: String,
    pub article_url: String,
    pub author: AuthorSummary,
    pub parent_id: Option<CommentId>,
    pub body: String,
    pub status: Status,
    pub policy: Policy,
    pub priority: i32,
    pub version: i64,
    /// Why the comment was held, flagged or rejected.
    pub reasons: Vec<Reason>,
    /// Every classifier score, including those below their band.
    pub scores: Vec<ScoreView>,
    pub client_ref: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub decision: Option<DecisionView>,
    /// How many bodies the comment has had; 1 until edited.
    pub revision: i32,
    pub edited_at: Option<NaiveDateTime>,
    pub reports: ReportState,
}

/// Readers' reports on a comment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportState {
    /// Reports not yet resolved by a moderator.
    pub open: i64,
    /// Since when the comment waits in the Reported queue, if it does.
    pub in_review_since: Option<NaiveDateTime>,
    /// Kept from readers until a moderator decides.
    pub hidden: bool,
}

/// One classifier score of a comment.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScoreView {
    pub attribute: String,
    pub value: f64,
    pub threshold: f64,
    /// `hold`, `flag`, `reject`, or `none` below the band.
    pub action: String,
    pub model: String,
    /// A second opinion taken or skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Splits stored reasons into the reasons proper and every score; a score
/// below its band is a score only.
pub fn split_scores(all: Vec<Reason>) -> (Vec<Reason>, Vec<ScoreView>) {
    let scores = all
        .iter()
        .filter_map(|r| {
            r.score.as_ref().map(|s| ScoreView {
                attribute: r.code.clone(),
                value: s.value,
                threshold: s.threshold,
                action: s.action.clone(),
                model: s.model.clone(),
                note: s.note.clone(),
            })
        })
        .collect();
    let reasons = all
        .into_iter()
        .filter(|r| r.score.as_ref().is_none_or(|s| s.action != "none"))
        .collect();
    (reasons, scores)
}

/// An author as a moderator needs to see them. The email is included for
/// the author's own site only; views never cross sites.
#[derive(Debug, Clone)]
pub struct AuthorSummary {
    pub id: AuthorId,
    pub external_id: String,
    pub name: String,
    pub email: Option<String>,
    pub approved_count: i32,
    pub rejected_count: i32,
}

#[derive(Debug, Clone)]
pub struct DecisionView {
    pub action: String,
    pub moderator: Option<String>,
    pub reason: Option<GuidelineRef>,
    pub note: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

/// A guideline code with its title as the site defines it now.
#[derive(Debug, Clone)]
pub struct GuidelineRef {
    pub code: String,
    pub title: Option<String>,
}

/// Loads one comment with its article, author, reasons and decision.
pub fn load_comment(conn: &mut DbConn, id: CommentId) -> Result<Option<CommentView>, AppError> {
    let Some(row) = storage::comments::find(conn, id.0)? else {
        return Ok(None);
    };
    Ok(load_comments(conn, vec![row])?.into_iter().next())
}

/// Assembles views for rows, keeping their order, with one query per table.
pub fn load_comments(
    conn: &mut DbConn,
    rows: Vec<CommentRow>,
) -> Result<Vec<CommentView>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let article_ids = unique(rows.iter().map(|r| r.article_id));
    let author_ids = unique(rows.iter().map(|r| r.author_id));
    let site_ids = unique(rows.iter().map(|r| r.site_id));
    let moderator_ids = unique(rows.iter().filter_map(|r| r.decided_by));

    let articles: HashMap<i64, _> = storage::articles::find_many(conn, &article_ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let authors: HashMap<i64, _> = storage::authors::find_many(conn, &author_ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let guidelines: HashMap<i64, Guidelines> = storage::sites::find_many(conn, &site_ids)?
        .into_iter()
        .map(|s| {
            Ok((
                s.id,
                Guidelines::from_stored(&s.guidelines).map_err(AppError::internal)?,
            ))
        })
        .collect::<Result<_, AppError>>()?;
    let moderators: HashMap<i64, String> = if moderator_ids.is_empty() {
        HashMap::new()
    } else {
        storage::moderators::find_many(conn, &moderator_ids)?
            .into_iter()
            .map(|m| (m.id, m.email))
            .collect()
    };
    let mut reasons: HashMap<i64, Vec<Reason>> = HashMap::new();
    for row in storage::comments::reasons_for(conn, &ids)? {
        reasons
            .entry(row.comment_id)
            .or_default()
            .push(reason_from_row(row)?);
    }

    rows.into_iter()
        .map(|row| {
            let article = articles
                .get(&row.article_id)
                .ok_or_else(|| AppError::internal("comment without article"))?;
            let author = authors
                .get(&row.author_id)
                .ok_or_else(|| AppError::internal("comment without author"))?;
            let moderator = row.decided_by.and_then(|id| moderators.get(&id).cloned());
            let stored_reasons = reasons.remove(&row.id).unwrap_or_default();
            let site_guidelines = guidelines.get(&row.site_id);
            assemble(
                row,
                article,
                author,
                site_guidelines,
                moderator,
                stored_reasons,
            )
        })
        .collect()
}

/// One comment's view from rows already read: what an edit has in hand.
/// Reads only the deciding moderator's email.
pub fn view_from_rows(
    conn: &mut DbConn,
    row: CommentRow,
    article: &ArticleRow,
    author: &AuthorRow,
    guidelines: &Guidelines,
    reasons: Vec<Reason>,
) -> Result<CommentView, AppError> {
    let moderator = match row.decided_by {
        Some(id) => storage::moderators::find(conn, id)?.map(|m| m.email),
        None => None,
    };
    assemble(row, article, author, Some(guidelines), moderator, reasons)
}

/// A comment's view from its row and what it refers to.
fn assemble(
    row: CommentRow,
    article: &ArticleRow,
    author: &AuthorRow,
    guidelines: Option<&Guidelines>,
    moderator: Option<String>,
    reasons: Vec<Reason>,
) -> Result<CommentView, AppError> {
    let decision = row.decision_action.clone().map(|action| DecisionView {
        action,
        // A decision without a moderator was taken before import or at
        // intake, by a rule or, when no rule rejected, by the classifier.
        moderator: match (row.decided_by, &row.imported_from) {
            (Some(_), _) => moderator,
            (None, Some(source)) => Some(crate::import::decider(source)),
            (None, None) => Some(intake_decider(Some(&reasons)).to_owned()),
        },
        reason: row.decision_reason.clone().map(|code| GuidelineRef {
            title: guidelines
                .and_then(|g| g.find(&code))
                .map(|g| g.title.clone()),
            code,
        }),
        note: row.decision_note.clone(),
        decided_at: row.decided_at,
    });
    let scores: Vec<ScoreView> = match row.scores.as_deref() {
        Some(json) => serde_json::from_str(json).map_err(AppError::internal)?,
        None => Vec::new(),
    };
    Ok(CommentView {
        id: CommentId(row.id),
        site_id: SiteId(row.site_id),
        article_id: ArticleId(row.article_id),
        article_external_id: article.external_id.clone(),
        article_title: article.title.clone(),
        article_url: article.url.clone(),
        author: AuthorSummary {
            id: AuthorId(author.id),
            external_id: author.external_id.clone(),
            name: author.display_name.clone(),
            email: author.email.clone(),
            approved_count: author.approved_count,
            rejected_count: author.rejected_count,
        },
        parent_id: row.parent_id.map(CommentId),
        status: row.status.parse()?,
        policy: row.policy.parse()?,
        priority: row.priority,
        version: row.version,
        reasons,
        scores,
        client_ref: row.client_ref,
        created_at: row.created_at,
        updated_at: row.updated_at,
        decision,
        revision: row.revision,
        edited_at: row.edited_at,
        reports: ReportState {
            open: i64::from(row.open_reports),
            in_review_since: row.reported_at,
            hidden: row.hidden,
        },
        body: row.body,
    })
}

/// Who rejected a comment at intake: `rules` when an enforced rule asked
/// to, otherwise `classifier` when a score passed its rejection edge.
fn intake_decider(reasons: Option<&Vec<Reason>>) -> &'static str {
    let reasons = reasons.map(Vec::as_slice).unwrap_or_default();
    let by_rule = reasons.iter().any(|r| {
        r.rule
            .as_ref()
            .is_some_and(|rule| rule.action == "reject" && !rule.shadow)
    });
    let by_classifier = reasons
        .iter()
        .any(|r| r.score.as_ref().is_some_and(|s| s.action == "reject"));
    if by_classifier && !by_rule {
        "classifier"
    } else {
        "rules"
    }
}

fn reason_from_row(row: ReasonRow) -> Result<Reason, AppError> {
    let source: ReasonSource = row.source.parse()?;
    let span = match (row.span_start, row.span_end, row.matched) {
        (Some(start), Some(end), Some(text)) => Some(Span {
            start: usize::try_from(start).map_err(AppError::internal)?,
            end: usize::try_from(end).map_err(AppError::internal)?,
            text,
        }),
        _ => None,
    };
    let rule = match (row.rule_id, row.rule_version) {
        (Some(id), Some(version)) => Some(RuleRef {
            id,
            version,
            action: row.action.clone().unwrap_or_default(),
            shadow: row.shadow,
        }),
        _ => None,
    };
    let score = match (row.score, row.threshold, source) {
        (Some(value), Some(threshold), ReasonSource::Classifier) => Some(ScoreRef {
            value,
            threshold,
            action: row.action.unwrap_or_default(),
            model: row.model.unwrap_or_default(),
            note: None,
        }),
        _ => None,
    };
    let rule = if source == ReasonSource::Rule {
        rule
    } else {
        None
    };
    Ok(Reason {
        source,
        code: row.code,
        message: row.message,
        span,
        rule,
        score,
    })
}

fn unique(values: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = values.collect();
    v.sort_unstable();
    v.dedup();
    v
}
