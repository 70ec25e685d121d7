//! Every kind of rule with a starting example and what each of its fields
//! means: what the rule editor offers when a moderator creates a rule.

use serde_json::{Value, json};

/// One field of a rule and what it does.
#[derive(Debug, Clone, Copy)]
pub struct FieldHelp {
    pub name: &'static str,
    pub help: &'static str,
}

/// A kind of rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleKind {
    pub kind: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// The fields inside `match`.
    pub fields: &'static [FieldHelp],
    example: fn() -> Value,
}

impl RuleKind {
    /// A rule of this kind for `site`, in shadow mode so saving it as it
    /// stands changes nothing until someone enforces it.
    pub fn example(&self, site: &str) -> Value {
        let mut rule = json!({
            "site": site,
            "name": self.title,
            "action": "hold",
            "reason": null,
            "mode": "shadow",
            "enabled": true,
            "priority": 20,
            "message": null,
        });
        rule["match"] = (self.example)();
        rule
    }
}

const fn field(name: &'static str, help: &'static str) -> FieldHelp {
    FieldHelp { name, help }
}

/// The fields every rule has, whatever its kind.
pub const COMMON_FIELDS: &[FieldHelp] = &[
    field(
        "site",
        "the site the rule belongs to; leave it out for a rule every site uses (admins only)",
    ),
    field(
        "article",
        "optional: only comments on this article (its id on the site)",
    ),
    field("name", "what moderators see next to every hit"),
    field(
        "action",
        "approve, flag, hold or reject; the strongest enforced action decides",
    ),
    field(
        "reason",
        "a guideline code of the site; required for reject, shown with every hit",
    ),
    field(
        "mode",
        "enforce, or shadow to record hits without changing any outcome",
    ),
    field("enabled", "false turns the rule off and keeps it"),
    field(
        "priority",
        "added to a held or flagged comment's place in the queue",
    ),
    field(
        "message",
        "optional text moderators read when the rule hits",
    ),
];

