use crate::domain::{IdGenerator, Role};
use crate::error::AppError;
use crate::storage::{self, Database, moderators::NewModerator, moderators::NewToken};

use super::passwords::hash_password;
use super::secrets::{Secret, random_password};

/// What `modq moderator create` asks for.
#[derive(Debug, Clone)]
pub struct CreateModerator {
    pub email: String,
    pub role: Role,
    pub site_names: Vec<String>,
}

/// Creates a moderator with a random password and returns that password.
pub fn create_moderator(
    db: &Database,
    ids: &IdGenerator,
    request: CreateModerator,
    actor: &str,
) -> Result<String, AppError> {
    let actor = actor.to_owned();
    let email = parse_email(&request.email)?;
    let password = random_password()?;
    let hash = hash_password(&password)?;
    let id = ids.next();
    db.write_blocking(move |conn| {
        if storage::moderators::find_by_email(conn, &email)?.is_some() {
            return Err(AppError::validation(
                "email",
                format!("{email} already has an account"),
            ));
        }
        storage::moderators::insert(
            conn,
            &NewModerator {
                id,
                email: &email,
                password_hash: &hash,
                role: request.role.as_str(),
                created_at: storage::now(),
            },
        )?;
        for name in &request.site_names {
            let site = storage::sites::find_by_name(conn, name)?
                .ok_or_else(|| AppError::validation("site", format!("no site named {name:?}")))?;
            storage::moderators::assign_site(conn, id, site.id)?;
        }
        let detail = format!(
            "role={} sites={}",
            request.role.as_str(),
            request.site_names.join(",")
        );
        storage::config_changes::note(conn, None, &actor, "moderator.created", &email, &detail)?;
        Ok::<_, AppError>(())
    })?;
    Ok(password)
}

/// Sets a new random password and returns it.
pub fn reset_password(db: &Database, email: &str) -> Result<String, AppError> {
    let password = random_password()?;
    let hash = hash_password(&password)?;
    let email = email.to_owned();
    db.write_blocking(move |conn| {
        let row = storage::moderators::find_by_email(conn, &email)?
            .ok_or(AppError::NotFound("moderator"))?;
        storage::moderators::set_password_hash(conn, row.id, &hash)?;
        Ok::<_, AppError>(())
    })?;
    Ok(password)
}

/// Creates a personal API token for a moderator and returns it.
pub fn create_token(
    db: &Database,
    ids: &IdGenerator,
    email: &str,
    actor: &str,
) -> Result<String, AppError> {
    let actor = actor.to_owned();
    let secret = Secret::generate("mq_tok_").map_err(AppError::internal)?;
    let email = email.to_owned();
    let hash = secret.hash.clone();
    let id = ids.next();
    db.write_blocking(move |conn| {
        let row = storage::moderators::find_by_email(conn, &email)?
            .ok_or(AppError::NotFound("moderator"))?;
        storage::moderators::insert_token(
            conn,
            &NewToken {
                id,
                moderator_id: row.id,
                token_hash: &hash,
                created_at: storage::now(),
            },
        )?;
        storage::config_changes::note(conn, None, &actor, "moderator.token_created", &email, "")?;
        Ok::<_, AppError>(())
    })?;
    Ok(secret.plain)
}

fn parse_email(raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 320
        && email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && !host.is_empty())
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(AppError::validation(
            "email",
            format!("{raw:?} is not an email address"),
        ))
    }
}
