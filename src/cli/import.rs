//! `modq import wordpress|disqus FILE`: a site's history from another
//! comment system, with a progress bar on standard error and a summary.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use crate::config::Settings;
use crate::import::{ArticleKey, ImportRequest, ImportSource, ImportSummary, Progress, run_import};
use crate::storage::Database;

#[derive(Debug, Args)]
pub struct ImportCommand {
    /// wordpress (a WXR export) or disqus (a Disqus XML export).
    source: SourceArg,
    /// The export file.
    file: PathBuf,
    /// The site to import into (by name); may be left out when there is
    /// only one.
    #[arg(long)]
    site: Option<String>,
    /// What identifies an article: its link, or its id (the WordPress post
    /// id, the Disqus thread identifier). WordPress defaults to the link,
    /// Disqus to the id.
    #[arg(long, value_enum)]
    article_key: Option<ArticleKey>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SourceArg {
    Wordpress,
    Disqus,
}

pub fn run(command: ImportCommand, settings: &Settings, db: &Database) -> Result<(), String> {
    let file = File::open(&command.file)
        .map_err(|e| format!("cannot read {}: {e}", command.file.display()))?;
    let total = file.metadata().map(|m| m.len()).ok();
    let request = ImportRequest {
        source: match command.source {
            SourceArg::Wordpress => ImportSource::WordPress,
            SourceArg::Disqus => ImportSource::Disqus,
        },
        site: command.site,
        article_key: command.article_key,
        max_body_chars: settings.limits.max_body_chars,
    };
    // Both callbacks draw on the one bar.
    let bar = RefCell::new(ProgressBar::new(total));
    let summary = run_import(
        db,
        &request,
        BufReader::with_capacity(256 * 1024, file),
        |p| bar.borrow_mut().update(p),
        |broken| bar.borrow_mut().note(&format!("skipped {broken}")),
    )
    .map_err(|e| e.to_string())?;
    bar.borrow_mut().finish();
    print_summary(&request, &summary);
    Ok(())
}

fn print_summary(request: &ImportRequest, s: &ImportSummary) {
    let c = &s.counts;
    let secs = s.elapsed.as_secs_f64().max(0.001);
    println!(
        "{} import: {} comment entries read in {:.1} s ({:.0} comments/s)",
        request.source.title(),
        s.entries,
        secs,
        c.imported() as f64 / secs
    );
    println!(
        "  imported {}: {} approved, {} pending, {} rejected, {} withdrawn",
        c.imported(),
        c.approved,
        c.pending,
        c.rejected,
        c.withdrawn
    );
    println!("  already imported (left as they are): {}", c.already);
    println!("  not comments (pingbacks, trackbacks): {}", s.not_comments);
    println!("  malformed, skipped: {}", s.malformed);
    println!("  new articles: {}, new authors: {}", c.articles, c.authors);
    println!(
        "  replies linked to a parent later in the file: {}; replies whose parent is missing: {}",
        s.linked_later, s.parents_missing
    );
}

/// A one-line bar redrawn on a terminal; on anything else, a line every
/// ten seconds.
struct ProgressBar {
    total: Option<u64>,
    terminal: bool,
    started: Instant,
    last: Option<Instant>,
    drawn: bool,
}

impl ProgressBar {
    fn new(total: Option<u64>) -> Self {
        Self {
            total: total.filter(|t| *t > 0),
            terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: None,
            drawn: false,
        }
    }

    fn update(&mut self, p: &Progress) {
        let every = if self.terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(10)
        };
        let now = Instant::now();
        if self.last.is_some_and(|last| now - last < every) {
            return;
        }
        if self.last.is_none() {
            self.last = Some(now);
            return;
        }
        self.last = Some(now);
        let rate = p.imported as f64 / (now - self.started).as_secs_f64().max(0.001);
        let share = self.total.map(|t| p.bytes as f64 / t as f64).unwrap_or(0.0);
        let width = 30;
        let filled = ((share * width as f64) as usize).min(width);
        let line = format!(
            "[{}{}] {:>3.0}%  {} imported, {} skipped, {:.0}/s",
            "=".repeat(filled),
            " ".repeat(width - filled),
            share * 100.0,
            p.imported,
            p.malformed,
            rate
        );
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r{line}");
            self.drawn = true;
        } else {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }

    /// A line of its own, above the bar.
    fn note(&mut self, text: &str) {
        let mut err = std::io::stderr().lock();
        if self.drawn {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = writeln!(err, "{text}");
        self.drawn = false;
    }

    fn finish(&mut self) {
        if self.drawn {
            let _ = writeln!(std::io::stderr());
        }
    }
}
