//! Property tests: generated valid profiles pass validation and survive
//! JSON → model → JSON unchanged; breaking one rule yields exactly that problem.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::domain::enums::ComparisonOperator;
use ddsp::domain::metrics::{BUILTIN_METRICS, DimensionSupport, DurationRule, MetricSpec, Support, ValueField};
use ddsp::domain::profile::{
    AlertTarget, Behavior, BehaviorCriteria, ConfidenceLevel, MetricDimension, MetricValue, MetricsExportConfig,
    MlDetectionConfig, SecurityProfile, StatisticalThreshold, Tag,
};
use ddsp::domain::{Context, Rule, validate};
use proptest::prelude::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/ddsp-metrics";
const DURATIONS: [i64; 5] = [300, 600, 900, 1800, 3600];
const STATISTICS: [&str; 11] = ["p0", "p0.1", "p0.01", "p1", "p10", "p50", "p90", "p99", "p99.9", "p99.99", "p100"];

fn ctx() -> Context {
    Context { custom_metrics: Some(vec![]), dimensions: Some(vec!["TopicFilter".into()]), region: None }
}

#[derive(Debug, Clone, Copy)]
enum Form {
    Static,
    Statistical,
    Ml,
}

fn forms(spec: &MetricSpec) -> Vec<Form> {
    let mut forms = vec![Form::Static];
    if spec.statistical == Support::Yes {
        forms.push(Form::Statistical);
    }
    if spec.ml == Support::Yes {
        forms.push(Form::Ml);
    }
    forms
}

fn value_for(spec: &MetricSpec) -> BoxedStrategy<MetricValue> {
    match spec.value_field {
        ValueField::Count => {
            (0i64..1_000_000).prop_map(|n| MetricValue { count: Some(n), ..Default::default() }).boxed()
        }
        ValueField::Ports => proptest::collection::vec(0i64..=65535, 1..6)
            .prop_map(|p| MetricValue { ports: Some(p), ..Default::default() })
            .boxed(),
        ValueField::Cidrs => proptest::collection::vec((any::<[u8; 4]>(), 0u8..=32), 1..4)
            .prop_map(|c| MetricValue {
                cidrs: Some(c.iter().map(|(a, p)| format!("{}.{}.{}.{}/{p}", a[0], a[1], a[2], a[3])).collect()),
                ..Default::default()
            })
            .boxed(),
        _ => Just(MetricValue::default()).boxed(),
    }
}

fn criteria_for(spec: &'static MetricSpec, form: Form) -> BoxedStrategy<BehaviorCriteria> {
    let datapoints = (proptest::option::of(1i64..=10), proptest::option::of(1i64..=10));
    match form {
        Form::Static => (
            value_for(spec),
            proptest::sample::select(spec.operators.to_vec()),
            proptest::sample::select(DURATIONS.to_vec()),
            datapoints,
        )
            .prop_map(move |(value, op, duration, (alarm, clear))| BehaviorCriteria {
                comparison_operator: Some(op),
                value: Some(value),
                duration_seconds: (spec.duration == DurationRule::Required).then_some(duration),
                consecutive_datapoints_to_alarm: alarm,
                consecutive_datapoints_to_clear: clear,
                ..Default::default()
            })
            .boxed(),
        Form::Statistical => (
            proptest::sample::select(ComparisonOperator::NUMERIC.to_vec()),
            proptest::sample::select(STATISTICS.to_vec()),
            proptest::sample::select(DURATIONS.to_vec()),
        )
            .prop_map(|(op, statistic, duration)| BehaviorCriteria {
                comparison_operator: Some(op),
                statistical_threshold: Some(StatisticalThreshold { statistic: Some(statistic.to_owned()) }),
                duration_seconds: Some(duration),
                ..Default::default()
            })
            .boxed(),
        Form::Ml => (proptest::sample::select(ConfidenceLevel::ALL.to_vec()), datapoints)
            .prop_map(|(level, (alarm, clear))| BehaviorCriteria {
                ml_detection_config: Some(MlDetectionConfig { confidence_level: Some(level) }),
                consecutive_datapoints_to_alarm: alarm,
                consecutive_datapoints_to_clear: clear,
                ..Default::default()
            })
            .boxed(),
    }
}

fn behavior() -> impl Strategy<Value = Behavior> {
    proptest::sample::select(BUILTIN_METRICS.iter().filter(|m| m.confirmed).collect::<Vec<_>>())
        .prop_flat_map(|spec| (Just(spec), proptest::sample::select(forms(spec))))
        .prop_flat_map(|(spec, form)| {
            let dimension_ok = matches!(
                (spec.dimension, form),
                (DimensionSupport::RulesAndMl, _) | (DimensionSupport::RulesOnly, Form::Static)
            );
            (
                Just(spec),
                criteria_for(spec, form),
                any::<bool>().prop_map(move |d| d && dimension_ok),
                proptest::option::of(any::<bool>()),
            )
        })
        .prop_map(|(spec, criteria, dimension, suppress)| Behavior {
            name: String::new(),
            metric: Some(spec.name.to_owned()),
            metric_dimension: dimension
                .then(|| MetricDimension { dimension_name: "TopicFilter".into(), operator: None }),
            criteria: Some(criteria),
            suppress_alerts: suppress,
            export_metric: Some(true),
        })
}

fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9:_-]{1,40}"
}

fn profile() -> impl Strategy<Value = SecurityProfile> {
    (
        name(),
        proptest::option::of("[ -~]{0,200}"),
        proptest::collection::vec(behavior(), 0..12),
        any::<bool>(),
        proptest::collection::vec(("[a-zA-Z][a-zA-Z0-9 _.:/=+@-]{0,30}", proptest::option::of("[ -~]{0,40}")), 0..6),
    )
        .prop_map(|(name, description, mut behaviors, alerts, tags)| {
            // A profile is rules-based or ML Detect (a mix is warned about): keep the rules.
            let ml = |b: &Behavior| b.criteria.as_ref().is_some_and(|c| c.ml_detection_config.is_some());
            if behaviors.iter().any(ml) && !behaviors.iter().all(ml) {
                behaviors.retain(|b| !ml(b));
            }
            for (i, b) in behaviors.iter_mut().enumerate() {
                b.name = format!("behavior-{i}");
            }
            let mut seen = std::collections::HashSet::new();
            let tags: Vec<Tag> = tags
                .into_iter()
                .filter(|(k, _)| !k.to_ascii_lowercase().starts_with("aws:") && seen.insert(k.clone()))
                .map(|(key, value)| Tag { key, value })
                .collect();
            SecurityProfile {
                security_profile_name: name,
                security_profile_description: description,
                behaviors: Some(behaviors),
                alert_targets: alerts.then(|| {
                    [(
                        "SNS".to_owned(),
                        AlertTarget {
                            alert_target_arn: "arn:aws:sns:us-east-1:123456789012:alerts".into(),
                            role_arn: ROLE.into(),
                        },
                    )]
                    .into()
                }),
                additional_metrics_to_retain: None,
                additional_metrics_to_retain_v2: None,
                tags: (!tags.is_empty()).then_some(tags),
                metrics_export_config: Some(MetricsExportConfig {
                    mqtt_topic: "metrics/ddsp".into(),
                    role_arn: ROLE.into(),
                }),
            }
        })
}

/// One broken rule and where the profile breaks it.
#[derive(Debug, Clone)]
enum Mutation {
    ProfileName,
    Description,
    BehaviorName(usize),
    DuplicateName(usize),
    Datapoints(usize, i64),
    UnknownOperator(usize),
    Statistic(usize),
    AlertTargetType,
    TagReserved(usize),
}

