//! A site's classifier settings: on or off, what a failed scorer means,
//! an optional external scorer, when to retrain, and the score bands per
//! attribute that turn scores into holds, flags and rejections.

use serde::{Deserialize, Serialize};

use super::{Attribute, Guidelines};

/// What a comment gets when a scorer fails or times out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailMode {
    /// Treated as unscored: rules and policy alone decide.
    #[default]
    Open,
    /// Held for a moderator.
    Closed,
}

/// What a score between the band edges does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BandAction {
    #[default]
    Hold,
    Flag,
}

impl BandAction {
    pub fn as_str(self) -> &'static str {
        match self {
            BandAction::Hold => "hold",
            BandAction::Flag => "flag",
        }
    }
}

/// One attribute's bands: below `approve_below` a score adds nothing;
/// from there up it adds a hold (or flag) reason; at or above
/// `reject_above`, when set, the comment is rejected citing
/// `reject_reason`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub attribute: Attribute,
    #[schema(minimum = 0, maximum = 1)]
    pub approve_below: f64,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    pub reject_above: Option<f64>,
    #[serde(default)]
    pub between: BandAction,
    #[serde(default)]
    pub reject_reason: Option<String>,
    /// Rejections citing these guideline codes teach the site's model
    /// what this attribute looks like; approvals teach what it does not.
    #[serde(default)]
    pub learn_from: Vec<String>,
}

/// The guideline codes that teach each attribute unless a band says.
pub fn default_learn_from(attribute: Attribute) -> Vec<String> {
    let codes: &[&str] = match attribute {
        Attribute::Spam => &["spam"],
        Attribute::Offensive => &[
            "abuse",
            "offensive",
            "hate",
            "harassment",
            "insult",
            "toxic",
        ],
    };
    codes.iter().map(|c| (*c).to_owned()).collect()
}

/// A site's own HTTP scorer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalScorer {
    pub url: String,
    #[serde(default = "default_timeout_ms")]
    #[schema(minimum = 10, maximum = 10000)]
    pub timeout_ms: u64,
}

