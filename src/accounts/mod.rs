//! Who is calling: site API keys, moderator accounts, passwords and tokens.

mod moderators;
mod passwords;
mod principal;
mod secrets;

pub use moderators::{CreateModerator, create_moderator, create_token, reset_password};
pub use passwords::{hash_password, verify_password};
pub use principal::{CredentialCache, ModeratorContext, Principal, SiteContext, authenticate};
pub use secrets::{Secret, hash_secret, random_password};
