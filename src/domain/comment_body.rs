/// The text of a comment, kept byte for byte as the site sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentBodyError {
    #[error("body must not be empty")]
    Empty,
    #[error("body is {chars} characters; the limit is {max}")]
    TooLong { chars: usize, max: usize },
    #[error("body must not contain NUL characters")]
    Nul,
}

impl CommentBody {
    /// Accepts any non-blank text of at most `max_chars` Unicode scalar values
    /// without NUL. The text is not trimmed or normalised: moderators see what
    /// the commenter wrote.
    pub fn parse(value: String, max_chars: usize) -> Result<Self, CommentBodyError> {
        if value.trim().is_empty() {
            return Err(CommentBodyError::Empty);
        }
        if value.contains('\0') {
            return Err(CommentBodyError::Nul);
        }
        let chars = value.chars().count();
        if chars > max_chars {
            return Err(CommentBodyError::TooLong {
                chars,
                max: max_chars,
            });
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_exactly() {
        let text = "  Hello <b>world</b>\r\n\u{1F600} ".to_owned();
        let body = CommentBody::parse(text.clone(), 100).map(CommentBody::into_inner);
        assert_eq!(body, Ok(text));
    }

    #[test]
    fn refuses_bad_bodies() {
        assert_eq!(
            CommentBody::parse(" \n\t".into(), 10),
            Err(CommentBodyError::Empty)
        );
        assert_eq!(
            CommentBody::parse("a\0b".into(), 10),
            Err(CommentBodyError::Nul)
        );
        assert_eq!(
            CommentBody::parse("ééé".into(), 2),
            Err(CommentBodyError::TooLong { chars: 3, max: 2 })
        );
        assert!(CommentBody::parse("ééé".into(), 3).is_ok());
    }
}
