//! Disqus XML exports: `<thread>` elements (the articles) and then `<post>`
//! elements, which refer to their thread and parent by `dsq:id`.

use std::collections::HashMap;

use chrono::DateTime;

use super::xml_records::{Record, RecordSpec};
use super::{
    ArticleKey, ImportEntry, ImportedArticle, Malformed, Parsed, author, field, identify,
    ip_address, truncate,
};
use crate::domain::{CommentBody, Status};

/// The indexes of `<thread>` and `<post>` in [`SPECS`].
pub const THREAD: usize = 0;
pub const POST: usize = 1;

pub const SPECS: &[RecordSpec] = &[
    RecordSpec {
        path: "disqus/thread",
        fields: &["@dsq:id", "id", "link", "title"],
    },
    RecordSpec {
        path: "disqus/post",
        fields: &[
            "@dsq:id",
            "message",
            "createdAt",
            "isDeleted",
            "isSpam",
            "author/email",
            "author/name",
            "author/username",
            "ipAddress",
            "thread@dsq:id",
            "parent@dsq:id",
        ],
    },
];

/// The threads read so far, by `dsq:id`.
pub type Threads = HashMap<String, ImportedArticle>;

/// Maps a `<thread>` to its `dsq:id` and article.
pub fn parse_thread(
    thread: &Record,
    key: ArticleKey,
) -> Result<(String, ImportedArticle), Malformed> {
    let malformed = |message: String| Malformed {
        line: thread.line,
        source_id: None,
        message: format!("thread: {message}"),
    };
    if let Some(problem) = &thread.problem {
        return Err(malformed(problem.clone()));
    }
    let dsq_id = field(thread, "@dsq:id").ok_or_else(|| malformed("no dsq:id".into()))?;
    let link = field(thread, "link").ok_or_else(|| malformed("no <link>".into()))?;
    let external_id = match key {
        ArticleKey::Link => link,
        ArticleKey::Id => field(thread, "id").unwrap_or(link),
    };
    Ok((
        dsq_id.to_owned(),
        ImportedArticle {
            external_id: truncate(external_id, 256),
            url: truncate(link, 2048),
            title: truncate(field(thread, "title").unwrap_or(link), 500),
        },
    ))
}

/// Maps a `<post>` whose thread is among `threads`.
pub fn parse_post(post: &Record, threads: &Threads, max_body: usize) -> Parsed {
    let (id, at) = match identify(post, "@dsq:id", "no dsq:id") {
        Ok(found) => found,
        Err(broken) => return broken,
    };
    let Some(thread) = field(post, "thread@dsq:id") else {
        return at.malformed("no <thread dsq:id>");
    };
    let Some(article) = threads.get(thread) else {
        return at.malformed(format!("thread {thread} is not in the file before it"));
    };
    let (Some(deleted), Some(spam)) = (flag(post, "isDeleted"), flag(post, "isSpam")) else {
        return at.malformed("<isDeleted> and <isSpam> must be true or false");
    };
    let (status, reason, note) = match (spam, deleted) {
        (true, _) => (
            Status::Rejected,
            Some("spam"),
            Some("marked as spam on Disqus"),
        ),
        (false, true) => (Status::Rejected, None, Some("deleted on Disqus")),
        (false, false) => (Status::Approved, None, None),
    };
    let Some(created_at) = field(post, "createdAt")
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.naive_utc())
    else {
        return at.malformed("no valid <createdAt>");
    };
    let body =
        match CommentBody::parse(post.get("message").unwrap_or_default().to_owned(), max_body) {
            Ok(body) => body.into_inner(),
            Err(e) => return at.malformed(format!("message: {e}")),
        };
    let username = field(post, "author/username").map(|u| format!("disqus:{u}"));
    Parsed::Comment(Box::new(ImportEntry {
        source_id: id,
        line: post.line,
        article: article.clone(),
        author: author(
            post.get("author/name"),
            post.get("author/email"),
            username.as_deref(),
        ),
        ip: ip_address(post, "ipAddress"),
        created_at,
        body,
        status,
        reason,
        note,
        parent: field(post, "parent@dsq:id").map(str::to_owned),
    }))
}

/// `true` or `false`; a missing flag is false.
fn flag(record: &Record, name: &str) -> Option<bool> {
    match field(record, name) {
        None | Some("false") => Some(false),
        Some("true") => Some(true),
        Some(_) => None,
    }
}
