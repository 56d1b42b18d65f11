// The only door to the Rust shell. The commands, their argument names and types are
// written from Rust (./bindings/commands.ts and the ts-rs types), never copied by hand.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { Accept } from "./bindings/Accept";
import type { AccuracyQuery } from "./bindings/AccuracyQuery";
import type { AuditFilter } from "./bindings/AuditFilter";
import type { CellMember } from "./bindings/CellMember";
import type { CompanySettings } from "./bindings/CompanySettings";
import { commands } from "./bindings/commands";
import type { Day } from "./bindings/Day";
import type { Distribution } from "./bindings/Distribution";
import type { DrillStep } from "./bindings/DrillStep";
import type { ErrorReport } from "./bindings/ErrorReport";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportWhat } from "./bindings/ExportWhat";
import type { ForecastQuery } from "./bindings/ForecastQuery";
import type { GoodsReceipt } from "./bindings/GoodsReceipt";
import type { ImportKind } from "./bindings/ImportKind";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { LineEdit } from "./bindings/LineEdit";
import type { Mapping } from "./bindings/Mapping";
import type { NewAdjustment } from "./bindings/NewAdjustment";
import type { NewBudget } from "./bindings/NewBudget";
import type { NewCount } from "./bindings/NewCount";
import type { NewExpense } from "./bindings/NewExpense";
import type { NewLine } from "./bindings/NewLine";
import type { NewOrder } from "./bindings/NewOrder";
import type { NewOverride } from "./bindings/NewOverride";
import type { NewPolicyOverride } from "./bindings/NewPolicyOverride";
import type { NewSale } from "./bindings/NewSale";
import type { NewSpending } from "./bindings/NewSpending";
import type { NewTemplate } from "./bindings/NewTemplate";
import type { NewTransfer } from "./bindings/NewTransfer";
import type { NewTransferLine } from "./bindings/NewTransferLine";
import type { NewUser } from "./bindings/NewUser";
import type { NewWatchedFolder } from "./bindings/NewWatchedFolder";
import type { ReferenceItem } from "./bindings/ReferenceItem";
import type { ReferenceKind } from "./bindings/ReferenceKind";
import type { ReleaseLine } from "./bindings/ReleaseLine";
import type { ReplenishRequest } from "./bindings/ReplenishRequest";
import type { ReportDefinition } from "./bindings/ReportDefinition";
import type { ReportToSave } from "./bindings/ReportToSave";
import type { RuleDefinition } from "./bindings/RuleDefinition";
import type { RunRequest } from "./bindings/RunRequest";
import type { ShippedLine } from "./bindings/ShippedLine";
import type { SpreadRequest } from "./bindings/SpreadRequest";
import type { SupplierTerms } from "./bindings/SupplierTerms";
import type { TransferReceipt } from "./bindings/TransferReceipt";
import type { TransferState } from "./bindings/TransferState";
import type { Transition } from "./bindings/Transition";
import type { UserProfile } from "./bindings/UserProfile";
import type { VarianceQuery } from "./bindings/VarianceQuery";
import type { Widget } from "./bindings/Widget";

