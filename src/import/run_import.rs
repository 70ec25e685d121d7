//! Reads an export file entry by entry, writes the comments in batches,
//! then links replies whose parent came later in the file.

use std::io::BufRead;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::entry_reader::EntryReader;
use super::write_batch::{BatchCounts, Target, write_batch};
use super::xml_records::Fatal;
use super::{ArticleKey, ImportEntry, ImportSource, Malformed, Parsed};
use crate::domain::IdGenerator;
use crate::error::AppError;
use crate::storage::{self, Database};

/// Comments written per transaction.
const BATCH: usize = 500;
/// Replies linked per transaction after the file is read.
const LINK_CHUNK: i64 = 1_000;

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub source: ImportSource,
    /// The site's name; may be left out when there is only one site.
    pub site: Option<String>,
    /// What identifies an article; each source has its default.
    pub article_key: Option<ArticleKey>,
    /// The longest body accepted, as for submissions.
    pub max_body_chars: usize,
}

/// How far an import has come.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub bytes: u64,
    pub entries: u64,
    pub imported: u64,
    pub malformed: u64,
}

#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub counts: BatchCounts,
    /// Entries read (comments, and what stood in their place), whatever
    /// became of them.
    pub entries: u64,
    /// Pingbacks and trackbacks, which are not comments.
    pub not_comments: u64,
    pub malformed: u64,
    /// Replies linked to a parent that came after them.
    pub linked_later: u64,
    /// Replies whose parent is in none of the imported files.
    pub parents_missing: u64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no site named {0:?}")]
    NoSite(String),
    #[error("there are {0} sites: name one with --site")]
    WhichSite(usize),
    #[error("cannot read the file: {0}")]
    Unreadable(#[from] Fatal),
    #[error(transparent)]
    Store(#[from] AppError),
}

/// Imports `input` into the request's site. `progress` is called after
/// every entry, `malformed` with every entry that is skipped.
pub fn run_import(
    db: &Database,
    request: &ImportRequest,
    input: impl BufRead,
    mut progress: impl FnMut(&Progress),
    mut malformed: impl FnMut(&Malformed),
) -> Result<ImportSummary, ImportError> {
    let started = Instant::now();
    let site = target_site(db, request.site.clone())?;
    let source = request.source;
    let mut reader = EntryReader::new(input, source, request.article_key, request.max_body_chars);
    let writer = BatchWriter {
        db,
        site_id: site.id,
        default_policy: Arc::from(site.default_policy.as_str()),
        source,
        ids: Arc::new(IdGenerator::random()),
    };
    let mut summary = ImportSummary::default();
    let mut batch: Vec<ImportEntry> = Vec::with_capacity(BATCH);
    let mut done = Progress::default();
    while let Some(parsed) = reader.next_entry()? {
        summary.entries += 1;
        match parsed {
            Parsed::Comment(entry) => {
                batch.push(*entry);
                if batch.len() >= BATCH {
                    summary
                        .counts
                        .add(&writer.write(std::mem::take(&mut batch))?);
                }
            }
            Parsed::NotAComment => summary.not_comments += 1,
            Parsed::Malformed(broken) => {
                summary.malformed += 1;
                malformed(&broken);
            }
        }
        done = Progress {
            bytes: reader.bytes_read(),
            entries: summary.entries,
            imported: summary.counts.imported(),
            malformed: summary.malformed,
        };
        progress(&done);
    }
    if !batch.is_empty() {
        summary.counts.add(&writer.write(batch)?);
    }
    done.imported = summary.counts.imported();
    done.bytes = reader.bytes_read();
    progress(&done);
    (summary.linked_later, summary.parents_missing) = writer.link_replies()?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The site named, or the only one.
fn target_site(
    db: &Database,
    name: Option<String>,
) -> Result<storage::sites::SiteRow, ImportError> {
    let wanted = name.clone();
    let found = db
        .read_blocking(move |conn| match &wanted {
            Some(name) => Ok(storage::sites::find_by_name(conn, name)?
                .into_iter()
                .collect()),
            None => {
                let ids = storage::sites::all_ids(conn)?;
                storage::sites::find_many(conn, &ids)
            }
        })
        .map_err(AppError::from)?;
    match (name, <[_; 1]>::try_from(found)) {
        (_, Ok([site])) => Ok(site),
        (Some(name), Err(_)) => Err(ImportError::NoSite(name)),
        (None, Err(all)) => Err(ImportError::WhichSite(all.len())),
    }
}

/// Writes batches for one import.
struct BatchWriter<'a> {
    db: &'a Database,
    site_id: i64,
    default_policy: Arc<str>,
    source: ImportSource,
    ids: Arc<IdGenerator>,
}

impl BatchWriter<'_> {
    fn write(&self, entries: Vec<ImportEntry>) -> Result<BatchCounts, AppError> {
        let entries = Arc::new(entries);
        let (site_id, source) = (self.site_id, self.source);
        let (policy, ids) = (self.default_policy.clone(), self.ids.clone());
        self.db.write_blocking(move |conn| {
            let target = Target {
                site_id,
                default_policy: &policy,
                source,
                ids: &ids,
            };
            write_batch(conn, &target, &entries)
        })
    }

    /// Links every reply of this site and source whose parent has been
    /// imported since; returns how many were linked and how many still
    /// have no parent.
    fn link_replies(&self) -> Result<(u64, u64), AppError> {
        let (site_id, source) = (self.site_id, self.source.as_str());
        let (mut linked, mut missing) = (0, 0);
        let mut after = String::new();
        loop {
            let cursor = after.clone();
            let (rows, found) = self.db.write_blocking(move |conn| {
                let rows = storage::imports::unlinked(conn, site_id, source, &cursor, LINK_CHUNK)?;
                let mut found = 0u64;
                for reply in &rows {
                    let Some(parent) = &reply.parent else {
                        continue;
                    };
                    if let Some(parent) = storage::imports::find(conn, site_id, source, parent)? {
                        storage::imports::link(conn, site_id, source, reply, parent)?;
                        found += 1;
                    }
                }
                Ok::<_, AppError>((rows, found))
            })?;
            let Some(last) = rows.last() else {
                break;
            };
            after = last.source_id.clone();
            linked += found;
            missing += rows.len() as u64 - found;
        }
        Ok((linked, missing))
    }
}
