//! `deploy/template.yaml` and `zhibu admin init` make the same table: the template's table is
//! compared with one that `DynamoStore::ensure_table` created on moto's server, read back with
//! DescribeTable. And the functions' IAM policies allow what the adapters call, CloudFront adds
//! the security headers `zhibu serve` sends, and its URL function never redirects off the site.

#![cfg(feature = "aws")]
#![allow(clippy::unwrap_used)]

use crate::servers;

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
    // What store/dynamo/ and blobs/s3.rs call at run time (table and bucket creation are
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

/// The logical id of the one resource of a type.
fn resource_id(template: &Value, kind: &str) -> String {
    let resources = template["Resources"].as_mapping().unwrap();
    let ids: Vec<&str> = resources
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some(kind))
        .map(|(id, _)| id.as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "one {kind} in the template");
    ids[0].to_string()
}

/// The logical id a `!Ref` names.
fn reference(v: &Value) -> Option<&str> {
    match v {
        Value::Tagged(t) if t.tag == "Ref" => t.value.as_str(),
        _ => None,
    }
}

#[test]
fn cloudfront_adds_the_security_headers_of_zhibu_serve_to_pages_and_api_answers() {
    use zhibu_functions::http::headers;
    let template = template();
    let policy = resource(&template, "AWS::CloudFront::ResponseHeadersPolicy");
    let security = &policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"];
    assert_eq!(
        security["ContentSecurityPolicy"]["ContentSecurityPolicy"].as_str(),
        Some(headers::CONTENT_SECURITY_POLICY)
    );
    assert!(!security["ContentTypeOptions"].is_null(), "X-Content-Type-Options: nosniff");
    assert_eq!(security["FrameOptions"]["FrameOption"].as_str(), Some(headers::FRAME_OPTIONS));
    assert_eq!(security["ReferrerPolicy"]["ReferrerPolicy"].as_str(), Some(headers::REFERRER_POLICY));
    let hsts = &security["StrictTransportSecurity"];
    assert_eq!(hsts["AccessControlMaxAgeSec"].as_u64(), Some(headers::HSTS_MAX_AGE_SECS));
    assert_eq!(hsts["IncludeSubdomains"].as_bool(), Some(true));
    for (name, header) in security.as_mapping().unwrap() {
        assert_eq!(header["Override"].as_bool(), Some(true), "{name:?} replaces any origin's value");
    }
    let custom = policy["ResponseHeadersPolicyConfig"]["CustomHeadersConfig"]["Items"].as_sequence().unwrap();
    let permissions = custom.iter().find(|h| h["Header"].as_str() == Some("Permissions-Policy")).unwrap();
    assert_eq!(permissions["Value"].as_str(), Some(headers::PERMISSIONS_POLICY));

    let id = resource_id(&template, "AWS::CloudFront::ResponseHeadersPolicy");
    let config = &resource(&template, "AWS::CloudFront::Distribution")["DistributionConfig"];
    let mut behaviours = vec![&config["DefaultCacheBehavior"]];
    behaviours.extend(config["CacheBehaviors"].as_sequence().unwrap());
    for b in behaviours {
        assert_eq!(
            reference(&b["ResponseHeadersPolicyId"]),
            Some(id.as_str()),
            "the behaviour for {:?} sends the security headers",
            b["PathPattern"].as_str().unwrap_or("everything else")
        );
    }
}

#[test]
fn the_pretty_urls_function_never_redirects_off_the_site() {
    let template = template();
    let code = template["Resources"]["PrettyUrls"]["Properties"]["FunctionCode"].as_str().unwrap();
    if std::process::Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED: no node to run the CloudFront function with");
        return;
    }
    let cases = [
        ("/notices", Some("/notices/")),
        ("//notices", Some("/notices/")),
        ("///evil.example/phish", Some("/evil.example/phish/")),
        ("/\\evil.example/phish", Some("/evil.example/phish/")),
        ("/\t/evil.example/phish", Some("/evil.example/phish/")),
        ("/\n\\evil", Some("/evil/")),
        // a file's URL is S3's business (a 404 for this one), never a redirect
        ("/\\evil.example", None),
        ("/tags/%E5%85%9A", Some("/tags/%E5%85%9A/")),
        ("/notices/", None),
        ("/css/site.css", None),
    ];
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("run.js");
    let uris: Vec<&str> = cases.iter().map(|(u, _)| *u).collect();
    std::fs::write(
        &script,
        format!(
            "{code}\nconst out = {uris}.map((uri) => {{ const r = handler({{ request: {{ uri }} }}); \
             return r.statusCode ? r.headers.location.value : null; }});\nconsole.log(JSON.stringify(out));\n",
            uris = serde_json::to_string(&uris).unwrap()
        ),
    )
    .unwrap();
    let output = std::process::Command::new("node").arg(&script).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let locations: Vec<Option<String>> = serde_json::from_slice(&output.stdout).unwrap();
    for ((uri, expected), got) in cases.iter().zip(&locations) {
        assert_eq!(got.as_deref(), *expected, "{uri:?}");
    }
}

/// The API's login throttle counts by the viewer's address: CloudFront's function writes it into
/// `x-zhibu-client-ip` over anything the viewer sent, the API behaviour runs it, and the function
/// is told the header's name.
#[test]
fn cloudfront_hands_the_api_the_viewers_address_and_a_viewer_cannot_forge_it() {
    let template = template();
    let config = &resource(&template, "AWS::CloudFront::Distribution")["DistributionConfig"];
    let api = config["CacheBehaviors"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|b| b["PathPattern"].as_str() == Some("/api/*"))
        .unwrap();
    let text = serde_yaml_ng::to_string(&api["FunctionAssociations"]).unwrap();
    assert!(text.contains("ClientAddress.FunctionMetadata.FunctionARN"), "{text}");
    let env = &template["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"];
    let header = serde_yaml_ng::to_string(&env["ZHIBU_CLIENT_IP_HEADER"]).unwrap();
    assert!(header.contains("x-zhibu-client-ip"), "{header}");

    let code = template["Resources"]["ClientAddress"]["Properties"]["FunctionCode"].as_str().unwrap();
    if std::process::Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED: no node to run the CloudFront function with");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("run.js");
    std::fs::write(
        &script,
        format!(
            "{code}\nconst r = handler({{ viewer: {{ ip: '198.51.100.23' }}, request: {{ uri: '/api/session', \
             headers: {{ 'x-zhibu-client-ip': {{ value: '10.0.0.1' }} }} }} }});\n\
             console.log(r.headers['x-zhibu-client-ip'].value + ' ' + r.uri);\n"
        ),
    )
    .unwrap();
    let output = std::process::Command::new("node").arg(&script).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "198.51.100.23 /api/session");
}