fn default_timeout_ms() -> u64 {
    800
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifierSettings {
    pub enabled: bool,
    #[serde(default)]
    pub on_failure: FailMode,
    pub bands: Vec<Band>,
    #[serde(default)]
    pub external: Option<ExternalScorer>,
    /// Refit the site's models after this many new moderator decisions;
    /// 0 never refits on its own.
    #[serde(default = "default_retrain_after")]
    pub retrain_after: u32,
}

fn default_retrain_after() -> u32 {
    500
}

impl Default for ClassifierSettings {
    /// On, holding what the models are fairly sure of and rejecting
    /// nothing by themselves: a site opts in to automatic rejection.
    fn default() -> Self {
        Self {
            enabled: true,
            on_failure: FailMode::Open,
            bands: vec![
                Band {
                    attribute: Attribute::Spam,
                    approve_below: 0.9,
                    reject_above: None,
                    between: BandAction::Hold,
                    reject_reason: None,
                    learn_from: default_learn_from(Attribute::Spam),
                },
                Band {
                    attribute: Attribute::Offensive,
                    approve_below: 0.9,
                    reject_above: None,
                    between: BandAction::Hold,
                    reject_reason: None,
                    learn_from: default_learn_from(Attribute::Offensive),
                },
            ],
            external: None,
            retrain_after: default_retrain_after(),
        }
    }
}

/// A setting that cannot be used, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ClassifierSettingsError {
    pub field: String,
    pub message: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> ClassifierSettingsError {
    ClassifierSettingsError {
        field: field.into(),
        message: message.into(),
    }
}

impl ClassifierSettings {
    /// The stored form; empty text means the defaults.
    pub fn from_stored(stored: &str) -> Result<Self, serde_json::Error> {
        if stored.trim().is_empty() {
            Ok(Self::default())
        } else {
            serde_json::from_str(stored)
        }
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// One line for the configuration trail, like
    /// `on spam:0.8-0.98:hold offensive:0.8:flag fail-closed`.
    pub fn summary(&self) -> String {
        if !self.enabled {
            return "off".to_owned();
        }
        let mut parts = vec!["on".to_owned()];
        for band in &self.bands {
            let mut edge = format!("{}:{}", band.attribute, band.approve_below);
            if let Some(reject) = band.reject_above {
                edge.push_str(&format!("-{reject}"));
            }
            parts.push(format!("{edge}:{}", band.between.as_str()));
        }
        if self.on_failure == FailMode::Closed {
            parts.push("fail-closed".to_owned());
        }
        if let Some(external) = &self.external {
            parts.push(format!("external={}", external.url));
        }
        parts.join(" ")
    }

    pub fn band(&self, attribute: Attribute) -> Option<&Band> {
        self.bands.iter().find(|b| b.attribute == attribute)
    }

    /// The rejection codes that teach `attribute`: the band's own list,
    /// or the usual codes when it names none.
    pub fn learn_from(&self, attribute: Attribute) -> Vec<String> {
        match self.band(attribute) {
            Some(band) if !band.learn_from.is_empty() => band.learn_from.clone(),
            _ => default_learn_from(attribute),
        }
    }

    /// Checks the settings against the site's guidelines.
    pub fn validate(&self, guidelines: &Guidelines) -> Result<(), ClassifierSettingsError> {
        for (i, band) in self.bands.iter().enumerate() {
            let field = |name: &str| format!("classifier.bands[{i}].{name}");
            if self.bands[..i]
                .iter()
                .any(|b| b.attribute == band.attribute)
            {
                return Err(invalid(
                    field("attribute"),
                    format!("{} has two bands", band.attribute),
                ));
            }
            if !(0.0..=1.0).contains(&band.approve_below) {
                return Err(invalid(field("approve_below"), "must be between 0 and 1"));
            }
            if let Some(reject) = band.reject_above {
                if !(0.0..=1.0).contains(&reject) {
                    return Err(invalid(field("reject_above"), "must be between 0 and 1"));
                }
                if reject < band.approve_below {
                    return Err(invalid(
                        field("reject_above"),
                        "must not be below approve_below",
                    ));
                }
                match &band.reject_reason {
                    None => {
                        return Err(invalid(
                            field("reject_reason"),
                            "is required with reject_above: the guideline a rejection cites",
                        ));
                    }
                    Some(code) if guidelines.find(code).is_none() => {
                        return Err(invalid(
                            field("reject_reason"),
                            format!("{code:?} is not one of the site's guideline codes"),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(external) = &self.external {
            let url = external.url.trim();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(invalid("classifier.external.url", "must be an http(s) URL"));
            }
            if !(10..=10_000).contains(&external.timeout_ms) {
                return Err(invalid(
                    "classifier.external.timeout_ms",
                    "must be between 10 and 10000",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guidelines() -> Guidelines {
        Guidelines::parse(vec![super::super::Guideline {
            code: "spam".into(),
            title: "Spam".into(),
            text: String::new(),
        }])
        .expect("guidelines")
    }

    #[test]
    fn empty_storage_means_defaults_and_round_trips() {
        let defaults = ClassifierSettings::from_stored("").expect("defaults");
        assert_eq!(defaults, ClassifierSettings::default());
        assert!(defaults.enabled);
        let stored = defaults.to_stored();
        assert_eq!(
            ClassifierSettings::from_stored(&stored).expect("parses"),
            defaults
        );
        assert!(defaults.validate(&guidelines()).is_ok());
    }

    #[test]
    fn bands_are_checked() {
        let mut s = ClassifierSettings::default();
        s.bands[0].reject_above = Some(0.95);
        let err = s.validate(&guidelines()).expect_err("needs a reason");
        assert_eq!(err.field, "classifier.bands[0].reject_reason");
        s.bands[0].reject_reason = Some("nonsense".into());
        assert!(s.validate(&guidelines()).is_err());
        s.bands[0].reject_reason = Some("spam".into());
        assert!(s.validate(&guidelines()).is_ok());
        s.bands[0].reject_above = Some(0.5);
        let err = s.validate(&guidelines()).expect_err("below approve_below");
        assert_eq!(err.field, "classifier.bands[0].reject_above");
        s.bands[0].reject_above = None;
        s.bands[1].attribute = Attribute::Spam;
        assert!(s.validate(&guidelines()).is_err());
        let mut s = ClassifierSettings::default();
        s.bands[1].approve_below = 1.5;
        assert!(s.validate(&guidelines()).is_err());
        s.bands[1].approve_below = 0.5;
        s.external = Some(ExternalScorer {
            url: "ftp://x".into(),
            timeout_ms: 800,
        });
        assert_eq!(
            s.validate(&guidelines()).expect_err("url").field,
            "classifier.external.url"
        );
    }
}
