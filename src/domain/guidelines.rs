use serde::{Deserialize, Serialize};

/// One of a site's written guidelines; rejections cite it by `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Guideline {
    pub code: String,
    pub title: String,
    pub text: String,
}

/// A site's guidelines, with unique well-formed codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Guidelines(Vec<Guideline>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuidelinesError {
    #[error("guideline code {0:?} must be 1-64 characters of a-z, 0-9, '_' or '-'")]
    BadCode(String),
    #[error("guideline code {0:?} appears more than once")]
    Duplicate(String),
    #[error("guideline {0:?} needs a title of 1-200 characters")]
    BadTitle(String),
    #[error("guideline {0:?} text must be at most 5000 characters")]
    TextTooLong(String),
    #[error("at most 100 guidelines are allowed")]
    TooMany,
}

impl Guidelines {
    pub fn parse(items: Vec<Guideline>) -> Result<Self, GuidelinesError> {
        if items.len() > 100 {
            return Err(GuidelinesError::TooMany);
        }
        let mut seen = std::collections::HashSet::new();
        for g in &items {
            let code_ok = (1..=64).contains(&g.code.len())
                && g.code.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                });
            if !code_ok {
                return Err(GuidelinesError::BadCode(g.code.clone()));
            }
            if !seen.insert(g.code.as_str()) {
                return Err(GuidelinesError::Duplicate(g.code.clone()));
            }
            let title_len = g.title.trim().chars().count();
            if title_len == 0 || title_len > 200 || g.title.contains('\0') {
                return Err(GuidelinesError::BadTitle(g.code.clone()));
            }
            if g.text.chars().count() > 5000 || g.text.contains('\0') {
                return Err(GuidelinesError::TextTooLong(g.code.clone()));
            }
        }
        Ok(Self(items))
    }

    /// Reads guidelines stored by modq itself; they were valid when written.
    pub fn from_stored(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json).map(Self)
    }

    pub fn to_stored(&self) -> String {
        // Serialising plain strings cannot fail.
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_owned())
    }

    pub fn find(&self, code: &str) -> Option<&Guideline> {
        self.0.iter().find(|g| g.code == code)
    }

    pub fn items(&self) -> &[Guideline] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(code: &str, title: &str) -> Guideline {
        Guideline {
            code: code.into(),
            title: title.into(),
            text: String::new(),
        }
    }

    #[test]
    fn parses_valid_guidelines() {
        let parsed = Guidelines::parse(vec![g("spam", "No spam"), g("off-topic", "Stay on topic")]);
        let parsed = parsed.unwrap_or_default();
        assert_eq!(
            parsed.find("spam").map(|g| g.title.as_str()),
            Some("No spam")
        );
        assert!(parsed.find("abuse").is_none());
        let stored = parsed.to_stored();
        assert_eq!(Guidelines::from_stored(&stored).ok(), Some(parsed));
    }

    #[test]
    fn refuses_bad_guidelines() {
        assert_eq!(
            Guidelines::parse(vec![g("Spam!", "x")]),
            Err(GuidelinesError::BadCode("Spam!".into()))
        );
        assert_eq!(
            Guidelines::parse(vec![g("a", "x"), g("a", "y")]),
            Err(GuidelinesError::Duplicate("a".into()))
        );
        assert_eq!(
            Guidelines::parse(vec![g("a", " ")]),
            Err(GuidelinesError::BadTitle("a".into()))
        );
    }
}
