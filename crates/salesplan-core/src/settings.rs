//! Company settings: the company's name, its currency, its fiscal calendar and
//! whether its sales issue stock.

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Write};
use crate::timestamp::Timestamp;
use crate::validate::required_text;
use uuid::Uuid;

pub use crate::model::settings::{CompanySettings, Settings, StockSettings};

/// The settings' one row has a fixed id in change records.
const SETTINGS_ID: Uuid = Uuid::nil();

impl CompanySettings {
    fn validated(self) -> Result<Self> {
        let currency = self.currency.trim().to_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(Error::invalid(
                "currency",
                "must be a three-letter ISO 4217 code such as EUR",
            ));
        }
        if !(1..=12).contains(&self.fiscal_year_start_month) {
            return Err(Error::invalid(
                "fiscal_year_start_month",
                "must be a month from 1 to 12",
            ));
        }
        Ok(CompanySettings {
            company_name: required_text("company_name", &self.company_name, 100)?,
            currency,
            fiscal_year_start_month: self.fiscal_year_start_month,
            sales_issue_stock: self.sales_issue_stock,
            stock: self.stock.validated()?,
        })
    }
}

impl StockSettings {
    /// Checks each rule by the type head office checks it with.
    fn validated(self) -> Result<Self> {
        use salesplan_domain::changes::records::{
            AlertMonths, HoldingCost, LeadTime, OrderCover, ReviewDays,
        };
        use salesplan_domain::values::ServiceLevel;
        for (field, level) in [
            ("service_level_a", self.service_level_a),
            ("service_level_b", self.service_level_b),
            ("service_level_c", self.service_level_c),
        ] {
            ServiceLevel::new(level).map_err(Error::refused(field))?;
        }
        HoldingCost::try_from(i64::from(self.holding_cost_percent))
            .map_err(Error::refused("holding_cost_percent"))?;
        OrderCover::try_from(i64::from(self.order_cover_months))
            .map_err(Error::refused("order_cover_months"))?;
        for (field, months) in [
            ("overstock_months", self.overstock_months),
            ("dead_stock_months", self.dead_stock_months),
        ] {
            AlertMonths::try_from(i64::from(months)).map_err(Error::refused(field))?;
        }
        LeadTime::try_from(i64::from(self.branch_lead_time_days))
            .map_err(Error::refused("branch_lead_time_days"))?;
        ReviewDays::try_from(i64::from(self.review_days)).map_err(Error::refused("review_days"))?;
        Ok(StockSettings {
            service_level_a: self.service_level_a.normalize(),
            service_level_b: self.service_level_b.normalize(),
            service_level_c: self.service_level_c.normalize(),
            ..self
        })
    }
}

pub fn get(ledger: &Ledger, actor: &Actor) -> Result<Settings> {
    actor.require(Action::ViewReference, &Resource::company())?;
    ledger::settings::get(ledger.read())?
        .ok_or_else(|| Error::not_found("company settings", "company"))
}

/// The company's name, shown before anyone signs in.
pub fn company_name(ledger: &Ledger) -> Result<Option<String>> {
    Ok(ledger::settings::get(ledger.read())?.map(|settings| settings.company.company_name))
}

pub fn update(
    ledger: &mut Ledger,
    actor: &Actor,
    base_version: Option<i64>,
    company: CompanySettings,
) -> Result<Settings> {
    actor.require(Action::EditSettings, &Resource::company())?;
    let company = company.validated()?;
    ledger.write(Some(actor), |write| {
        let current = ledger::settings::get(write.read())?;
        if let (Some(current), Some(expected)) = (&current, base_version)
            && current.version != expected
        {
            return Err(Error::StaleVersion {
                entity: "company settings",
                key: current.company.company_name.clone(),
                expected,
                actual: current.version,
            });
        }
        let rules_changed = current
            .as_ref()
            .is_some_and(|current| current.company.stock != company.stock);
        let settings = put_in(
            write,
            current.as_ref().map(|current| &current.company),
            company,
        )?;
        // Policies follow the company's rules at once.
        if rules_changed {
            crate::stock::policy::recompute_in(write, actor)?;
        }
        Ok(settings)
    })
}

/// Writes the settings inside an open write (also used when a ledger is set up).
pub(crate) fn put_in(
    write: &mut Write<'_>,
    before: Option<&CompanySettings>,
    company: CompanySettings,
) -> Result<Settings> {
    let company = company.validated()?;
    let (kind, payload) = match before {
        None => (
            ChangeKind::Created,
            serde_json::to_value(&company).unwrap_or_default(),
        ),
        Some(before) => (
            ChangeKind::Updated,
            serde_json::Value::Object(crate::reference::changed_fields(before, &company)),
        ),
    };
    ledger::settings::put(write, &company, Timestamp::now())?;
    write.record(Change {
        entity: Entity::CompanySettings,
        entity_id: SETTINGS_ID,
        kind,
        payload,
        base_version: None,
    })?;
    ledger::settings::get(write.read())?
        .ok_or_else(|| Error::not_found("company settings", "company"))
}

/// Sets up a new ledger: company settings and its first administrator, in one transaction.
pub fn initialise(
    ledger: &mut Ledger,
    company: CompanySettings,
    admin_username: &str,
    admin_password: &str,
) -> Result<crate::users::User> {
    let company = company.validated()?;
    ledger.write(None, |write| {
        let admin = crate::users::first_administrator_in(write, admin_username, admin_password)?;
        put_in(write, None, company)?;
        Ok(admin)
    })
}
