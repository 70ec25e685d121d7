//! A site's rules as stored: versioned editing, the live compiled set each
//! process keeps, and trying a draft rule on text.

mod backtest;
mod live_rules;
mod manage_rules;
mod rule_json;
mod rule_kinds;
mod rules_file;
mod test_rule;

pub use backtest::{BacktestReport, BacktestSample, Confusion, backtest};
pub use live_rules::Rulebook;
pub use manage_rules::{
    RuleScope, RuleVersionView, RuleView, create_rule, delete_rule, get_rule, insert_rule,
    insert_starter_pack, list_rules, rule_versions, update_rule,
};
pub use rule_json::{parse_rule_body, rule_to_object};
pub use rule_kinds::{COMMON_FIELDS, FieldHelp, RULE_KINDS, RuleKind, rule_kind};
pub use rules_file::{ImportSummary, export_rules, import_rules};
pub use test_rule::{TestAuthor, test_rule};
