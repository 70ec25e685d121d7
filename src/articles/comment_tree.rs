//! An article's approved comments as a tree of replies, for sites that
//! render threads. A reply whose parent readers may not see (rejected,
//! withdrawn, pending, or hidden while reported) hangs under a placeholder
//! for that parent, so the conversation keeps its shape.

use std::collections::{HashMap, HashSet};

use crate::accounts::SiteContext;
use crate::domain::{CommentId, Status};
use crate::error::AppError;
use crate::storage::{self, Database, comments::CommentRow};
use crate::views::{self, CommentView};

/// Most comments one tree holds; past it the tree says `truncated`.
pub const TREE_MAX_COMMENTS: i64 = 5000;

#[derive(Debug)]
pub struct CommentTree {
    pub roots: Vec<ThreadNode>,
    /// More approved comments than [`TREE_MAX_COMMENTS`]: the newest are
    /// left out.
    pub truncated: bool,
}

/// A comment readers may see, or a placeholder for one they may not, with
/// the replies below it, oldest first.
#[derive(Debug)]
pub struct ThreadNode {
    pub shown: Shown,
    pub replies: Vec<ThreadNode>,
}

#[derive(Debug)]
pub enum Shown {
    Comment(Box<CommentView>),
    /// The comment's id and why it is not shown: `rejected`, `withdrawn`,
    /// `pending` or `hidden`.
    Placeholder {
        id: CommentId,
        reason: &'static str,
    },
}

/// The tree of an article's approved comments.
pub async fn comment_tree(
    db: &Database,
    site: &SiteContext,
    external_id: String,
) -> Result<CommentTree, AppError> {
    let site = site.clone();
    db.read(move |conn| {
        let article = storage::articles::find_by_external(conn, site.id.0, &external_id)?
            .ok_or(AppError::NotFound("article"))?;
        let mut visible = storage::comments::list_for_article(
            conn,
            article.id,
            Status::Approved.as_str(),
            None,
            TREE_MAX_COMMENTS + 1,
        )?;
        let truncated = visible.len() as i64 > TREE_MAX_COMMENTS;
        visible.truncate(TREE_MAX_COMMENTS as usize);
        // The parents readers may not see, and theirs, up to the roots.
        let mut hidden: HashMap<i64, CommentRow> = HashMap::new();
        let known: HashSet<i64> = visible.iter().map(|c| c.id).collect();
        let mut wanted: Vec<i64> = missing_parents(visible.iter(), &known, &hidden);
        while !wanted.is_empty() {
            let rows = storage::comments::find_many(conn, &wanted)?;
            let found = rows.len();
            for row in rows.into_iter().filter(|r| r.article_id == article.id) {
                hidden.insert(row.id, row);
            }
            if found == 0 {
                break;
            }
            wanted = missing_parents(hidden.values(), &known, &hidden);
        }
        let views = views::load_comments(conn, visible)?;
        Ok(CommentTree {
            roots: build_tree(views, hidden),
            truncated,
        })
    })
    .await
}

/// Parents of `rows` that are neither shown nor fetched yet.
fn missing_parents<'a>(
    rows: impl Iterator<Item = &'a CommentRow>,
    shown: &HashSet<i64>,
    fetched: &HashMap<i64, CommentRow>,
) -> Vec<i64> {
    let mut ids: Vec<i64> = rows
        .filter_map(|r| r.parent_id)
        .filter(|p| !shown.contains(p) && !fetched.contains_key(p))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Why a comment readers may not see is not shown.
fn placeholder_reason(row: &CommentRow) -> &'static str {
    match row.status.as_str() {
        "rejected" => "rejected",
        "withdrawn" => "withdrawn",
        "pending" => "pending",
        _ => "hidden",
    }
}

