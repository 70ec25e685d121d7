//! `modq insights count`: counts every audit entry not yet counted into the
//! insight figures now, rather than in the background, with progress.

use std::time::Instant;

use clap::Subcommand;

use crate::config::Settings;
use crate::insights::{self, InsightsConfig};
use crate::storage::Database;

#[derive(Debug, Subcommand)]
pub enum InsightsCommand {
    /// Count every audit entry not yet in the figures (after an import, or
    /// to catch up a large database before opening the dashboard), then
    /// refresh the aggregate tables' statistics.
    Count,
}

/// Chunks counted between progress lines.
const CHUNKS_PER_LINE: usize = 100;

pub fn run(command: InsightsCommand, settings: &Settings, db: &Database) -> Result<(), String> {
    match command {
        InsightsCommand::Count => {
            let config = InsightsConfig::from_settings(&settings.insights);
            let started = Instant::now();
            let mut total = 0;
            loop {
                let n = insights::refresh(db, config.settle_on(db), CHUNKS_PER_LINE)
                    .map_err(|e| e.to_string())?;
                total += n;
                let secs = started.elapsed().as_secs_f64().max(0.001);
                eprintln!(
                    "counted {total} audit entries ({:.0}/s)",
                    total as f64 / secs
                );
                if n == 0 {
                    break;
                }
            }
            if total > 0 {
                db.read_blocking(crate::storage::insights::refresh_statistics)
                    .map_err(|e| e.to_string())?;
            }
            println!(
                "counted {total} audit entries in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}
