//! Every term of every term rule in one Aho-Corasick automaton, run over the
//! normalised text, with word-boundary modes and per-rule allowlists.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::definition::{Term, TermMode};
use super::normalise::{normalize, term_text};

/// One term as compiled: which rule it belongs to and how it must match.
#[derive(Debug, Clone)]
struct TermTarget {
    rule: usize,
    mode: TermMode,
    display: String,
}

pub struct TermMatcher {
    automaton: AhoCorasick,
    targets: Vec<Vec<TermTarget>>,
    allow: Option<(AhoCorasick, Vec<Vec<usize>>)>,
}

/// A term hit in normalised-text byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub term: String,
}

/// The matching form of a term: normalised like comment text, `l` read as `i`.
pub fn term_key(text: &str) -> String {
    term_text(&normalize(text).text).trim().to_owned()
}

impl TermMatcher {
    /// `rules` pairs a rule index with its terms and allowlist.
    pub fn build(rules: &[(usize, Vec<Term>, Vec<String>)]) -> Result<Option<Self>, String> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<TermTarget>> = Vec::new();
        let mut allow_index: HashMap<String, usize> = HashMap::new();
        let mut allow_patterns: Vec<String> = Vec::new();
        let mut allow_rules: Vec<Vec<usize>> = Vec::new();
        for (rule, terms, allow) in rules {
            for term in terms {
                let key = term_key(&term.text);
                if key.is_empty() {
                    continue;
                }
                let slot = *index.entry(key.clone()).or_insert_with(|| {
                    patterns.push(key);
                    targets.push(Vec::new());
                    patterns.len() - 1
                });
                targets[slot].push(TermTarget {
                    rule: *rule,
                    mode: term.mode,
                    display: term.text.clone(),
                });
            }
            for word in allow {
                let key = term_key(word);
                if key.is_empty() {
                    continue;
                }
                let slot = *allow_index.entry(key.clone()).or_insert_with(|| {
                    allow_patterns.push(key);
                    allow_rules.push(Vec::new());
                    allow_patterns.len() - 1
                });
                allow_rules[slot].push(*rule);
            }
        }
        if patterns.is_empty() {
            return Ok(None);
        }
        // A DFA costs more to build and keep but scans fastest; with the
        // term counts sites use (thousands) it stays a few megabytes.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let allow = if allow_patterns.is_empty() {
            None
        } else {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&allow_patterns)
                .map_err(|e| e.to_string())?;
            Some((ac, allow_rules))
        };
        Ok(Some(Self {
            automaton,
            targets,
            allow,
        }))
    }

    /// All hits in `text` (the term form of the normalised comment).
    pub fn find(&self, text: &str) -> Vec<TermHit> {
        let mut hits = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            let left = boundary_before(text, start);
            let right = boundary_after(text, end);
            for target in &self.targets[m.pattern().as_usize()] {
                let ok = match target.mode {
                    TermMode::Word => left && right,
                    TermMode::Prefix => left,
                    TermMode::Substring => true,
                };
                if ok && !self.allowed(text, target.rule, start, end) {
                    // A prefix hit shows the whole word it starts.
                    let end = match target.mode {
                        TermMode::Prefix => text[end..]
                            .char_indices()
                            .find(|(_, c)| !is_word(*c))
                            .map(|(i, _)| end + i)
                            .unwrap_or(text.len()),
                        TermMode::Word | TermMode::Substring => end,
                    };
                    hits.push(TermHit {
                        rule: target.rule,
                        start,
                        end,
                        term: target.display.clone(),
                    });
                }
            }
        }
        hits
    }

    /// Whether an allowlisted word of `rule` covers `[start, end)`.
    fn allowed(&self, text: &str, rule: usize, start: usize, end: usize) -> bool {
        let Some((ac, rules)) = &self.allow else {
            return false;
        };
        // Only the word around the hit can allow it.
        let from = word_start(text, start);
        let to = word_end(text, end);
        ac.find_overlapping_iter(&text[from..to]).any(|m| {
            let (s, e) = (from + m.start(), from + m.end());
            s <= start
                && end <= e
                && boundary_before(text, s)
                && boundary_after(text, e)
                && rules[m.pattern().as_usize()].contains(&rule)
        })
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

fn boundary_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_none_or(|c| !is_word(c))
}

