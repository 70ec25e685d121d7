//! Settings: `config/default.toml` (compiled in), then an optional file, then
//! `MODQ_<SECTION>_<KEY>` environment variables.

use std::path::Path;

use serde::Deserialize;

const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub limits: LimitSettings,
    pub auth: AuthSettings,
    pub rules: RuleSettings,
    pub moderation: ModerationSettings,
    pub insights: InsightsSettings,
    pub classifier: ClassifierJobSettings,
    pub webhooks: WebhookSettings,
    pub metrics: MetricsSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    pub token: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    pub poll_ms: u64,
    pub timeout_secs: u64,
    pub retry_hours: u64,
    pub backoff_base_ms: u64,
    pub backoff_max_secs: u64,
    pub batch: i64,
    pub alert_check_ms: u64,
    pub keep_days: u64,
}

impl WebhookSettings {
    pub fn delivery(&self) -> crate::webhooks::DeliverySettings {
        use std::time::Duration;
        crate::webhooks::DeliverySettings {
            poll: Duration::from_millis(self.poll_ms.max(10)),
            timeout: Duration::from_secs(self.timeout_secs.max(1)),
            base_backoff: Duration::from_millis(self.backoff_base_ms.max(1)),
            max_backoff: Duration::from_secs(self.backoff_max_secs.max(1)),
            retry_for: Duration::from_secs(self.retry_hours * 3600),
            batch: self.batch.max(1),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationSettings {
    pub lease_secs: u64,
    pub live_poll_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsightsSettings {
    /// The time in queue moderators aim for, in minutes (the speed chart's
    /// target line).
    pub target_minutes: u64,
    /// How often each instance counts new audit entries, in seconds.
    pub refresh_secs: u64,
    /// On PostgreSQL, how old an audit entry must be before it is counted,
    /// in seconds.
    pub settle_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassifierJobSettings {
    pub retrain_check_secs: u64,
    pub transformer_dir: String,
    pub transformer_queue: usize,
    pub transformer_margin: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    pub reload_interval_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub site_key_cache_secs: u64,
    pub session_hours: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub workers: usize,
    pub public_url: String,
    pub shutdown_timeout_secs: u64,
    pub request_head_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub pool_timeout_secs: u64,
    pub sqlite_synchronous: SqliteSynchronous,
    pub sqlite_busy_timeout_ms: u64,
    pub group_commit_max_batch: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    Full,
    Normal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    pub max_body_chars: usize,
    pub max_request_bytes: usize,
    pub max_bulk_decisions: usize,
    pub max_page_size: i64,
    pub idempotency_key_days: u64,
    pub submit_per_site_per_minute: u32,
    pub submit_per_ip_per_minute: u32,
    pub reports_per_reporter_per_minute: u32,
    pub reports_per_ip_per_minute: u32,
    pub request_body_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Which database a URL names, picked by its scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path for the embedded database.
    Sqlite(String),
    /// A libpq connection URL.
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid config: {0}")]
    Invalid(String),
    #[error(
        "unsupported database URL {0:?}: use sqlite://PATH or postgres://USER@HOST:PORT/DATABASE"
    )]
    UnknownScheme(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(ConfigError::UnknownScheme(url.to_owned()));
            }
            Ok(DatabaseUrl::Sqlite(path.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else {
            Err(ConfigError::UnknownScheme(url.to_owned()))
        }
    }
}

impl Settings {
    /// Loads the defaults, then `file` if given, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        Self::load_from(file, &env)
    }

    /// Like [`Settings::load`] with an explicit environment, for tests.
    pub fn load_from(file: Option<&Path>, env: &[(String, String)]) -> Result<Self, ConfigError> {
        let mut merged: toml::Table = DEFAULTS
            .parse()
            .map_err(|e| ConfigError::Invalid(format!("built-in defaults: {e}")))?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.display().to_string(),
                source,
            })?;
            let overlay: toml::Table = text
                .parse()
                .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
            merge(&mut merged, overlay)?;
        }
        apply_env(&mut merged, env)?;
        let settings: Settings = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        settings.database_url()?;
        Ok(settings)
    }

    pub fn database_url(&self) -> Result<DatabaseUrl, ConfigError> {
        DatabaseUrl::parse(&self.database.url)
    }
}

