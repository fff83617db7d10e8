//! The service's string enums (ComparisonOperator, DimensionValueOperator,
//! ConfidenceLevel, CustomMetricType). Each keeps an `Unknown` variant so that
//! a value the service would reject still parses and is reported by the rules
//! at its field, the way the AWS SDKs keep unknown enum values.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value outside the service's enum, kept verbatim for the rules to report.
            Unknown(String),
        }

        impl $name {
            /// Every value the service accepts, in the model's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(other) => other,
                }
            }

            /// Parses a wire value; anything else becomes `Unknown`.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// True unless this is a value the service does not define.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }

            /// The accepted values joined for a message: `a, b, c`.
            pub fn allowed_list() -> String {
                [$($text),+].join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok($name::parse(&text))
            }
        }
    };
}

string_enum!(
    /// How a metric is compared with the criteria (service.md §2 ComparisonOperator).
    ComparisonOperator {
        LessThan = "less-than",
        LessThanEquals = "less-than-equals",
        GreaterThan = "greater-than",
        GreaterThanEquals = "greater-than-equals",
        InCidrSet = "in-cidr-set",
        NotInCidrSet = "not-in-cidr-set",
        InPortSet = "in-port-set",
        NotInPortSet = "not-in-port-set",
        InSet = "in-set",
        NotInSet = "not-in-set",
    }
);

impl ComparisonOperator {
    /// The four operators for `number` metrics.
    pub const NUMERIC: &'static [ComparisonOperator] = &[
        ComparisonOperator::LessThan,
        ComparisonOperator::LessThanEquals,
        ComparisonOperator::GreaterThan,
        ComparisonOperator::GreaterThanEquals,
    ];
    /// The operators for `ip-address-list` metrics.
    pub const CIDR: &'static [ComparisonOperator] = &[ComparisonOperator::InCidrSet, ComparisonOperator::NotInCidrSet];
    /// The operators for the listening-port metrics.
    pub const PORT: &'static [ComparisonOperator] = &[ComparisonOperator::InPortSet, ComparisonOperator::NotInPortSet];
    /// The operators for `string-list` and `number-list` metrics.
    pub const SET: &'static [ComparisonOperator] = &[ComparisonOperator::InSet, ComparisonOperator::NotInSet];

    /// True for less-than … greater-than-equals.
    pub fn is_numeric(&self) -> bool {
        Self::NUMERIC.contains(self)
    }
}

string_enum!(
    /// How a dimension's values are matched; absent means IN (service.md §2 MetricDimension).
    DimensionValueOperator {
        In = "IN",
        NotIn = "NOT_IN",
    }
);

string_enum!(
    /// ML Detect sensitivity (service.md §2 MachineLearningDetectionConfig).
    ConfidenceLevel {
        Low = "LOW",
        Medium = "MEDIUM",
        High = "HIGH",
    }
);

string_enum!(
    /// The type of a custom metric (service.md §2 CustomMetricType).
    CustomMetricType {
        StringList = "string-list",
        IpAddressList = "ip-address-list",
        NumberList = "number-list",
        Number = "number",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_and_unknown_ones_are_kept() {
        for op in ComparisonOperator::ALL {
            assert_eq!(&ComparisonOperator::parse(op.as_str()), op);
            assert!(op.is_known());
        }
        let bogus = ComparisonOperator::parse("bogus");
        assert_eq!(bogus, ComparisonOperator::Unknown("bogus".into()));
        assert_eq!(bogus.as_str(), "bogus");
        assert!(!bogus.is_known());
    }

    #[test]
    fn serde_uses_the_wire_text() {
        let json = serde_json::to_string(&DimensionValueOperator::NotIn).unwrap();
        assert_eq!(json, "\"NOT_IN\"");
        let back: ConfidenceLevel = serde_json::from_str("\"MEDIUM\"").unwrap();
        assert_eq!(back, ConfidenceLevel::Medium);
        assert_eq!(ConfidenceLevel::allowed_list(), "LOW, MEDIUM, HIGH");
    }
}
