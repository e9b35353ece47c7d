//! `deploy/template.yaml` and `zhibu admin init` make the same table: the template's table is
//! compared with one that `DynamoStore::ensure_table` created on moto's server, read back with
//! DescribeTable. And the functions' IAM policies allow what the adapters call.

#![cfg(feature = "aws")]
#![allow(clippy::unwrap_used)]

mod servers;

use std::collections::BTreeSet;

use aws_sdk_dynamodb::types::TimeToLiveStatus;
use serde_yaml_ng::Value;
use zhibu_functions::store::dynamo::{DynamoStore, INDEXES, TTL_ATTRIBUTE};

/// An index as (name, key schema, projection type).
type Index = (String, Vec<(String, String)>, String);

fn template() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/template.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The one resource of a type.
fn resource<'a>(template: &'a Value, kind: &str) -> &'a Value {
    let resources = template["Resources"].as_mapping().unwrap();
    let found: Vec<&Value> = resources.values().filter(|r| r["Type"].as_str() == Some(kind)).collect();
    assert_eq!(found.len(), 1, "one {kind} in the template");
    &found[0]["Properties"]
}

fn key_schema(v: &Value) -> Vec<(String, String)> {
    v.as_sequence()
        .unwrap()
        .iter()
        .map(|k| {
            (k["AttributeName"].as_str().unwrap().to_string(), k["KeyType"].as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test]
async fn the_template_and_admin_init_make_the_same_table() {
    let Some(config) = servers::dynamodb().await else { return };
    let table = servers::unique("schema");
    DynamoStore::new(&config, &table).ensure_table().await.unwrap();
    let client = aws_sdk_dynamodb::Client::new(&config);
    let described = client.describe_table().table_name(&table).send().await.unwrap();
    let live = described.table().unwrap();

    let template = template();
    let declared = resource(&template, "AWS::DynamoDB::Table");

    let live_keys: Vec<(String, String)> = live
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name().to_string(), k.key_type().as_str().to_string()))
        .collect();
    assert_eq!(key_schema(&declared["KeySchema"]), live_keys);

    let declared_attributes: BTreeSet<(String, String)> = declared["AttributeDefinitions"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|a| (a["AttributeName"].as_str().unwrap().into(), a["AttributeType"].as_str().unwrap().into()))
        .collect();
    let live_attributes: BTreeSet<(String, String)> = live
        .attribute_definitions()
        .iter()
        .map(|a| (a.attribute_name().to_string(), a.attribute_type().as_str().to_string()))
        .collect();
    assert_eq!(declared_attributes, live_attributes);

    let declared_indexes: BTreeSet<Index> = declared["GlobalSecondaryIndexes"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["IndexName"].as_str().unwrap().into(),
                key_schema(&g["KeySchema"]),
                g["Projection"]["ProjectionType"].as_str().unwrap().into(),
            )
        })
        .collect();
    let live_indexes: BTreeSet<Index> = live
        .global_secondary_indexes()
        .iter()
        .map(|g| {
            (
                g.index_name().unwrap().to_string(),
                g.key_schema()
                    .iter()
                    .map(|k| (k.attribute_name().to_string(), k.key_type().as_str().to_string()))
                    .collect(),
                g.projection().and_then(|p| p.projection_type()).unwrap().as_str().to_string(),
            )
        })
        .collect();
    assert_eq!(declared_indexes, live_indexes);
    assert_eq!(live_indexes.len(), INDEXES.len());

    assert_eq!(declared["BillingMode"].as_str(), Some("PAY_PER_REQUEST"));
    let billing = live.billing_mode_summary().and_then(|b| b.billing_mode()).map(|b| b.as_str().to_string());
    assert_eq!(billing.as_deref(), Some("PAY_PER_REQUEST"));

    assert_eq!(declared["TimeToLiveSpecification"]["AttributeName"].as_str(), Some(TTL_ATTRIBUTE));
    assert_eq!(declared["TimeToLiveSpecification"]["Enabled"].as_bool(), Some(true));
    let ttl = client.describe_time_to_live().table_name(&table).send().await.unwrap();
    let ttl = ttl.time_to_live_description().unwrap();
    assert_eq!(ttl.attribute_name(), Some(TTL_ATTRIBUTE));
    assert_eq!(ttl.time_to_live_status(), Some(&TimeToLiveStatus::Enabled));

    assert_eq!(
        declared["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool(),
        Some(true)
    );
    let backups = client.describe_continuous_backups().table_name(&table).send().await.unwrap();
    let pitr = backups
        .continuous_backups_description()
        .and_then(|c| c.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status())
        .map(|s| s.as_str().to_string());
    assert_eq!(pitr.as_deref(), Some("ENABLED"));
}

/// Every action that a policy statement of the template allows.
fn allowed(v: &Value, into: &mut BTreeSet<String>) {
    match v {
        Value::Mapping(m) if m.get("Effect").and_then(Value::as_str) == Some("Allow") => {
            match m.get("Action") {
                Some(Value::String(a)) => {
                    into.insert(a.clone());
                }
                Some(Value::Sequence(list)) => {
                    into.extend(list.iter().filter_map(|a| a.as_str().map(str::to_string)))
                }
                _ => {}
            }
        }
        Value::Sequence(items) => items.iter().for_each(|i| allowed(i, into)),
        Value::Mapping(m) => m.values().for_each(|i| allowed(i, into)),
        Value::Tagged(t) => allowed(&t.value, into),
        _ => {}
    }
}

#[test]
fn the_functions_may_call_what_the_adapters_call_and_nothing_broader() {
    let template = template();
    let mut granted = BTreeSet::new();
    allowed(&template["Resources"], &mut granted);
    // What store/dynamo.rs and blobs/s3.rs call at run time (table and bucket creation are
    // `zhibu admin init`'s, with an operator's credentials, and the template's own). A
    // TransactWriteItems call is authorised by the actions inside it (Put, Delete), which IAM
    // has no separate action for.
    for needed in [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
    ] {
        assert!(granted.contains(needed), "the template does not grant {needed}: {granted:?}");
    }
    for broad in ["dynamodb:*", "s3:*", "dynamodb:Scan", "dynamodb:DeleteTable", "s3:DeleteBucket"] {
        assert!(!granted.contains(broad), "the template grants {broad}");
    }
}
