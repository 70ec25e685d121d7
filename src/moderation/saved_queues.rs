use crate::accounts::ModeratorContext;
use crate::domain::IdGenerator;
use crate::error::AppError;
use crate::storage::{self, Database, saved_queues::NewSavedQueue};

/// A moderator's named queue view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQueue {
    pub id: i64,
    pub name: String,
    /// The view's filters as a query string.
    pub query: String,
}

/// Saved views per moderator, at most.
pub const MAX_SAVED_QUEUES: usize = 50;

/// Saves the view `query` under `name` for this moderator.
pub async fn save_queue(
    db: &Database,
    ids: &IdGenerator,
    moderator: &ModeratorContext,
    name: &str,
    query: &str,
) -> Result<SavedQueue, AppError> {
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::validation("name", "must be 1 to 80 characters"));
    }
    if query.len() > 2000 {
        return Err(AppError::validation("query", "is too long"));
    }
    let (id, moderator_id, query) = (ids.next(), moderator.id.0, query.to_owned());
    db.write(move |conn| {
        let existing = storage::saved_queues::for_moderator(conn, moderator_id)?;
        if existing.iter().any(|q| q.name == name) {
            return Err(AppError::validation(
                "name",
                format!("you already have a view called {name:?}"),
            ));
        }
        if existing.len() >= MAX_SAVED_QUEUES {
            return Err(AppError::validation(
                "name",
                format!("at most {MAX_SAVED_QUEUES} saved views"),
            ));
        }
        storage::saved_queues::insert(
            conn,
            &NewSavedQueue {
                id,
                moderator_id,
                name: &name,
                query: &query,
                created_at: storage::now(),
            },
        )?;
        Ok(SavedQueue {
            id,
            name: name.clone(),
            query: query.clone(),
        })
    })
    .await
}

pub async fn saved_queues(
    db: &Database,
    moderator: &ModeratorContext,
) -> Result<Vec<SavedQueue>, AppError> {
    let moderator_id = moderator.id.0;
    db.read(move |conn| {
        Ok(storage::saved_queues::for_moderator(conn, moderator_id)?
            .into_iter()
            .map(|row| SavedQueue {
                id: row.id,
                name: row.name,
                query: row.query,
            })
            .collect())
    })
    .await
}

pub async fn delete_saved_queue(
    db: &Database,
    moderator: &ModeratorContext,
    id: i64,
) -> Result<(), AppError> {
    let moderator_id = moderator.id.0;
    let deleted = db
        .write(move |conn| {
            storage::saved_queues::delete(conn, moderator_id, id).map_err(AppError::from)
        })
        .await?;
    if deleted {
        Ok(())
    } else {
        Err(AppError::NotFound("saved view"))
    }
}
