use super::templates::Nav;
use crate::accounts::Session;
use crate::domain::Role;
use crate::moderation::{PENDING_COUNT_CAP, QueueOverview};

/// The page header for a session, with the pending count from `overview`.
pub fn nav(session: &Session, overview: &QueueOverview) -> Nav {
    let pending = if overview.pending >= PENDING_COUNT_CAP {
        format!("{PENDING_COUNT_CAP}+")
    } else {
        overview.pending.to_string()
    };
    Nav {
        email: session.moderator.email.clone(),
        csrf: session.csrf_token.clone(),
        pending,
        admin: session.moderator.role == Role::Admin,
    }
}
