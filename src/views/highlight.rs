//! Splits a comment body into plain stretches and highlighted ones, one per
//! matched span, so a template can show exactly what each rule matched. The
//! text stays text: templates escape every stretch.

/// A stretch of the body; `label` names the rules that matched it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub label: Option<String>,
}

/// A span to highlight: byte offsets into the body and what matched there.
#[derive(Debug, Clone)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub label: String,
}

/// The body cut at every mark's edges. Overlapping marks share a segment
/// with both labels; marks outside the body or off a character boundary
/// are ignored rather than trusted.
pub fn highlight(body: &str, marks: &[Mark]) -> Vec<Segment> {
    let marks: Vec<&Mark> = marks
        .iter()
        .filter(|m| {
            m.start < m.end
                && m.end <= body.len()
                && body.is_char_boundary(m.start)
                && body.is_char_boundary(m.end)
        })
        .collect();
    let mut cuts: Vec<usize> = marks
        .iter()
        .flat_map(|m| [m.start, m.end])
        .chain([0, body.len()])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut segments: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let mut labels: Vec<&str> = marks
            .iter()
            .filter(|m| m.start <= from && to <= m.end)
            .map(|m| m.label.as_str())
            .collect();
        labels.dedup();
        let label = (!labels.is_empty()).then(|| labels.join("; "));
        match segments.last_mut() {
            Some(last) if last.label == label => last.text.push_str(&body[from..to]),
            _ => segments.push(Segment {
                text: body[from..to].to_owned(),
                label,
            }),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, label: &str) -> Mark {
        Mark {
            start,
            end,
            label: label.to_owned(),
        }
    }

    fn shown(segments: &[Segment]) -> Vec<(String, Option<String>)> {
        segments
            .iter()
            .map(|s| (s.text.clone(), s.label.clone()))
            .collect()
    }

    #[test]
    fn marks_cut_the_body() {
        let body = "buy cheap pills now";
        let got = highlight(body, &[mark(4, 9, "spam words")]);
        assert_eq!(
            shown(&got),
            vec![
                ("buy ".to_owned(), None),
                ("cheap".to_owned(), Some("spam words".to_owned())),
                (" pills now".to_owned(), None),
            ]
        );
    }

    #[test]
    fn overlapping_marks_share_labels() {
        let body = "abcdef";
        let got = highlight(body, &[mark(0, 4, "one"), mark(2, 6, "two")]);
        let labels: Vec<Option<String>> = got.iter().map(|s| s.label.clone()).collect();
        assert_eq!(
            labels,
            vec![
                Some("one".into()),
                Some("one; two".into()),
                Some("two".into())
            ]
        );
        let text: String = got.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, body);
    }

    #[test]
    fn bad_marks_are_ignored() {
        let body = "héllo";
        // 2 is inside "é"; 99 is past the end; 3..3 is empty.
        let got = highlight(body, &[mark(1, 2, "x"), mark(0, 99, "y"), mark(3, 3, "z")]);
        assert_eq!(shown(&got), vec![("héllo".to_owned(), None)]);
    }
}
