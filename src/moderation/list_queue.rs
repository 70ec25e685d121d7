use crate::accounts::ModeratorContext;
use crate::domain::{Attribute, QueueTab};
use crate::error::AppError;
use crate::storage::comments::{QueueOrder, QueueQuery, ScoreRange};
use crate::storage::{self, Database};
use crate::views::{self, CommentView};

/// Which comments to list.
#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub tab: QueueTab,
    pub site: Option<String>,
    pub article: Option<String>,
    pub reason: Option<String>,
    pub rule: Option<i64>,
    pub text: Option<String>,
    pub score: Option<ScoreFilter>,
    pub sort: QueueSort,
    pub limit: i64,
    pub cursor: Option<QueueCursor>,
}

/// Comments with a classifier score from `min` to `max`, of one
/// attribute or any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreFilter {
    pub attribute: Option<Attribute>,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueSort {
    Priority,
    Oldest,
    Newest,
}

/// Where the previous page ended: the last item's priority and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCursor {
    pub priority: i32,
    pub id: i64,
}

impl QueueCursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.priority, self.id)
    }

    pub fn decode(raw: &str) -> Option<Self> {
        let (p, id) = raw.split_once('.')?;
        Some(Self {
            priority: p.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

#[derive(Debug)]
pub struct QueuePage {
    pub items: Vec<CommentView>,
    pub next_cursor: Option<QueueCursor>,
}

/// Lists the comments of one queue tab the moderator may see.
#[tracing::instrument(skip(db, moderator), fields(moderator = %moderator.id))]
pub async fn list_queue(
    db: &Database,
    moderator: &ModeratorContext,
    filter: QueueFilter,
) -> Result<QueuePage, AppError> {
    let moderator = moderator.clone();
    db.read(move |conn| {
        let site_ids = super::sites_in_view(conn, &moderator, filter.site.as_deref())?;
        let article_id = match &filter.article {
            None => None,
            Some(external) => {
                // An article id is per site, so it needs the site to be known.
                let [site_id] = site_ids.as_deref().unwrap_or_default() else {
                    return Err(AppError::validation(
                        "article",
                        "filtering by article needs site= (article ids are per site)",
                    ));
                };
                match storage::articles::find_by_external(conn, *site_id, external)? {
                    Some(a) => Some(a.id),
                    None => {
                        return Ok(QueuePage {
                            items: Vec::new(),
                            next_cursor: None,
                        });
                    }
                }
            }
        };
        let after = filter.cursor;
        // Priority orders what waits for a decision; the other tabs list
        // by time: reports oldest first, decisions newest first.
        let sort = match (filter.sort, filter.tab) {
            (QueueSort::Priority, QueueTab::Reported) => QueueSort::Oldest,
            (QueueSort::Priority, QueueTab::Approved | QueueTab::Rejected) => QueueSort::Newest,
            (sort, _) => sort,
        };
        let order = match sort {
            QueueSort::Priority => QueueOrder::Priority {
                after: after.map(|c| (c.priority, c.id)),
            },
            QueueSort::Oldest => QueueOrder::Oldest {
                after: after.map(|c| c.id),
            },
            QueueSort::Newest => QueueOrder::Newest {
                before: after.map(|c| c.id),
            },
        };
        let rows = storage::comments::queue(
            conn,
            &QueueQuery {
                tab: filter.tab,
                site_ids,
                article_id,
                reason_code: filter.reason.clone(),
                rule_id: filter.rule,
                text: filter.text.clone(),
                score: filter.score.map(|s| ScoreRange {
                    attribute: s.attribute.map(|a| a.as_str().to_owned()),
                    min: s.min,
                    max: s.max,
                }),
                order,
                limit: filter.limit + 1,
            },
        )?;
        page(conn, rows, filter.limit)
    })
    .await
}

fn page(
    conn: &mut storage::DbConn,
    mut rows: Vec<storage::comments::CommentRow>,
    limit: i64,
) -> Result<QueuePage, AppError> {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        rows.last().map(|r| QueueCursor {
            priority: r.priority,
            id: r.id,
        })
    } else {
        None
    };
    Ok(QueuePage {
        items: views::load_comments(conn, rows)?,
        next_cursor,
    })
}
