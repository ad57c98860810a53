//! `dataFrom[].rewrite[]`: ESO's `RewriteMap` with its regexp, merge and transform operations.
//!
//! Mirrors `runtime/esutils/utils.go` (`RewriteMap`, `handleRewriteOperation`, `RewriteMerge`,
//! `merge`, `sortKeysWithPriority`, `RewriteRegexp`, `RewriteTransform`, `JSONMarshal`,
//! `GetByteValue`). The controller's `error applying rewrite to keys: ` prefix is the caller's.
//!
//! Operations run in order, each on the previous output:
//!
//! * **regexp**: Go `regexp.Compile(source)` and `ReplaceAllString(key, target)` on every key
//!   ([`crate::gocompat::regexp`]). When two keys map to the same new key, Go keeps whichever its
//!   random map order wrote last; here keys are rewritten in byte order, so the value of the
//!   largest original key wins. No error either way.
//! * **merge**: keys not listed in `priority` in byte order, then the `priority` keys in listed
//!   order (a listed key that is absent fails unless `priorityPolicy: IgnoreNotFound`). Each value
//!   is parsed as Go's `map[string]any` (`null` counts as an empty object; every number becomes a
//!   float64) and its members are folded in, later ones overwriting earlier ones. Each overwrite is
//!   a conflict, an error unless `conflictPolicy: Ignore`. Go visits the members of one value in
//!   random order; here in byte order, which fixes the order of the conflict list.
//!   `Extract` replaces the map by the members rendered with `GetByteValue`
//!   ([`super::value::byte_value`]); `JSON` keeps the map and adds `into` = the merged object as
//!   compact JSON with sorted keys and no HTML escaping.
//! * **transform**: a Go template per key, executed with `{"value": key}`. It needs the template
//!   engine: callers pass one through [`KeyTemplates`] to [`rewrite_map_with`]; [`rewrite_map`]
//!   fails with [`OperationError::TemplateNotSupported`]. Keys are rendered in byte order, so a
//!   collision keeps the largest original key's value and the first failing key is reported.
//!
//! Must not: put a value in an error (JSON errors carry offsets only; conflict lists name
//! member names, as ESO does), or drop decoded values without wiping their strings.

use serde_json::{Map, Value};

use super::value::{byte_value, scrub};
use crate::gocompat::json;
use crate::gocompat::regexp;
use crate::gocompat::unicode::quote;
use crate::secret::{DataMap, SecretBytes};

/// One `rewrite[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    /// `regexp: {source, target}`.
    Regexp {
        /// Go RE2 pattern matched against each key.
        source: String,
        /// Replacement with Go's `$1` / `${name}` expansion.
        target: String,
    },
    /// `transform: {template}`.
    Transform {
        /// Go template rendered with `.value` = the key.
        template: String,
    },
    /// `merge: {...}`.
    Merge(Merge),
}

/// `rewrite[].merge`; `Default` is ESO's `merge: {}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merge {
    /// Target key for the `JSON` strategy.
    pub into: String,
    /// Keys processed last, in this order (so they win conflicts).
    pub priority: Vec<String>,
    /// What a missing `priority` key means.
    pub priority_policy: PriorityPolicy,
    /// What a member set twice means.
    pub conflict_policy: ConflictPolicy,
    /// Where the merged members go.
    pub strategy: MergeStrategy,
}

/// `merge.priorityPolicy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PriorityPolicy {
    /// A priority key missing from the map is an error.
    #[default]
    Strict,
    /// Missing priority keys are skipped.
    IgnoreNotFound,
}

/// `merge.conflictPolicy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConflictPolicy {
    /// Any member set twice is an error.
    #[default]
    Error,
    /// The last value set wins.
    Ignore,
}

/// `merge.strategy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MergeStrategy {
    /// The merged members replace the map.
    #[default]
    Extract,
    /// The merged object is added under `into`.
    JSON,
}

