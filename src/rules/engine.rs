//! Compiles a site's rules into one matcher set and evaluates comments
//! against it. Compilation validates; evaluation never fails.

use std::net::IpAddr;

use regex::{Regex, RegexBuilder};
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::{Input, PatternSet};

use super::blocklist::IpRange;
use super::definition::{
    BehaviourSpec, Matcher, RuleAction, RuleDefinition, RuleMode, Severity, ShapeSpec, Term,
};
use super::links;
use super::normalise::{Normalized, normalize, term_text};
use super::profanity;
use super::shape;
use super::terms::{TermMatcher, term_key};
use crate::domain::Span;

/// Compiled size cap per pattern: `regex` runs in linear time, and this keeps
/// memory bounded too.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// At most this many hits are recorded per rule and comment.
const HITS_PER_RULE: usize = 5;

/// A stored rule as the engine needs it.
#[derive(Debug, Clone)]
pub struct RuleRecord {
    pub id: i64,
    pub version: i32,
    /// `None` for a rule of every site.
    pub site_id: Option<i64>,
    /// Limits the rule to one article (the site's external id).
    pub article: Option<String>,
    pub definition: RuleDefinition,
}

/// A rule that cannot be compiled: which field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RuleError {
    pub field: String,
    pub message: String,
}

fn invalid(field: &str, message: impl Into<String>) -> RuleError {
    RuleError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// What a comment brings to the rules.
#[derive(Debug, Clone, Copy)]
pub struct CommentInput<'a> {
    pub body: &'a str,
    pub article: &'a str,
    pub author_id: &'a str,
    pub email: Option<&'a str>,
    pub ip: Option<IpAddr>,
}

/// One rule hit, recorded as a reason on the comment.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHit {
    pub rule_id: i64,
    pub rule_version: i32,
    pub rule_name: String,
    pub action: RuleAction,
    pub mode: RuleMode,
    pub reason: Option<String>,
    pub message: String,
    pub priority: i32,
    pub span: Option<Span>,
    /// Counts only if the author is still under the new-author hold, which
    /// intake knows once it has read the author.
    pub needs_new_author: bool,
}

/// A raw hit before it is dressed as a [`RuleHit`].
struct Found {
    rule: usize,
    span: Option<(usize, usize)>,
    detail: String,
    needs_new_author: bool,
}

struct RuleMeta {
    record: RuleRecord,
}

enum Check {
    Links {
        max_links: Option<u32>,
        block: Vec<String>,
        allow: Vec<String>,
        shorteners: bool,
        new_authors: bool,
    },
    Shape(ShapeSpec),
    Blocklist {
        authors: Vec<String>,
        email_domains: Vec<String>,
        ips: Vec<IpRange>,
    },
}

struct RegexGroup {
    /// Which patterns match, in one pass. Built without a literal
    /// prefilter: with hundreds of patterns the prefilter fires so often
    /// that it costs more than it saves.
    set: MetaRegex,
    regexes: Vec<(usize, Regex)>,
}

/// Every enabled rule of one site, ready to run.
pub struct CompiledRules {
    rules: Vec<RuleMeta>,
    terms: Option<TermMatcher>,
    normalized_regexes: Option<RegexGroup>,
    raw_regexes: Option<RegexGroup>,
    checks: Vec<(usize, Check)>,
    profanity: Vec<(usize, Severity)>,
    behaviour: Vec<BehaviourCheck>,
    /// Whether any rule looks at links, so others skip extracting them.
    needs_links: bool,
}

/// A behaviour rule, for intake to check against stored comments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BehaviourCheck {
    pub rule: usize,
    pub spec: BehaviourSpec,
}

impl CompiledRules {
    pub fn empty() -> Self {
        Self {
            rules: Vec::new(),
            terms: None,
            normalized_regexes: None,
            raw_regexes: None,
            checks: Vec::new(),
            profanity: Vec::new(),
            behaviour: Vec::new(),
            needs_links: false,
        }
    }

