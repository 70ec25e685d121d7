/// A short piece of client-supplied text (an external id, a name, a title): not
/// empty, bounded in length, and free of NUL bytes so every database keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextFieldError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain NUL characters")]
    Nul,
}

impl TextField {
    pub fn parse(value: &str, max_chars: usize) -> Result<Self, TextFieldError> {
        if value.trim().is_empty() {
            return Err(TextFieldError::Empty);
        }
        if value.contains('\0') {
            return Err(TextFieldError::Nul);
        }
        if value.chars().count() > max_chars {
            return Err(TextFieldError::TooLong { max: max_chars });
        }
        Ok(Self(value.to_owned()))
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
    fn parses_and_refuses() {
        assert_eq!(
            TextField::parse("abc", 3).map(|t| t.into_inner()),
            Ok("abc".into())
        );
        assert_eq!(TextField::parse("  ", 3), Err(TextFieldError::Empty));
        assert_eq!(TextField::parse("a\0", 3), Err(TextFieldError::Nul));
        assert_eq!(
            TextField::parse("abcd", 3),
            Err(TextFieldError::TooLong { max: 3 })
        );
        assert!(TextField::parse("ééé", 3).is_ok());
    }
}
