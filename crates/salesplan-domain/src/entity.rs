//! The kinds of record the ledger holds, and the kinds of change made to them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kinds of record the ledger holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Entity {
    CompanySettings,
    Department,
    Location,
    ProductCategory,
    Product,
    Customer,
    User,
    ActualSale,
    Budget,
    BudgetLine,
    BudgetCategory,
    BudgetExpense,
    ExpenseTransaction,
    BudgetTemplate,
    Import,
    ImportMapping,
    StockMovement,
    WatchedFolder,
    WatchedFile,
    Alert,
    ForecastRun,
    ForecastOverride,
    ClosedMonth,
    /// One value of a closed month's forecast snapshot (travels with the close).
    ForecastSnapshot,
    /// Who stock is bought from: lead time, its variability, order cost.
    Supplier,
    /// What a supplier sells of a product, and on what terms.
    SupplierProduct,
    /// A person's override of a product's stock policy at a location, with the reason.
    StockPolicyOverride,
    /// Stock policies worked out again (stays on the laptop).
    PolicyRun,
    /// An order to a supplier: draft, sent, cancelled (receipts say the rest).
    PurchaseOrder,
    /// What a purchase order asks of one product.
    PurchaseOrderLine,
    /// Stock moved between two locations: requested, approved, shipped,
    /// closed, cancelled (what arrived says the rest).
    Transfer,
    /// What a transfer moves of one product.
    TransferLine,
    /// Which widgets a user's home screen shows, in what order (stays on the laptop).
    HomeLayout,
    /// A person's rule that raises an alert when a figure crosses a line (stays on the laptop).
    AlertRule,
    /// A report a person saved (what it asks, never its figures), shared or their own.
    SavedReport,
    /// A connection to a database, web API or document store and what is read from it (stays on the laptop).
    DataSource,
    /// One run of a data source: rows read, imported, rejected, the cursor before and after (stays on the laptop).
    SourceJob,
}

