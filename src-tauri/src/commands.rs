// Every IPC command the shell exposes. Included by build.rs (which generates an
// `allow-…` permission for each) and by lib.rs; keep `generate_handler!` in step.
pub const COMMANDS: &[&str] = &[
    "welcome",
    "sign_in",
    "sign_out",
    "current_session",
    "reference_list",
    "reference_create",
    "reference_update",
    "reference_set_archived",
    "settings_get",
    "settings_update",
    "users_list",
    "users_create",
    "users_update",
    "users_set_active",
    "users_reset_password",
    "password_change_own",
    "audit_list",
    "sales_overview",
];
