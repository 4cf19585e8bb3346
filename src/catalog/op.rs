//! Condition operators.

use serde::{Deserialize, Serialize};

/// A condition operator. The grammar reads its English and French spellings; this is what
/// they mean, with the Zendesk API name each one exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `is`, `est`
    Is,
    /// `is not`, `n'est pas`
    IsNot,
    /// `<`, `less than`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`, `greater than`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `includes`: at least one of the listed tags
    Includes,
    /// `excludes`: none of the listed tags
    Excludes,
    /// `contains`: the text contains a string
    Contains,
    /// `does not contain`
    NotContains,
    /// `is present`
    Present,
    /// `is not present`
    NotPresent,
    /// `changed`
    Changed,
    /// `not changed`
    NotChanged,
    /// `changed to`
    ChangedTo,
    /// `changed from`
    ChangedFrom,
    /// `not changed to`
    NotChangedTo,
    /// `not changed from`
    NotChangedFrom,
}

impl Op {
    /// Every operator, for tables and tests.
    pub const ALL: [Op; 18] = [
        Op::Is,
        Op::IsNot,
        Op::Less,
        Op::LessOrEqual,
        Op::Greater,
        Op::GreaterOrEqual,
        Op::Includes,
        Op::Excludes,
        Op::Contains,
        Op::NotContains,
        Op::Present,
        Op::NotPresent,
        Op::Changed,
        Op::NotChanged,
        Op::ChangedTo,
        Op::ChangedFrom,
        Op::NotChangedTo,
        Op::NotChangedFrom,
    ];

    /// The canonical English spelling.
    pub fn en(self) -> &'static str {
        match self {
            Op::Is => "is",
            Op::IsNot => "is not",
            Op::Less => "<",
            Op::LessOrEqual => "<=",
            Op::Greater => ">",
            Op::GreaterOrEqual => ">=",
            Op::Includes => "includes",
            Op::Excludes => "excludes",
            Op::Contains => "contains",
            Op::NotContains => "does not contain",
            Op::Present => "is present",
            Op::NotPresent => "is not present",
            Op::Changed => "changed",
            Op::NotChanged => "not changed",
            Op::ChangedTo => "changed to",
            Op::ChangedFrom => "changed from",
            Op::NotChangedTo => "not changed to",
            Op::NotChangedFrom => "not changed from",
        }
    }

    /// The canonical French spelling.
    pub fn fr(self) -> &'static str {
        match self {
            Op::Is => "est",
            Op::IsNot => "n'est pas",
            Op::Less => "<",
            Op::LessOrEqual => "<=",
            Op::Greater => ">",
            Op::GreaterOrEqual => ">=",
            Op::Includes => "inclut",
            Op::Excludes => "exclut",
            Op::Contains => "contient",
            Op::NotContains => "ne contient pas",
            Op::Present => "est présent",
            Op::NotPresent => "n'est pas présent",
            Op::Changed => "a changé",
            Op::NotChanged => "n'a pas changé",
            Op::ChangedTo => "a changé en",
            Op::ChangedFrom => "a changé depuis",
            Op::NotChangedTo => "n'a pas changé en",
            Op::NotChangedFrom => "n'a pas changé depuis",
        }
    }

    /// The Zendesk API spelling, the one `conditions` JSON uses.
    pub fn api(self) -> &'static str {
        match self {
            Op::Is => "is",
            Op::IsNot => "is_not",
            Op::Less => "less_than",
            Op::LessOrEqual => "less_than_equal",
            Op::Greater => "greater_than",
            Op::GreaterOrEqual => "greater_than_equal",
            Op::Includes => "includes",
            Op::Excludes => "not_includes",
            Op::Contains => "includes_string",
            Op::NotContains => "not_includes_string",
            Op::Present => "present",
            Op::NotPresent => "not_present",
            Op::Changed => "changed",
            Op::NotChanged => "not_changed",
            Op::ChangedTo => "value",
            Op::ChangedFrom => "value_previous",
            Op::NotChangedTo => "not_value",
            Op::NotChangedFrom => "not_value_previous",
        }
    }

    /// The operator the Zendesk API spells `name`, matched exactly: an importer must not
    /// read `Is` as `is`, since it would export back differently.
    pub fn from_api(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.api() == name)
    }

    /// Whether the operator takes a value after it.
    pub fn takes_value(self) -> bool {
        !matches!(
            self,
            Op::Present | Op::NotPresent | Op::Changed | Op::NotChanged
        )
    }

    /// Whether the operator compares the ticket before the update with the ticket now.
    pub fn is_delta(self) -> bool {
        matches!(
            self,
            Op::Changed
                | Op::NotChanged
                | Op::ChangedTo
                | Op::ChangedFrom
                | Op::NotChangedTo
                | Op::NotChangedFrom
        )
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

#[cfg(test)]
mod tests {
    use super::Op;

    #[test]
    fn every_operator_has_one_api_spelling() {
        for op in Op::ALL {
            assert_eq!(Op::from_api(op.api()), Some(op), "{op:?}");
        }
        assert_eq!(Op::from_api("IS"), None);
    }
}
