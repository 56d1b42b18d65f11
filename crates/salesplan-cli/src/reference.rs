//! `salesplan products|locations|departments|categories|customers|suppliers …`: one set of
//! verbs for every reference kind; each kind says only its flags and columns.

use crate::output::{self, Table};
use crate::{Context, session};
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use salesplan_core::reference::{
    self, BudgetCategory, Channel, Customer, Department, Location, LocationKind, Product,
    ProductCategory, ReferenceFields, Stored, StoredReference, Supplier,
};
use salesplan_core::{Actor, Ledger};
use uuid::Uuid;

#[derive(Subcommand)]
pub enum ReferenceCommand<A: KindArgs> {
    /// List them (archived ones too with --all).
    List {
        #[arg(long)]
        all: bool,
    },
    /// Add one, by its code (SKU for products).
    Add {
        key: String,
        #[command(flatten)]
        fields: A,
    },
    /// Change the fields given.
    Edit {
        key: String,
        #[command(flatten)]
        fields: A,
    },
    /// Archive one: it stays for history but cannot be chosen for new records.
    Archive { key: String },
    /// Bring an archived one back.
    Restore { key: String },
}

/// What a reference kind adds to the shared verbs.
pub trait KindArgs: Args {
    type Fields: ReferenceFields;
    const NOUN: &'static str;
    const HEADERS: &'static [&'static str];
    /// The fields of a new row with this key.
    fn create(self, key: String, codes: &Codes) -> Result<Self::Fields>;
    /// Applies the flags given to existing fields.
    fn apply(self, fields: &mut Self::Fields, codes: &Codes) -> Result<()>;
    fn cells(fields: &Self::Fields, codes: &Codes) -> Vec<String>;
}

pub fn run<A: KindArgs>(context: &Context, command: ReferenceCommand<A>) -> Result<()> {
    let (mut ledger, actor) = session::signed_in(context)?;
    let codes = Codes::load(&ledger, &actor)?;
    match command {
        ReferenceCommand::List { all } => {
            let rows = reference::list::<A::Fields>(&ledger, &actor, all)?;
            output::table(context, &rows, || {
                let mut headers = A::HEADERS.to_vec();
                headers.push("archived");
                let mut table = Table::new(&headers);
                for row in &rows {
                    let mut cells = A::cells(&row.fields, &codes);
                    cells.push(if row.archived_at.is_some() { "yes" } else { "" }.into());
                    table.row(cells);
                }
                table
            })
        }
        ReferenceCommand::Add { key, fields } => {
            let fields = fields.create(key, &codes)?;
            let created = reference::create(&mut ledger, &actor, fields)?;
            done::<A>(context, &created, "created")
        }
        ReferenceCommand::Edit { key, fields: flags } => {
            let current = reference::find::<A::Fields>(&ledger, &actor, &key)?;
            let mut fields = current.fields.clone();
            flags.apply(&mut fields, &codes)?;
            let edited = reference::update(
                &mut ledger,
                &actor,
                current.id,
                Some(current.version),
                fields,
            )?;
            done::<A>(context, &edited, "updated")
        }
        ReferenceCommand::Archive { key } => archive::<A>(context, &mut ledger, &actor, &key, true),
        ReferenceCommand::Restore { key } => {
            archive::<A>(context, &mut ledger, &actor, &key, false)
        }
    }
}

fn archive<A: KindArgs>(
    context: &Context,
    ledger: &mut Ledger,
    actor: &Actor,
    key: &str,
    archived: bool,
) -> Result<()> {
    let current = reference::find::<A::Fields>(ledger, actor, key)?;
    let stored = reference::set_archived::<A::Fields>(ledger, actor, current.id, archived)?;
    done::<A>(
        context,
        &stored,
        if archived { "archived" } else { "restored" },
    )
}

fn done<A: KindArgs>(context: &Context, stored: &Stored<A::Fields>, what: &str) -> Result<()> {
    output::emit(context, stored, || {
        format!("{what} {} {}", A::NOUN, stored.fields.key())
    })
}

/// Codes by id (and ids by code) of the rows other rows point at.
pub struct Codes {
    pub departments: Vec<(Uuid, String)>,
    pub locations: Vec<(Uuid, String)>,
    pub categories: Vec<(Uuid, String)>,
}

fn codes_of<F: ReferenceFields>(ledger: &Ledger, actor: &Actor) -> Result<Vec<(Uuid, String)>> {
    Ok(reference::list::<F>(ledger, actor, true)?
        .into_iter()
        .map(|row| (row.id, row.fields.key().to_owned()))
        .collect())
}

impl Codes {
    pub fn load(ledger: &Ledger, actor: &Actor) -> Result<Codes> {
        Ok(Codes {
            departments: codes_of::<Department>(ledger, actor)?,
            locations: codes_of::<Location>(ledger, actor)?,
            categories: codes_of::<ProductCategory>(ledger, actor)?,
        })
    }