fn boundary_after(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_none_or(|c| !is_word(c))
}

/// The start of the (possibly multi-word) stretch around `at`: allowlist
/// entries may be phrases, so extend over spaces between words too.
fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word(*c) && *c != ' ')
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|(_, c)| !is_word(*c) && *c != ' ')
        .map(|(i, _)| at + i)
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, mode: TermMode) -> Term {
        Term {
            text: text.into(),
            mode,
        }
    }

    fn hits(matcher: &TermMatcher, comment: &str) -> Vec<String> {
        let n = normalize(comment);
        let t = term_text(&n.text);
        matcher
            .find(&t)
            .into_iter()
            .map(|h| {
                let (s, e) = n.original_span(h.start, h.end);
                comment[s..e].to_owned()
            })
            .collect()
    }

    #[test]
    fn whole_words_do_not_hit_inside_other_words() {
        let m = TermMatcher::build(&[(
            0,
            vec![term("class", TermMode::Word), term("press", TermMode::Word)],
            vec![],
        )])
        .expect("build")
        .expect("matcher");
        assert!(hits(&m, "a classic WordPress site").is_empty());
        assert_eq!(hits(&m, "First class! Press here."), ["class", "Press"]);
    }

    #[test]
    fn prefix_and_substring_modes() {
        let m = TermMatcher::build(&[(
            0,
            vec![
                term("scam", TermMode::Prefix),
                term("cock", TermMode::Substring),
            ],
            vec![],
        )])
        .expect("build")
        .expect("matcher");
        assert_eq!(hits(&m, "scammers everywhere"), ["scammers"]);
        assert!(
            hits(&m, "a noscam zone").is_empty(),
            "prefix needs a word start"
        );
        assert_eq!(hits(&m, "peacock"), ["cock"]);
    }

    #[test]
    fn allowlist_suppresses_hits_inside_allowed_words() {
        let m = TermMatcher::build(&[(
            0,
            vec![
                term("cunt", TermMode::Substring),
                term("ass", TermMode::Substring),
                term("cock", TermMode::Substring),
            ],
            vec!["Scunthorpe".into(), "assassin".into(), "cocktail".into()],
        )])
        .expect("build")
        .expect("matcher");
        assert!(hits(&m, "Scunthorpe's assassin ordered a cocktail").is_empty());
        assert_eq!(hits(&m, "what a cock"), ["cock"]);
    }

    #[test]
    fn evasions_are_seen_through_and_spans_point_at_the_original() {
        let m = TermMatcher::build(&[(
            3,
            vec![
                term("free money", TermMode::Word),
                term("idiot", TermMode::Word),
            ],
            vec![],
        )])
        .expect("build")
        .expect("matcher");
        assert_eq!(hits(&m, "get f.r.e.e m.o.n.e.y now"), ["f.r.e.e m.o.n.e.y"]);
        assert_eq!(hits(&m, "FR33 M0NEY!!"), ["FR33 M0NEY"]);
        assert_eq!(hits(&m, "you 1diot"), ["1diot"]);
        assert_eq!(
            hits(&m, "you \u{0456}d\u{0456}ot 😀"),
            ["\u{0456}d\u{0456}ot"]
        );
        assert_eq!(hits(&m, "i\u{200B}diot"), ["i\u{200B}diot"]);
    }

    #[test]
    fn one_term_in_two_rules_hits_both() {
        let m = TermMatcher::build(&[
            (0, vec![term("spam", TermMode::Word)], vec![]),
            (1, vec![term("spam", TermMode::Word)], vec![]),
        ])
        .expect("build")
        .expect("matcher");
        let found = m.find("spam");
        let rules: Vec<usize> = found.iter().map(|h| h.rule).collect();
        assert_eq!(rules, [0, 1]);
    }
}
