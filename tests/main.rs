//! The one integration test binary: every test starts the real server on
//! port 0 and speaks HTTP to it, once on SQLite and once on PostgreSQL.
#![allow(
    clippy::expect_used,
    reason = "a failed setup step should fail the test loudly"
)]

mod browser;
mod helpers;

mod classifier;
mod cli;
mod decisions;
mod disk_full;
mod edits;
mod errors;
mod exports;
mod group_commit;
mod idempotency;
mod imports;
mod insights;
mod instances;
mod isolation;
mod leases;
mod listing;
mod metrics;
mod migrations;
mod openapi;
mod outage;
mod policies;
mod reports;
mod rules;
mod submit;
mod threads;
#[cfg(feature = "ml-candle")]
mod transformer;
mod ui;
mod web;
mod web_client;
mod webhook_races;
mod webhooks;