    /// The code of `id` in `list`, or "-".
    pub fn code(list: &[(Uuid, String)], id: Option<Uuid>) -> String {
        id.and_then(|id| {
            list.iter()
                .find(|(known, _)| *known == id)
                .map(|(_, code)| code.clone())
        })
        .unwrap_or_else(|| "-".into())
    }

    /// The id of the row with `code` in `list` ("none" for no row).
    pub fn id(list: &[(Uuid, String)], what: &str, code: &str) -> Result<Option<Uuid>> {
        if code.eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        match list
            .iter()
            .find(|(_, known)| known.eq_ignore_ascii_case(code.trim()))
        {
            Some((id, _)) => Ok(Some(*id)),
            None => bail!("no {what} '{code}'"),
        }
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *slot = value;
    }
}

// ---- the kinds ---------------------------------------------------------------

/// Kinds that are just a code and a name share their flags and columns.
macro_rules! code_and_name_kind {
    ($args:ident, $fields:ident, $noun:literal) => {
        #[derive(Args)]
        pub struct $args {
            #[arg(long)]
            name: Option<String>,
        }

        impl KindArgs for $args {
            type Fields = $fields;
            const NOUN: &'static str = $noun;
            const HEADERS: &'static [&'static str] = &["code", "name"];
            fn create(self, key: String, codes: &Codes) -> Result<$fields> {
                let mut fields = $fields {
                    code: key,
                    name: String::new(),
                };
                self.apply(&mut fields, codes)?;
                Ok(fields)
            }
            fn apply(self, fields: &mut $fields, _: &Codes) -> Result<()> {
                set(&mut fields.name, self.name);
                Ok(())
            }
            fn cells(fields: &$fields, _: &Codes) -> Vec<String> {
                vec![fields.code.clone(), fields.name.clone()]
            }
        }
    };
}

code_and_name_kind!(DepartmentArgs, Department, "department");
code_and_name_kind!(CategoryArgs, ProductCategory, "product category");
code_and_name_kind!(BudgetCategoryArgs, BudgetCategory, "budget category");

#[derive(Args)]
pub struct LocationArgs {
    #[arg(long)]
    name: Option<String>,
    /// branch or warehouse.
    #[arg(long, value_parser = ["branch", "warehouse"])]
    kind: Option<String>,
    #[arg(long)]
    city: Option<String>,
}

impl KindArgs for LocationArgs {
    type Fields = Location;
    const NOUN: &'static str = "location";
    const HEADERS: &'static [&'static str] = &["code", "name", "kind", "city"];
    fn create(self, key: String, codes: &Codes) -> Result<Location> {
        let mut fields = Location {
            code: key,
            name: String::new(),
            kind: LocationKind::Branch,
            city: String::new(),
        };
        self.apply(&mut fields, codes)?;
        Ok(fields)
    }
    fn apply(self, fields: &mut Location, _: &Codes) -> Result<()> {
        set(&mut fields.name, self.name);
        set(&mut fields.city, self.city);
        if let Some(kind) = self.kind {
            fields.kind = if kind == "warehouse" {
                LocationKind::Warehouse
            } else {
                LocationKind::Branch
            };
        }
        Ok(())
    }
    fn cells(fields: &Location, _: &Codes) -> Vec<String> {
        let kind = match fields.kind {
            LocationKind::Branch => "branch",
            LocationKind::Warehouse => "warehouse",
        };
        vec![
            fields.code.clone(),
            fields.name.clone(),
            kind.into(),
            fields.city.clone(),
        ]
    }
}

#[derive(Args)]
pub struct ProductArgs {
    #[arg(long)]
    name: Option<String>,
    /// Product category code.
    #[arg(long)]
    category: Option<String>,
    /// Unit of measure (default pcs).
    #[arg(long)]
    unit: Option<String>,
    /// List price, e.g. 12.50.
    #[arg(long, allow_hyphen_values = true)]
    price: Option<String>,
    /// Whether it can still be sold and budgeted.
    #[arg(long)]
    active: Option<bool>,
}

impl KindArgs for ProductArgs {
    type Fields = Product;
    const NOUN: &'static str = "product";
    const HEADERS: &'static [&'static str] =
        &["sku", "name", "category", "unit", "list_price", "active"];
    fn create(self, key: String, codes: &Codes) -> Result<Product> {
        let Some(category) = self.category.as_deref() else {
            bail!("category: required; give --category CODE");
        };
        let Some(category_id) = Codes::id(&codes.categories, "product category", category)? else {
            bail!("category: required; give --category CODE");
        };
        let mut fields = Product {
            sku: key,
            name: String::new(),
            category_id,
            unit: "pcs".into(),
            list_price: Decimal::ZERO,
            active: true,
        };
        self.apply(&mut fields, codes)?;
        Ok(fields)
    }
    fn apply(self, fields: &mut Product, codes: &Codes) -> Result<()> {
        set(&mut fields.name, self.name);
        set(&mut fields.unit, self.unit);
        set(&mut fields.active, self.active);
        if let Some(price) = self.price {
            fields.list_price = crate::input::decimal("list_price", &price)?;
        }
        if let Some(code) = self.category {
            set(
                &mut fields.category_id,
                Codes::id(&codes.categories, "product category", &code)?,
            );
        }
        Ok(())
    }
    fn cells(fields: &Product, codes: &Codes) -> Vec<String> {
        vec![
            fields.sku.clone(),
            fields.name.clone(),
            Codes::code(&codes.categories, Some(fields.category_id)),
            fields.unit.clone(),
            fields.list_price.to_string(),
            if fields.active { "yes" } else { "no" }.into(),
        ]
    }
}

