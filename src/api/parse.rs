//! DTO → domain conversions: every request field is checked here, once.

use sha2::{Digest, Sha256};

use super::dto::{
    EditCommentRequest, ReportCommentRequest, SubmitCommentRequest, UpdateArticleRequest,
    UpdateSiteRequest,
};
use crate::articles::ArticleChange;
use crate::config::LimitSettings;
use crate::domain::{
    Action, Attribute, ClassifierSettings, CommentBody, CommentBodyError, CommentId, Decision,
    Guidelines, Policy, Status, TextField,
};
use crate::error::AppError;
use crate::intake::{ArticleRef, AuthorRef, Edit, IdempotencyKey, Submission};
use crate::moderation::ScoreFilter;
use crate::reports::NewReport;
use crate::sites::SiteSettingsChange;

pub fn submission(
    req: SubmitCommentRequest,
    limits: &LimitSettings,
) -> Result<Submission, AppError> {
    let body = comment_body(req.body, limits)?;
    let ip = ip_address("author.ip", req.author.ip.as_deref())?;
    let email = req
        .author
        .email
        .filter(|e| !e.is_empty())
        .map(|e| {
            let field = text("author.email", &e, 320)?;
            if !field.as_str().contains('@') {
                return Err(AppError::validation("author.email", "not an email address"));
            }
            Ok(field.into_inner())
        })
        .transpose()?;
    Ok(Submission {
        article: ArticleRef {
            external_id: text("article.id", &req.article.id, 256)?,
            url: optional_text("article.url", req.article.url, 2048)?,
            title: optional_text("article.title", req.article.title, 500)?,
        },
        author: AuthorRef {
            external_id: text("author.id", &req.author.id, 256)?,
            name: optional_text("author.name", req.author.name, 200)?,
            email,
            ip,
        },
        body,
        parent_id: req
            .parent_id
            .map(|p| {
                p.parse::<CommentId>()
                    .map_err(|_| AppError::validation("parent_id", "not a comment id"))
            })
            .transpose()?,
        client_ref: req
            .client_ref
            .map(|c| text("client_ref", &c, 256))
            .transpose()?,
    })
}

pub fn idempotency_key(
    header: Option<&str>,
    raw_body: &[u8],
) -> Result<Option<IdempotencyKey>, AppError> {
    let Some(key) = header else {
        return Ok(None);
    };
    Ok(Some(IdempotencyKey {
        key: text("Idempotency-Key", key, 255)?,
        request_hash: format!("{:x}", Sha256::digest(raw_body)),
    }))
}

pub fn decision(
    action: &str,
    reason: Option<String>,
    note: Option<String>,
    version: Option<i64>,
) -> Result<Decision, AppError> {
    let action: Action = action
        .parse()
        .map_err(|_| AppError::validation("action", "must be approve, reject or reopen"))?;
    Ok(Decision {
        action,
        reason: reason
            .filter(|r| !r.is_empty())
            .map(|r| text("reason", &r, 64))
            .transpose()?,
        note: note
            .filter(|n| !n.trim().is_empty())
            .map(|n| text("note", &n, 2000))
            .transpose()?,
        expected_version: version,
    })
}

pub fn comment_id(raw: &str) -> Result<CommentId, AppError> {
    // An id that cannot exist is simply not found.
    raw.parse().map_err(|_| AppError::NotFound("comment"))
}

pub fn policy(field: &str, raw: &str) -> Result<Policy, AppError> {
    raw.parse()
        .map_err(|_| AppError::validation(field, "must be pre, post or closed"))
}

pub fn status(raw: &str) -> Result<Status, AppError> {
    raw.parse().map_err(|_| {
        AppError::validation("status", "must be pending, approved, rejected or withdrawn")
    })
}

pub fn limit(raw: Option<i64>, limits: &LimitSettings) -> Result<i64, AppError> {
    match raw {
        None => Ok(50.min(limits.max_page_size)),
        Some(n) if (1..=limits.max_page_size).contains(&n) => Ok(n),
        Some(_) => Err(AppError::validation(
            "limit",
            format!("must be between 1 and {}", limits.max_page_size),
        )),
    }
}

pub fn article_change(req: UpdateArticleRequest) -> Result<ArticleChange, AppError> {
    Ok(ArticleChange {
        url: req
            .url
            .map(|u| optional_text("url", Some(u), 2048))
            .transpose()?,
        title: req
            .title
            .map(|t| optional_text("title", Some(t), 500))
            .transpose()?,
        policy: req
            .policy
            .map(|p| p.map(|p| policy("policy", &p)).transpose())
            .transpose()?,
    })
}

