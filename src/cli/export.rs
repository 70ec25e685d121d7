//! `modq export comments|decisions|audit`: the whole history as CSV or JSON
//! Lines, streamed to a file or standard output.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use clap::Args;

use crate::exports::{ExportFormat, ExportKind, ExportRequest};
use crate::storage::{self, Database};

#[derive(Debug, Args)]
pub struct ExportCommand {
    /// comments, decisions (moderators' approvals and rejections with the
    /// time each comment waited) or audit.
    kind: ExportKind,
    /// csv or jsonl.
    #[arg(long, default_value = "csv")]
    format: ExportFormat,
    /// Only this site (by name); every site when left out.
    #[arg(long)]
    site: Option<String>,
    /// From this day on (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = day)]
    from: Option<NaiveDateTime>,
    /// Before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = day)]
    until: Option<NaiveDateTime>,
    /// Decisions and audit entries of this moderator (email) only.
    #[arg(long)]
    moderator: Option<String>,
    /// Write here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn day(raw: &str) -> Result<NaiveDateTime, String> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(|d| d.and_time(chrono::NaiveTime::MIN))
        .map_err(|_| format!("{raw:?} is not a date like 2026-11-29"))
}

pub fn run(command: ExportCommand, db: &Database) -> Result<(), String> {
    let site_ids = match &command.site {
        None => None,
        Some(name) => {
            let site = db
                .read_blocking(|conn| storage::sites::find_by_name(conn, name))
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no site named {name:?}"))?;
            Some(vec![site.id])
        }
    };
    let request = ExportRequest {
        kind: command.kind,
        format: command.format,
        site_ids,
        from: command.from,
        until: command.until,
        moderator: command.moderator,
    };
    let rows = match &command.output {
        Some(path) => {
            let file =
                File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            write(&request, db, BufWriter::new(file))?
        }
        None => write(&request, db, BufWriter::new(std::io::stdout().lock()))?,
    };
    eprintln!("exported {rows} rows");
    Ok(())
}

fn write(request: &ExportRequest, db: &Database, mut out: impl Write) -> Result<u64, String> {
    request
        .write_blocking(db, &mut out)
        .map_err(|e| e.to_string())
}