/// Hangs every shown comment under its parent (or a placeholder for it),
/// oldest first at every level.
fn build_tree(shown: Vec<CommentView>, placeholders: HashMap<i64, CommentRow>) -> Vec<ThreadNode> {
    let mut parent_of: HashMap<i64, Option<i64>> = HashMap::new();
    let mut nodes: HashMap<i64, Shown> = HashMap::new();
    for view in shown {
        parent_of.insert(view.id.0, view.parent_id.map(|p| p.0));
        nodes.insert(view.id.0, Shown::Comment(Box::new(view)));
    }
    for (id, row) in placeholders {
        parent_of.insert(id, row.parent_id);
        nodes.insert(
            id,
            Shown::Placeholder {
                id: CommentId(id),
                reason: placeholder_reason(&row),
            },
        );
    }
    let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
    for (&id, &parent) in &parent_of {
        // A parent that is neither shown nor found makes a root.
        let parent = parent.filter(|p| nodes.contains_key(p));
        children.entry(parent).or_default().push(id);
    }
    for ids in children.values_mut() {
        ids.sort_unstable();
    }
    fn attach(
        id: i64,
        nodes: &mut HashMap<i64, Shown>,
        children: &HashMap<Option<i64>, Vec<i64>>,
    ) -> Option<ThreadNode> {
        let shown = nodes.remove(&id)?;
        let replies = children
            .get(&Some(id))
            .map(|ids| {
                ids.iter()
                    .filter_map(|c| attach(*c, nodes, children))
                    .collect()
            })
            .unwrap_or_default();
        Some(ThreadNode { shown, replies })
    }
    children
        .get(&None)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|id| attach(id, &mut nodes, &children))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, parent: Option<i64>, status: &str) -> CommentRow {
        let at = chrono::DateTime::from_timestamp(0, 0)
            .expect("time")
            .naive_utc();
        CommentRow {
            id,
            site_id: 1,
            article_id: 1,
            author_id: 1,
            parent_id: parent,
            body: String::new(),
            status: status.into(),
            policy: "post".into(),
            priority: 0,
            version: 1,
            client_ref: None,
            author_ip: None,
            created_at: at,
            updated_at: at,
            decided_at: None,
            decided_by: None,
            decision_action: None,
            decision_reason: None,
            decision_note: None,
            body_hash: None,
            scores: None,
            spam_score: None,
            offensive_score: None,
            imported_from: None,
            revision: 1,
            edited_at: None,
            reported_at: None,
            hidden: status == "hidden",
            open_reports: 0,
        }
    }

    /// The tree as `id(replies…)`, placeholders as `[reason id]`.
    fn shape(nodes: &[ThreadNode]) -> String {
        nodes
            .iter()
            .map(|n| {
                let head = match &n.shown {
                    Shown::Comment(c) => c.id.0.to_string(),
                    Shown::Placeholder { id, reason } => format!("[{reason} {}]", id.0),
                };
                if n.replies.is_empty() {
                    head
                } else {
                    format!("{head}({})", shape(&n.replies))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn placeholder_tree(
        shown: &[(i64, Option<i64>)],
        hidden: &[(i64, Option<i64>, &str)],
    ) -> String {
        // Shown comments become placeholders named "shown" here, so the
        // shape can be checked without assembling views.
        let mut rows: HashMap<i64, CommentRow> = shown
            .iter()
            .map(|(id, p)| (*id, row(*id, *p, "shown")))
            .collect();
        for (id, p, status) in hidden {
            rows.insert(*id, row(*id, *p, status));
        }
        shape(&build_tree(Vec::new(), rows)).replace("[hidden", "[x")
    }

    #[test]
    fn replies_hang_under_their_parents_oldest_first() {
        let tree = placeholder_tree(
            &[
                (1, None),
                (3, Some(1)),
                (2, Some(1)),
                (4, Some(3)),
                (5, None),
            ],
            &[],
        );
        assert_eq!(tree, "[x 1]([x 2] [x 3]([x 4])) [x 5]");
    }

    #[test]
    fn unseen_parents_keep_their_place() {
        let tree = placeholder_tree(
            &[(3, Some(2)), (4, Some(1))],
            &[(1, None, "rejected"), (2, Some(1), "withdrawn")],
        );
        assert_eq!(tree, "[rejected 1]([withdrawn 2]([x 3]) [x 4])");
        // A parent that cannot be found makes its reply a root.
        assert_eq!(placeholder_tree(&[(7, Some(6))], &[]), "[x 7]");
    }
}
