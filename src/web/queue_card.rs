//! Builds the card a pending comment is shown as, for the queue page and
//! for cards added by live updates.

use chrono::NaiveDateTime;

use super::templates::{Card, DiffLine, GuidelineOption, ParentLine, ReasonLine, ReportLines};
use crate::domain::{QueueTab, Status};
use crate::moderation::{CardContext, QueueOverview};
use crate::reports::ReportView;
use crate::views::{CommentView, Mark, body_diff, highlight};

/// Characters of a parent comment shown above a reply.
const PARENT_EXCERPT_CHARS: usize = 280;

pub fn card(
    comment: &CommentView,
    overview: &QueueOverview,
    context: &CardContext,
    tab: QueueTab,
    now: NaiveDateTime,
) -> Card {
    let marks: Vec<Mark> = comment
        .reasons
        .iter()
        .filter_map(|r| {
            let span = r.span.as_ref()?;
            Some(Mark {
                start: span.start,
                end: span.end,
                label: r.message.clone(),
            })
        })
        .collect();
    let site = overview.sites.get(&comment.site_id);
    Card {
        id: comment.id.to_string(),
        version: comment.version,
        site: site.map(|s| s.name.clone()).unwrap_or_default(),
        article_title: comment.article_title.clone(),
        article_url: web_link(&comment.article_url),
        author_name: comment.author.name.clone(),
        author_approved: comment.author.approved_count,
        author_rejected: comment.author.rejected_count,
        age: age(now - comment.created_at),
        priority: comment.priority,
        segments: highlight(&comment.body, &marks),
        reasons: comment
            .reasons
            .iter()
            .map(|r| ReasonLine {
                code: r.code.clone(),
                message: r.message.clone(),
                matched: r.span.as_ref().map(|s| s.text.clone()),
                shadow: r.rule.as_ref().is_some_and(|rule| rule.shadow),
            })
            .collect(),
        quiet_scores: comment
            .scores
            .iter()
            .filter(|s| s.action == "none")
            .map(|s| match &s.note {
                Some(note) => format!(
                    "{} {:.2} (below {:.2}; {note})",
                    s.attribute, s.value, s.threshold
                ),
                None => format!("{} {:.2} (below {:.2})", s.attribute, s.value, s.threshold),
            })
            .collect(),
        guidelines: site
            .map(|s| GuidelineOption::all(&s.guidelines))
            .unwrap_or_default(),
        parent_id: comment.parent_id.map(|p| p.to_string()),
        leased_by: None,
        back: String::new(),
        mode: mode(comment, tab),
        status: comment.status.as_str().to_owned(),
        parent: comment
            .parent_id
            .and_then(|p| context.parents.get(&p))
            .map(|p| ParentLine {
                id: p.id.to_string(),
                author: p.author.clone(),
                excerpt: excerpt(&p.body, PARENT_EXCERPT_CHARS),
                status: p.status.clone(),
            }),
        reports: context
            .reports
            .get(&comment.id)
            .map(|reports| report_lines(reports, comment.reports.hidden)),
        diff: context
            .previous_bodies
            .get(&comment.id)
            .map(|before| diff_lines(before, &comment.body))
            .unwrap_or_default(),
        revision: comment.revision,
    }
}

/// What changed from `before` to `after`, word by word, for a template.
pub fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    body_diff(before, after)
        .into_iter()
        .map(|part| DiffLine {
            change: part.change.as_str(),
            text: part.text,
        })
        .collect()
}

/// The decisions a card offers: a reported comment is kept or rejected, a
/// decided one can be reopened, a pending one approved or rejected.
fn mode(comment: &CommentView, tab: QueueTab) -> &'static str {
    match comment.status {
        Status::Approved
            if comment.reports.in_review_since.is_some() && tab != QueueTab::Approved =>
        {
            "review"
        }
        Status::Approved | Status::Rejected => "reopen",
        Status::Pending => "decide",
        Status::Withdrawn => "none",
    }
}

fn report_lines(reports: &[ReportView], hidden: bool) -> ReportLines {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for r in reports {
        match counts
            .iter_mut()
            .find(|(label, _)| *label == r.reason.label())
        {
            Some((_, n)) => *n += 1,
            None => counts.push((r.reason.label(), 1)),
        }
    }
    ReportLines {
        open: reports.len() as i64,
        reasons: counts
            .iter()
            .map(|(label, n)| {
                if *n > 1 {
                    format!("{label} ×{n}")
                } else {
                    (*label).to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" · "),
        notes: reports
            .iter()
            .filter_map(|r| r.note.clone().map(|note| (r.reporter.clone(), note)))
            .collect(),
        hidden,
    }
}

/// The first `chars` characters of a text, with an ellipsis if cut.
fn excerpt(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// An article URL a moderator may follow: http and https only, so a
/// `javascript:` URL sent by a site is shown as text, never as a link.
fn web_link(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_owned())
}

/// How long a comment has waited, as a moderator reads it.
fn age(waited: chrono::TimeDelta) -> String {
    let secs = waited.num_seconds().max(0);
    match secs {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min", secs / 60),
        3600..86400 => format!("{} h", secs / 3600),
        _ => format!("{} d", secs / 86400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_links() {
        assert_eq!(
            web_link("https://example.com/a"),
            Some("https://example.com/a".into())
        );
        assert_eq!(
            web_link(" HTTP://example.com "),
            Some("HTTP://example.com".into())
        );
        assert_eq!(web_link("javascript:alert(1)"), None);
        assert_eq!(web_link("JaVaScRiPt:alert(1)"), None);
        assert_eq!(web_link("data:text/html,x"), None);
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(chrono::TimeDelta::seconds(5)), "just now");
        assert_eq!(age(chrono::TimeDelta::seconds(600)), "10 min");
        assert_eq!(age(chrono::TimeDelta::seconds(7200)), "2 h");
        assert_eq!(age(chrono::TimeDelta::seconds(3 * 86400)), "3 d");
        assert_eq!(age(chrono::TimeDelta::seconds(-5)), "just now");
    }
}