#[derive(Args)]
pub struct CustomerArgs {
    #[arg(long)]
    name: Option<String>,
    #[arg(long, value_parser = ["retail", "wholesale", "online", "distributor"])]
    channel: Option<String>,
    /// The serving branch's code, or "none".
    #[arg(long)]
    location: Option<String>,
}

impl KindArgs for CustomerArgs {
    type Fields = Customer;
    const NOUN: &'static str = "customer";
    const HEADERS: &'static [&'static str] = &["code", "name", "channel", "branch"];
    fn create(self, key: String, codes: &Codes) -> Result<Customer> {
        let mut fields = Customer {
            code: key,
            name: String::new(),
            channel: Channel::Retail,
            location_id: None,
        };
        self.apply(&mut fields, codes)?;
        Ok(fields)
    }
    fn apply(self, fields: &mut Customer, codes: &Codes) -> Result<()> {
        set(&mut fields.name, self.name);
        if let Some(channel) = self.channel {
            fields.channel = serde_json::from_value(serde_json::Value::String(channel))?;
        }
        if let Some(code) = self.location {
            fields.location_id = Codes::id(&codes.locations, "location", &code)?;
        }
        Ok(())
    }
    fn cells(fields: &Customer, codes: &Codes) -> Vec<String> {
        let channel = serde_json::to_value(fields.channel)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        vec![
            fields.code.clone(),
            fields.name.clone(),
            channel,
            Codes::code(&codes.locations, fields.location_id),
        ]
    }
}

#[derive(Args)]
pub struct SupplierArgs {
    #[arg(long)]
    name: Option<String>,
    /// Who to call or write to.
    #[arg(long)]
    contact: Option<String>,
    /// ISO code the supplier invoices in, e.g. EUR.
    #[arg(long)]
    currency: Option<String>,
    /// Days from ordering to receiving, on average (1-365).
    #[arg(long, allow_hyphen_values = true)]
    lead_time: Option<i64>,
    /// The lead time's standard deviation, in days (default 0).
    #[arg(long, allow_hyphen_values = true)]
    lead_time_sd: Option<String>,
    /// What placing one order costs, e.g. 45.00 (default 0).
    #[arg(long, allow_hyphen_values = true)]
    order_cost: Option<String>,
}

impl KindArgs for SupplierArgs {
    type Fields = Supplier;
    const NOUN: &'static str = "supplier";
    const HEADERS: &'static [&'static str] = &[
        "code",
        "name",
        "currency",
        "lead_time_days",
        "lead_time_sd_days",
        "order_cost",
        "contact",
    ];
    fn create(self, key: String, codes: &Codes) -> Result<Supplier> {
        let (Some(_), Some(_)) = (&self.currency, self.lead_time) else {
            bail!("a supplier needs --currency CODE and --lead-time DAYS");
        };
        let mut fields = Supplier {
            code: key,
            name: String::new(),
            contact: String::new(),
            currency: String::new(),
            lead_time_days: 1,
            lead_time_sd_days: Decimal::ZERO,
            order_cost: Decimal::ZERO,
        };
        self.apply(&mut fields, codes)?;
        Ok(fields)
    }
    fn apply(self, fields: &mut Supplier, _: &Codes) -> Result<()> {
        set(&mut fields.name, self.name);
        set(&mut fields.contact, self.contact);
        set(&mut fields.currency, self.currency);
        if let Some(days) = self.lead_time {
            fields.lead_time_days = crate::input::lead_time(days)?;
        }
        if let Some(days) = self.lead_time_sd {
            fields.lead_time_sd_days = crate::input::decimal("lead_time_sd_days", &days)?;
        }
        if let Some(cost) = self.order_cost {
            fields.order_cost = crate::input::decimal("order_cost", &cost)?;
        }
        Ok(())
    }
    fn cells(fields: &Supplier, _: &Codes) -> Vec<String> {
        vec![
            fields.code.clone(),
            fields.name.clone(),
            fields.currency.clone(),
            fields.lead_time_days.to_string(),
            fields.lead_time_sd_days.to_string(),
            fields.order_cost.to_string(),
            fields.contact.clone(),
        ]
    }
}
