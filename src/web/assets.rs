//! The stylesheet and script, compiled into the binary and served by modq
//! itself: nothing comes from a CDN. URLs carry a content hash, so browsers
//! may cache them for a year.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header;
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../../static/modq.css");
const SCRIPT: &str = include_str!("../../static/modq.js");

static VERSION: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::new()
        .chain_update(STYLESHEET)
        .chain_update(SCRIPT)
        .finalize();
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
});

/// Changes whenever the stylesheet or script does.
pub fn version() -> &'static str {
    &VERSION
}

pub async fn stylesheet() -> HttpResponse {
    asset("text/css; charset=utf-8", STYLESHEET)
}

pub async fn script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

fn asset(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(body)
}
