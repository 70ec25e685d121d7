//! What an edit changed, word by word, for moderators to read.

use similar::{ChangeTag, TextDiff};

/// One run of text in a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffPart {
    pub change: DiffChange,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffChange {
    Same,
    Removed,
    Added,
}

impl DiffChange {
    pub fn as_str(self) -> &'static str {
        match self {
            DiffChange::Same => "same",
            DiffChange::Removed => "removed",
            DiffChange::Added => "added",
        }
    }
}

/// The word diff from `before` to `after`, neighbouring words of one kind
/// joined into a single part. The diff gives up refining past a deadline,
/// so a huge edit costs bounded time (it then shows larger blocks).
pub fn body_diff(before: &str, after: &str) -> Vec<DiffPart> {
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(50))
        .diff_words(before, after);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => DiffChange::Same,
            ChangeTag::Delete => DiffChange::Removed,
            ChangeTag::Insert => DiffChange::Added,
        };
        match parts.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => parts.push(DiffPart {
                change: kind,
                text: change.value().to_owned(),
            }),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(parts: &[DiffPart]) -> String {
        parts
            .iter()
            .map(|p| match p.change {
                DiffChange::Same => p.text.clone(),
                DiffChange::Removed => format!("[-{}-]", p.text),
                DiffChange::Added => format!("{{+{}+}}", p.text),
            })
            .collect()
    }

    #[test]
    fn shows_the_words_an_edit_added_and_removed() {
        let parts = body_diff(
            "Great article, thanks.",
            "Great article, thanks. Cheap pills at http://spam.example",
        );
        assert_eq!(
            render(&parts),
            "Great article, thanks.{+ Cheap pills at http://spam.example+}"
        );
        let parts = body_diff("I agree with you", "I disagree with you");
        assert_eq!(render(&parts), "I [-agree-]{+disagree+} with you");
    }

    #[test]
    fn the_parts_rebuild_both_texts() {
        let (before, after) = ("one two three four", "one 2 three five four six");
        let parts = body_diff(before, after);
        let side = |skip: DiffChange| -> String {
            parts
                .iter()
                .filter(|p| p.change != skip)
                .map(|p| p.text.as_str())
                .collect()
        };
        assert_eq!(side(DiffChange::Added), before);
        assert_eq!(side(DiffChange::Removed), after);
        assert_eq!(body_diff("same", "same").len(), 1);
    }
}
