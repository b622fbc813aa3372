use std::fmt::Display;

/// One key/value pair of an event.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    utoipa::ToSchema,
)]
pub struct EventAttribute {
    /// Attribute name.
    pub key: String,
    /// Attribute value (addresses in bech32, amounts in base 10).
    pub value: String,
}

/// Something a user cares about happened (a transfer, a mint, a key
/// rotation). Events are part of a transaction's result, queryable and
/// streamable; a failed transaction keeps only its fee event.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    utoipa::ToSchema,
)]
pub struct Event {
    /// Dotted kind: `module.what` (`bank.transfer`).
    pub kind: String,
    /// Attributes in the order they were added.
    pub attributes: Vec<EventAttribute>,
}

impl Event {
    /// An event with no attributes yet.
    pub fn new(kind: impl Into<String>) -> Self {
        Event {
            kind: kind.into(),
            attributes: Vec::new(),
        }
    }

    /// Adds an attribute (builder style).
    pub fn attr(mut self, key: impl Into<String>, value: impl Display) -> Self {
        self.attributes.push(EventAttribute {
            key: key.into(),
            value: value.to_string(),
        });
        self
    }

    /// The value of the first attribute named `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.value.as_str())
    }
}