impl Entity {
    pub const ALL: [Entity; 37] = [
        Entity::CompanySettings,
        Entity::Department,
        Entity::Location,
        Entity::ProductCategory,
        Entity::Product,
        Entity::Customer,
        Entity::User,
        Entity::ActualSale,
        Entity::Budget,
        Entity::BudgetLine,
        Entity::BudgetCategory,
        Entity::BudgetExpense,
        Entity::ExpenseTransaction,
        Entity::BudgetTemplate,
        Entity::Import,
        Entity::ImportMapping,
        Entity::StockMovement,
        Entity::WatchedFolder,
        Entity::WatchedFile,
        Entity::Alert,
        Entity::ForecastRun,
        Entity::ForecastOverride,
        Entity::ClosedMonth,
        Entity::ForecastSnapshot,
        Entity::Supplier,
        Entity::SupplierProduct,
        Entity::StockPolicyOverride,
        Entity::PolicyRun,
        Entity::PurchaseOrder,
        Entity::PurchaseOrderLine,
        Entity::Transfer,
        Entity::TransferLine,
        Entity::HomeLayout,
        Entity::AlertRule,
        Entity::SavedReport,
        Entity::DataSource,
        Entity::SourceJob,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Entity::CompanySettings => "company_settings",
            Entity::Department => "department",
            Entity::Location => "location",
            Entity::ProductCategory => "product_category",
            Entity::Product => "product",
            Entity::Customer => "customer",
            Entity::User => "user",
            Entity::ActualSale => "actual_sale",
            Entity::Budget => "budget",
            Entity::BudgetLine => "budget_line",
            Entity::BudgetCategory => "budget_category",
            Entity::BudgetExpense => "budget_expense",
            Entity::ExpenseTransaction => "expense_transaction",
            Entity::BudgetTemplate => "budget_template",
            Entity::Import => "import",
            Entity::ImportMapping => "import_mapping",
            Entity::StockMovement => "stock_movement",
            Entity::WatchedFolder => "watched_folder",
            Entity::WatchedFile => "watched_file",
            Entity::Alert => "alert",
            Entity::ForecastRun => "forecast_run",
            Entity::ForecastOverride => "forecast_override",
            Entity::ClosedMonth => "closed_month",
            Entity::ForecastSnapshot => "forecast_snapshot",
            Entity::Supplier => "supplier",
            Entity::SupplierProduct => "supplier_product",
            Entity::StockPolicyOverride => "stock_policy_override",
            Entity::PolicyRun => "policy_run",
            Entity::PurchaseOrder => "purchase_order",
            Entity::PurchaseOrderLine => "purchase_order_line",
            Entity::Transfer => "transfer",
            Entity::TransferLine => "transfer_line",
            Entity::HomeLayout => "home_layout",
            Entity::AlertRule => "alert_rule",
            Entity::SavedReport => "saved_report",
            Entity::DataSource => "data_source",
            Entity::SourceJob => "source_job",
        }
    }

    pub fn parse(key: &str) -> Option<Entity> {
        let key = key.trim().replace('-', "_");
        Entity::ALL.into_iter().find(|entity| entity.key() == key)
    }

    /// The word a person uses for one such record.
    pub fn noun(self) -> &'static str {
        match self {
            Entity::CompanySettings => "company settings",
            Entity::Department => "department",
            Entity::Location => "location",
            Entity::ProductCategory => "product category",
            Entity::Product => "product",
            Entity::Customer => "customer",
            Entity::User => "user",
            Entity::ActualSale => "actual sale",
            Entity::Budget => "budget",
            Entity::BudgetLine => "budget line",
            Entity::BudgetCategory => "budget category",
            Entity::BudgetExpense => "expense line",
            Entity::ExpenseTransaction => "expense transaction",
            Entity::BudgetTemplate => "budget template",
            Entity::Import => "import",
            Entity::ImportMapping => "import mapping",
            Entity::StockMovement => "stock movement",
            Entity::WatchedFolder => "watched folder",
            Entity::WatchedFile => "watched file",
            Entity::Alert => "alert",
            Entity::ForecastRun => "forecast run",
            Entity::ForecastOverride => "forecast override",
            Entity::ClosedMonth => "closed month",
            Entity::ForecastSnapshot => "forecast snapshot value",
            Entity::Supplier => "supplier",
            Entity::SupplierProduct => "supplier's product",
            Entity::StockPolicyOverride => "stock policy override",
            Entity::PolicyRun => "stock policy run",
            Entity::PurchaseOrder => "purchase order",
            Entity::PurchaseOrderLine => "purchase order line",
            Entity::Transfer => "transfer",
            Entity::TransferLine => "transfer line",
            Entity::HomeLayout => "home screen layout",
            Entity::AlertRule => "alert rule",
            Entity::SavedReport => "saved report",
            Entity::DataSource => "data source",
            Entity::SourceJob => "data source's job",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChangeKind {
    Created,
    /// The payload holds only the fields that changed, with their new values.
    Updated,
    Archived,
    Restored,
    /// A fact added to an append-only table.
    Appended,
    /// A password was set; the payload never holds the password or its hash.
    PasswordChanged,
    /// A workflow step of a state machine (payload: from, to, comment).
    Transitioned,
}

impl ChangeKind {
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Archived => "archived",
            ChangeKind::Restored => "restored",
            ChangeKind::Appended => "appended",
            ChangeKind::PasswordChanged => "password_changed",
            ChangeKind::Transitioned => "transitioned",
        }
    }

    pub fn parse(key: &str) -> Option<ChangeKind> {
        [
            ChangeKind::Created,
            ChangeKind::Updated,
            ChangeKind::Archived,
            ChangeKind::Restored,
            ChangeKind::Appended,
            ChangeKind::PasswordChanged,
            ChangeKind::Transitioned,
        ]
        .into_iter()
        .find(|kind| kind.key() == key)
    }
}