    /// The behaviour rules that apply to a comment on `article`.
    pub fn behaviour_checks<'a>(
        &'a self,
        article: &'a str,
    ) -> impl Iterator<Item = &'a BehaviourCheck> {
        self.behaviour.iter().filter(move |check| {
            self.rules[check.rule]
                .record
                .article
                .as_deref()
                .is_none_or(|a| a == article)
        })
    }

    /// A hit of rule `rule` (an index from [`BehaviourCheck::rule`]).
    pub fn hit_for(&self, rule: usize, detail: &str) -> RuleHit {
        let meta = &self.rules[rule].record;
        let def = &meta.definition;
        let message = match &def.message {
            Some(m) => format!("{m} ({detail})"),
            None => format!("Rule “{}”: {detail}", def.name),
        };
        RuleHit {
            rule_id: meta.id,
            rule_version: meta.version,
            rule_name: def.name.clone(),
            action: def.action,
            mode: def.mode,
            reason: def.reason.clone(),
            message,
            priority: def.priority,
            span: None,
            needs_new_author: false,
        }
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Compiles the enabled rules among `records`.
    pub fn compile(records: &[RuleRecord]) -> Result<Self, RuleError> {
        let mut compiled = Self::empty();
        let mut term_rules: Vec<(usize, Vec<Term>, Vec<String>)> = Vec::new();
        let mut normalized: Vec<(usize, String)> = Vec::new();
        let mut raw: Vec<(usize, String)> = Vec::new();
        for record in records.iter().filter(|r| r.definition.enabled) {
            validate(&record.definition)?;
            let index = compiled.rules.len();
            compiled.rules.push(RuleMeta {
                record: record.clone(),
            });
            match &record.definition.matcher {
                Matcher::Terms { terms, allow } => {
                    term_rules.push((
                        index,
                        terms.iter().map(|t| t.parse()).collect(),
                        allow.clone(),
                    ));
                }
                Matcher::Regex { pattern, normalize } => {
                    if *normalize {
                        normalized.push((index, pattern.clone()));
                    } else {
                        raw.push((index, pattern.clone()));
                    }
                }
                Matcher::Links {
                    max_links,
                    block_domains,
                    allow_domains,
                    shorteners,
                    new_authors,
                } => compiled.checks.push((
                    index,
                    Check::Links {
                        max_links: *max_links,
                        block: block_domains
                            .iter()
                            .filter_map(|d| links::parse_domain(d))
                            .collect(),
                        allow: allow_domains
                            .iter()
                            .filter_map(|d| links::parse_domain(d))
                            .collect(),
                        shorteners: *shorteners,
                        new_authors: *new_authors,
                    },
                )),
                Matcher::Shape(spec) => compiled.checks.push((index, Check::Shape(*spec))),
                Matcher::Profanity { severity } => compiled.profanity.push((index, *severity)),
                Matcher::Behaviour(spec) => compiled.behaviour.push(BehaviourCheck {
                    rule: index,
                    spec: *spec,
                }),
                Matcher::Blocklist {
                    authors,
                    email_domains,
                    ips,
                } => compiled.checks.push((
                    index,
                    Check::Blocklist {
                        authors: authors.clone(),
                        email_domains: email_domains
                            .iter()
                            .map(|d| d.trim().to_lowercase())
                            .collect(),
                        ips: ips
                            .iter()
                            .map(|ip| IpRange::parse(ip))
                            .collect::<Result<_, _>>()
                            .map_err(|e| invalid("match.ips", e))?,
                    },
                )),
            }
        }
        // Link extraction is the costliest structural step; only rule sets
        // that look at links pay for it.
        compiled.needs_links = compiled
            .checks
            .iter()
            .any(|(_, c)| matches!(c, Check::Links { .. }));
        compiled.terms = TermMatcher::build(&term_rules).map_err(|e| invalid("match.terms", e))?;
        compiled.normalized_regexes = regex_group(&normalized, true)?;
        compiled.raw_regexes = regex_group(&raw, false)?;
        Ok(compiled)
    }

    /// Every hit of every applicable rule, in rule order.
    pub fn evaluate(&self, input: &CommentInput<'_>) -> Vec<RuleHit> {
        let mut found: Vec<Found> = Vec::new();
        let needs_normal =
            self.terms.is_some() || self.normalized_regexes.is_some() || !self.profanity.is_empty();
        let normal: Option<Normalized> = needs_normal.then(|| normalize(input.body));
        let term_form: Option<String> = normal
            .as_ref()
            .filter(|_| self.terms.is_some() || !self.profanity.is_empty())
            .map(|n| term_text(&n.text));
        if let (Some(terms), Some(n), Some(text)) = (&self.terms, &normal, &term_form) {
            for hit in terms.find(text) {
                let span = n.original_span(hit.start, hit.end);
                found.push(Found {
                    rule: hit.rule,
                    span: Some(span),
                    detail: format!("matched the term “{}”", hit.term),
                    needs_new_author: false,
                });
            }
        }
        if let (Some(group), Some(n)) = (&self.normalized_regexes, &normal) {
            for (rule, start, end) in group.find(&n.text) {
                found.push(Found {
                    rule,
                    span: Some(n.original_span(start, end)),
                    detail: "matched the pattern".into(),
                    needs_new_author: false,
                });
            }
        }
        if let (Some(n), Some(text)) = (&normal, &term_form) {
            for (rule, severity) in &self.profanity {
                for span in profanity::find(n, text, *severity) {
                    found.push(Found {
                        rule: *rule,
                        span,
                        detail: "has profanity".into(),
                        needs_new_author: false,
                    });
                }
            }
        }
        if let Some(group) = &self.raw_regexes {
            for (rule, start, end) in group.find(input.body) {
                found.push(Found {
                    rule,
                    span: Some((start, end)),
                    detail: "matched the pattern".into(),
                    needs_new_author: false,
                });
            }
        }
        if !self.checks.is_empty() {
            let comment_links = if self.needs_links {
                links::extract(input.body)
            } else {
                Vec::new()
            };
            for (rule, check) in &self.checks {
                run_check(*rule, check, input, &comment_links, &mut found);
            }
        }
        found.sort_by_key(|f| (f.rule, f.span.map(|s| s.0)));
        let mut hits = Vec::new();
        let mut per_rule = (usize::MAX, 0);
        for Found {
            rule,
            span,
            detail,
            needs_new_author,
        } in found
        {
            let meta = &self.rules[rule].record;
            if meta.article.as_deref().is_some_and(|a| a != input.article) {
                continue;
            }
            per_rule = if per_rule.0 == rule {
                (rule, per_rule.1 + 1)
            } else {
                (rule, 1)
            };
            if per_rule.1 > HITS_PER_RULE {
                continue;
            }
            let def = &meta.definition;
            let span = span.map(|(start, end)| Span {
                start,
                end,
                text: input.body[start..end].to_owned(),
            });
            let message = match &def.message {
                Some(m) => format!("{m} ({detail})"),
                None => format!("Rule “{}” {detail}", def.name),
            };
            hits.push(RuleHit {
                rule_id: meta.id,
                rule_version: meta.version,
                rule_name: def.name.clone(),
                action: def.action,
                mode: def.mode,
                reason: def.reason.clone(),
                message,
                priority: def.priority,
                span,
                needs_new_author,
            });
        }
        hits
    }
}

