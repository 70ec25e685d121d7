//! The rule engine: normalisation, matchers, compilation, evaluation and the
//! per-process registry of compiled rules. Pure: no HTTP, no SQL.

mod blocklist;
pub mod definition;
mod engine;
#[cfg(test)]
mod lcg;
mod links;
pub mod normalise;
mod profanity;
mod scan;
mod shape;
mod starter_pack;
mod terms;

pub use definition::{
    BehaviourSpec, Matcher, RuleAction, RuleDefinition, RuleMode, Severity, ShapeSpec, TermInput,
    TermMode,
};
pub use engine::{
    BehaviourCheck, CommentInput, CompiledRules, RuleError, RuleHit, RuleRecord, validate,
};
pub use starter_pack::starter_pack;
