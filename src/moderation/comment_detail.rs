use chrono::NaiveDateTime;

use crate::accounts::{ModeratorContext, Principal};
use crate::domain::{AuthorId, CommentId, IdGenerator};
use crate::error::AppError;
use crate::storage::{self, Database};
use crate::views::{self, CommentView};

use super::history::{AuditEntry, comment_history};

/// Everything the comment page shows.
#[derive(Debug, Clone)]
pub struct CommentDetail {
    pub comment: CommentView,
    pub history: Vec<AuditEntry>,
    /// The author's latest comments on this site, this one included.
    pub author_comments: Vec<AuthorComment>,
    pub author_notes: Vec<AuthorNote>,
}

#[derive(Debug, Clone)]
pub struct AuthorComment {
    pub id: CommentId,
    pub status: String,
    pub at: NaiveDateTime,
    pub excerpt: String,
}

#[derive(Debug, Clone)]
pub struct AuthorNote {
    pub note: String,
    pub moderator: String,
    pub at: NaiveDateTime,
}

/// How many of the author's comments the page lists.
const AUTHOR_COMMENTS: i64 = 20;
const EXCERPT_CHARS: usize = 140;

pub async fn comment_detail(
    db: &Database,
    moderator: &ModeratorContext,
    id: CommentId,
) -> Result<CommentDetail, AppError> {
    let history = comment_history(db, &Principal::Moderator(moderator.clone()), id).await?;
    let visible = moderator.clone();
    db.read(move |conn| {
        let comment = views::load_comment(conn, id)?
            .filter(|c| visible.can_access(c.site_id))
            .ok_or(AppError::NotFound("comment"))?;
        let author = comment.author.id.0;
        let author_comments = storage::comments::by_author(conn, author, AUTHOR_COMMENTS)?
            .into_iter()
            .map(|(id, status, at, body)| AuthorComment {
                id: CommentId(id),
                status,
                at,
                excerpt: excerpt(&body),
            })
            .collect();
        let author_notes = storage::authors::notes(conn, author)?
            .into_iter()
            .map(|row| AuthorNote {
                note: row.note,
                moderator: row.moderator_email,
                at: row.created_at,
            })
            .collect();
        Ok(CommentDetail {
            comment,
            history,
            author_comments,
            author_notes,
        })
    })
    .await
}

fn excerpt(body: &str) -> String {
    let mut cut: String = body.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < body.len() {
        cut.push('…');
    }
    cut
}

/// Adds a private note about an author the moderator may see.
pub async fn add_author_note(
    db: &Database,
    ids: &IdGenerator,
    moderator: &ModeratorContext,
    author: AuthorId,
    note: &str,
) -> Result<(), AppError> {
    let note = note.trim().to_owned();
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(AppError::validation("note", "must be 1 to 2000 characters"));
    }
    let (id, moderator) = (ids.next(), moderator.clone());
    db.write(move |conn| {
        let row = storage::authors::find(conn, author.0)?
            .filter(|a| moderator.can_access(crate::domain::SiteId(a.site_id)))
            .ok_or(AppError::NotFound("author"))?;
        storage::authors::add_note(conn, id, row.id, moderator.id.0, &note, storage::now())?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_are_cut_on_characters() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(200);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), 141);
        assert!(cut.ends_with('…'));
    }
}