/// Every kind, in the order the editor offers them.
pub const RULE_KINDS: &[RuleKind] = &[
    RuleKind {
        kind: "terms",
        title: "Words and phrases",
        summary: "Whole words or phrases, seen through capitals, accents, look-alike letters, leetspeak and spaced-out letters.",
        fields: &[
            field(
                "terms",
                "words or phrases; \"scam*\" matches as a prefix; {\"term\": \"x\", \"mode\": \"substring\"} matches inside words",
            ),
            field(
                "allow",
                "words that never count as a hit even when a term is inside them, like \"Scunthorpe\"",
            ),
        ],
        example: || json!({"kind": "terms", "terms": ["buy followers", "crypto giveaway", "scam*"], "allow": []}),
    },
    RuleKind {
        kind: "regex",
        title: "Pattern",
        summary: "A regular expression (the Rust regex syntax: no look-around or back-references, so it always runs in linear time).",
        fields: &[
            field("pattern", "the expression; (?i) makes it case-insensitive"),
            field(
                "normalize",
                "true (the default) matches the normalised text, false the text as written",
            ),
        ],
        example: || json!({"kind": "regex", "pattern": "(?i)\\bwin (a|an|the) (prize|iphone)\\b", "normalize": true}),
    },
    RuleKind {
        kind: "links",
        title: "Links",
        summary: "Too many links, links to listed domains, link shorteners, or any link from a new author.",
        fields: &[
            field("max_links", "more links than this hit"),
            field(
                "block_domains",
                "domains (and their subdomains) that always hit",
            ),
            field(
                "allow_domains",
                "when not empty, a link to any other domain hits",
            ),
            field("shorteners", "true: links through URL shorteners hit"),
            field(
                "new_authors",
                "true: any link from an author still under the new-author hold hits",
            ),
        ],
        example: || json!({"kind": "links", "max_links": 2, "block_domains": [], "allow_domains": [], "shorteners": true, "new_authors": false}),
    },
    RuleKind {
        kind: "shape",
        title: "Shape of the text",
        summary: "Structural checks; leave a field null to turn it off.",
        fields: &[
            field("min_length", "fewer characters than this hit"),
            field("max_length", "more characters than this hit"),
            field(
                "shouting",
                "share of capitals among letters, 0 to 1, over at least 20 letters",
            ),
            field(
                "repeated_chars",
                "the same character this many times in a row",
            ),
            field("repeated_words", "the same word this many times in a row"),
            field(
                "digit_run",
                "this many digits in a row (spaces, dots and dashes allowed between)",
            ),
            field("phone_numbers", "true: phone numbers hit"),
            field(
                "crypto_addresses",
                "true: Bitcoin, Ethereum and Tron wallet addresses hit",
            ),
        ],
        example: || json!({"kind": "shape", "min_length": null, "max_length": null, "shouting": 0.7, "repeated_chars": 8, "repeated_words": null, "digit_run": null, "phone_numbers": false, "crypto_addresses": false}),
    },
    RuleKind {
        kind: "profanity",
        title: "Profanity",
        summary: "The built-in profanity detector, which sees through common evasions.",
        fields: &[field(
            "severity",
            "mild, moderate or severe: the least a word must be to hit",
        )],
        example: || json!({"kind": "profanity", "severity": "moderate"}),
    },
    RuleKind {
        kind: "behaviour",
        title: "Author behaviour",
        summary: "What the author did before: reposting the same text, posting in bursts, or having most recent comments rejected.",
        fields: &[
            field(
                "duplicate_within_secs",
                "the same text (ignoring case and spacing) again within this many seconds",
            ),
            field(
                "duplicate_across_site",
                "true: count duplicates by anyone on the site, not only the same author",
            ),
            field(
                "flood_max",
                "more than this many comments within flood_window_secs",
            ),
            field(
                "flood_window_secs",
                "the window for flood_max, 60 by default",
            ),
            field(
                "flood_per_ip",
                "true: count the flood per IP address instead of per author",
            ),
            field(
                "rejection_rate_above",
                "share (0 to 1) of the author's last decided comments that were rejected",
            ),
            field(
                "rejection_min_decided",
                "how many decided comments the rate needs before it counts, 5 by default",
            ),
        ],
        example: || json!({"kind": "behaviour", "duplicate_within_secs": 600, "duplicate_across_site": false, "flood_max": 5, "flood_window_secs": 60, "flood_per_ip": false, "rejection_rate_above": null, "rejection_min_decided": 5}),
    },
    RuleKind {
        kind: "blocklist",
        title: "Blocked authors",
        summary: "Authors, email domains or addresses the site no longer takes comments from without a look.",
        fields: &[
            field("authors", "author ids as the site sends them"),
            field("email_domains", "domains of authors' email addresses"),
            field("ips", "IP addresses or CIDR ranges, IPv4 or IPv6"),
        ],
        example: || json!({"kind": "blocklist", "authors": [], "email_domains": ["spam.example"], "ips": ["203.0.113.0/24"]}),
    },
];

/// The kind named `kind`, if there is one.
pub fn rule_kind(kind: &str) -> Option<&'static RuleKind> {
    RULE_KINDS.iter().find(|k| k.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::parse_rule_body;
    use crate::rules::validate;

    #[test]
    fn every_example_is_a_valid_rule_of_its_kind() {
        for kind in RULE_KINDS {
            let example = kind.example("alpha");
            let (scope, _, definition) =
                parse_rule_body(example.clone()).unwrap_or_else(|e| panic!("{}: {e}", kind.kind));
            assert_eq!(scope.site.as_deref(), Some("alpha"));
            validate(&definition).unwrap_or_else(|e| panic!("{}: {}", kind.kind, e.message));
            let matcher = serde_json::to_value(&definition.matcher).expect("matcher");
            assert_eq!(matcher["kind"], kind.kind);
            // Every field of the kind is documented, and nothing more.
            let mut shown: Vec<&str> = example["match"]
                .as_object()
                .expect("match")
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "kind")
                .collect();
            let mut documented: Vec<&str> = kind.fields.iter().map(|f| f.name).collect();
            shown.sort_unstable();
            documented.sort_unstable();
            assert_eq!(shown, documented, "{}", kind.kind);
        }
        assert!(rule_kind("links").is_some());
        assert!(rule_kind("nonsense").is_none());
    }
}
