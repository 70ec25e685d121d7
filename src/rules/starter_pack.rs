//! The rules every new site starts with, after the guidelines of a finance
//! and news blog: hold spam and promotional links, trading scams, phone
//! numbers, wallet addresses, profanity and links from new authors.
//! Sites edit or delete them like any other rule.

use super::definition::{
    Matcher, RuleAction, RuleDefinition, RuleMode, Severity, ShapeSpec, TermInput,
};

pub fn starter_pack() -> Vec<RuleDefinition> {
    let hold =
        |name: &str, reason: &str, priority: i32, message: &str, matcher: Matcher| RuleDefinition {
            name: name.to_owned(),
            action: RuleAction::Hold,
            reason: Some(reason.to_owned()),
            mode: RuleMode::Enforce,
            enabled: true,
            message: Some(message.to_owned()),
            priority,
            matcher,
        };
    let terms = |list: &[&str]| {
        list.iter()
            .map(|t| TermInput::Plain((*t).to_owned()))
            .collect()
    };
    vec![
        hold(
            "Promotional links",
            "spam",
            20,
            "Links to a URL shortener or many links",
            Matcher::Links {
                max_links: Some(3),
                block_domains: Vec::new(),
                allow_domains: Vec::new(),
                shorteners: true,
                new_authors: false,
            },
        ),
        hold(
            "Trading scams",
            "spam",
            40,
            "Reads like an investment or trading scam",
            Matcher::Terms {
                terms: terms(&[
                    "guaranteed profit",
                    "guaranteed profits",
                    "guaranteed returns",
                    "risk free profit",
                    "risk-free returns",
                    "double your money",
                    "double your bitcoin",
                    "get rich quick",
                    "forex signals",
                    "trading signals",
                    "binary options",
                    "account manager",
                    "recover your funds",
                    "recover lost crypto",
                    "crypto recovery",
                    "whatsapp me",
                    "telegram me",
                    "dm me for",
                    "earn from home",
                    "investment opportunity",
                    "passive income",
                ]),
                allow: Vec::new(),
            },
        ),
        hold(
            "Phone numbers",
            "spam",
            20,
            "Contains a phone number",
            Matcher::Shape(ShapeSpec {
                phone_numbers: true,
                ..ShapeSpec::default()
            }),
        ),
        hold(
            "Crypto addresses",
            "spam",
            30,
            "Contains a crypto wallet address",
            Matcher::Shape(ShapeSpec {
                crypto_addresses: true,
                ..ShapeSpec::default()
            }),
        ),
        hold(
            "Profanity",
            "abuse",
            10,
            "Contains profanity",
            Matcher::Profanity {
                severity: Severity::Moderate,
            },
        ),
        hold(
            "Links from new authors",
            "spam",
            10,
            "A new author posted a link",
            Matcher::Links {
                max_links: None,
                block_domains: Vec::new(),
                allow_domains: Vec::new(),
                shorteners: false,
                new_authors: true,
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{CommentInput, CompiledRules, RuleRecord, validate};

    #[test]
    fn starter_pack_is_valid_and_catches_the_basics() {
        let records: Vec<RuleRecord> = starter_pack()
            .into_iter()
            .enumerate()
            .map(|(i, definition)| {
                assert!(validate(&definition).is_ok(), "{}", definition.name);
                RuleRecord {
                    id: i as i64,
                    version: 1,
                    site_id: None,
                    article: None,
                    definition,
                }
            })
            .collect();
        let rules = CompiledRules::compile(&records).expect("compiles");
        let hits = |body: &str| -> Vec<String> {
            rules
                .evaluate(&CommentInput {
                    body,
                    article: "a",
                    author_id: "u",
                    email: None,
                    ip: None,
                })
                .into_iter()
                .filter(|h| !h.needs_new_author)
                .map(|h| h.rule_name)
                .collect()
        };
        assert_eq!(
            hits("Guaranteed profits with my signals"),
            ["Trading scams"]
        );
        assert_eq!(
            hits("see bit.ly/x and https://bit.ly/y"),
            ["Promotional links"]
        );
        assert_eq!(hits("call +1 415 555 0134"), ["Phone numbers"]);
        assert_eq!(
            hits("A measured comment about interest rates."),
            Vec::<String>::new()
        );
    }
}
