//! Properties: What the properties found, kept as plain tests.

use super::*;

// ---------------------------------------------------------------------------------------------
// What the properties found, kept as plain tests.

#[test]
fn a_bad_row_after_a_multi_line_field_is_reported_at_its_own_line() {
    let errors = roster::parse("id,name,role,note\nm001,张三,member,\"第一行\n第二行\"\nx,李四,member,\n")
        .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4, "{:?}", errors[0]);
}
