//! Sites: creation, API keys, first-run bootstrap and per-site settings.

mod bootstrap;
mod create_site;
mod site_settings;

pub use bootstrap::{Bootstrap, bootstrap_if_empty};
pub use create_site::{CreateSite, create_site, rotate_key};
pub use site_settings::{SiteSettingsChange, get_site_settings, update_site_settings};
