//! Exports for spreadsheets, billing and other systems: comments,
//! moderators' decisions and the audit log, as CSV or JSON Lines. Rows are
//! read in id order a chunk at a time, each chunk continuing after the last
//! id of the one before, so memory stays flat however many rows there are.

pub mod csv;
mod records;

use std::io::Write;
use std::str::FromStr;

use chrono::NaiveDateTime;

use crate::error::AppError;
use crate::storage::{Database, DbConn, exports::ExportWindow};

pub use records::{AuditRecord, CommentRecord, DecisionRecord};

/// Rows per read.
pub const CHUNK: i64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// Every comment with its status, decision and reason codes.
    Comments,
    /// Moderators' approvals, rejections and reopenings, with the time each
    /// comment waited: the billing export.
    Decisions,
    /// Every audit entry: submissions, decisions, withdrawals.
    Audit,
}

impl FromStr for ExportKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "comments" => Ok(Self::Comments),
            "decisions" => Ok(Self::Decisions),
            "audit" => Ok(Self::Audit),
            other => Err(format!(
                "unknown export {other:?}: comments, decisions or audit"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    JsonLines,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::JsonLines => "jsonl",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::JsonLines => "application/jsonl; charset=utf-8",
        }
    }
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "csv" => Ok(Self::Csv),
            "jsonl" | "ndjson" => Ok(Self::JsonLines),
            other => Err(format!("unknown format {other:?}: csv or jsonl")),
        }
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub kind: ExportKind,
    pub format: ExportFormat,
    /// `None`: every site.
    pub site_ids: Option<Vec<i64>>,
    /// Rows from this time on (creation for comments, entry time otherwise).
    pub from: Option<NaiveDateTime>,
    /// Rows before this time.
    pub until: Option<NaiveDateTime>,
    /// Decisions and audit entries by this moderator (email) only; comments
    /// are not filtered by it.
    pub moderator: Option<String>,
}

impl ExportRequest {
    /// The first line of the file: the CSV header, nothing for JSON Lines.
    pub fn header(&self) -> &'static str {
        match (self.format, self.kind) {
            (ExportFormat::JsonLines, _) => "",
            (ExportFormat::Csv, ExportKind::Comments) => CommentRecord::CSV_HEADER,
            (ExportFormat::Csv, ExportKind::Decisions) => DecisionRecord::CSV_HEADER,
            (ExportFormat::Csv, ExportKind::Audit) => AuditRecord::CSV_HEADER,
        }
    }

    /// The rows after id `after`, formatted, with the id of the last one
    /// (`None` when there are no more).
    pub async fn chunk(&self, db: &Database, after: i64) -> Result<Chunk, AppError> {
        let request = self.clone();
        db.read(move |conn| request.read_chunk(conn, after)).await
    }

    /// Writes the whole export to `out`; returns the rows written.
    pub fn write_blocking(&self, db: &Database, out: &mut impl Write) -> Result<u64, AppError> {
        let io = |e: std::io::Error| AppError::internal(format!("writing the export: {e}"));
        out.write_all(self.header().as_bytes()).map_err(io)?;
        let (mut after, mut written) = (0, 0);
        loop {
            let chunk = db.read_blocking(|conn| self.read_chunk(conn, after))?;
            out.write_all(chunk.text.as_bytes()).map_err(io)?;
            written += chunk.rows;
            match chunk.last_id {
                Some(last) if chunk.is_full() => after = last,
                _ => break,
            }
        }
        out.flush().map_err(io)?;
        Ok(written)
    }

    fn read_chunk(&self, conn: &mut DbConn, after: i64) -> Result<Chunk, AppError> {
        let window = ExportWindow {
            site_ids: self.site_ids.clone(),
            from: self.from,
            until: self.until,
            actor: self.moderator.as_ref().map(|m| format!("moderator:{m}")),
            after,
            limit: CHUNK,
        };
        let lines: Vec<(i64, String)> = match self.kind {
            ExportKind::Comments => records::comments(conn, &window)?
                .iter()
                .map(|r| (r.id_number(), self.line(r, CommentRecord::csv_fields)))
                .collect(),
            ExportKind::Decisions => records::decisions(conn, &window)?
                .iter()
                .map(|r| (r.entry, self.line(r, DecisionRecord::csv_fields)))
                .collect(),
            ExportKind::Audit => records::audit(conn, &window)?
                .iter()
                .map(|r| (r.entry, self.line(r, AuditRecord::csv_fields)))
                .collect(),
        };
        Ok(Chunk {
            rows: lines.len() as u64,
            last_id: lines.last().map(|(id, _)| *id),
            text: lines.into_iter().map(|(_, line)| line).collect(),
        })
    }

    fn line<R: serde::Serialize>(&self, record: &R, csv_fields: fn(&R) -> Vec<String>) -> String {
        match self.format {
            ExportFormat::Csv => csv::row(&csv_fields(record)),
            ExportFormat::JsonLines => {
                let mut line = serde_json::to_string(record).unwrap_or_default();
                line.push('\n');
                line
            }
        }
    }
}

/// A chunk of formatted rows.
#[derive(Debug)]
pub struct Chunk {
    pub text: String,
    pub rows: u64,
    pub last_id: Option<i64>,
}

impl Chunk {
    /// Whether a next chunk may hold more rows.
    pub fn is_full(&self) -> bool {
        self.rows == CHUNK as u64
    }
}