fn run_check(
    rule: usize,
    check: &Check,
    input: &CommentInput<'_>,
    comment_links: &[links::Link],
    found: &mut Vec<Found>,
) {
    let mut hit = |span: Option<(usize, usize)>, detail: String, needs_new_author: bool| {
        found.push(Found {
            rule,
            span,
            detail,
            needs_new_author,
        });
    };
    match check {
        Check::Links {
            max_links,
            block,
            allow,
            shorteners,
            new_authors,
        } => {
            if let Some(max) = max_links
                && comment_links.len() > *max as usize
            {
                hit(
                    None,
                    format!("has {} links; the limit is {max}", comment_links.len()),
                    false,
                );
            }
            for link in comment_links {
                let span = Some((link.start, link.end));
                if block.iter().any(|d| links::host_in(&link.host, d)) {
                    hit(
                        span,
                        format!("links to blocked domain {}", link.host),
                        false,
                    );
                } else if !allow.is_empty() && !allow.iter().any(|d| links::host_in(&link.host, d))
                {
                    hit(
                        span,
                        format!("links to {}, which is not allowed", link.host),
                        false,
                    );
                } else if *shorteners && links::is_shortener(&link.host) {
                    hit(
                        span,
                        format!("uses the link shortener {}", link.host),
                        false,
                    );
                }
            }
            if *new_authors && let Some(first) = comment_links.first() {
                hit(
                    Some((first.start, first.end)),
                    "has a link from a new author".into(),
                    true,
                );
            }
        }
        Check::Shape(limits) => {
            let body = input.body;
            let chars = shape::char_count(body) as u32;
            if limits.min_length.is_some_and(|min| chars < min) {
                hit(None, format!("is only {chars} characters long"), false);
            }
            if limits.max_length.is_some_and(|max| chars > max) {
                hit(None, format!("is {chars} characters long"), false);
            }
            if let Some(limit) = limits.shouting
                && let Some(ratio) = shape::capital_ratio(body)
                && ratio >= limit
            {
                hit(None, format!("is {:.0}% capitals", ratio * 100.0), false);
            }
            if let Some(n) = limits.repeated_chars
                && let Some(span) = shape::repeated_char(body, n)
            {
                hit(Some(span), "repeats a character".into(), false);
            }
            if let Some(n) = limits.repeated_words
                && let Some(span) = shape::repeated_word(body, n)
            {
                hit(Some(span), "repeats a word".into(), false);
            }
            if let Some(n) = limits.digit_run
                && let Some(span) = shape::digit_run(body, n)
            {
                hit(Some(span), "has a long run of digits".into(), false);
            }
            if limits.phone_numbers
                && let Some(span) = shape::phone_number(body)
            {
                hit(Some(span), "has a phone number".into(), false);
            }
            if limits.crypto_addresses
                && let Some(span) = shape::crypto_address(body)
            {
                hit(Some(span), "has a crypto wallet address".into(), false);
            }
        }
        Check::Blocklist {
            authors,
            email_domains,
            ips,
        } => {
            if authors.iter().any(|a| a == input.author_id) {
                hit(None, "is by a blocked author".into(), false);
            }
            if let Some(domain) = input
                .email
                .and_then(|e| e.rsplit_once('@'))
                .map(|(_, d)| d.to_lowercase())
                && email_domains.iter().any(|d| links::host_in(&domain, d))
            {
                hit(
                    None,
                    format!("is from the blocked email domain {domain}"),
                    false,
                );
            }
            if let Some(ip) = input.ip
                && ips.iter().any(|r| r.contains(ip))
            {
                hit(None, "is from a blocked address".into(), false);
            }
        }
    }
}