/// A failed rewrite, as ESO's `RewriteMap` words it: `failed rewrite operation[<i>]: …`. The
/// controller prefixes `error applying rewrite to keys: ` (`errRewrite`), as the caller does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed rewrite operation[{index}]: {kind}")]
pub struct Error {
    /// Index of the failing entry in `rewrite[]`.
    pub index: usize,
    /// What went wrong in that operation.
    pub kind: OperationError,
}

/// Why one operation failed, in ESO's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperationError {
    /// `regexp.source` is not a valid Go pattern.
    #[error("regexp failed with failed to compile: {0}")]
    Compile(regexp::Error),
    /// A `priority` key is absent with `priorityPolicy: Strict`.
    #[error("merge failed with key {} not found in input map", quote(.0))]
    MergeKeyNotFound(String),
    /// A value is not a JSON object; the JSON error names an offset, never content.
    #[error("merge failed with failed to unmarshal JSON: {0}")]
    MergeUnmarshal(json::Error),
    /// Member names set more than once, in processing order.
    #[error("merge failed with conflicts: {}", .0.join(", "))]
    MergeConflicts(Vec<String>),
    /// `strategy: JSON` without `into`.
    #[error("merge failed with missing 'into' field")]
    MergeMissingInto,
    /// The template engine rejected the template (its message).
    #[error("transform failed with failed to parse template: {0}")]
    TransformParse(String),
    /// The template failed for one key (the engine's message).
    #[error("transform failed with failed to execute template for key {}: {message}", quote(.key))]
    TransformExecute {
        /// The key being rendered.
        key: String,
        /// The engine's message.
        message: String,
    },
    /// A `transform` operation while no template engine was supplied.
    #[error("rewrite.transform needs the template engine, which is not supported yet")]
    TemplateNotSupported,
}

/// The template engine's part in `rewrite.transform`.
pub trait KeyTemplates {
    /// A parsed template.
    type Template;

    /// Parses `text` as ESO does (`template.New("transform").Funcs(FuncMap()).Parse(text)`).
    ///
    /// # Errors
    /// The parse error message, which must not contain secret values.
    fn parse(&self, text: &str) -> Result<Self::Template, String>;

    /// Executes `template` with data `{"value": key}` and returns the new key.
    ///
    /// # Errors
    /// The execution error message, which must not contain secret values.
    fn execute(&self, template: &Self::Template, key: &str) -> Result<String, String>;
}

/// Stand-in used by [`rewrite_map`] until the template engine exists.
enum NoTemplates {}

impl KeyTemplates for NoTemplates {
    type Template = ();

    fn parse(&self, _: &str) -> Result<(), String> {
        match *self {}
    }

    fn execute(&self, (): &(), _: &str) -> Result<String, String> {
        match *self {}
    }
}

/// ESO's `RewriteMap` without a template engine: `transform` operations fail with
/// [`OperationError::TemplateNotSupported`].
///
/// # Errors
/// The first failing operation.
pub fn rewrite_map(operations: &[Rewrite], map: DataMap) -> Result<DataMap, Error> {
    rewrite_map_with(operations, map, None::<&NoTemplates>)
}

/// ESO's `RewriteMap`, with `templates` executing `transform` operations (`None`: they fail with
/// [`OperationError::TemplateNotSupported`]).
///
/// # Errors
/// The first failing operation.
pub fn rewrite_map_with<T: KeyTemplates>(
    operations: &[Rewrite],
    mut map: DataMap,
    templates: Option<&T>,
) -> Result<DataMap, Error> {
    for (index, op) in operations.iter().enumerate() {
        let result = match op {
            Rewrite::Regexp { source, target } => rewrite_regexp(source, target, map),
            Rewrite::Transform { template } => match templates {
                Some(engine) => rewrite_transform(engine, template, map),
                None => Err(OperationError::TemplateNotSupported),
            },
            Rewrite::Merge(merge) => rewrite_merge(merge, map),
        };
        map = result.map_err(|kind| Error { index, kind })?;
    }
    Ok(map)
}

