use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use futures_util::stream::{self, StreamExt};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::page_error::PageError;
use super::session::CurrentSession;
use crate::api::AppState;

/// A comment line every so often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `GET /events`: Server-Sent Events for the queue page. Each `queue` event
/// is a comment of one of the moderator's sites that arrived, was decided,
/// reopened or withdrawn, on any instance; `resync` means events were
/// missed and the page should refresh its count.
pub async fn live_events(
    state: web::Data<AppState>,
    CurrentSession(session): CurrentSession,
) -> Result<HttpResponse, PageError> {
    let receiver = state.live.subscribe();
    let moderator = session.moderator;
    let opening = stream::once(async {
        Ok::<_, actix_web::Error>(web::Bytes::from_static(b"retry: 2000\n: connected\n\n"))
    });
    let events = stream::unfold(
        (receiver, moderator),
        |(mut receiver, moderator)| async move {
            loop {
                let chunk = match actix_web::rt::time::timeout(KEEP_ALIVE, receiver.recv()).await {
                    Err(_) => web::Bytes::from_static(b": keep-alive\n\n"),
                    Ok(Ok(event)) => {
                        if !moderator.can_access(event.site_id) {
                            continue;
                        }
                        let data = json!({
                            "comment_id": event.comment_id.to_string(),
                            "action": event.action,
                            "status": event.status,
                            "actor": event.actor,
                        });
                        web::Bytes::from(format!("event: queue\ndata: {data}\n\n"))
                    }
                    Ok(Err(RecvError::Lagged(_))) => {
                        web::Bytes::from_static(b"event: resync\ndata: {}\n\n")
                    }
                    Ok(Err(RecvError::Closed)) => return None,
                };
                return Some((Ok(chunk), (receiver, moderator)));
            }
        },
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        // A compressor would hold events back until its buffer fills.
        .insert_header(header::ContentEncoding::Identity)
        .streaming(opening.chain(events)))
}
