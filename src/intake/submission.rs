use std::net::IpAddr;

use crate::domain::{CommentBody, CommentId, TextField};

/// A parsed comment submission; built by the API from the request body.
#[derive(Debug, Clone)]
pub struct Submission {
    pub article: ArticleRef,
    pub author: AuthorRef,
    pub body: CommentBody,
    pub parent_id: Option<CommentId>,
    pub client_ref: Option<TextField>,
}

/// The article a comment is for, as the site names it.
#[derive(Debug, Clone)]
pub struct ArticleRef {
    pub external_id: TextField,
    pub url: String,
    pub title: String,
}

/// The commenter, as the site knows them.
#[derive(Debug, Clone)]
pub struct AuthorRef {
    pub external_id: TextField,
    pub name: String,
    pub email: Option<String>,
    pub ip: Option<IpAddr>,
}

/// An `Idempotency-Key` with a hash of the request body it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub key: TextField,
    pub request_hash: String,
}
