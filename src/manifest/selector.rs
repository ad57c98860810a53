//! `metav1.LabelSelector` matching (`k8s.io/apimachinery/pkg/labels`), as ESO uses it for
//! ClusterSecretStore `conditions[].namespaceSelector`.

use std::collections::BTreeMap;

use crate::manifest::model::{LabelSelector, SelectorOperator};

/// Whether `labels` satisfy `selector`. An empty selector matches everything
/// (`LabelSelectorAsSelector` of `{}` is `labels.Everything()`).
pub fn matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    selector
        .match_labels
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
        && selector.match_expressions.iter().all(|req| {
            let value = labels.get(&req.key);
            match req.operator {
                SelectorOperator::In => value.is_some_and(|v| req.values.contains(v)),
                SelectorOperator::NotIn => value.is_none_or(|v| !req.values.contains(v)),
                SelectorOperator::Exists => value.is_some(),
                SelectorOperator::DoesNotExist => value.is_none(),
            }
        })
}

/// Apimachinery's structural rules for a selector: `In`/`NotIn` need values, `Exists`/
/// `DoesNotExist` must have none. Returns the message of the first violation.
pub fn check(selector: &LabelSelector) -> Result<(), String> {
    for (i, req) in selector.match_expressions.iter().enumerate() {
        match req.operator {
            SelectorOperator::In | SelectorOperator::NotIn if req.values.is_empty() => {
                return Err(format!(
                    "matchExpressions[{i}]: values: Required value: must be specified when \
                     `operator` is 'In' or 'NotIn'"
                ));
            }
            SelectorOperator::Exists | SelectorOperator::DoesNotExist if !req.values.is_empty() => {
                return Err(format!(
                    "matchExpressions[{i}]: values: Forbidden: may not be specified when \
                     `operator` is 'Exists' or 'DoesNotExist'"
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::model::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn req(key: &str, op: SelectorOperator, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: op,
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn empty_selector_matches_everything() {
        assert!(matches(&LabelSelector::default(), &labels(&[])));
    }

    #[test]
    fn match_labels_and_expressions_are_anded() {
        let sel = LabelSelector {
            match_labels: labels(&[("team", "a")]),
            match_expressions: vec![
                req("env", SelectorOperator::In, &["prod", "stage"]),
                req("legacy", SelectorOperator::DoesNotExist, &[]),
            ],
        };
        assert!(matches(&sel, &labels(&[("team", "a"), ("env", "prod")])));
        assert!(!matches(&sel, &labels(&[("team", "b"), ("env", "prod")])));
        assert!(!matches(&sel, &labels(&[("team", "a"), ("env", "dev")])));
        assert!(!matches(
            &sel,
            &labels(&[("team", "a"), ("env", "prod"), ("legacy", "")])
        ));
    }

    #[test]
    fn not_in_matches_missing_label() {
        let sel = LabelSelector {
            match_expressions: vec![req("env", SelectorOperator::NotIn, &["prod"])],
            ..Default::default()
        };
        assert!(matches(&sel, &labels(&[])));
        assert!(!matches(&sel, &labels(&[("env", "prod")])));
    }

    #[test]
    fn check_rejects_malformed_requirements() {
        let sel = LabelSelector {
            match_expressions: vec![req("env", SelectorOperator::In, &[])],
            ..Default::default()
        };
        assert!(check(&sel).is_err());
    }
}
