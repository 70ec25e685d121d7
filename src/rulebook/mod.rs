//! A site's rules as stored: versioned editing, the live compiled set each
//! process keeps, and trying a draft rule on text.

mod backtest;
mod live_rules;
mod manage_rules;
mod test_rule;

pub use backtest::{BacktestReport, BacktestSample, Confusion, backtest};
pub use live_rules::Rulebook;
pub use manage_rules::{
    RuleScope, RuleVersionView, RuleView, create_rule, delete_rule, get_rule, list_rules,
    rule_versions, update_rule,
};
pub use test_rule::{TestAuthor, test_rule};
