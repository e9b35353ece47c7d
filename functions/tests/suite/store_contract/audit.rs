//! The audit log: appended in order, read whole.

use std::sync::Arc;

use zhibu_functions::store::{AuditEntry, AuditStore};

use crate::store_contract::t;

against_every_adapter!();

/// Appended in order, read whole.
async fn conforms(store: Arc<dyn AuditStore>) {
    for (n, action) in ["note.approve", "member.reset_code", "member.erase"].iter().enumerate() {
        let entry = AuditEntry {
            at: t("2026-12-10T09:00:00+08:00"),
            actor: "a001".into(),
            action: action.to_string(),
            target: format!("t{n}"),
            detail: String::new(),
        };
        store.append_audit(&entry).await.unwrap();
    }
    let actions: Vec<String> = store.audit_log().await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, vec!["note.approve", "member.reset_code", "member.erase"]);
}
