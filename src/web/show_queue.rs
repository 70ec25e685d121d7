use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::assets;
use super::nav::{capped_count, nav};
use super::page_error::PageError;
use super::queue_card::card;
use super::queue_view::QueueView;
use super::session::CurrentSession;
use super::templates::{Card, GuidelineOption, QueuePage, TabLink, render};
use crate::api::AppState;
use crate::domain::{QueueTab, SiteId};
use crate::moderation::{self, QueueCursor};

/// Cards per page.
const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub struct Page {
    after: Option<String>,
    /// Set when saving a view failed, to say why.
    save_error: Option<String>,
}

/// `GET /`: a queue tab (pending by default), highest priority first.
pub async fn show_queue(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
    view: web::Query<QueueView>,
    page: web::Query<Page>,
) -> Result<HttpResponse, PageError> {
    let view = view.into_inner();
    let cursor = page.after.as_deref().and_then(QueueCursor::decode);
    let filter = view.filter(PAGE_SIZE, cursor)?;
    let listing = moderation::list_queue(&state.db, &session.moderator, filter).await?;
    let mut sites: Vec<SiteId> = listing.items.iter().map(|c| c.site_id).collect();
    sites.sort_unstable_by_key(|s| s.0);
    sites.dedup();
    let overview = moderation::queue_overview(&state.db, &session.moderator, sites).await?;
    let ids = listing.items.iter().map(|c| c.id).collect();
    let leases = moderation::leases_for(&state.db, ids).await?;
    let context = moderation::card_context(&state.db, &session.moderator, &listing.items).await?;
    let tab = view.tab();
    let now = chrono::Utc::now().naive_utc();
    let mut cards: Vec<Card> = listing
        .items
        .iter()
        .map(|c| {
            let mut card = card(c, &overview, &context, tab, now);
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
    let next_page = listing.next_cursor.map(|cursor| {
        let rest = view.query_string();
        let rest = if rest.is_empty() {
            rest
        } else {
            format!("&{rest}")
        };
        format!("/?after={}{rest}", cursor.encode())
    });
    let tabs = QueueTab::ALL
        .into_iter()
        .map(|t| {
            let count = match t {
                QueueTab::Pending => Some(overview.pending),
                QueueTab::Reported => Some(overview.reported),
                QueueTab::Edited => Some(overview.edited),
                QueueTab::Approved | QueueTab::Rejected => None,
            };
            let mut link = view.clone();
            link.tab = if t == QueueTab::Pending {
                String::new()
            } else {
                t.as_str().to_owned()
            };
            TabLink {
                title: t.title(),
                href: format!("/?{}", link.query_string()),
                count: count.map(capped_count),
                current: t == tab,
            }
        })
        .collect();
    let clear = QueueView {
        tab: view.tab.clone(),
        ..QueueView::default()
    };
    let mut bulk_guidelines: Vec<GuidelineOption> = Vec::new();
    for card in &cards {
        for g in &card.guidelines {
            if !bulk_guidelines.iter().any(|b| b.code == g.code) {
                bulk_guidelines.push(g.clone());
            }
        }
    }
    let choices = moderation::queue_choices(&state.db, &session.moderator).await?;
    let saved = moderation::saved_queues(&state.db, &session.moderator).await?;
    Ok(render(&QueuePage {
        assets: assets::version(),
        nav: Some(nav(&session, &overview)),
        csrf: session.csrf_token.clone(),
        cards,
        next_page,
        view,
        bulk_guidelines,
        choices,
        saved,
        save_error: page.save_error.clone(),
        tab,
        tabs,
        heading: heading(tab),
        empty_text: empty_text(tab),
        clear_href: format!("/?{}", clear.query_string()),
    }))
}

fn heading(tab: QueueTab) -> &'static str {
    match tab {
        QueueTab::Pending => "Pending comments",
        QueueTab::Reported => "Reported by readers",
        QueueTab::Edited => "Edited, waiting again",
        QueueTab::Approved => "Approved comments",
        QueueTab::Rejected => "Rejected comments",
    }
}

fn empty_text(tab: QueueTab) -> &'static str {
    match tab {
        QueueTab::Pending => "Nothing is waiting. New comments appear here as they arrive.",
        QueueTab::Reported => "No published comment waits on readers' reports.",
        QueueTab::Edited => "No edited comment is waiting.",
        QueueTab::Approved => "No approved comments yet.",
        QueueTab::Rejected => "No rejected comments yet.",
    }
}
