//! The optional classifier: scores in [0, 1] for spam and offensive
//! language, from the built-in model (hashed n-grams and logistic
//! regression, trained per site on moderators' decisions, seeded from
//! shipped models before a site has any) or from a site's own HTTP scorer.

pub mod features;
pub mod linear;
pub mod metrics;
#[cfg(feature = "ml-candle")]
pub mod minilm;
mod seeds;
mod training;
pub mod vocabulary;

use std::sync::Arc;

pub use crate::domain::Attribute;

pub use linear::{LinearModel, ModelFormatError, TrainOptions};
pub use metrics::{Metrics, evaluate, roc_auc};
pub use seeds::{SPAM_SEED_ID, seed_classifier};
pub use training::{
    CrossValidation, LabelledText, cross_validate, cross_validate_features, fit, read_tsv,
};
pub use vocabulary::VocabularyModel;

/// One attribute's score and the model that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub attribute: Attribute,
    pub value: f32,
    pub model: String,
    /// How the score came about, when there is more to say than the model:
    /// a second opinion taken or skipped.
    pub note: Option<String>,
}

/// What a classifier sees of a comment.
#[derive(Debug, Clone, Copy)]
pub struct ClassifyInput<'a> {
    pub text: &'a str,
    pub article: &'a str,
    pub author: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassifierError {
    #[error("the scorer did not answer within {0} ms")]
    Timeout(u64),
    #[error("the scorer failed: {0}")]
    Failed(String),
}

/// Anything that scores comments.
pub trait Classifier: Send + Sync {
    /// Which model, and which version of it, for the record.
    fn id(&self) -> String;
    fn classify(&self, input: &ClassifyInput<'_>) -> Result<Vec<Score>, ClassifierError>;
}

/// A slower, stronger model asked about the comments the built-in one is
/// unsure of (the `ml-candle` transformer).
pub trait Rescorer: Send + Sync {
    /// Whether it has a model for `attribute`.
    fn covers(&self, attribute: Attribute) -> bool;
    /// Scores of `text` for each of `attributes` it covers.
    fn rescore(&self, text: &str, attributes: &[Attribute]) -> Result<Vec<Score>, ClassifierError>;
}

/// One attribute's built-in model.
#[derive(Debug)]
pub enum AttributeModel {
    /// Hashed n-grams and logistic regression: seeds and site models.
    Linear { id: String, model: LinearModel },
    /// The shipped offensive-language vocabulary model.
    Vocabulary(VocabularyModel),
}

impl AttributeModel {
    pub fn id(&self) -> &str {
        match self {
            AttributeModel::Linear { id, .. } => id,
            AttributeModel::Vocabulary(model) => &model.id,
        }
    }
}

/// The built-in classifier of one site: a model per attribute.
#[derive(Debug, Clone)]
pub struct BuiltinClassifier {
    pub models: Vec<(Attribute, Arc<AttributeModel>)>,
}

impl BuiltinClassifier {
    /// The same classifier with `attribute` scored by `model`.
    pub fn with(&self, attribute: Attribute, model: Arc<AttributeModel>) -> Self {
        let mut models: Vec<_> = self
            .models
            .iter()
            .filter(|(a, _)| *a != attribute)
            .cloned()
            .collect();
        models.push((attribute, model));
        models.sort_by_key(|(a, _)| *a);
        Self { models }
    }

    pub fn model(&self, attribute: Attribute) -> Option<&AttributeModel> {
        self.models
            .iter()
            .find(|(a, _)| *a == attribute)
            .map(|(_, m)| m.as_ref())
    }

    /// Scores of already normalised text.
    pub fn score_normalised(&self, normalised: &str) -> Vec<Score> {
        let mut features = None;
        self.models
            .iter()
            .map(|(attribute, model)| {
                let value = match model.as_ref() {
                    AttributeModel::Linear { model, .. } => model.predict(
                        features.get_or_insert_with(|| features::featurize_normalised(normalised)),
                    ),
                    AttributeModel::Vocabulary(model) => model.predict_lowercase(normalised) as f32,
                };
                Score {
                    attribute: *attribute,
                    value,
                    model: model.id().to_owned(),
                    note: None,
                }
            })
            .collect()
    }
}

impl Classifier for BuiltinClassifier {
    fn id(&self) -> String {
        self.models
            .iter()
            .map(|(a, m)| format!("{a}:{}", m.id()))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn classify(&self, input: &ClassifyInput<'_>) -> Result<Vec<Score>, ClassifierError> {
        let normalised = crate::rules::normalise::normalize(input.text);
        Ok(self.score_normalised(&normalised.text))
    }
}
