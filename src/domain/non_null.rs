//! JSON `null` is not "absent": the AWS CLI's parameter check refuses
//! `"behaviors": null`, `"count": null` and the like ("Invalid type for
//! parameter …", service.md §7), so an optional member that is present must
//! hold a value of its type. Used as `deserialize_with` on every optional
//! member of the request shapes; absence still gives `None` through
//! `#[serde(default)]`.

use serde::{Deserialize, Deserializer};

/// Reads a present member as `Some(T)`; `null` fails with the type `T` expects
/// (serde's "invalid type: null, expected …"), at the member's own path.
pub fn non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Shape {
        #[serde(default, deserialize_with = "super::non_null")]
        count: Option<i64>,
    }

    #[test]
    fn absent_is_none_and_null_is_refused() {
        let absent: Shape = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.count, None);
        let set: Shape = serde_json::from_str(r#"{"count": 3}"#).unwrap();
        assert_eq!(set.count, Some(3));
        let null = serde_json::from_str::<Shape>(r#"{"count": null}"#).unwrap_err();
        assert!(null.to_string().starts_with("invalid type: null, expected i64"), "{null}");
    }
}
