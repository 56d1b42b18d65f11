// Every IPC command the shell exposes, once. Included by build.rs (which
// generates an `allow-…` permission for each) and by lib.rs (the handler, and
// the test that writes the UI's typed wrappers from the functions' signatures).

/// Calls the macro `$then` with every command's function, by the module that holds it.
macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            self {
                welcome,
                sign_in,
                sign_out,
                current_session,
                reference_list,
                reference_create,
                reference_update,
                reference_set_archived,
                settings_get,
                settings_update,
                users_list,
                users_create,
                users_update,
                users_set_active,
                users_reset_password,
                password_change_own,
                audit_list,
                sales_overview,
                home_show,
                home_refresh,
                home_pin,
                home_arrange,
                home_reset,
                budgets_list,
                budgets_show,
                budgets_compare,
                budgets_create,
                budgets_copy,
                budgets_set_lines,
                budgets_spread,
                budgets_transition,
                budgets_inbox,
                budgets_variance,
                budgets_salesmen,
                expenses_add,
                expenses_spend,
                expenses_spendings,
                expenses_save_receipt,
                sales_post,
                templates_list,
                templates_save,
                templates_delete,
                templates_share,
                budgets_distribute,
                budgets_adjust,
            }
            files {
                imports_open,
                imports_preview,
                imports_commit,
                imports_budget_compare,
                imports_budget_apply,
                imports_list,
                imports_reverse,
                import_mappings_list,
                import_mappings_save,
                exports_save,
                charts_save_png,
                watch_folders_list,
                watch_folders_add,
                watch_folders_remove,
                alerts_list,
                alerts_dismiss,
            }
            rules {
                alert_rules_list,
                alert_rules_add,
                alert_rules_remove,
                alert_rules_snooze,
                alert_rules_check,
            }
            reports {
                report_run,
                report_drill,
                reports_list,
                reports_save,
                reports_delete,
            }
            jobs {
                job_progress,
                job_cancel,
            }
            forecast {
                forecast_show,
                forecast_landing,
                forecast_accuracy,
                forecast_overrides,
                forecast_override,
                forecast_remove_override,
                forecast_run,
                forecast_close_preview,
                forecast_close_month,
            }
            stock {
                stock_table,
                stock_availability,
                stock_movements,
                stock_count,
                stock_adjust,
                stock_policy,
                stock_policy_override,
                stock_policy_remove_override,
                stock_policies_recompute,
                stock_projection,
            }
            purchasing {
                replenish_propose,
                purchase_orders_list,
                purchase_order_show,
                purchase_orders_create,
                purchase_order_set_line,
                purchase_order_remove_line,
                purchase_order_send,
                purchase_order_cancel,
                purchase_order_receive,
            }
            transfers {
                transfers_list,
                transfer_lanes,
                transfer_show,
                transfer_request,
                transfer_set_line,
                transfer_remove_line,
                transfer_approve,
                transfer_ship,
                transfer_receive,
                transfer_cancel,
                replenish_branches,
                replenish_release,
                rebalance_suggest,
            }
            suppliers {
                supplier_products_list,
                supplier_products_put,
                supplier_products_remove,
            }
            sync {
                sync_overview,
                sync_connect,
                sync_now,
                sync_conflicts,
                sync_set_aside,
                sync_sign_out,
            }
        }
    };
}

macro_rules! command_names {
    ($($module:ident { $($command:ident),* $(,)? })*) => {
        /// The commands' names, as the UI invokes them.
        pub const COMMANDS: &[&str] = &[$($(stringify!($command)),*),*];
    };
}

with_commands!(command_names);