impl RegexGroup {
    /// The first few matches of every regex the set says matches.
    fn find(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut matched = PatternSet::new(self.set.pattern_len());
        self.set
            .which_overlapping_matches(&Input::new(text), &mut matched);
        for i in matched.iter().map(|p| p.as_usize()) {
            let (rule, re) = &self.regexes[i];
            for m in re
                .find_iter(text)
                .filter(|m| m.start() < m.end())
                .take(HITS_PER_RULE)
            {
                out.push((*rule, m.start(), m.end()));
            }
        }
        out
    }
}

/// Runs the set once over text with every pair of letters and the usual
/// punctuation, digits and spacing, while the rules are compiled in the
/// background. The set's automaton is built lazily, state by state, as text
/// visits them; without this the first comments after a rule change pay for
/// building the common states.
fn warm_up(set: &MetaRegex) {
    let mut text = String::with_capacity(8 * 1024);
    for a in 'a'..='z' {
        for b in 'a'..='z' {
            text.push(a);
            text.push(b);
            text.push(if b == 'z' { '.' } else { ' ' });
        }
        text.push_str(" A. B, c! d? 12 3.4 5-6 (x) \"y\" 'z' http://e.f/g www.h.i \n");
    }
    let mut matched = PatternSet::new(set.pattern_len());
    set.which_overlapping_matches(&Input::new(&text), &mut matched);
}

/// Compiles a group of regexes plus a set that tells which of them can
/// match. Patterns on normalised text are case-insensitive, as the text is
/// lower-cased. In the set, `\b` becomes the ASCII word boundary: with the
/// Unicode one the fast DFA gives up on any non-ASCII text, and the ASCII
/// one only ever allows more matches, which the exact regex then checks.
fn regex_group(
    patterns: &[(usize, String)],
    case_insensitive: bool,
) -> Result<Option<RegexGroup>, RuleError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let regexes = patterns
        .iter()
        .map(|(rule, p)| compile_regex(p, case_insensitive).map(|re| (*rule, re)))
        .collect::<Result<Vec<_>, _>>()?;
    let prefilters: Vec<String> = patterns
        .iter()
        .map(|(_, p)| ascii_word_boundaries(p))
        .collect();
    let set = MetaRegex::builder()
        .configure(
            MetaRegex::config()
                .auto_prefilter(false)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT * patterns.len().max(1)))
                .hybrid_cache_capacity(REGEX_SIZE_LIMIT * 8)
                .match_kind(regex_automata::MatchKind::All),
        )
        .syntax(regex_automata::util::syntax::Config::new().case_insensitive(case_insensitive))
        .build_many(&prefilters)
        .map_err(|e| invalid("match.pattern", e.to_string()))?;
    warm_up(&set);
    Ok(Some(RegexGroup { set, regexes }))
}

