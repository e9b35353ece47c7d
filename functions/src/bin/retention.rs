//! The scheduled Lambda function: once a day, removes sign-in locations older than the
//! retention period (`ZHIBU_LOCATION_RETENTION_DAYS`, default 180). Any event triggers it.

use std::path::Path;

use lambda_http::{LambdaEvent, service_fn};
use serde::Serialize;
use zhibu_functions::admin::{self, Actor};
use zhibu_functions::clock::{Clock, SystemClock};
use zhibu_functions::{app, config, retention};

/// What a run reports (the invocation's result).
#[derive(Serialize)]
struct Purged {
    purged: usize,
    retention_days: u32,
}

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tracing_subscriber::fmt().with_ansi(false).without_time().with_target(false).init();
    let days = retention::location_days_from_env()?;
    let config = config::Config::from_env(Path::new("/tmp/zhibu"))?;
    let store = app::open_store(&config.store).await?;
    lambda_http::lambda_runtime::run(service_fn(|_: LambdaEvent<serde_json::Value>| {
        let store = store.clone();
        async move {
            let actor = Actor("scheduler:retention".into());
            let purged = admin::purge(store.as_ref(), &actor, days, SystemClock.now()).await?;
            tracing::info!(purged, days, "locations past retention removed");
            Ok::<_, lambda_http::Error>(Purged { purged, retention_days: days })
        }
    }))
    .await
}
