//! The `modq` command line. Output here is the product's own interface, so
//! it is printed rather than logged.
#![expect(clippy::print_stdout, reason = "the CLI talks to its user on stdout")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod classifier;
mod export;
mod import;
mod insights;
mod webhooks;
use classifier::ClassifierCommand;

use crate::accounts::{self, CreateModerator, ModeratorContext};
use crate::config::Settings;
use crate::domain::Role;
use crate::rulebook;
use crate::sites::{self, Bootstrap, CreateSite};
use crate::startup::{self, Application};
use crate::telemetry;

#[derive(Debug, Parser)]
#[command(name = "modq", version, about = "Self-hosted comment moderation queue")]
pub struct Cli {
    /// A TOML file overriding config/default.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default when no command is given).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage sites.
    #[command(subcommand)]
    Site(SiteCommand),
    /// Manage moderator accounts.
    #[command(subcommand)]
    Moderator(ModeratorCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Rules as code: export to and import from TOML files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The built-in classifier: measure it and fit models.
    #[command(subcommand)]
    Classifier(ClassifierCommand),
    /// A site's webhook endpoints.
    #[command(subcommand)]
    Webhooks(webhooks::WebhooksCommand),
    /// Comments, decisions or the audit log as CSV or JSON Lines.
    Export(export::ExportCommand),
    /// A site's comments from a WordPress or Disqus export file.
    Import(import::ImportCommand),
    /// The insight figures.
    #[command(subcommand)]
    Insights(insights::InsightsCommand),
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Write every live rule to FILE ("-" for standard output).
    Export {
        file: PathBuf,
        /// Only this site's rules and the global ones.
        #[arg(long)]
        site: Option<String>,
    },
    /// Create or update the rules in FILE; rules not in it are left alone.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Create a site and print its API key once.
    Create {
        name: String,
        /// Start without the starter rules.
        #[arg(long)]
        no_starter_rules: bool,
    },
    /// Replace a site's API key and print the new one once.
    RotateKey { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ModeratorCommand {
    /// Create a moderator and print a random password once.
    Create {
        email: String,
        /// Give the admin role: every site, every action.
        #[arg(long)]
        admin: bool,
        /// A site this moderator may act on; repeat for several.
        #[arg(long = "site", value_name = "NAME")]
        sites: Vec<String>,
    },
    /// Set a new random password and print it once.
    ResetPassword { email: String },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for a moderator and print it once.
    Create { email: String },
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("modq: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log.filter, settings.log.format);
    match execute(cli.command.unwrap_or(Command::Serve), &settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("modq: {message}");
            ExitCode::FAILURE
        }
    }
}

fn execute(command: Command, settings: &Settings) -> Result<(), String> {
    match command {
        // Some of these need no database: they open it themselves.
        Command::Classifier(command) => classifier::run(command, settings),
        other => execute_with_database(other, settings),
    }
}

fn execute_with_database(command: Command, settings: &Settings) -> Result<(), String> {
    let db = startup::open_database(settings).map_err(|e| e.to_string())?;
    let ids = startup::id_generator();
    // How command-line changes appear in the configuration trail.
    let operator = accounts::ModeratorContext::operator().actor();
    match command {
        Command::Classifier(command) => classifier::run(command, settings),
        Command::Serve => {
            let first_run = sites::bootstrap_if_empty(&db, &ids).map_err(|e| e.to_string())?;
            let app = Application::build(settings, db, ids)
                .map_err(|e| format!("cannot listen on {}: {e}", settings.server.bind))?;
            let base = base_url(settings, app.port());
            if let Some(first) = first_run {
                print_first_run(&first, &base);
            }
            println!("modq is listening on {base}");
            app.serve_blocking().map_err(|e| e.to_string())
        }
        Command::Migrate => {
            println!("migrations are up to date");
            Ok(())
        }
        Command::Site(SiteCommand::Create {
            name,
            no_starter_rules,
        }) => {
            let request = CreateSite {
                name: name.clone(),
                starter_rules: !no_starter_rules,
            };
            let key = sites::create_site(&db, &ids, &request).map_err(|e| e.to_string())?;
            println!("created site {name:?}; its API key (shown once):\n{key}");
            Ok(())
        }
        Command::Webhooks(command) => webhooks::run(command, &db),
        Command::Export(command) => export::run(command, &db),
        Command::Import(command) => import::run(command, settings, &db),
        Command::Insights(command) => insights::run(command, settings, &db),
        Command::Site(SiteCommand::RotateKey { name }) => {
            let key = sites::rotate_key(&db, &name, &operator).map_err(|e| e.to_string())?;
            println!("new API key for {name:?} (shown once; the old key no longer works):\n{key}");
            Ok(())
        }
        Command::Moderator(ModeratorCommand::Create {
            email,
            admin,
            sites,
        }) => {
            let role = if admin { Role::Admin } else { Role::Moderator };
            let password = accounts::create_moderator(
                &db,
                &ids,
                CreateModerator {
                    email: email.clone(),
                    role,
                    site_names: sites,
                },
                &operator,
            )
            .map_err(|e| e.to_string())?;
            println!(
                "created {} {email}; password (shown once):\n{password}",
                role.as_str()
            );
            Ok(())
        }
        Command::Moderator(ModeratorCommand::ResetPassword { email }) => {
            let password = accounts::reset_password(&db, &email).map_err(|e| e.to_string())?;
            println!("new password for {email} (shown once):\n{password}");
            Ok(())
        }
        Command::Rules(RulesCommand::Export { file, site }) => {
            let text = block_on(rulebook::export_rules(
                &db,
                &ModeratorContext::operator(),
                site,
            ))?
            .map_err(|e| e.to_string())?;
            if file.as_os_str() == "-" {
                print!("{text}");
            } else {
                std::fs::write(&file, text)
                    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
                println!("rules written to {}", file.display());
            }
            Ok(())
        }
        Command::Rules(RulesCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let summary = block_on(rulebook::import_rules(
                &db,
                &ids,
                &ModeratorContext::operator(),
                &text,
            ))?
            .map_err(|e| format!("{}: {e}", file.display()))?;
            println!(
                "{} created, {} updated, {} unchanged; running instances pick the changes up within seconds",
                summary.created, summary.updated, summary.unchanged
            );
            Ok(())
        }
        Command::Token(TokenCommand::Create { email }) => {
            let token =
                accounts::create_token(&db, &ids, &email, &operator).map_err(|e| e.to_string())?;
            println!("API token for {email} (shown once):\n{token}");
            Ok(())
        }
    }
}

/// Runs an async service function from the command line.
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    Ok(runtime.block_on(future))
}

fn base_url(settings: &Settings, port: u16) -> String {
    if !settings.server.public_url.is_empty() {
        return settings.server.public_url.trim_end_matches('/').to_owned();
    }
    let host = settings
        .server
        .bind
        .rsplit_once(':')
        .map(|(host, _)| host)
        .unwrap_or("127.0.0.1");
    let host = if host == "0.0.0.0" || host.is_empty() {
        "127.0.0.1"
    } else {
        host
    };
    format!("http://{host}:{port}")
}

fn print_first_run(first: &Bootstrap, base: &str) {
    println!(
        r#"
First start: modq created a site and an admin. These secrets are shown only once.

  Site "{site}" API key:   {key}
  Admin login:             {email}
  Admin password:          {password}
  Admin API token:         {token}

Moderate in the browser: open {base}/ and log in as {email}.

Post a comment as the site:

  curl -sS {base}/api/v1/comments \
    -H 'Authorization: Bearer {key}' \
    -H 'Content-Type: application/json' \
    -d '{{"article":{{"id":"hello-world","url":"https://example.com/hello-world","title":"Hello, world"}},"author":{{"id":"reader-1","name":"Ada"}},"body":"First!"}}'

See the moderation queue as the admin:

  curl -sS {base}/api/v1/queue -H 'Authorization: Bearer {token}'

Approve a comment (use its id and version from the queue):

  curl -sS {base}/api/v1/comments/ID/decision \
    -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' \
    -d '{{"action":"approve","version":1}}'

The whole API, as OpenAPI 3.1: {base}/api/openapi.json

More credentials: modq site create NAME, modq moderator create EMAIL, modq token create EMAIL.
"#,
        site = first.site_name,
        key = first.site_key,
        email = first.admin_email,
        password = first.admin_password,
        token = first.admin_token,
    );
}
