//! The API key, in a type that cannot leak by accident.

use std::fmt;

/// An Everruns API key (`evr_pat_...`).
///
/// `Debug` and `Display` show only its kind (`evr_****`), never the secret, so a key in
/// a struct that is logged or printed stays hidden. The real value is read only by the
/// request pipeline, for the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wrap a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The masked form: `evr_****` for a key with a short alphanumeric prefix, else `****`.
    pub fn masked(&self) -> String {
        match self.0.split_once('_') {
            Some((prefix, _))
                if !prefix.is_empty()
                    && prefix.len() <= 8
                    && prefix.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                format!("{prefix}_****")
            }
            _ => "****".to_owned(),
        }
    }

    /// The secret itself. Only the request pipeline should need it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl From<&str> for ApiKey {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for ApiKey {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::ApiKey;

    #[test]
    fn debug_and_display_hide_the_secret() {
        let key = ApiKey::new("evr_pat_supersecret");
        assert_eq!(format!("{key}"), "evr_****");
        assert_eq!(format!("{key:?}"), "ApiKey(evr_****)");
        assert_eq!(ApiKey::new("plainsecret").masked(), "****");
        assert_eq!(ApiKey::new("a-b_c").masked(), "****");
        assert_eq!(key.expose(), "evr_pat_supersecret");
    }
}
