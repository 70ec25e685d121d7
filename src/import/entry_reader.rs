//! An export file as a stream of parsed entries, whichever its source.

use std::io::BufRead;

use super::disqus::{self, Threads};
use super::xml_records::{Fatal, Item, RecordReader};
use super::{ArticleKey, ImportSource, Malformed, Parsed, wordpress};

pub struct EntryReader<R: BufRead> {
    reader: RecordReader<R>,
    source: ImportSource,
    key: ArticleKey,
    max_body: usize,
    threads: Threads,
}

impl<R: BufRead> EntryReader<R> {
    /// Reads `input` as an export of `source`; `key` defaults per source.
    pub fn new(input: R, source: ImportSource, key: Option<ArticleKey>, max_body: usize) -> Self {
        let specs = match source {
            ImportSource::WordPress => wordpress::SPECS,
            ImportSource::Disqus => disqus::SPECS,
        };
        Self {
            // A body at the limit may take four bytes a character.
            reader: RecordReader::new(input, specs, max_body * 4 + 1024),
            source,
            key: key.unwrap_or(match source {
                ImportSource::WordPress => ArticleKey::Link,
                ImportSource::Disqus => ArticleKey::Id,
            }),
            max_body,
            threads: Threads::new(),
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    /// The next comment entry (or what stood in its place); `None` at the
    /// end of the file.
    pub fn next_entry(&mut self) -> Result<Option<Parsed>, Fatal> {
        while let Some(item) = self.reader.next_item()? {
            let record = match item {
                Item::Problem { line, message } => {
                    return Ok(Some(Parsed::Malformed(Malformed {
                        line,
                        source_id: None,
                        message,
                    })));
                }
                Item::Record(record) => record,
            };
            let parsed = match (self.source, record.kind) {
                (ImportSource::WordPress, wordpress::COMMENT) => {
                    wordpress::parse(&record, self.reader.enclosing(), self.key, self.max_body)
                }
                (ImportSource::Disqus, disqus::THREAD) => {
                    match disqus::parse_thread(&record, self.key) {
                        Ok((id, article)) => {
                            self.threads.insert(id, article);
                            continue;
                        }
                        Err(broken) => Parsed::Malformed(broken),
                    }
                }
                (ImportSource::Disqus, disqus::POST) => {
                    disqus::parse_post(&record, &self.threads, self.max_body)
                }
                // A WordPress post: read for its comments.
                _ => continue,
            };
            return Ok(Some(parsed));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Status;
    use crate::import::ImportEntry;

    const WORDPRESS: &str = include_str!("../../tests/fixtures/import/wordpress.xml");
    const DISQUS: &str = include_str!("../../tests/fixtures/import/disqus.xml");

    fn read(text: &str, source: ImportSource) -> (Vec<ImportEntry>, Vec<Malformed>, usize) {
        let mut reader = EntryReader::new(text.as_bytes(), source, None, 10_000);
        let (mut entries, mut broken, mut other) = (Vec::new(), Vec::new(), 0);
        while let Some(parsed) = reader.next_entry().expect("readable") {
            match parsed {
                Parsed::Comment(e) => entries.push(*e),
                Parsed::Malformed(m) => broken.push(m),
                Parsed::NotAComment => other += 1,
            }
        }
        (entries, broken, other)
    }

    /// The line of the first occurrence of `marker` in `text`, from 1.
    fn line_of(text: &str, marker: &str) -> u64 {
        let at = text.find(marker).expect("marker in fixture");
        text[..at].matches('\n').count() as u64 + 1
    }

    #[test]
    fn wordpress_entries_map_every_state() {
        let (entries, broken, pingbacks) = read(WORDPRESS, ImportSource::WordPress);
        let by_id = |id: &str| entries.iter().find(|e| e.source_id == id).expect(id);
        let states: Vec<(&str, Status)> = entries
            .iter()
            .map(|e| (e.source_id.as_str(), e.status))
            .collect();
        assert_eq!(
            states,
            [
                ("101", Status::Approved),
                ("102", Status::Pending),
                ("103", Status::Rejected),
                ("104", Status::Rejected),
                ("105", Status::Withdrawn),
                ("107", Status::Approved),
                ("108", Status::Approved),
                ("109", Status::Approved),
                ("201", Status::Approved),
                ("210", Status::Approved),
                ("301", Status::Approved),
            ]
        );
        assert_eq!(pingbacks, 1);
        let first = by_id("101");
        assert_eq!(
            first.body,
            "<p>First! Great post & a <b>bold</b> claim.</p>"
        );
        assert_eq!(first.author.external_id, "ann@example.com");
        assert_eq!(first.author.name, "Ann & Co");
        assert_eq!(first.ip.as_deref(), Some("203.0.113.5"));
        assert_eq!(first.article.external_id, "https://blog.example/hello");
        assert_eq!(first.article.title, "Hello & welcome");
        assert_eq!(first.created_at.to_string(), "2019-03-04 12:34:56");
        assert_eq!(first.line, line_of(WORDPRESS, "<wp:comment_id>101") - 1);
        assert_eq!(by_id("103").reason, Some("spam"));
        assert_eq!(by_id("104").note, Some("trashed in WordPress"));
        assert_eq!(by_id("102").parent.as_deref(), Some("101"));
        assert_eq!(by_id("101").parent, None);
        // No GMT date: the local one.
        assert_eq!(by_id("108").created_at.to_string(), "2019-03-06 09:00:00");
        let renee = by_id("201");
        assert_eq!(renee.author.name, "Ren\u{e9}e <admin>");
        assert_eq!(renee.body, "Caf\u{e9} & cr\u{e8}me <3");

        let problems: Vec<(Option<&str>, u64)> = broken
            .iter()
            .map(|m| (m.source_id.as_deref(), m.line))
            .collect();
        let at = |marker: &str| line_of(WORDPRESS, marker) - 3;
        assert_eq!(
            problems,
            [
                (None, line_of(WORDPRESS, "No Id") - 1),
                (Some("203"), at("BROKEN-STATE")),
                (Some("204"), at("BROKEN-DATE")),
                (Some("205"), line_of(WORDPRESS, "&bogus;") - 2),
                (Some("206"), line_of(WORDPRESS, "Mallory") - 2),
                (Some("207"), line_of(WORDPRESS, "<wp:comment_id>207") - 1),
            ],
            "{broken:#?}"
        );
        assert!(broken[1].message.contains("maybe"));
        assert!(broken[3].message.contains("&bogus;"));
        assert!(broken[5].message.contains("empty"));
    }

    #[test]
    fn wordpress_articles_can_be_keyed_by_post_id() {
        let mut reader = EntryReader::new(
            WORDPRESS.as_bytes(),
            ImportSource::WordPress,
            Some(ArticleKey::Id),
            10_000,
        );
        let Some(Parsed::Comment(first)) = reader.next_entry().expect("readable") else {
            panic!("the first entry is a comment");
        };
        assert_eq!(first.article.external_id, "10");
        assert_eq!(first.article.url, "https://blog.example/hello");
    }

    #[test]
    fn disqus_entries_follow_their_threads() {
        let (entries, broken, _) = read(DISQUS, ImportSource::Disqus);
        let states: Vec<(&str, Status, Option<&str>)> = entries
            .iter()
            .map(|e| (e.source_id.as_str(), e.status, e.note))
            .collect();
        assert_eq!(
            states,
            [
                ("2001", Status::Approved, None),
                ("2002", Status::Rejected, Some("marked as spam on Disqus")),
                ("2003", Status::Rejected, Some("deleted on Disqus")),
                ("2004", Status::Approved, None),
                ("2005", Status::Approved, None),
                ("2009", Status::Approved, None),
            ]
        );
        let by_id = |id: &str| entries.iter().find(|e| e.source_id == id).expect(id);
        let first = by_id("2001");
        assert_eq!(first.article.external_id, "article-1");
        assert_eq!(first.article.title, "Budget & taxes");
        assert_eq!(
            first.body,
            "<p>Taxes are too high &amp; everyone knows it.</p>"
        );
        assert_eq!(first.author.external_id, "reader@example.org");
        // A thread without an identifier is known by its link.
        assert_eq!(
            by_id("2005").article.external_id,
            "https://news.example/2018/weather"
        );
        assert_eq!(by_id("2005").created_at.to_string(), "2018-02-02 06:00:00");
        assert_eq!(by_id("2004").author.external_id, "name:Guest");
        assert_eq!(by_id("2004").parent.as_deref(), Some("2005"));
        assert_eq!(
            by_id("2004").body,
            "A reply that comes before its parent \u{2014} \"quoted\""
        );
        assert_eq!(by_id("2009").author.external_id, "disqus:nomail");
        let problems: Vec<Option<&str>> = broken.iter().map(|m| m.source_id.as_deref()).collect();
        assert_eq!(
            problems,
            [None, Some("2006"), Some("2007"), Some("2008")],
            "{broken:#?}"
        );
        assert!(broken[0].message.contains("no <link>"));
        assert_eq!(broken[1].line, line_of(DISQUS, "BROKEN-UNKNOWN-THREAD") - 1);
    }
}
