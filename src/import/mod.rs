//! `modq import`: comments from WordPress (WXR) and Disqus export files,
//! with their historical status, into a site. The file is streamed: entries
//! are read one at a time and written in batches, so memory stays flat
//! whatever the file's size (Disqus threads, which posts refer to by id, are
//! the one thing kept: one small entry per article).
//!
//! Imported decisions count as human decisions: they feed author history,
//! rule backtests and classifier training from the first day. Imports send
//! no webhooks; the site already knows its own history.

mod disqus;
mod entry_reader;
mod line_counter;
mod run_import;
mod wordpress;
mod write_batch;
mod xml_records;

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDateTime;

use crate::domain::{Status, UnknownValue};

pub use run_import::{ImportRequest, ImportSummary, Progress, run_import};

/// A system comments are imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportSource {
    WordPress,
    Disqus,
}

impl ImportSource {
    /// As stored in `comments.imported_from`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportSource::WordPress => "wordpress",
            ImportSource::Disqus => "disqus",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ImportSource::WordPress => "WordPress",
            ImportSource::Disqus => "Disqus",
        }
    }
}

impl FromStr for ImportSource {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "wordpress" => Ok(ImportSource::WordPress),
            "disqus" => Ok(ImportSource::Disqus),
            other => Err(UnknownValue {
                kind: "import source",
                value: other.to_owned(),
            }),
        }
    }
}

impl fmt::Display for ImportSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who decided an imported comment, as shown where a moderator would be.
pub fn decider(imported_from: &str) -> String {
    match imported_from.parse::<ImportSource>() {
        Ok(source) => format!("{} import", source.title()),
        Err(_) => format!("{imported_from} import"),
    }
}

/// Which of a post's or thread's identities becomes the article id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ArticleKey {
    /// The post's or thread's link.
    Link,
    /// The WordPress post id, or the Disqus thread identifier (its link
    /// when it has none).
    Id,
}

/// An article as an export file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedArticle {
    pub external_id: String,
    pub url: String,
    pub title: String,
}

/// An author as an export file describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAuthor {
    /// The email address in lower case, or `name:` and the display name
    /// when there is none.
    pub external_id: String,
    pub name: String,
    pub email: Option<String>,
}

/// One comment read from an export file, checked and mapped.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportEntry {
    /// The comment's id in the source system.
    pub source_id: String,
    /// The line of the file it starts on.
    pub line: u64,
    pub article: ImportedArticle,
    pub author: ImportedAuthor,
    pub ip: Option<String>,
    pub created_at: NaiveDateTime,
    pub body: String,
    pub status: Status,
    /// The guideline a rejection cites, when the source says (spam).
    pub reason: Option<&'static str>,
    /// What the source said of the comment's state.
    pub note: Option<&'static str>,
    /// The parent's id in the source system.
    pub parent: Option<String>,
}

/// An entry that could not be imported, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub line: u64,
    /// The comment's id in the source, when it could be read.
    pub source_id: Option<String>,
    pub message: String,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source_id {
            Some(id) => write!(f, "line {}: comment {id}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// What one record of an export file turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Comment(Box<ImportEntry>),
    /// Not a comment (a pingback); counted, not imported.
    NotAComment,
    Malformed(Malformed),
}

/// Where an entry is, to say what is wrong with it.
struct At {
    line: u64,
    source_id: Option<String>,
}

impl At {
    fn malformed(&self, message: impl Into<String>) -> Parsed {
        Parsed::Malformed(Malformed {
            line: self.line,
            source_id: self.source_id.clone(),
            message: message.into(),
        })
    }
}

/// A sound record's id in the source (from `id_field`) and where it is; a
/// broken record, or one without an id (`missing` says so), is malformed.
fn identify(
    record: &xml_records::Record,
    id_field: &str,
    missing: &str,
) -> Result<(String, At), Parsed> {
    let at = At {
        line: record.line,
        source_id: field(record, id_field).map(str::to_owned),
    };
    if let Some(problem) = &record.problem {
        return Err(at.malformed(problem.clone()));
    }
    match at.source_id.clone() {
        Some(id) => Ok((id, at)),
        None => Err(at.malformed(missing)),
    }
}

/// The author a source's fields describe.
fn author(name: Option<&str>, email: Option<&str>, fallback_id: Option<&str>) -> ImportedAuthor {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    let email = email
        .map(str::trim)
        .filter(|e| e.contains('@') && e.len() <= 320)
        .map(str::to_owned);
    let shown = name.unwrap_or("Anonymous");
    let external_id = match (&email, fallback_id.map(str::trim).filter(|f| !f.is_empty())) {
        (Some(email), _) => email.to_lowercase(),
        (None, Some(fallback)) => fallback.to_owned(),
        (None, None) => format!("name:{shown}"),
    };
    ImportedAuthor {
        external_id: truncate(&external_id, 256),
        name: truncate(shown, 200),
        email,
    }
}

/// A field holding an IP address; anything else is dropped.
fn ip_address(record: &xml_records::Record, name: &str) -> Option<String> {
    field(record, name)
        .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
        .map(str::to_owned)
}

/// At most `max` characters of `text`.
fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// A field's trimmed text, if not blank.
fn field<'a>(record: &'a xml_records::Record, name: &str) -> Option<&'a str> {
    record.get(name).map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_are_known_by_email_then_fallback_then_name() {
        let a = author(Some(" Ann "), Some("Ann@Example.COM "), None);
        assert_eq!(a.external_id, "ann@example.com");
        assert_eq!(a.name, "Ann");
        assert_eq!(a.email.as_deref(), Some("Ann@Example.COM"));
        let b = author(Some("Bob"), Some("not an address"), Some("disqus:bob"));
        assert_eq!((b.external_id.as_str(), b.email), ("disqus:bob", None));
        let c = author(None, None, None);
        assert_eq!(
            (c.external_id.as_str(), c.name.as_str()),
            ("name:Anonymous", "Anonymous")
        );
    }

    #[test]
    fn deciders_name_the_source() {
        assert_eq!(decider("wordpress"), "WordPress import");
        assert_eq!(decider("disqus"), "Disqus import");
    }
}