/// ESO's `RewriteRegexp`.
fn rewrite_regexp(source: &str, target: &str, map: DataMap) -> Result<DataMap, OperationError> {
    let re = regexp::compile(source).map_err(OperationError::Compile)?;
    Ok(map
        .into_iter()
        .map(|(key, value)| (re.replace_all(&key, target), value))
        .collect())
}

/// ESO's `RewriteTransform`.
fn rewrite_transform<T: KeyTemplates>(
    engine: &T,
    text: &str,
    map: DataMap,
) -> Result<DataMap, OperationError> {
    let template = engine.parse(text).map_err(OperationError::TransformParse)?;
    let mut out = DataMap::new();
    for (key, value) in map {
        let new_key = engine.execute(&template, &key).map_err(|message| {
            OperationError::TransformExecute {
                key: key.clone(),
                message,
            }
        })?;
        out.insert(new_key, value);
    }
    Ok(out)
}

/// ESO's `RewriteMerge`.
fn rewrite_merge(op: &Merge, map: DataMap) -> Result<DataMap, OperationError> {
    let (merged, conflicts) = merge_values(op, &map)?;
    if op.conflict_policy != ConflictPolicy::Ignore && !conflicts.is_empty() {
        scrub(Value::Object(merged));
        return Err(OperationError::MergeConflicts(conflicts));
    }
    match op.strategy {
        MergeStrategy::Extract => {
            let out = merged
                .iter()
                .map(|(k, v)| (k.clone(), byte_value(v)))
                .collect();
            scrub(Value::Object(merged));
            Ok(out)
        }
        MergeStrategy::JSON => {
            if op.into.is_empty() {
                scrub(Value::Object(merged));
                return Err(OperationError::MergeMissingInto);
            }
            let merged = Value::Object(merged);
            let text = json::marshal(&merged, false);
            scrub(merged);
            let mut out = map;
            out.insert(op.into.clone(), SecretBytes::from(text));
            Ok(out)
        }
    }
}