pub fn site_change(req: UpdateSiteRequest) -> Result<SiteSettingsChange, AppError> {
    Ok(SiteSettingsChange {
        default_policy: req
            .default_policy
            .map(|p| policy("default_policy", &p))
            .transpose()?,
        guidelines: req
            .guidelines
            .map(|g| Guidelines::parse(g).map_err(|e| AppError::validation("guidelines", e)))
            .transpose()?,
        new_author_hold: req
            .new_author_hold
            .map(|n| {
                if (0..=1000).contains(&n) {
                    Ok(n)
                } else {
                    Err(AppError::validation(
                        "new_author_hold",
                        "must be between 0 and 1000",
                    ))
                }
            })
            .transpose()?,
        classifier: req
            .classifier
            .map(|value| {
                crate::strict_json::from_value::<ClassifierSettings>(value)
                    .map_err(|e| AppError::validation("classifier", e.to_string()))
            })
            .transpose()?,
        edits: req
            .edits
            .map(|v| published_part(v, "edits", |p, edits| p.edits = edits))
            .transpose()?,
        reports: req
            .reports
            .map(|v| published_part(v, "reports", |p, reports| p.reports = reports))
            .transpose()?,
        threads: req
            .threads
            .map(|v| published_part(v, "threads", |p, threads| p.threads = threads))
            .transpose()?,
    })
}

/// One part of a site's after-publication settings, parsed strictly and
/// checked for range.
fn published_part<T: serde::de::DeserializeOwned + Clone>(
    value: serde_json::Value,
    field: &str,
    place: impl Fn(&mut crate::domain::PublishedSettings, T),
) -> Result<T, AppError> {
    let part: T = crate::strict_json::from_value(value)
        .map_err(|e| AppError::validation(field, e.to_string()))?;
    let mut whole = crate::domain::PublishedSettings::default();
    place(&mut whole, part.clone());
    whole
        .validate()
        .map_err(|e| AppError::validation(e.field, e.message))?;
    Ok(part)
}

pub fn comment_body(body: String, limits: &LimitSettings) -> Result<CommentBody, AppError> {
    CommentBody::parse(body, limits.max_body_chars).map_err(|e| {
        let code = match e {
            CommentBodyError::Empty => "body_empty",
            CommentBodyError::TooLong { .. } => "body_too_long",
            CommentBodyError::Nul => "invalid_characters",
        };
        AppError::Unprocessable {
            code,
            message: format!("body: {e}"),
        }
    })
}

pub fn edit(req: EditCommentRequest, limits: &LimitSettings) -> Result<Edit, AppError> {
    Ok(Edit {
        body: comment_body(req.body, limits)?,
        expected_version: req.version,
    })
}

/// An external id from a URL path. Ids that contain `/` arrive as `%2F`.
pub fn path_id(raw: &str) -> Result<String, AppError> {
    let decoded = raw
        .replace("%2F", "/")
        .replace("%2f", "/")
        .replace("%25", "%");
    Ok(text("id", &decoded, 256)?.into_inner())
}

/// A free-text query filter; NUL cannot match anything stored, so it is
/// refused the same way on both backends.
pub fn filter_text(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    match value {
        Some(v) if v.contains('\0') => Err(AppError::Unprocessable {
            code: "invalid_characters",
            message: format!("{field}: must not contain NUL (U+0000) characters"),
        }),
        other => Ok(other),
    }
}

/// An optional IP address; empty counts as none.
fn ip_address(field: &str, value: Option<&str>) -> Result<Option<std::net::IpAddr>, AppError> {
    value
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| AppError::validation(field, "not an IP address"))
        })
        .transpose()
}

pub fn report(req: ReportCommentRequest) -> Result<NewReport, AppError> {
    Ok(NewReport {
        reporter: text("reporter.id", &req.reporter.id, 256)?,
        reporter_ip: ip_address("reporter.ip", req.reporter.ip.as_deref())?,
        reason: req.reason.parse().map_err(|_| {
            AppError::validation("reason", "must be spam, abuse, off_topic or other")
        })?,
        note: req
            .note
            .filter(|n| !n.trim().is_empty())
            .map(|n| text("note", &n, 2000))
            .transpose()?,
    })
}

fn text(field: &str, value: &str, max: usize) -> Result<TextField, AppError> {
    TextField::parse(value, max).map_err(|e| AppError::validation(field, e))
}

fn optional_text(field: &str, value: Option<String>, max: usize) -> Result<String, AppError> {
    match value {
        None => Ok(String::new()),
        Some(v) if v.is_empty() => Ok(v),
        Some(v) => Ok(text(field, &v, max)?.into_inner()),
    }
}

/// A score range from query parameters: `score_min` and `score_max`
/// between 0 and 1 (either may be left out), and optionally `attribute`.
pub fn score_filter(
    attribute: Option<&str>,
    min: Option<&str>,
    max: Option<&str>,
) -> Result<Option<ScoreFilter>, AppError> {
    let bound = |field: &str, raw: Option<&str>| -> Result<Option<f64>, AppError> {
        match raw.map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(None),
            Some(r) => r
                .parse::<f64>()
                .ok()
                .filter(|v| (0.0..=1.0).contains(v))
                .map(Some)
                .ok_or_else(|| AppError::validation(field, "must be a number from 0 to 1")),
        }
    };
    let attribute = match attribute.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(
            a.parse::<Attribute>()
                .map_err(|_| AppError::validation("attribute", "must be spam or offensive"))?,
        ),
    };
    let (min, max) = (bound("score_min", min)?, bound("score_max", max)?);
    if min.is_none() && max.is_none() {
        return Ok(None);
    }
    let (min, max) = (min.unwrap_or(0.0), max.unwrap_or(1.0));
    if min > max {
        return Err(AppError::validation(
            "score_min",
            "must not be above score_max",
        ));
    }
    Ok(Some(ScoreFilter {
        attribute,
        min,
        max,
    }))
}
