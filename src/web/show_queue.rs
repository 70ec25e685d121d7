use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::nav::nav;
use super::page_error::PageError;
use super::queue_card::card;
use super::session::CurrentSession;
use super::templates::{Card, GuidelineOption, QueuePage, render};
use crate::api::AppState;
use crate::domain::SiteId;
use crate::moderation::{self, QueueCursor, QueueFilter, QueueSort};

/// Cards per page.
const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub struct QueueQuery {
    site: Option<String>,
    sort: Option<String>,
    after: Option<String>,
}

/// `GET /`: the queue, highest priority first.
pub async fn show_queue(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let sort = match query.sort.as_deref() {
        Some("oldest") => QueueSort::Oldest,
        Some("newest") => QueueSort::Newest,
        _ => QueueSort::Priority,
    };
    let filter = QueueFilter {
        site: query.site.clone().filter(|s| !s.is_empty()),
        article: None,
        reason: None,
        sort,
        limit: PAGE_SIZE,
        cursor: query.after.as_deref().and_then(QueueCursor::decode),
    };
    let page = moderation::list_queue(&state.db, &session.moderator, filter).await?;
    let mut sites: Vec<SiteId> = page.items.iter().map(|c| c.site_id).collect();
    sites.sort_unstable_by_key(|s| s.0);
    sites.dedup();
    let overview = moderation::queue_overview(&state.db, &session.moderator, sites).await?;
    let ids = page.items.iter().map(|c| c.id).collect();
    let leases = moderation::leases_for(&state.db, ids).await?;
    let now = chrono::Utc::now().naive_utc();
    let mut cards: Vec<Card> = page
        .items
        .iter()
        .map(|c| {
            let mut card = card(c, &overview, now);
            card.leased_by = leases
                .get(&c.id)
                .filter(|l| l.moderator_id != session.moderator.id)
                .map(|l| l.moderator.clone());
            card
        })
        .collect();
    // Comments someone else is reviewing go last (a stable sort keeps the
    // queue's order otherwise).
    cards.sort_by_key(|c| c.leased_by.is_some());
    let next_page = page.next_cursor.map(|cursor| {
        let mut url = format!("/?after={}", cursor.encode());
        if let Some(sort) = query
            .sort
            .as_deref()
            .filter(|s| matches!(*s, "oldest" | "newest"))
        {
            url.push_str("&sort=");
            url.push_str(sort);
        }
        if let Some(site) = &query.site {
            url.push_str("&site=");
            url.push_str(&site.replace(
                |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
                "",
            ));
        }
        url
    });
    let mut bulk_guidelines: Vec<GuidelineOption> = Vec::new();
    for card in &cards {
        for g in &card.guidelines {
            if !bulk_guidelines.iter().any(|b| b.code == g.code) {
                bulk_guidelines.push(g.clone());
            }
        }
    }
    Ok(render(&QueuePage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        csrf: session.csrf_token.clone(),
        cards,
        next_page,
        site_filter: query.site.unwrap_or_default(),
        bulk_guidelines,
    }))
}