export type { Accept } from "./bindings/Accept";
export type { AccuracyQuery } from "./bindings/AccuracyQuery";
export type { AccuracyReport } from "./bindings/AccuracyReport";
export type { AccuracyRow } from "./bindings/AccuracyRow";
export type { Action } from "./bindings/Action";
export type { Alert } from "./bindings/Alert";
export type { AlertCentre } from "./bindings/AlertCentre";
export type { AlertRule } from "./bindings/AlertRule";
export type { ArrivedLine } from "./bindings/ArrivedLine";
export type { AuditEntry } from "./bindings/AuditEntry";
export type { AuditFilter } from "./bindings/AuditFilter";
export type { Availability } from "./bindings/Availability";
export type { AvailableItem } from "./bindings/AvailableItem";
export type { AvailableWidget } from "./bindings/AvailableWidget";
export type { BranchNeed } from "./bindings/BranchNeed";
export type { Budget } from "./bindings/Budget";
export type { BudgetComparison } from "./bindings/BudgetComparison";
export type { BudgetDiff } from "./bindings/BudgetDiff";
export type { BudgetLine } from "./bindings/BudgetLine";
export type { BudgetRoundTrip } from "./bindings/BudgetRoundTrip";
export type { BudgetSheet } from "./bindings/BudgetSheet";
export type { BudgetStatus } from "./bindings/BudgetStatus";
export type { BudgetSummary } from "./bindings/BudgetSummary";
export type { CellMember } from "./bindings/CellMember";
export type { ChartSettings } from "./bindings/ChartSettings";
export type { ClosePreview } from "./bindings/ClosePreview";
export type { CloseSummary } from "./bindings/CloseSummary";
export type { CompanySettings } from "./bindings/CompanySettings";
export type { Comparison } from "./bindings/Comparison";
export type { Conflict } from "./bindings/Conflict";
export type { Connection } from "./bindings/Connection";
export type { DateOrder } from "./bindings/DateOrder";
export type { DecimalSeparator } from "./bindings/DecimalSeparator";
export type { DemandSource } from "./bindings/DemandSource";
export type { Dimension } from "./bindings/Dimension";
export type { Discrepancy } from "./bindings/Discrepancy";
export type { Distribution } from "./bindings/Distribution";
export type { DrillRows } from "./bindings/DrillRows";
export type { DrillSale } from "./bindings/DrillSale";
export type { DrillStep } from "./bindings/DrillStep";
export type { Entity } from "./bindings/Entity";
export type { ErrorCode } from "./bindings/ErrorCode";
export type { ErrorReport } from "./bindings/ErrorReport";
export type { Expense } from "./bindings/Expense";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { ExportWhat } from "./bindings/ExportWhat";
export type { FieldSource } from "./bindings/FieldSource";
export type { Figure } from "./bindings/Figure";
export type { Filter as ReportFilter } from "./bindings/Filter";
export type { ForecastQuery } from "./bindings/ForecastQuery";
export type { ForecastRow } from "./bindings/ForecastRow";
export type { ForecastView } from "./bindings/ForecastView";
export type { GoodsReceipt } from "./bindings/GoodsReceipt";
export type { Grant } from "./bindings/Grant";
export type { Home } from "./bindings/Home";
export type { ImportKind } from "./bindings/ImportKind";
export type { ImportOutcome } from "./bindings/ImportOutcome";
export type { ImportRecord } from "./bindings/ImportRecord";
export type { ImportReport } from "./bindings/ImportReport";
export type { ImportRequest } from "./bindings/ImportRequest";
export type { Insight } from "./bindings/Insight";
export type { ItemHistory } from "./bindings/ItemHistory";
export type { Landing } from "./bindings/Landing";
export type { Lane } from "./bindings/Lane";
export type { LineEdit } from "./bindings/LineEdit";
export type { Mapping } from "./bindings/Mapping";
export type { Measure } from "./bindings/Measure";
export type { MovementLine } from "./bindings/MovementLine";
export type { Mover } from "./bindings/Mover";
export type { NamedTotal } from "./bindings/NamedTotal";
export type { NewAdjustment } from "./bindings/NewAdjustment";
export type { NewBudget } from "./bindings/NewBudget";
export type { NewCount } from "./bindings/NewCount";
export type { NewLine } from "./bindings/NewLine";
export type { NewOrder } from "./bindings/NewOrder";
export type { NewOverride } from "./bindings/NewOverride";
export type { NewPolicyOverride } from "./bindings/NewPolicyOverride";
export type { NewSale } from "./bindings/NewSale";
export type { NewSpending } from "./bindings/NewSpending";
export type { NewTransfer } from "./bindings/NewTransfer";
export type { NewTransferLine } from "./bindings/NewTransferLine";
export type { NewUser } from "./bindings/NewUser";
export type { OpenedFile } from "./bindings/OpenedFile";
export type { OrderBasis } from "./bindings/OrderBasis";
export type { OrderLine } from "./bindings/OrderLine";
export type { OrderState } from "./bindings/OrderState";
export type { Override } from "./bindings/Override";
export type { OverrideKind } from "./bindings/OverrideKind";
export type { Period } from "./bindings/Period";
export type { PinnedReport } from "./bindings/PinnedReport";
export type { PlanCoverage } from "./bindings/PlanCoverage";
export type { Policy } from "./bindings/Policy";
export type { PolicyLine } from "./bindings/PolicyLine";
export type { PolicyMethod } from "./bindings/PolicyMethod";
export type { PolicyOverride } from "./bindings/PolicyOverride";
export type { Problem } from "./bindings/Problem";
export type { ProjectedMonth } from "./bindings/ProjectedMonth";
export type { Projection } from "./bindings/Projection";
export type { Proposal } from "./bindings/Proposal";
export type { ProposalGroup } from "./bindings/ProposalGroup";
export type { ProposalLine } from "./bindings/ProposalLine";
export type { PurchaseOrder } from "./bindings/PurchaseOrder";
export type { Ranking } from "./bindings/Ranking";
export type { Rebalance } from "./bindings/Rebalance";
export type { ReceivedLine } from "./bindings/ReceivedLine";
export type { ReferenceItem } from "./bindings/ReferenceItem";
export type { ReferenceKind } from "./bindings/ReferenceKind";
export type { ReferenceRecord } from "./bindings/ReferenceRecord";
export type { ReleaseLine } from "./bindings/ReleaseLine";
export type { ReplenishItem } from "./bindings/ReplenishItem";
export type { Replenishment } from "./bindings/Replenishment";
export type { ReplenishRequest } from "./bindings/ReplenishRequest";
export type { ReportColumn } from "./bindings/ReportColumn";
export type { ReportComparison } from "./bindings/ReportComparison";
export type { ReportDefinition } from "./bindings/ReportDefinition";
export type { ReportFilterShown } from "./bindings/ReportFilterShown";
export type { ReportResult } from "./bindings/ReportResult";
export type { ReportRow } from "./bindings/ReportRow";
export type { ReportToSave } from "./bindings/ReportToSave";
export type { Role } from "./bindings/Role";
export type { RowOrder } from "./bindings/RowOrder";
export type { Rule } from "./bindings/Rule";
export type { RuleCondition } from "./bindings/RuleCondition";
export type { RuleDefinition } from "./bindings/RuleDefinition";
export type { RuleMeasure } from "./bindings/RuleMeasure";
export type { RunSummary } from "./bindings/RunSummary";
export type { SalesmanChoice } from "./bindings/SalesmanChoice";
export type { SalesOverview } from "./bindings/SalesOverview";
export type { SavedMapping } from "./bindings/SavedMapping";
export type { SavedReport } from "./bindings/SavedReport";
export type { SessionInfo } from "./bindings/SessionInfo";
export type { SetAside } from "./bindings/SetAside";
export type { Settings } from "./bindings/Settings";
export type { ShippedLine } from "./bindings/ShippedLine";
export type { SigmaSource } from "./bindings/SigmaSource";
export type { Spending } from "./bindings/Spending";
export type { SpreadMeasure } from "./bindings/SpreadMeasure";
export type { SpreadProfile } from "./bindings/SpreadProfile";
export type { StockAlert } from "./bindings/StockAlert";
export type { StockAlertKind } from "./bindings/StockAlertKind";
export type { StockMovement } from "./bindings/StockMovement";
export type { StockReason } from "./bindings/StockReason";
export type { StockSettings } from "./bindings/StockSettings";
export type { StockTable } from "./bindings/StockTable";
export type { SupplierProduct } from "./bindings/SupplierProduct";
export type { SupplierTerms } from "./bindings/SupplierTerms";
export type { SyncOverview } from "./bindings/SyncOverview";
export type { SyncStatus } from "./bindings/SyncStatus";
export type { Target } from "./bindings/Target";
export type { TargetField } from "./bindings/TargetField";
export type { Template } from "./bindings/Template";
export type { Transfer } from "./bindings/Transfer";
export type { TransferEvent } from "./bindings/TransferEvent";
export type { TransferLine } from "./bindings/TransferLine";
export type { TransferReceipt } from "./bindings/TransferReceipt";
export type { TransferState } from "./bindings/TransferState";
export type { TransferStatus } from "./bindings/TransferStatus";
export type { Transition } from "./bindings/Transition";
export type { User } from "./bindings/User";
export type { UserProfile } from "./bindings/UserProfile";
export type { VarianceCell } from "./bindings/VarianceCell";
export type { VarianceLevel } from "./bindings/VarianceLevel";
export type { VarianceQuery } from "./bindings/VarianceQuery";
export type { VarianceReport } from "./bindings/VarianceReport";
export type { VarianceRow } from "./bindings/VarianceRow";
export type { Visual } from "./bindings/Visual";
export type { WatchedFolder } from "./bindings/WatchedFolder";
export type { Welcome } from "./bindings/Welcome";
export type { Widget } from "./bindings/Widget";

