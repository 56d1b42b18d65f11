//! The refusals a rule of the domain gives; the core turns them into its own
//! `Error` with the same words.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{field}: {rule}")]
    Invalid { field: String, rule: String },

    #[error("{action} is not allowed for a {role}{scope_hint}; it needs the role {allowed}")]
    Forbidden {
        action: String,
        role: String,
        /// Explains a scope refusal ("outside your branch"), empty for a role refusal.
        scope_hint: String,
        allowed: String,
    },
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Error {
        Error::Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }
}
