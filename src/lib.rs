//! modq: a self-hosted comment moderation queue.
//!
//! Dependencies point one way: `api` → `intake`/`moderation`/`articles`/
//! `sites`/`accounts` → `views`/`domain`, with `storage` the only module that
//! knows diesel and `api` and `web` the only ones that know actix-web.

pub mod accounts;
pub mod api;
pub mod articles;
pub mod classifier;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod exports;
pub mod import;
pub mod insights;
pub mod intake;
pub mod jobs;
pub mod metrics;
pub mod moderation;
pub mod reports;
pub mod rulebook;
pub mod rules;
pub mod scoring;
pub mod sites;
pub mod startup;
pub mod storage;
pub mod strict_json;
pub mod telemetry;
pub mod views;
pub mod web;
pub mod webhooks;
