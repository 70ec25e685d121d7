//! `modq webhooks …`: a site's endpoints from the command line.

use clap::Subcommand;

use crate::domain::SiteId;
use crate::storage::{self, Database};
use crate::webhooks::{self, NewEndpointRequest};

use super::block_on;

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// List the site's endpoints and how their deliveries stand.
    List {
        #[arg(long)]
        site: String,
    },
    /// Add an endpoint and print its signing secret once.
    Add {
        #[arg(long)]
        site: String,
        url: String,
        /// An event to send; repeat for several (default: every event).
        #[arg(long = "event", value_name = "TYPE")]
        events: Vec<String>,
        /// `modq` (the event JSON) or `slack` (`{"text": …}`).
        #[arg(long)]
        format: Option<String>,
    },
    /// Remove an endpoint and its delivery log.
    Remove {
        #[arg(long)]
        site: String,
        id: i64,
    },
}

fn site_id(db: &Database, name: &str) -> Result<SiteId, String> {
    let row = db
        .read_blocking(|conn| storage::sites::find_by_name(conn, name))
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no site named {name:?}"))?;
    Ok(SiteId(row.id))
}

pub fn run(command: WebhooksCommand, db: &Database) -> Result<(), String> {
    match command {
        WebhooksCommand::List { site } => {
            let id = site_id(db, &site)?;
            let endpoints =
                block_on(webhooks::list_endpoints(db, id))?.map_err(|e| e.to_string())?;
            if endpoints.is_empty() {
                println!("{site} has no webhook endpoints");
            }
            for e in endpoints {
                let events = if e.events.is_empty() {
                    "every event".to_owned()
                } else {
                    e.events.join(",")
                };
                let status = if e.failing() { "FAILING" } else { "ok" };
                println!(
                    "{}\t{}\t{events}\t{}\t{status}\t{} waiting\t{} dead{}",
                    e.id,
                    e.url,
                    e.format,
                    e.pending,
                    e.dead,
                    e.last_error
                        .map(|m| format!("\tlast error: {m}"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        WebhooksCommand::Add {
            site,
            url,
            events,
            format,
        } => {
            let id = site_id(db, &site)?;
            let request = NewEndpointRequest::parse(&url, &events, format.as_deref(), None)
                .map_err(|e| e.to_string())?;
            let created =
                block_on(webhooks::create_endpoint(db, id, request))?.map_err(|e| e.to_string())?;
            println!(
                "added webhook {} for {site}: {}\nsigning secret (shown once):\n{}",
                created.id,
                created.url,
                created.secret.unwrap_or_default()
            );
            Ok(())
        }
        WebhooksCommand::Remove { site, id } => {
            let site_id = site_id(db, &site)?;
            block_on(webhooks::delete_endpoint(db, site_id, id))?.map_err(|e| e.to_string())?;
            println!("removed webhook {id} of {site}");
            Ok(())
        }
    }
}
