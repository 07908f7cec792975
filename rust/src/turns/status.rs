//! `TurnStatus`: how a turn ended.

use std::fmt;

/// How a turn ended. Open: a status this SDK does not know yet is
/// [`TurnStatus::Unknown`], kept as the server wrote it.
///
/// ```
/// use everruns_sdk::TurnStatus;
///
/// assert_eq!(TurnStatus::from("failed"), TurnStatus::Failed);
/// assert_eq!(TurnStatus::Completed.to_string(), "completed");
/// assert_eq!(TurnStatus::from("paused").as_str(), "paused");
/// assert!(TurnStatus::Cancelled == "cancelled");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TurnStatus {
    /// `turn.completed`: the agent finished.
    Completed,
    /// `turn.failed`: see the result's `error` and `error_code`.
    Failed,
    /// `turn.cancelled`: stopped by `sessions().cancel(..)`.
    Cancelled,
    /// A status this version of the SDK does not know.
    Unknown(String),
}

impl TurnStatus {
    /// The status as the API names it (`completed`, `failed`, `cancelled`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Unknown(other) => other,
        }
    }

    /// The status an end event (`turn.completed`, ...) gives its turn, if it is one.
    pub(crate) fn from_end_event(event_type: &str) -> Option<Self> {
        event_type.strip_prefix("turn.").and_then(|s| match s {
            "completed" | "failed" | "cancelled" => Some(Self::from(s)),
            _ => None,
        })
    }
}

impl From<&str> for TurnStatus {
    fn from(value: &str) -> Self {
        match value {
            "completed" => Self::Completed,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            other => Self::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for TurnStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for TurnStatus {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TurnStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for TurnStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for TurnStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Self::from(text.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_statuses_round_trip() {
        for (text, status) in [
            ("completed", TurnStatus::Completed),
            ("failed", TurnStatus::Failed),
            ("cancelled", TurnStatus::Cancelled),
            ("paused", TurnStatus::Unknown("paused".into())),
        ] {
            assert_eq!(TurnStatus::from(text), status);
            assert_eq!(status.to_string(), text);
            let json = serde_json::to_value(&status).unwrap();
            assert_eq!(json, serde_json::json!(text));
            assert_eq!(serde_json::from_value::<TurnStatus>(json).unwrap(), status);
        }
    }

    #[test]
    fn only_the_three_end_events_give_a_status() {
        assert_eq!(
            TurnStatus::from_end_event("turn.failed"),
            Some(TurnStatus::Failed)
        );
        assert_eq!(TurnStatus::from_end_event("turn.started"), None);
        assert_eq!(TurnStatus::from_end_event("completed"), None);
    }
}
