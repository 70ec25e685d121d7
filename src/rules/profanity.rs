//! The profanity rule, on top of `rustrict`'s maintained word lists.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use rustrict::{Censor, Type};

use super::definition::Severity;
use super::normalise::Normalized;
use super::terms::term_key;

/// Stems that nearly every word `rustrict` flags contains. `rustrict` costs
/// a few hundred microseconds per kilobyte, so it runs only on text that
/// contains one of these (after normalisation, which already undoes
/// leetspeak, look-alikes and spacing).
const STEMS: &[&str] = &[
    "fuck", "fuk", "fck", "shit", "cunt", "bitch", "dick", "cock", "pussy", "asshole", "arse",
    "bastard", "whore", "slut", "nigg", "fag", "retard", "twat", "wank", "piss", "jizz", "tits",
    "porn", "rapist", "nazi", "dyke", "tranny", "chink", "kike", "gook", "bollock", "bugger",
    "blowjob", "dildo", "motherf", "wtf", "stfu", "kys", "prick", "douche", "skank", "milf",
];

static PREFILTER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let keys: Vec<String> = STEMS.iter().map(|s| term_key(s)).collect();
    AhoCorasick::new(keys).ok()
});

/// Spans (original byte offsets) of profanity at or above `severity`.
/// `rustrict` runs on the normalised text and censors with `*`; where it
/// kept the length, the censored characters map back to exact spans,
/// otherwise the hit is reported without one.
pub fn find(
    normalized: &Normalized,
    term_text: &str,
    severity: Severity,
) -> Vec<Option<(usize, usize)>> {
    let level = match severity {
        Severity::Mild => Type::MILD_OR_HIGHER,
        Severity::Moderate => Type::MODERATE_OR_HIGHER,
        Severity::Severe => Type::SEVERE,
    };
    let threshold = (Type::PROFANE | Type::OFFENSIVE | Type::SEXUAL | Type::MEAN) & level;
    let text = &normalized.text;
    if let Some(prefilter) = PREFILTER.as_ref()
        && !prefilter.is_match(term_text)
    {
        return Vec::new();
    }
    // Normalisation already turned digits inside words into letters; the
    // digits left stand alone (prices, phone numbers), and rustrict's own
    // leetspeak reading would find words in them.
    let masked: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { ' ' } else { c })
        .collect();
    let mut censor = Censor::from_str(&masked);
    censor
        .with_censor_threshold(threshold)
        .with_censor_first_character_threshold(threshold)
        .with_censor_replacement('\u{2588}');
    let (censored, found) = censor.censor_and_analyze();
    if !found.is(threshold) {
        return Vec::new();
    }
    let original: Vec<(usize, char)> = text.char_indices().collect();
    let marked: Vec<char> = censored.chars().collect();
    if marked.len() != original.len() {
        return vec![None];
    }
    let mut spans = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    for (i, (&(at, c), &m)) in original.iter().zip(&marked).enumerate() {
        let hidden = m == '\u{2588}' && c != '\u{2588}';
        match (hidden, run) {
            (true, None) => run = Some((at, at + c.len_utf8())),
            (true, Some((s, _))) => run = Some((s, at + c.len_utf8())),
            (false, Some((s, e))) => {
                // Keep a run open across the spaces inside a phrase.
                let continues = c == ' ' && marked.get(i + 1) == Some(&'\u{2588}');
                if continues {
                    run = Some((s, e));
                } else {
                    spans.push(Some(normalized.original_span(s, e)));
                    run = None;
                }
            }
            (false, None) => {}
        }
    }
    if let Some((s, e)) = run {
        spans.push(Some(normalized.original_span(s, e)));
    }
    if spans.is_empty() {
        spans.push(None);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::normalise::normalize;

    fn words(text: &str, severity: Severity) -> Vec<String> {
        let n = normalize(text);
        find(&n, &crate::rules::normalise::term_text(&n.text), severity)
            .into_iter()
            .map(|span| span.map(|(s, e)| text[s..e].to_owned()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn finds_profanity_with_spans() {
        assert_eq!(words("well, fuck this", Severity::Moderate), ["fuck"]);
        assert_eq!(words("what the SH1T", Severity::Moderate), ["SH1T"]);
        assert!(words("a perfectly pleasant remark", Severity::Mild).is_empty());
        assert!(words("Scunthorpe is a town", Severity::Moderate).is_empty());
        assert!(words("call +1 415 555 0134", Severity::Mild).is_empty());
    }
}
