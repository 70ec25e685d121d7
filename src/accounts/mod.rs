//! Who is calling: site API keys, moderator accounts, passwords and tokens.

mod manage_moderators;
mod moderators;
mod passwords;
mod principal;
mod secrets;
mod sessions;

pub use manage_moderators::{
    ModeratorChange, ModeratorSummary, list_moderators, moderator_email, revoke_token,
    update_moderator,
};
pub use moderators::{CreateModerator, create_moderator, create_token, reset_password};
pub use passwords::{hash_password, verify_password};
pub use principal::{CredentialCache, ModeratorContext, Principal, SiteContext, authenticate};
pub use secrets::{Secret, hash_secret, random_hex, random_password};
pub use sessions::{
    FAILED_LOGIN_WINDOW, LoginAttempt, MAX_FAILED_LOGINS, MIN_PASSWORD_CHARS, NewSessionToken,
    PasswordChange, Session, change_password, find_session, log_in, log_out, purge_expired,
    spawn_session_cleanup,
};