/// ESO's `merge`: the folded members and the conflicting member names in processing order.
fn merge_values(
    op: &Merge,
    map: &DataMap,
) -> Result<(Map<String, Value>, Vec<String>), OperationError> {
    let keys = map
        .keys()
        .filter(|k| !op.priority.contains(k))
        .chain(op.priority.iter());
    let mut merged = Map::new();
    let mut conflicts = Vec::new();
    for key in keys {
        let Some(value) = map.get(key) else {
            if op.priority_policy == PriorityPolicy::IgnoreNotFound {
                continue;
            }
            scrub(Value::Object(merged));
            return Err(OperationError::MergeKeyNotFound(key.clone()));
        };
        let members = match json::unmarshal_map(value.expose()) {
            Ok(members) => members.unwrap_or_default(),
            Err(e) => {
                scrub(Value::Object(merged));
                return Err(OperationError::MergeUnmarshal(e));
            }
        };
        for (k, v) in members {
            if merged.contains_key(&k) {
                conflicts.push(k.clone());
            }
            if let Some(old) = merged.insert(k, v) {
                scrub(old);
            }
        }
    }
    Ok((merged, conflicts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> DataMap {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), SecretBytes::from(*v)))
            .collect()
    }

    fn regexp(source: &str, target: &str) -> Rewrite {
        Rewrite::Regexp {
            source: source.to_owned(),
            target: target.to_owned(),
        }
    }

    fn merge(m: Merge) -> Rewrite {
        Rewrite::Merge(m)
    }

    fn run(ops: &[Rewrite], input: &[(&str, &str)]) -> Result<DataMap, Error> {
        rewrite_map(ops, map(input))
    }

    // ESO utils_test.go TestRewrite (TV05, TV10, TV11).

    #[test]
    fn using_double_merge() {
        let ops = [
            merge(Merge {
                strategy: MergeStrategy::JSON,
                conflict_policy: ConflictPolicy::Ignore,
                into: "merged".into(),
                priority: vec!["a".into()],
                ..Merge::default()
            }),
            merge(Merge {
                strategy: MergeStrategy::Extract,
                conflict_policy: ConflictPolicy::Ignore,
                priority: vec!["b".into()],
                ..Merge::default()
            }),
        ];
        let got = run(
            &ops,
            &[
                ("a", r#"{"host": "dba", "pass": "yola", "port": 123}"#),
                ("b", r#"{"host": "dbb", "pass": "yolb"}"#),
            ],
        );
        assert_eq!(
            got.unwrap(),
            map(&[("host", "dbb"), ("pass", "yolb"), ("port", "123")])
        );
    }

    #[test]
    fn using_regexp_and_merge() {
        let ops = [
            regexp("db/(.*)", "$1"),
            merge(Merge {
                strategy: MergeStrategy::JSON,
                conflict_policy: ConflictPolicy::Ignore,
                into: "merged".into(),
                priority: vec!["a".into()],
                ..Merge::default()
            }),
        ];
        let got = run(
            &ops,
            &[
                ("db/a", r#"{"host": "dba.example.com"}"#),
                ("db/b", r#"{"host": "dbb.example.com", "pass": "yolo"}"#),
            ],
        );
        assert_eq!(
            got.unwrap(),
            map(&[
                ("a", r#"{"host": "dba.example.com"}"#),
                ("b", r#"{"host": "dbb.example.com", "pass": "yolo"}"#),
                ("merged", r#"{"host":"dba.example.com","pass":"yolo"}"#),
            ])
        );
    }

    #[test]
    fn replace_of_a_single_key() {
        let got = run(&[regexp("-", "_")], &[("foo-bar", "bar")]);
        assert_eq!(got.unwrap(), map(&[("foo_bar", "bar")]));
    }

    #[test]
    fn no_operation() {
        let got = run(&[regexp("hello", "world")], &[("foo", "bar")]);
        assert_eq!(got.unwrap(), map(&[("foo", "bar")]));
    }

    #[test]
    fn removing_prefix_from_keys() {
        let got = run(
            &[regexp("^my/initial/path/", "")],
            &[("my/initial/path/foo", "bar")],
        );
        assert_eq!(got.unwrap(), map(&[("foo", "bar")]));
    }

    #[test]
    fn using_un_named_capture_groups() {
        let got = run(
            &[regexp("f(.*)o", "a_new_path_$1")],
            &[("foo", "bar"), ("foodaloo", "barr")],
        );
        assert_eq!(
            got.unwrap(),
            map(&[("a_new_path_o", "bar"), ("a_new_path_oodalo", "barr")])
        );
    }

    #[test]
    fn using_named_and_numbered_capture_groups() {
        let got = run(
            &[regexp("f(?P<content>.*)o", "a_new_path_${content}_${1}")],
            &[("foo", "bar"), ("floo", "barr")],
        );
        assert_eq!(
            got.unwrap(),
            map(&[("a_new_path_o_o", "bar"), ("a_new_path_lo_lo", "barr")])
        );
    }

    #[test]
    fn using_sequenced_rewrite_operations() {
        let ops = [
            regexp("my/(.*?)/bar/(.*)", "$1-$2"),
            regexp("-", "_"),
            regexp("ass", "***"),
        ];
        let got = run(
            &ops,
            &[("my/app/bar/key", "bar"), ("my/app/bar/password", "barr")],
        );
        assert_eq!(
            got.unwrap(),
            map(&[("app_key", "bar"), ("app_p***word", "barr")])
        );
    }

    #[test]
    fn using_transform_rewrite_operation_to_create_env_var_format_keys() {
        // TV06 needs the template engine: without one, the transform step fails at its index.
        let ops = [
            regexp("my/(.*?)/bar/(.*)", "$1-$2"),
            Rewrite::Transform {
                template: r#"{{ .value | upper | replace "-" "_" }}"#.into(),
            },
        ];
        let err = run(&ops, &[("my/app/bar/key", "bar")]).unwrap_err();
        assert_eq!(err.index, 1);
        assert_eq!(
            err.to_string(),
            "failed rewrite operation[1]: \
             rewrite.transform needs the template engine, which is not supported yet"
        );
    }

    /// A tiny engine for the transform plumbing: `upper` and `-` → `_`, as TV06's template does.
    struct Upper;

    impl KeyTemplates for Upper {
        type Template = String;

        fn parse(&self, text: &str) -> Result<String, String> {
            if text.contains("{{") {
                Ok(text.to_owned())
            } else {
                Err("template: transform:1: no action".into())
            }
        }

        fn execute(&self, template: &String, key: &str) -> Result<String, String> {
            if key == "boom" {
                return Err("template: transform:1:3: executing failed".into());
            }
            let prefix = template.split("{{").next().unwrap_or_default();
            Ok(format!("{prefix}{}", key.to_uppercase().replace('-', "_")))
        }
    }

    #[test]
    fn tv06_transform_with_an_engine() {
        let ops = [
            regexp("my/(.*?)/bar/(.*)", "$1-$2"),
            Rewrite::Transform {
                template: "{{ .value | upper }}".into(),
            },
        ];
        let got = rewrite_map_with(&ops, map(&[("my/app/bar/key", "bar")]), Some(&Upper));
        assert_eq!(got.unwrap(), map(&[("APP_KEY", "bar")]));

        let ops = [Rewrite::Transform {
            template: "ENV_{{ .value }}".into(),
        }];
        let got = rewrite_map_with(
            &ops,
            map(&[
                ("foo-nut-bar", "HELLO1"),
                ("foo-naz-bar", "HELLO2"),
                ("foo-bar-baz", r#"{"john": "doe"}"#),
            ]),
            Some(&Upper),
        );
        assert_eq!(
            got.unwrap(),
            map(&[
                ("ENV_FOO_NUT_BAR", "HELLO1"),
                ("ENV_FOO_NAZ_BAR", "HELLO2"),
                ("ENV_FOO_BAR_BAZ", r#"{"john": "doe"}"#),
            ])
        );
    }

    #[test]
    fn transform_errors_read_like_eso() {
        let ops = [Rewrite::Transform {
            template: "plain".into(),
        }];
        let err = rewrite_map_with(&ops, map(&[("a", "1")]), Some(&Upper)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed rewrite operation[0]: \
             transform failed with failed to parse template: template: transform:1: no action"
        );
        let ops = [Rewrite::Transform {
            template: "{{ .value }}".into(),
        }];
        let err = rewrite_map_with(&ops, map(&[("boom", "1")]), Some(&Upper)).unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            "transform failed with failed to execute template for key \"boom\": \
             template: transform:1:3: executing failed"
        );
    }

    #[test]
    fn regexp_compile_error_is_wrapped() {
        let err = run(&[regexp("no", "x"), regexp("(", "x")], &[("a", "1")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed rewrite operation[1]: \
             regexp failed with failed to compile: error parsing regexp: missing closing ): `(`"
        );
    }

    #[test]
    fn tv03_prefix_rewrites() {
        let input = [("foo", "map-foo-value"), ("bar", "map-bar-value")];
        assert_eq!(
            run(&[regexp("(.*)", "new-$1")], &input).unwrap(),
            map(&[("new-foo", "map-foo-value"), ("new-bar", "map-bar-value")])
        );
        assert_eq!(
            run(&[regexp("(.*)", "old-$1")], &input).unwrap(),
            map(&[("old-foo", "map-foo-value"), ("old-bar", "map-bar-value")])
        );
    }

    #[test]
    fn tv04_rewrite_keeps_invalid_characters() {
        let got = run(
            &[regexp("(.*)", "$1")],
            &[("foo/bar", "v1"), ("bar/foo", "v2")],
        );
        assert_eq!(got.unwrap(), map(&[("foo/bar", "v1"), ("bar/foo", "v2")]));
    }

    #[test]
    fn go_template_expansion_rules() {
        // `$1x` names a group `1x` (absent → empty); `${1}x` is group 1 then `x`; `$$` is `$`.
        let got = run(&[regexp("(a)", "[$1x|${1}x|$$|$9]")], &[("a", "v")]);
        assert_eq!(got.unwrap(), map(&[("[|ax|$|]", "v")]));
    }

    #[test]
    fn regexp_collisions_keep_the_largest_original_key() {
        let got = run(&[regexp(".*", "same")], &[("a", "first"), ("b", "second")]);
        assert_eq!(got.unwrap(), map(&[("same", "second")]));
    }

    // ESO utils_test.go TestRewriteMerge (TV07, TV08, TV09).

    const MONGO: &str = r#"{"username": "foz", "password": "baz"}"#;
    const REDIS: &str = r#"{"host": "redis.example.com", "port": "6379"}"#;

    #[test]
    fn using_empty_merge() {
        let got = run(
            &[merge(Merge::default())],
            &[("mongo-credentials", MONGO), ("redis-credentials", REDIS)],
        );
        assert_eq!(
            got.unwrap(),
            map(&[
                ("username", "foz"),
                ("password", "baz"),
                ("host", "redis.example.com"),
                ("port", "6379"),
            ])
        );
    }

    fn priority_input() -> [(&'static str, &'static str); 3] {
        [
            ("redis-credentials", REDIS),
            ("mongo-credentials", MONGO),
            (
                "other-credentials",
                r#"{"key": "value", "host": "other.example.com"}"#,
            ),
        ]
    }

    #[test]
    fn using_priority() {
        let op = Merge {
            conflict_policy: ConflictPolicy::Ignore,
            priority: vec!["mongo-credentials".into(), "redis-credentials".into()],
            ..Merge::default()
        };
        let got = run(&[merge(op)], &priority_input());
        assert_eq!(
            got.unwrap(),
            map(&[
                ("username", "foz"),
                ("password", "baz"),
                ("host", "redis.example.com"),
                ("port", "6379"),
                ("key", "value"),
            ])
        );
    }

    #[test]
    fn using_priority_with_conflict_policy_error() {
        let op = Merge {
            priority: vec!["mongo-credentials".into(), "redis-credentials".into()],
            ..Merge::default()
        };
        let err = run(&[merge(op)], &priority_input()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed rewrite operation[0]: \
             merge failed with conflicts: host"
        );
    }

    #[test]
    fn using_priority_with_keys_not_in_input_default_strict() {
        let op = Merge {
            conflict_policy: ConflictPolicy::Ignore,
            priority: vec![
                "non-existent-key".into(),
                "another-missing-key".into(),
                "mongo-credentials".into(),
            ],
            ..Merge::default()
        };
        let err = run(
            &[merge(op)],
            &[("mongo-credentials", MONGO), ("redis-credentials", REDIS)],
        )
        .unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            r#"merge failed with key "non-existent-key" not found in input map"#
        );
    }

    #[test]
    fn using_priority_with_keys_not_in_input_and_ignore_policy() {
        let op = Merge {
            conflict_policy: ConflictPolicy::Ignore,
            priority: vec!["non-existent-key".into(), "mongo-credentials".into()],
            priority_policy: PriorityPolicy::IgnoreNotFound,
            ..Merge::default()
        };
        let got = run(
            &[merge(op)],
            &[("mongo-credentials", MONGO), ("redis-credentials", REDIS)],
        );
        assert_eq!(
            got.unwrap(),
            map(&[
                ("username", "foz"),
                ("password", "baz"),
                ("host", "redis.example.com"),
                ("port", "6379"),
            ])
        );
    }

    #[test]
    fn using_conflict_policy_error() {
        let err = run(
            &[merge(Merge::default())],
            &[
                ("mongo-credentials", MONGO),
                (
                    "redis-credentials",
                    r#"{"username": "redis", "port": "6379"}"#,
                ),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err.kind,
            OperationError::MergeConflicts(vec!["username".into()])
        );
    }

    #[test]
    fn conflicts_are_listed_in_processing_order() {
        let err = run(
            &[merge(Merge::default())],
            &[
                ("a", r#"{"z": 1, "b": 2}"#),
                ("b", r#"{"z": 3, "b": 4}"#),
                ("c", r#"{"b": 5}"#),
            ],
        )
        .unwrap_err();
        assert_eq!(err.kind.to_string(), "merge failed with conflicts: b, z, b");
    }

    #[test]
    fn using_json_strategy() {
        let op = Merge {
            strategy: MergeStrategy::JSON,
            into: "credentials".into(),
            ..Merge::default()
        };
        let got = run(
            &[merge(op)],
            &[("mongo-credentials", MONGO), ("redis-credentials", REDIS)],
        );
        assert_eq!(
            got.unwrap(),
            map(&[
                ("mongo-credentials", MONGO),
                ("redis-credentials", REDIS),
                (
                    "credentials",
                    r#"{"host":"redis.example.com","password":"baz","port":"6379","username":"foz"}"#
                ),
            ])
        );
    }

    #[test]
    fn using_json_strategy_without_into() {
        let op = Merge {
            strategy: MergeStrategy::JSON,
            ..Merge::default()
        };
        let err = run(&[merge(op)], &[("mongo-credentials", MONGO)]).unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            "merge failed with missing 'into' field"
        );
    }

    #[test]
    fn with_invalid_json() {
        let err = run(
            &[merge(Merge::default())],
            &[("invalid-json", r#"{"username": "foz", "password": "baz""#)],
        )
        .unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            "merge failed with failed to unmarshal JSON: unexpected end of JSON input"
        );
    }

    #[test]
    fn merge_value_kinds_render_like_get_byte_value() {
        let got = run(
            &[merge(Merge::default())],
            &[(
                "a",
                r#"{"f": 1.50, "big": 1e21, "i": 123, "t": true, "n": null, "o": {"y": "<", "x": [1e-7]}}"#,
            )],
        );
        assert_eq!(
            got.unwrap(),
            map(&[
                ("big", "1000000000000000000000"),
                ("f", "1.5"),
                ("i", "123"),
                ("n", ""),
                ("o", r#"{"x":[1e-7],"y":"\u003c"}"#),
                ("t", "true"),
            ])
        );
    }

    #[test]
    fn json_strategy_does_not_escape_html() {
        let op = Merge {
            strategy: MergeStrategy::JSON,
            into: "all".into(),
            ..Merge::default()
        };
        let got = run(&[merge(op)], &[("a", r#"{"h": "<&>", "n": 1.50}"#)]).unwrap();
        assert_eq!(got["all"].expose(), br#"{"h":"<&>","n":1.5}"#);
    }

    #[test]
    fn null_values_merge_as_empty_objects_and_other_kinds_fail() {
        let got = run(
            &[merge(Merge::default())],
            &[("a", "null"), ("b", r#"{"k":"v"}"#)],
        );
        assert_eq!(got.unwrap(), map(&[("k", "v")]));
        let err = run(&[merge(Merge::default())], &[("a", "[1]")]).unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            "merge failed with failed to unmarshal JSON: \
             json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
    }

    #[test]
    fn json_strategy_overwrites_an_existing_into_key() {
        let op = Merge {
            strategy: MergeStrategy::JSON,
            into: "a".into(),
            ..Merge::default()
        };
        let got = run(&[merge(op)], &[("a", r#"{"k":"v"}"#)]).unwrap();
        assert_eq!(got, map(&[("a", r#"{"k":"v"}"#)]));
    }

    #[test]
    fn merge_errors_never_carry_values() {
        let err = run(&[merge(Merge::default())], &[("k", r#"{"a": hunter2}"#)]).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("hunter2") && !text.contains("'h'"), "{text}");
        let err = run(&[merge(Merge::default())], &[("k", "hunter2-canary")]).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("hunter2"));
    }
}
