//! CSRF tokens: every state-changing form and fetch repeats its session's
//! token, which a page from another origin cannot read.

use crate::accounts::Session;
use crate::error::AppError;

pub fn check(session: &Session, provided: &str) -> Result<(), AppError> {
    if same(provided.as_bytes(), session.csrf_token.as_bytes()) {
        Ok(())
    } else {
        Err(AppError::CsrfRejected)
    }
}

/// Compares in time that does not depend on where the inputs differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn compares_whole_tokens() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
        assert!(!same(b"", b"a"));
    }
}