/// `\b` → `(?-u:\b)`, unless the pattern also uses `\B`, whose ASCII form
/// would allow fewer matches.
fn ascii_word_boundaries(pattern: &str) -> String {
    if pattern.contains("\\B") {
        return pattern.to_owned();
    }
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn compile_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, RuleError> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => invalid(
                "match.pattern",
                format!("the compiled pattern is larger than the {limit}-byte limit; simplify it"),
            ),
            other => invalid("match.pattern", other.to_string()),
        })
}

/// Text no sensible rule should match; a pattern that does is refused.
const INNOCUOUS: &[&str] = &[
    "a",
    "ok",
    "hello",
    "the weather is nice today",
    "I agree with this article.",
];

/// Checks a definition without compiling it into a set.
pub fn validate(def: &RuleDefinition) -> Result<(), RuleError> {
    let name_len = def.name.trim().chars().count();
    if name_len == 0 || name_len > 100 {
        return Err(invalid("name", "must be 1-100 characters"));
    }
    if def.action == RuleAction::Reject && def.reason.as_deref().is_none_or(str::is_empty) {
        return Err(invalid("reason", "a reject rule needs a guideline code"));
    }
    if !(0..=1000).contains(&def.priority) {
        return Err(invalid("priority", "must be between 0 and 1000"));
    }
    if def
        .message
        .as_ref()
        .is_some_and(|m| m.chars().count() > 500)
    {
        return Err(invalid("message", "must be at most 500 characters"));
    }
    match &def.matcher {
        Matcher::Terms { terms, allow } => {
            if terms.is_empty() || terms.len() > 20_000 {
                return Err(invalid("match.terms", "give between 1 and 20000 terms"));
            }
            for (i, t) in terms.iter().enumerate() {
                let term = t.parse();
                if term.text.chars().count() > 200 {
                    return Err(invalid(
                        &format!("match.terms[{i}]"),
                        "must be at most 200 characters",
                    ));
                }
                if term_key(&term.text).is_empty() {
                    return Err(invalid(
                        &format!("match.terms[{i}]"),
                        "is empty once normalised",
                    ));
                }
            }
            if allow.len() > 5_000 {
                return Err(invalid("match.allow", "at most 5000 entries"));
            }
        }
        Matcher::Regex { pattern, .. } => {
            if pattern.len() > 2_000 {
                return Err(invalid("match.pattern", "must be at most 2000 characters"));
            }
            let re = compile_regex(pattern, false)?;
            if re.is_match("") {
                return Err(invalid(
                    "match.pattern",
                    "matches the empty string, so it would hit every comment",
                ));
            }
            if let Some(probe) = INNOCUOUS.iter().find(|p| re.is_match(p)) {
                return Err(invalid(
                    "match.pattern",
                    format!(
                        "matches almost any text (it matches {probe:?}); make it more specific"
                    ),
                ));
            }
        }
        Matcher::Links {
            max_links,
            block_domains,
            allow_domains,
            shorteners,
            new_authors,
        } => {
            if max_links.is_none()
                && block_domains.is_empty()
                && allow_domains.is_empty()
                && !shorteners
                && !new_authors
            {
                return Err(invalid(
                    "match",
                    "set at least one of max_links, block_domains, allow_domains, shorteners, new_authors",
                ));
            }
            for (field, list) in [
                ("match.block_domains", block_domains),
                ("match.allow_domains", allow_domains),
            ] {
                if let Some(bad) = list.iter().find(|d| links::parse_domain(d).is_none()) {
                    return Err(invalid(field, format!("{bad:?} is not a domain")));
                }
            }
        }
        Matcher::Shape(ShapeSpec {
            min_length,
            max_length,
            shouting,
            repeated_chars,
            repeated_words,
            digit_run,
            phone_numbers,
            crypto_addresses,
        }) => {
            let any = min_length.is_some()
                || max_length.is_some()
                || shouting.is_some()
                || repeated_chars.is_some()
                || repeated_words.is_some()
                || digit_run.is_some()
                || *phone_numbers
                || *crypto_addresses;
            if !any {
                return Err(invalid("match", "set at least one shape check"));
            }
            if shouting.is_some_and(|s| !(0.5..=1.0).contains(&s)) {
                return Err(invalid("match.shouting", "must be between 0.5 and 1"));
            }
            if repeated_chars.is_some_and(|n| n < 3) || repeated_words.is_some_and(|n| n < 2) {
                return Err(invalid(
                    "match",
                    "repetition limits must be at least 3 characters or 2 words",
                ));
            }
            if digit_run.is_some_and(|n| n < 5) {
                return Err(invalid("match.digit_run", "must be at least 5"));
            }
        }
        Matcher::Profanity { .. } => {}
        Matcher::Behaviour(BehaviourSpec {
            duplicate_within_secs,
            flood_max,
            flood_window_secs,
            rejection_rate_above,
            rejection_min_decided,
            ..
        }) => {
            if duplicate_within_secs.is_none()
                && flood_max.is_none()
                && rejection_rate_above.is_none()
            {
                return Err(invalid(
                    "match",
                    "set at least one of duplicate_within_secs, flood_max, rejection_rate_above",
                ));
            }
            let week = 7 * 24 * 3600;
            if duplicate_within_secs.is_some_and(|s| s == 0 || s > week) {
                return Err(invalid(
                    "match.duplicate_within_secs",
                    "must be 1 second to 7 days",
                ));
            }
            if flood_max.is_some() && (*flood_window_secs == 0 || *flood_window_secs > week) {
                return Err(invalid(
                    "match.flood_window_secs",
                    "must be 1 second to 7 days",
                ));
            }
            if rejection_rate_above.is_some_and(|r| !(0.0..1.0).contains(&r)) {
                return Err(invalid(
                    "match.rejection_rate_above",
                    "must be at least 0 and below 1",
                ));
            }
            if !(1..=100).contains(rejection_min_decided) {
                return Err(invalid("match.rejection_min_decided", "must be 1 to 100"));
            }
        }
        Matcher::Blocklist {
            authors,
            email_domains,
            ips,
        } => {
            if authors.is_empty() && email_domains.is_empty() && ips.is_empty() {
                return Err(invalid(
                    "match",
                    "list at least one author, email domain or address",
                ));
            }
            for ip in ips {
                IpRange::parse(ip).map_err(|e| invalid("match.ips", e))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::definition::TermInput;

    fn record(id: i64, matcher: Matcher) -> RuleRecord {
        RuleRecord {
            id,
            version: 1,
            site_id: None,
            article: None,
            definition: RuleDefinition {
                name: format!("rule {id}"),
                action: RuleAction::Hold,
                reason: None,
                mode: RuleMode::Enforce,
                enabled: true,
                message: None,
                priority: 10,
                matcher,
            },
        }
    }

    fn spans(rules: &CompiledRules, body: &str) -> Vec<String> {
        rules
            .evaluate(&CommentInput {
                body,
                article: "a",
                author_id: "u",
                email: None,
                ip: None,
            })
            .into_iter()
            .filter_map(|h| h.span.map(|s| s.text))
            .collect()
    }

    #[test]
    fn set_prefilter_rewrites_only_real_word_boundaries() {
        assert_eq!(ascii_word_boundaries(r"\bfoo\b"), r"(?-u:\b)foo(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b"), r"a\\b");
        assert_eq!(ascii_word_boundaries(r"\Bfoo\b"), r"\Bfoo\b");
    }

    #[test]
    fn regexes_keep_unicode_word_boundaries_and_ignore_case() {
        let rules = CompiledRules::compile(&[
            record(
                1,
                Matcher::Regex {
                    pattern: r"\bwin\b".into(),
                    normalize: false,
                },
            ),
            record(
                2,
                Matcher::Regex {
                    pattern: r"\bFREE\s+gift\b".into(),
                    normalize: true,
                },
            ),
        ])
        .expect("compile");
        // "éwin" has no word boundary before "win" in Unicode terms.
        assert!(spans(&rules, "éwin").is_empty());
        assert_eq!(spans(&rules, "you win!"), ["win"]);
        assert_eq!(spans(&rules, "a Free   GIFT"), ["Free   GIFT"]);
    }

    #[test]
    fn every_kind_reports_spans_in_the_original() {
        let rules = CompiledRules::compile(&[
            record(
                1,
                Matcher::Terms {
                    terms: vec![TermInput::Plain("spam".into())],
                    allow: vec![],
                },
            ),
            record(
                2,
                Matcher::Links {
                    max_links: None,
                    block_domains: vec!["bad.example".into()],
                    allow_domains: vec![],
                    shorteners: false,
                    new_authors: false,
                },
            ),
        ])
        .expect("compile");
        let body = "日本 😀 s.p.a.m see https://x.bad.example/p";
        assert_eq!(spans(&rules, body), ["s.p.a.m", "https://x.bad.example/p"]);
    }
}