fn merge(base: &mut toml::Table, overlay: toml::Table) -> Result<(), ConfigError> {
    for (section, value) in overlay {
        match (base.get_mut(&section), value) {
            (Some(toml::Value::Table(base_section)), toml::Value::Table(over)) => {
                for (key, v) in over {
                    base_section.insert(key, v);
                }
            }
            _ => return Err(ConfigError::Invalid(format!("unknown section [{section}]"))),
        }
    }
    Ok(())
}

/// Every `[section] key` of the defaults can be set as `MODQ_SECTION_KEY`.
fn apply_env(base: &mut toml::Table, env: &[(String, String)]) -> Result<(), ConfigError> {
    for (section, table) in base.iter_mut() {
        let toml::Value::Table(table) = table else {
            continue;
        };
        for (key, value) in table.iter_mut() {
            let name = format!("MODQ_{}_{}", section, key).to_uppercase();
            let Some((_, raw)) = env.iter().find(|(k, _)| *k == name) else {
                continue;
            };
            *value = match value {
                toml::Value::Integer(_) => {
                    toml::Value::Integer(raw.trim().parse().map_err(|_| {
                        ConfigError::Invalid(format!("{name} must be an integer, got {raw:?}"))
                    })?)
                }
                toml::Value::Float(_) => toml::Value::Float(raw.trim().parse().map_err(|_| {
                    ConfigError::Invalid(format!("{name} must be a number, got {raw:?}"))
                })?),
                toml::Value::Boolean(_) => {
                    toml::Value::Boolean(raw.trim().parse().map_err(|_| {
                        ConfigError::Invalid(format!("{name} must be true or false, got {raw:?}"))
                    })?)
                }
                _ => toml::Value::String(raw.clone()),
            };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_load() {
        let s = Settings::load_from(None, &[]).expect("defaults");
        assert_eq!(s.server.bind, "127.0.0.1:8080");
        assert_eq!(s.database.url, "sqlite://modq.db");
        assert_eq!(s.limits.max_body_chars, 10_000);
        assert_eq!(s.database.sqlite_synchronous, SqliteSynchronous::Full);
    }

    #[test]
    fn env_overrides_and_types() {
        let s = Settings::load_from(
            None,
            &env(&[
                ("MODQ_DATABASE_URL", "postgres://x@h/db"),
                ("MODQ_LIMITS_MAX_BODY_CHARS", "5"),
                ("MODQ_CLASSIFIER_TRANSFORMER_MARGIN", "0.25"),
            ]),
        )
        .expect("load");
        assert_eq!(s.classifier.transformer_margin, 0.25);
        assert_eq!(
            s.database_url().ok(),
            Some(DatabaseUrl::Postgres("postgres://x@h/db".into()))
        );
        assert_eq!(s.limits.max_body_chars, 5);
        let bad = Settings::load_from(None, &env(&[("MODQ_LIMITS_MAX_BODY_CHARS", "many")]));
        assert!(
            matches!(bad, Err(ConfigError::Invalid(m)) if m.contains("MODQ_LIMITS_MAX_BODY_CHARS"))
        );
        let bad = Settings::load_from(None, &env(&[("MODQ_CLASSIFIER_TRANSFORMER_MARGIN", "x")]));
        assert!(matches!(bad, Err(ConfigError::Invalid(m)) if m.contains("must be a number")));
    }

    #[test]
    fn unknown_scheme_is_refused() {
        let err = Settings::load_from(None, &env(&[("MODQ_DATABASE_URL", "mysql://x/y")]));
        assert!(matches!(err, Err(ConfigError::UnknownScheme(_))));
        assert!(matches!(
            DatabaseUrl::parse("sqlite://"),
            Err(ConfigError::UnknownScheme(_))
        ));
    }

    #[test]
    fn file_overlay_rejects_unknown_keys() {
        let dir = std::env::temp_dir().join(format!("modq-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let good = dir.join("good.toml");
        std::fs::write(&good, "[server]\nbind = \"0.0.0.0:9000\"\n").expect("write");
        let s = Settings::load_from(Some(&good), &[]).expect("load");
        assert_eq!(s.server.bind, "0.0.0.0:9000");
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, "[server]\nbnd = \"x\"\n").expect("write");
        assert!(Settings::load_from(Some(&bad), &[]).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
