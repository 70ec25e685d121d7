use super::templates::Nav;
use crate::accounts::Session;
use crate::domain::Role;
use crate::moderation::{PENDING_COUNT_CAP, QueueOverview};

/// The page header for a session, with the pending count from `overview`.
pub fn nav(session: &Session, overview: &QueueOverview) -> Nav {
    Nav {
        email: session.moderator.email.clone(),
        csrf: session.csrf_token.clone(),
        pending: capped_count(overview.pending),
        admin: session.moderator.role == Role::Admin,
    }
}

/// A count as the header and tabs show it: `1000+` past the cap.
pub fn capped_count(count: i64) -> String {
    if count >= PENDING_COUNT_CAP {
        format!("{PENDING_COUNT_CAP}+")
    } else {
        count.to_string()
    }
}