fn apply(p: &mut SecurityProfile, m: &Mutation) -> Option<Rule> {
    let behaviors = p.behaviors.as_mut()?;
    let n = behaviors.len();
    Some(match *m {
        Mutation::ProfileName => {
            p.security_profile_name.push(' ');
            Rule::ProfileName
        }
        Mutation::Description => {
            p.security_profile_description = Some("d".repeat(1001));
            Rule::DescriptionLength
        }
        Mutation::BehaviorName(i) if n > 0 => {
            behaviors[i % n].name = "no/slash".into();
            Rule::BehaviorName
        }
        Mutation::DuplicateName(i) if n > 1 => {
            let j = i % (n - 1) + 1;
            behaviors[j].name = behaviors[0].name.clone();
            Rule::BehaviorNameUnique
        }
        Mutation::Datapoints(i, v) if n > 0 => {
            behaviors[i % n].criteria.as_mut()?.consecutive_datapoints_to_clear = Some(v);
            Rule::DatapointsRange
        }
        Mutation::UnknownOperator(i) if n > 0 => {
            let c = behaviors[i % n].criteria.as_mut()?;
            c.comparison_operator.as_ref()?;
            c.comparison_operator = Some(ComparisonOperator::Unknown("about".into()));
            Rule::ComparisonOperatorUnknown
        }
        Mutation::Statistic(i) if n > 0 => {
            behaviors[i % n].criteria.as_mut()?.statistical_threshold.as_mut()?.statistic = Some("p42".into());
            Rule::StatisticValue
        }
        Mutation::AlertTargetType => {
            let target = p.alert_targets.as_mut()?.remove("SNS")?;
            p.alert_targets.as_mut()?.insert("SMS".into(), target);
            Rule::AlertTargetType
        }
        Mutation::TagReserved(i) => {
            let tags = p.tags.as_mut()?;
            let t = i % tags.len();
            tags[t].key = format!("aws:{}", tags[t].key);
            if tags.iter().filter(|x| x.key == tags[t].key).count() > 1 {
                return None;
            }
            Rule::TagKeyReserved
        }
        _ => return None,
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::ProfileName),
        Just(Mutation::Description),
        any::<usize>().prop_map(Mutation::BehaviorName),
        any::<usize>().prop_map(Mutation::DuplicateName),
        (any::<usize>(), prop_oneof![i64::MIN..=0, 11..=i64::MAX]).prop_map(|(i, v)| Mutation::Datapoints(i, v)),
        any::<usize>().prop_map(Mutation::UnknownOperator),
        any::<usize>().prop_map(Mutation::Statistic),
        Just(Mutation::AlertTargetType),
        any::<usize>().prop_map(Mutation::TagReserved),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_valid_profiles_pass(p in profile()) {
        let problems = validate(&p, &ctx());
        prop_assert!(problems.is_empty(), "{:#?}", problems);
    }

    #[test]
    fn json_round_trips(p in profile()) {
        let text = serde_json::to_string(&p).unwrap();
        let back: SecurityProfile = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &p);
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), doc);
        let yaml = ddsp::wire::yaml_out::to_yaml(&serde_json::to_value(&p).unwrap(), &|_| None);
        let from_yaml: SecurityProfile = ddsp::wire::input::parse(&yaml, ddsp::wire::input::Format::Yaml).unwrap();
        prop_assert_eq!(from_yaml, p);
    }

    #[test]
    fn a_document_and_its_yaml_rendering_give_the_same_problems(p in profile(), m in mutation()) {
        let mut doc = p;
        apply(&mut doc, &m);
        let value = serde_json::to_value(&doc).unwrap();
        let json_text = serde_json::to_string_pretty(&value).unwrap();
        let yaml_text = ddsp::wire::yaml_out::to_yaml(&value, &|_| None);
        let from_json: SecurityProfile = ddsp::wire::input::parse(&json_text, ddsp::wire::input::Format::Json).unwrap();
        let from_yaml: SecurityProfile = ddsp::wire::input::parse(&yaml_text, ddsp::wire::input::Format::Yaml).unwrap();
        prop_assert_eq!(&from_json, &from_yaml);
        prop_assert_eq!(validate(&from_json, &ctx()), validate(&from_yaml, &ctx()));
    }

    #[test]
    fn one_broken_rule_gives_exactly_that_problem(p in profile(), m in mutation()) {
        let mut broken = p.clone();
        if let Some(rule) = apply(&mut broken, &m) {
            let problems = validate(&broken, &ctx());
            prop_assert_eq!(problems.len(), 1, "{:?}: {:#?}", m, problems);
            prop_assert_eq!(problems[0].rule, rule);
        }
    }
}

/// A metrics-export datapoint of any shape the schema allows, as JSON.
fn export_datum() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        (0u32..1000).prop_map(|c| format!(r#"{{"count":{c}}}"#)),
        (-1000.0f64..1000.0).prop_map(|n| format!(r#"{{"number":{n}}}"#)),
        proptest::collection::vec(1u16..=65535, 0..4).prop_map(|p| format!(r#"{{"ports":{p:?}}}"#)),
        proptest::collection::vec("[a-z]{0,5}", 0..3).prop_map(|s| format!(r#"{{"strings":{s:?}}}"#)),
    ];
    ("[a-z0-9:-]{1,12}", "[a-z0-9_-]{1,12}", value, 1_600_000_000i64..1_800_000_000, proptest::option::of(0u64..9))
        .prop_map(|(name, thing, value, t, v)| {
            let version = v.map_or(String::new(), |v| format!(r#","version":{v}"#));
            format!(r#"{{"name":"{name}","thing":"{thing}","value":{value},"timestamp":{t}{version}}}"#)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The streaming reader (files, gzip or not) and the in-memory one read
    /// the same documents into the same datapoints, and neither panics on
    /// the documents cut short anywhere.
    #[test]
    fn the_streaming_export_reader_reads_what_the_in_memory_one_reads(
        docs in proptest::collection::vec(proptest::collection::vec(export_datum(), 0..6), 0..5),
        cut in any::<prop::sample::Index>(),
        gzip in any::<bool>(),
    ) {
        use ddsp::wire::metric_reports::{read_export, read_export_from};
        use std::io::Write;
        let text: String = docs.iter().map(|d| format!("{{\"version\":\"1.0\",\"metrics\":[{}]}}\n", d.join(","))).collect();
        let mut in_memory = Vec::new();
        read_export(&text, |r| in_memory.push(r)).unwrap();
        let bytes = if gzip {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(text.as_bytes()).unwrap();
            gz.finish().unwrap()
        } else {
            text.clone().into_bytes()
        };
        let mut streamed = Vec::new();
        read_export_from(&bytes[..], |r| { streamed.push(r); Ok(()) }).unwrap();
        prop_assert_eq!(&streamed, &in_memory);
        let short = &text.as_bytes()[..cut.index(text.len() + 1)];
        let (a, b) = (read_export(&String::from_utf8_lossy(short), |_| {}), read_export_from(short, |_| Ok(())));
        prop_assert_eq!(a.is_ok(), b.is_ok());
    }
}
