//! WordPress WXR export files: `<item>` posts, each with its
//! `<wp:comment>` elements.

use chrono::NaiveDateTime;

use super::xml_records::{Record, RecordSpec};
use super::{
    ArticleKey, ImportEntry, ImportedArticle, Parsed, author, field, identify, ip_address, truncate,
};
use crate::domain::{CommentBody, Status};

/// The index of `<wp:comment>` in [`SPECS`].
pub const COMMENT: usize = 1;

pub const SPECS: &[RecordSpec] = &[
    RecordSpec {
        path: "rss/channel/item",
        fields: &["title", "link", "wp:post_id"],
    },
    RecordSpec {
        path: "rss/channel/item/wp:comment",
        fields: &[
            "wp:comment_id",
            "wp:comment_author",
            "wp:comment_author_email",
            "wp:comment_author_IP",
            "wp:comment_date",
            "wp:comment_date_gmt",
            "wp:comment_content",
            "wp:comment_approved",
            "wp:comment_type",
            "wp:comment_parent",
        ],
    },
];

/// Maps one `<wp:comment>` of the post `item`.
pub fn parse(comment: &Record, item: Option<&Record>, key: ArticleKey, max_body: usize) -> Parsed {
    let (id, at) = match identify(comment, "wp:comment_id", "no <wp:comment_id>") {
        Ok(found) => found,
        Err(broken) => return broken,
    };
    match field(comment, "wp:comment_type").unwrap_or("comment") {
        "comment" => {}
        "pingback" | "trackback" => return Parsed::NotAComment,
        other => return at.malformed(format!("comment type {other:?} is not a comment")),
    }
    let Some(article) = item.and_then(|item| article(item, key)) else {
        return at.malformed("its post has no <link> before its comments");
    };
    let (status, reason, note) = match field(comment, "wp:comment_approved") {
        Some("1") => (Status::Approved, None, None),
        Some("0") => (Status::Pending, None, None),
        Some("spam") => (
            Status::Rejected,
            Some("spam"),
            Some("marked as spam in WordPress"),
        ),
        Some("trash") => (Status::Rejected, None, Some("trashed in WordPress")),
        Some("post-trashed") => (
            Status::Withdrawn,
            None,
            Some("its post was trashed in WordPress"),
        ),
        Some(other) => return at.malformed(format!("unknown approval state {other:?}")),
        None => return at.malformed("no <wp:comment_approved>"),
    };
    let Some(created_at) =
        date(comment, "wp:comment_date_gmt").or_else(|| date(comment, "wp:comment_date"))
    else {
        return at.malformed("no valid <wp:comment_date_gmt> or <wp:comment_date>");
    };
    let body = match CommentBody::parse(
        comment
            .get("wp:comment_content")
            .unwrap_or_default()
            .to_owned(),
        max_body,
    ) {
        Ok(body) => body.into_inner(),
        Err(e) => return at.malformed(format!("content: {e}")),
    };
    Parsed::Comment(Box::new(ImportEntry {
        source_id: id,
        line: comment.line,
        article,
        author: author(
            comment.get("wp:comment_author"),
            comment.get("wp:comment_author_email"),
            None,
        ),
        ip: ip_address(comment, "wp:comment_author_IP"),
        created_at,
        body,
        status,
        reason,
        note,
        parent: field(comment, "wp:comment_parent")
            .filter(|p| *p != "0")
            .map(str::to_owned),
    }))
}

fn article(item: &Record, key: ArticleKey) -> Option<ImportedArticle> {
    let link = field(item, "link")?;
    let external_id = match key {
        ArticleKey::Link => link,
        ArticleKey::Id => field(item, "wp:post_id").unwrap_or(link),
    };
    Some(ImportedArticle {
        external_id: truncate(external_id, 256),
        url: truncate(link, 2048),
        title: truncate(field(item, "title").unwrap_or(link), 500),
    })
}

/// A WordPress date (`2019-03-04 12:34:56`); the all-zero date is none.
fn date(record: &Record, name: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(field(record, name)?, "%Y-%m-%d %H:%M:%S").ok()
}
