//! Moderator web sessions: logging in with email and password, finding a
//! session from its cookie, logging out and changing one's password.
//!
//! Sessions live in the database, so any instance can serve any request.
//! The cookie carries a random token whose hash is the key; each session
//! also has a CSRF token that every state-changing request must repeat.
//! Failed logins are recorded; ten for one account or from one address in
//! 15 minutes block further attempts until the window has passed.

use std::time::Duration;

use crate::domain::{IdGenerator, ModeratorId, SiteId, id_floor_secs_ago};
use crate::error::AppError;
use crate::storage::{
    self, Database, moderators::ModeratorRow, sessions::NewLoginFailure, sessions::NewSession,
};

use super::passwords::{hash_password, verify_password};
use super::principal::ModeratorContext;
use super::secrets::{Secret, hash_secret, random_hex};

/// Failed logins per account or per address allowed in the window.
pub const MAX_FAILED_LOGINS: i64 = 10;
pub const FAILED_LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// New passwords are at least this many characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What the login form sends, plus where it came from.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    pub email: String,
    pub password: String,
    pub ip: String,
}

/// A session just created: the cookie value, shown to the browser once.
#[derive(Debug, Clone)]
pub struct NewSessionToken {
    pub token: String,
}

/// A live session and who it belongs to.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub csrf_token: String,
    pub moderator: ModeratorContext,
}

/// Checks the password and opens a session that lasts `ttl`.
#[tracing::instrument(skip_all, fields(email = %attempt.email))]
pub async fn log_in(
    db: &Database,
    ids: &IdGenerator,
    attempt: LoginAttempt,
    ttl: Duration,
) -> Result<NewSessionToken, AppError> {
    let email = attempt.email.trim().to_lowercase();
    let since = id_floor_secs_ago(FAILED_LOGIN_WINDOW.as_secs());
    let (lookup_email, lookup_ip) = (email.clone(), attempt.ip.clone());
    let (account, by_email, by_ip) = db
        .read(move |conn| {
            let (by_email, by_ip) =
                storage::sessions::recent_failures(conn, &lookup_email, &lookup_ip, since)?;
            let account = storage::moderators::find_by_email(conn, &lookup_email)?;
            Ok::<_, AppError>((account, by_email, by_ip))
        })
        .await?;
    if by_email >= MAX_FAILED_LOGINS || by_ip >= MAX_FAILED_LOGINS {
        return Err(AppError::TooManyRequests(format!(
            "too many failed logins; try again in {} minutes",
            FAILED_LOGIN_WINDOW.as_secs() / 60
        )));
    }
    // Argon2 takes tens of milliseconds: keep it off the async workers.
    let password = attempt.password;
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let valid = tokio::task::spawn_blocking(move || {
        stored.is_some_and(|hash| verify_password(&password, &hash))
    })
    .await
    .map_err(AppError::internal)?;
    let Some(account) = account.filter(|a| valid && a.active) else {
        let failure_id = ids.next();
        let ip = attempt.ip;
        db.write(move |conn| {
            storage::sessions::record_failure(
                conn,
                &NewLoginFailure {
                    id: failure_id,
                    email: &email,
                    ip: &ip,
                    created_at: storage::now(),
                },
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
        return Err(AppError::Unauthorized);
    };
    let secret = Secret::generate("mq_sess_").map_err(AppError::internal)?;
    let csrf = random_hex(24).map_err(AppError::internal)?;
    let ttl = chrono::Duration::from_std(ttl).map_err(AppError::internal)?;
    let hash = secret.hash.clone();
    db.write(move |conn| {
        let now = storage::now();
        storage::sessions::insert(
            conn,
            &NewSession {
                token_hash: &hash,
                moderator_id: account.id,
                csrf_token: &csrf,
                created_at: now,
                expires_at: now + ttl,
            },
        )?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(NewSessionToken {
        token: secret.plain,
    })
}

/// The live session a cookie names, if any.
pub async fn find_session(db: &Database, token: &str) -> Result<Option<Session>, AppError> {
    if !token.starts_with("mq_sess_") {
        return Ok(None);
    }
    let hash = hash_secret(token);
    db.read(move |conn| {
        let Some((session, moderator)) = storage::sessions::find_live(conn, &hash, storage::now())?
        else {
            return Ok(None);
        };
        let site_ids = storage::moderators::site_ids(conn, moderator.id)?;
        Ok(Some(Session {
            token_hash: session.token_hash,
            csrf_token: session.csrf_token,
            moderator: context(moderator, site_ids)?,
        }))
    })
    .await
}

fn context(row: ModeratorRow, site_ids: Vec<i64>) -> Result<ModeratorContext, AppError> {
    Ok(ModeratorContext {
        id: ModeratorId(row.id),
        role: row.role.parse()?,
        email: row.email,
        site_ids: site_ids.into_iter().map(SiteId).collect(),
    })
}

pub async fn log_out(db: &Database, session: &Session) -> Result<(), AppError> {
    let hash = session.token_hash.clone();
    db.write(move |conn| {
        storage::sessions::delete(conn, &hash)?;
        Ok::<_, AppError>(())
    })
    .await
}

/// Deletes expired sessions and failed logins older than the window.
pub fn purge_expired(db: &Database) -> Result<usize, AppError> {
    let before = id_floor_secs_ago(FAILED_LOGIN_WINDOW.as_secs());
    db.write_blocking(move |conn| {
        let sessions = storage::sessions::delete_expired(conn, storage::now())?;
        let failures = storage::sessions::delete_failures_before(conn, before)?;
        Ok::<_, AppError>(sessions + failures)
    })
}

/// Runs [`purge_expired`] every `every` while the database handle is alive.
pub fn spawn_session_cleanup(db: std::sync::Weak<Database>, every: Duration) {
    crate::jobs::spawn_periodic("session-cleanup", db, every, |db| match purge_expired(db) {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "expired sessions and login failures removed"),
        Err(err) => tracing::warn!(error = %err, "could not remove expired sessions"),
    });
}

/// What the change-password form sends.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub repeated: String,
}

/// Sets a new password after checking the current one, and ends the
/// moderator's other sessions.
#[tracing::instrument(skip_all, fields(moderator = session.moderator.id.0))]
pub async fn change_password(
    db: &Database,
    session: &Session,
    change: PasswordChange,
) -> Result<(), AppError> {
    if change.new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "new_password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if change.new != change.repeated {
        return Err(AppError::validation(
            "repeat_password",
            "does not match the new password",
        ));
    }
    let id = session.moderator.id.0;
    let row = db
        .read(move |conn| storage::moderators::find(conn, id).map_err(AppError::from))
        .await?
        .ok_or(AppError::NotFound("moderator"))?;
    let hash = tokio::task::spawn_blocking(move || {
        if verify_password(&change.current, &row.password_hash) {
            hash_password(&change.new).map(Some)
        } else {
            Ok(None)
        }
    })
    .await
    .map_err(AppError::internal)??
    .ok_or_else(|| AppError::validation("current_password", "is not correct"))?;
    let keep = session.token_hash.clone();
    db.write(move |conn| {
        storage::moderators::set_password_hash(conn, id, &hash)?;
        storage::sessions::delete_others(conn, id, &keep)?;
        Ok::<_, AppError>(())
    })
    .await
}