/** A refusal or failure reported by the shell, in the user's words. */
export class IpcError extends Error {
  readonly report: ErrorReport;
  constructor(report: ErrorReport) {
    super(report.message);
    this.report = report;
  }
}

function isErrorReport(value: unknown): value is ErrorReport {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (failure) {
    if (isErrorReport(failure)) throw new IpcError(failure);
    throw new IpcError({ code: "internal", message: String(failure) });
  }
}

const command = commands(call);

export const ipc = {
  welcome: () => command.welcome(),
  signIn: (username: string, password: string) => command.sign_in({ username, password }),
  signOut: () => command.sign_out(),
  currentSession: () => command.current_session(),

  referenceList: (kind: ReferenceKind, includeArchived: boolean) =>
    command.reference_list({ kind, include_archived: includeArchived }),
  referenceCreate: (item: ReferenceItem) => command.reference_create({ item }),
  referenceUpdate: (id: string, baseVersion: number, item: ReferenceItem) =>
    command.reference_update({ id, base_version: baseVersion, item }),
  referenceSetArchived: (kind: ReferenceKind, id: string, archived: boolean) =>
    command.reference_set_archived({ kind, id, archived }),

  settingsGet: () => command.settings_get(),
  settingsUpdate: (baseVersion: number, company: CompanySettings) =>
    command.settings_update({ base_version: baseVersion, company }),

  usersList: () => command.users_list(),
  usersCreate: (newUser: NewUser) => command.users_create({ new_user: newUser }),
  usersUpdate: (id: string, baseVersion: number, profile: UserProfile) =>
    command.users_update({ id, base_version: baseVersion, profile }),
  usersSetActive: (id: string, active: boolean) => command.users_set_active({ id, active }),
  usersResetPassword: (id: string, newPassword: string) =>
    command.users_reset_password({ id, new_password: newPassword }),
  passwordChangeOwn: (currentPassword: string, newPassword: string) =>
    command.password_change_own({ current_password: currentPassword, new_password: newPassword }),

  auditList: (filter: AuditFilter) => command.audit_list({ filter }),
  salesOverview: () => command.sales_overview(),
  home: () => command.home_show(),
  homeRefresh: () => command.home_refresh(),
  homePin: (reportId: string) => command.home_pin({ report_id: reportId }),
  homeArrange: (widgets: Widget[]) => command.home_arrange({ widgets }),
  homeReset: () => command.home_reset(),
  stockTable: () => command.stock_table(),
  stockAvailability: () => command.stock_availability(),
  stockMovements: (locationId: string, productId: string) =>
    command.stock_movements({ location_id: locationId, product_id: productId }),
  stockCount: (count: NewCount) => command.stock_count({ count }),
  stockAdjust: (adjustment: NewAdjustment) => command.stock_adjust({ adjustment }),
  stockPolicy: (locationId: string, productId: string) =>
    command.stock_policy({ location_id: locationId, product_id: productId }),
  stockPolicyOverride: (override: NewPolicyOverride, baseVersion: number | null) =>
    command.stock_policy_override({ new: override, base_version: baseVersion }),
  stockPolicyRemoveOverride: (locationId: string, productId: string) =>
    command.stock_policy_remove_override({ location_id: locationId, product_id: productId }),
  stockPoliciesRecompute: () => command.stock_policies_recompute(),
  stockProjection: (locationId: string, productId: string) =>
    command.stock_projection({ location_id: locationId, product_id: productId }),
  replenishPropose: () => command.replenish_propose({ location_id: null }),
  purchaseOrders: () => command.purchase_orders_list(),
  purchaseOrder: (id: string) => command.purchase_order_show({ id }),
  purchaseOrderCreate: (order: NewOrder) => command.purchase_orders_create({ order }),
  purchaseOrderSetLine: (id: string, line: NewLine, baseVersion: number | null) =>
    command.purchase_order_set_line({ id, line, base_version: baseVersion }),
  purchaseOrderRemoveLine: (id: string, productId: string) =>
    command.purchase_order_remove_line({ id, product_id: productId }),
  purchaseOrderSend: (id: string) => command.purchase_order_send({ id }),
  purchaseOrderCancel: (id: string, reason: string) => command.purchase_order_cancel({ id, reason }),
  purchaseOrderReceive: (id: string, receipt: GoodsReceipt) =>
    command.purchase_order_receive({ id, receipt }),
  transfers: (only: TransferState | null) => command.transfers_list({ only }),
  transferLanes: () => command.transfer_lanes(),
  transfer: (id: string) => command.transfer_show({ id }),
  transferRequest: (transfer: NewTransfer) => command.transfer_request({ transfer }),
  transferSetLine: (id: string, line: NewTransferLine, baseVersion: number | null) =>
    command.transfer_set_line({ id, line, base_version: baseVersion }),
  transferRemoveLine: (id: string, productId: string) =>
    command.transfer_remove_line({ id, product_id: productId }),
  transferApprove: (id: string) => command.transfer_approve({ id }),
  transferShip: (id: string, lines: ShippedLine[]) => command.transfer_ship({ id, lines }),
  transferReceive: (id: string, receipt: TransferReceipt) => command.transfer_receive({ id, receipt }),
  transferCancel: (id: string, reason: string) => command.transfer_cancel({ id, reason }),
  replenishBranches: (request: ReplenishRequest) => command.replenish_branches({ request }),
  replenishRelease: (lines: ReleaseLine[]) => command.replenish_release({ lines }),
  rebalance: () => command.rebalance_suggest(),
  supplierProducts: (supplierId: string | null, productId: string | null) =>
    command.supplier_products_list({ supplier_id: supplierId, product_id: productId }),
  supplierProductPut: (terms: SupplierTerms, baseVersion: number | null) =>
    command.supplier_products_put({ terms, base_version: baseVersion }),
  supplierProductRemove: (supplierId: string, productId: string) =>
    command.supplier_products_remove({ supplier_id: supplierId, product_id: productId }),

  budgetsList: (fiscalYear: number | null) => command.budgets_list({ fiscal_year: fiscalYear }),
  budgetsShow: (id: string) => command.budgets_show({ id }),
  budgetsCompare: (id: string) => command.budgets_compare({ id }),
  budgetsCreate: (newBudget: NewBudget) => command.budgets_create({ new_budget: newBudget }),
  budgetsCopy: (id: string, scenario: string, percent: string | null) =>
    command.budgets_copy({ id, scenario, percent }),
  budgetsSetLines: (id: string, edits: LineEdit[]) => command.budgets_set_lines({ id, edits }),
  budgetsSpread: (id: string, request: SpreadRequest) => command.budgets_spread({ id, request }),
  budgetsAdjust: (id: string, productId: string | null, percent: string) =>
    command.budgets_adjust({ id, product_id: productId, percent }),
  budgetsDistribute: (distribution: Distribution, apply: boolean) =>
    command.budgets_distribute({ distribution, apply }),
  templatesList: () => command.templates_list(),
  templatesSave: (newTemplate: NewTemplate) => command.templates_save({ new_template: newTemplate }),
  templatesDelete: (id: string) => command.templates_delete({ id }),
  templatesShare: (id: string, shared: boolean) => command.templates_share({ id, shared }),
  budgetsTransition: (id: string, transition: Transition, comment: string) =>
    command.budgets_transition({ id, transition, comment }),
  budgetsInbox: () => command.budgets_inbox(),
  budgetsVariance: (query: VarianceQuery) => command.budgets_variance({ query }),
  budgetsSalesmen: () => command.budgets_salesmen(),
  expensesAdd: (budgetId: string, expense: NewExpense) =>
    command.expenses_add({ budget_id: budgetId, expense }),
  expensesSpend: (spending: NewSpending) => command.expenses_spend({ spending }),
  expensesSpendings: (expenseId: string) => command.expenses_spendings({ expense_id: expenseId }),
  /** Saves the receipt into the downloads folder; answers the file's path. */
  expensesSaveReceipt: (spendingId: string) => command.expenses_save_receipt({ spending_id: spendingId }),
  salesPost: (sales: NewSale[]) => command.sales_post({ sales }),

  importsOpen: (path: string, kind: ImportKind, sheet: string | null, headerRow: number | null) =>
    command.imports_open({ path, kind, sheet, header_row: headerRow }),
  importsPreview: (request: ImportRequest) => command.imports_preview({ request }),
  importsCommit: (request: ImportRequest, accept: Accept) => command.imports_commit({ request, accept }),
  importsBudgetCompare: () => command.imports_budget_compare(),
  importsBudgetApply: (accept: Accept) => command.imports_budget_apply({ accept }),
  jobProgress: () => command.job_progress(),
  jobCancel: () => command.job_cancel(),
  importsList: () => command.imports_list(),
  importsReverse: (id: string) => command.imports_reverse({ id }),
  importMappingsList: (kind: ImportKind) => command.import_mappings_list({ kind }),
  importMappingsSave: (kind: ImportKind, name: string, mapping: Mapping) =>
    command.import_mappings_save({ kind, name, mapping }),
  /** The system's file dialog, for a file to import; null when the user cancels. */
  pickImportFile: async (): Promise<string | null> => {
    const picked = await openDialog({
      multiple: false,
      directory: false,
      filters: [
        {
          name: "Spreadsheets and tables",
          extensions: ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"],
        },
      ],
    });
    return typeof picked === "string" ? picked : null;
  },
  /** Calls `onFile` with the path of a file dropped on the window; answers how to stop listening. */
  onFileDropped: async (onFile: (path: string) => void): Promise<() => void> =>
    getCurrentWebview().onDragDropEvent((event) => {
      if (event.payload.type === "drop" && event.payload.paths[0]) onFile(event.payload.paths[0]);
    }),
  watchFoldersList: () => command.watch_folders_list(),
  watchFoldersAdd: (folder: NewWatchedFolder) => command.watch_folders_add({ folder }),
  watchFoldersRemove: (id: string) => command.watch_folders_remove({ id }),
  alertsList: () => command.alerts_list(),
  alertsDismiss: (id: string) => command.alerts_dismiss({ id }),
  reportRun: (definition: ReportDefinition) => command.report_run({ definition }),
  reportDrill: (definition: ReportDefinition, members: CellMember[]) =>
    command.report_drill({ definition, members }),
  reportsList: () => command.reports_list(),
  reportsSave: (report: ReportToSave) => command.reports_save({ report }),
  reportsDelete: (id: string) => command.reports_delete({ id }),
  alertRulesList: () => command.alert_rules_list(),
  alertRulesAdd: (definition: RuleDefinition) => command.alert_rules_add({ definition }),
  alertRulesRemove: (id: string) => command.alert_rules_remove({ id }),
  alertRulesSnooze: (id: string, until: Day | null) => command.alert_rules_snooze({ id, until }),
  alertRulesCheck: () => command.alert_rules_check(),
  /** Writes a table or report into the downloads folder; answers the file's path. */
  exportsSave: (what: ExportWhat, format: ExportFormat) => command.exports_save({ what, format }),
  /** Writes a chart's picture (a PNG data URL) into the downloads folder; answers the file's path. */
  chartsSavePng: (title: string, png: string) => command.charts_save_png({ title, png }),

  forecastShow: (query: ForecastQuery) => command.forecast_show({ query }),
  forecastLanding: (within: DrillStep[] | null) => command.forecast_landing({ within }),
  forecastAccuracy: (query: AccuracyQuery) => command.forecast_accuracy({ query }),
  forecastOverrides: () => command.forecast_overrides(),
  forecastOverride: (newOverride: NewOverride) => command.forecast_override({ new: newOverride }),
  forecastRemoveOverride: (id: string) => command.forecast_remove_override({ id }),
  /** Recomputes the baseline; progress and cancel through jobProgress/jobCancel. */
  forecastRun: (request: RunRequest) => command.forecast_run({ request }),
  forecastClosePreview: (month: string | null) => command.forecast_close_preview({ month }),
  forecastCloseMonth: (month: string | null) => command.forecast_close_month({ month }),

  syncOverview: () => command.sync_overview(),
  /** Connects this ledger to head office as the signed-in user, signing in there with the password. */
  syncConnect: (serverUrl: string, password: string) =>
    command.sync_connect({ server_url: serverUrl, password }),
  syncNow: () => command.sync_now(),
  syncConflicts: (limit: number) => command.sync_conflicts({ limit }),
  syncSetAside: (limit: number) => command.sync_set_aside({ limit }),
  syncSignOut: () => command.sync_sign_out(),
  /** Calls `onChange` after every background sync; answers the function that stops listening. */
  onSyncChanged: (onChange: () => void) => listen("sync-changed", onChange),
};
