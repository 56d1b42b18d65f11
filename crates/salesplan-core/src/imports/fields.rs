//! What can be imported: each kind's target fields, and the mapping from a
//! file's columns to them (suggested from the header names, editable, saved by name).

use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

pub use salesplan_domain::changes::records::ImportKind;

pub use crate::model::imports::{FieldSource, Mapping};

/// Each kind's target fields.
pub trait TargetFields {
    fn fields(self) -> &'static [TargetField];
}

impl TargetFields for ImportKind {
    fn fields(self) -> &'static [TargetField] {
        match self {
            ImportKind::Actuals => ACTUALS,
            ImportKind::Budget => BUDGET,
            ImportKind::Products => PRODUCTS,
            ImportKind::Customers => CUSTOMERS,
            ImportKind::Stock => STOCK,
            ImportKind::Locations => LOCATIONS,
            ImportKind::Departments
            | ImportKind::ProductCategories
            | ImportKind::BudgetCategories => CODE_AND_NAME,
            ImportKind::Suppliers => SUPPLIERS,
            ImportKind::SupplierProducts => SUPPLIER_PRODUCTS,
        }
    }
}

/// A field of an import's target schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TargetField {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// Header names (lower case, without spaces and punctuation) that map to this field.
    #[serde(skip)]
    #[ts(skip)]
    pub names: &'static [&'static str],
}

impl TargetField {
    /// The column name templates and exports write for this field: its label
    /// without the explanation in brackets, where the mapping recognises that
    /// ("Product (SKU)" → "Product"), else its first known name ("Date").
    pub fn header(&self) -> String {
        let short = self.label.split(" (").next().unwrap_or(self.label).trim();
        if self.names.contains(&normalised(short).as_str()) {
            return short.to_owned();
        }
        let first = self.names.first().copied().unwrap_or(self.key);
        let mut letters = first.chars();
        letters
            .next()
            .map(|initial| initial.to_uppercase().chain(letters).collect())
            .unwrap_or_default()
    }
}

const fn field(
    key: &'static str,
    label: &'static str,
    required: bool,
    names: &'static [&'static str],
) -> TargetField {
    TargetField {
        key,
        label,
        required,
        names,
    }
}

const SKU: TargetField = field(
    "sku",
    "Product (SKU)",
    true,
    &[
        "sku",
        "productcode",
        "product",
        "productno",
        "itemcode",
        "item",
        "itemno",
        "article",
        "artikel",
        "artikelnummer",
        "artnr",
        "code",
        "material",
    ],
);
const BRANCH: TargetField = field(
    "branch",
    "Branch (code or name)",
    true,
    &[
        "branch",
        "branchcode",
        "store",
        "shop",
        "location",
        "site",
        "filiale",
        "standort",
        "niederlassung",
        "outlet",
    ],
);
const QUANTITY: TargetField = field(
    "quantity",
    "Quantity",
    true,
    &[
        "quantity", "qty", "units", "menge", "anzahl", "pcs", "pieces", "volume", "stk",
    ],
);
const UNIT_PRICE: TargetField = field(
    "unit_price",
    "Unit price",
    false,
    &[
        "unitprice",
        "price",
        "preis",
        "einzelpreis",
        "netprice",
        "sellingprice",
        "listprice",
    ],
);

const ACTUALS: &[TargetField] = &[
    field(
        "date",
        "Date or month",
        true,
        &[
            "date",
            "saledate",
            "invoicedate",
            "datum",
            "belegdatum",
            "day",
            "month",
            "period",
            "monat",
            "periode",
            "postingdate",
        ],
    ),
    SKU,
    BRANCH,
    field(
        "salesman",
        "Salesman (username or name)",
        false,
        &[
            "salesman",
            "salesperson",
            "seller",
            "rep",
            "salesrep",
            "verkaufer",
            "vertreter",
            "user",
            "agent",
        ],
    ),
    field(
        "customer",
        "Customer (code)",
        false,
        &[
            "customer",
            "customercode",
            "customerno",
            "client",
            "kunde",
            "kundennummer",
            "account",
        ],
    ),
    QUANTITY,
    UNIT_PRICE,
    field(
        "amount",
        "Amount",
        false,
        &[
            "amount",
            "revenue",
            "sales",
            "netsales",
            "value",
            "umsatz",
            "betrag",
            "total",
            "netamount",
        ],
    ),
    field(
        "reference",
        "Document number",
        false,
        &[
            "reference",
            "invoice",
            "invoiceno",
            "document",
            "documentno",
            "docno",
            "beleg",
            "belegnummer",
            "rechnung",
            "orderno",
            "line",
        ],
    ),
];

const BUDGET: &[TargetField] = &[
    SKU,
    field(
        "month",
        "Month",
        true,
        &["month", "period", "monat", "periode", "date", "datum"],
    ),
    field("quantity", "Quantity", false, QUANTITY.names),
    UNIT_PRICE,
    field(
        "amount",
        "Amount (typed directly)",
        false,
        &["amount", "budget", "value", "betrag", "umsatz", "revenue"],
    ),
];

const PRODUCTS: &[TargetField] = &[
    field("sku", "SKU", true, SKU.names),
    field(
        "name",
        "Name",
        true,
        &[
            "name",
            "productname",
            "description",
            "bezeichnung",
            "artikelbezeichnung",
            "itemname",
        ],
    ),
    field(
        "category",
        "Category (code)",
        true,
        &[
            "category",
            "categorycode",
            "group",
            "productgroup",
            "kategorie",
            "warengruppe",
        ],
    ),
    field("unit", "Unit", false, &["unit", "uom", "einheit", "me"]),
    field("list_price", "List price", true, UNIT_PRICE.names),
    field("active", "Active (yes or no)", false, &["active", "aktiv"]),
];

const CUSTOMERS: &[TargetField] = &[
    field(
        "code",
        "Code",
        true,
        &[
            "code",
            "customercode",
            "customerno",
            "kundennummer",
            "account",
            "id",
        ],
    ),
    field(
        "name",
        "Name",
        true,
        &[
            "name",
            "customername",
            "customer",
            "kunde",
            "firma",
            "company",
        ],
    ),
    field(
        "channel",
        "Channel",
        false,
        &["channel", "kanal", "segment", "type"],
    ),
    field("location", "Branch (code)", false, BRANCH.names),
];

const CODE: TargetField = field(
    "code",
    "Code",
    true,
    &[
        "code",
        "key",
        "kurzzeichen",
        "kuerzel",
        "nummer",
        "number",
        "no",
    ],
);
const NAME: TargetField = field(
    "name",
    "Name",
    true,
    &["name", "description", "bezeichnung", "label"],
);

/// Departments, product categories, budget categories.
const CODE_AND_NAME: &[TargetField] = &[CODE, NAME];

const LOCATIONS: &[TargetField] = &[
    CODE,
    NAME,
    field(
        "kind",
        "Kind (branch or warehouse)",
        false,
        &["kind", "type", "art", "typ"],
    ),
    field("city", "City", false, &["city", "town", "ort", "stadt"]),
];

const LEAD_TIME_DAYS: TargetField = field(
    "lead_time_days",
    "Lead time (days)",
    false,
    &[
        "leadtimedays",
        "leadtime",
        "leadtimeindays",
        "deliverydays",
        "lieferzeit",
        "lieferzeittage",
        "wiederbeschaffungszeit",
    ],
);

const SUPPLIERS: &[TargetField] = &[
    CODE,
    NAME,
    field(
        "contact",
        "Contact",
        false,
        &[
            "contact",
            "contactperson",
            "email",
            "phone",
            "ansprechpartner",
            "kontakt",
        ],
    ),
    field(
        "currency",
        "Currency (ISO code)",
        false,
        &["currency", "currencycode", "wahrung", "waehrung"],
    ),
    LEAD_TIME_DAYS,
    field(
        "lead_time_sd_days",
        "Lead time variability (days)",
        false,
        &[
            "leadtimesddays",
            "leadtimesd",
            "leadtimevariability",
            "leadtimedeviation",
            "variability",
        ],
    ),
    field(
        "order_cost",
        "Cost of one order",
        false,
        &["ordercost", "costperorder", "orderingcost", "bestellkosten"],
    ),
];

const SUPPLIER_PRODUCTS: &[TargetField] = &[
    field(
        "supplier",
        "Supplier (code or name)",
        true,
        &[
            "supplier",
            "suppliercode",
            "vendor",
            "vendorcode",
            "lieferant",
            "lieferantennummer",
        ],
    ),
    field("sku", "Product (SKU)", true, SKU.names),
    field(
        "supplier_sku",
        "Supplier's article number",
        false,
        &[
            "suppliersarticlenumber",
            "suppliersku",
            "supplierarticle",
            "supplierarticleno",
            "supplieritem",
            "vendorsku",
            "vendoritem",
            "lieferantenartikelnummer",
        ],
    ),
    field(
        "cost_price",
        "Cost price",
        true,
        &[
            "costprice",
            "cost",
            "purchaseprice",
            "unitcost",
            "einkaufspreis",
            "ekpreis",
        ],
    ),
    field(
        "pack_size",
        "Pack size (order multiple)",
        false,
        &[
            "packsize",
            "pack",
            "ordermultiple",
            "multiple",
            "packungsgrosse",
            "vpe",
        ],
    ),
    field(
        "min_order",
        "Minimum order",
        false,
        &[
            "minorder",
            "moq",
            "minimumorder",
            "minimumorderquantity",
            "mindestmenge",
        ],
    ),
    LEAD_TIME_DAYS,
    field(
        "primary",
        "Primary supplier (yes or no)",
        false,
        &[
            "primary",
            "isprimary",
            "primarysupplier",
            "preferred",
            "hauptlieferant",
        ],
    ),
];

const STOCK: &[TargetField] = &[
    field(
        "date",
        "Date",
        true,
        &["date", "datum", "day", "stockdate", "countdate", "movedon"],
    ),
    field(
        "location",
        "Branch or warehouse (code or name)",
        true,
        &[
            "location",
            "warehouse",
            "branch",
            "store",
            "lager",
            "standort",
            "filiale",
            "site",
        ],
    ),
    SKU,
    QUANTITY,
    field(
        "reason",
        "Kind (count, receipt, issue, sale, adjustment…)",
        false,
        &[
            "reason",
            "kind",
            "type",
            "movement",
            "movementtype",
            "art",
            "bewegungsart",
        ],
    ),
    field(
        "note",
        "Note",
        false,
        &["note", "comment", "remark", "bemerkung", "text"],
    ),
];

/// A header as compared: lower case letters and digits only ("Unit Price (€)" → "unitprice").
pub fn normalised(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ä' => 'a',
            'ö' => 'o',
            'ü' => 'u',
            other => other,
        })
        .collect()
}

/// A mapping guessed from the header names: an exact name first, then a header
/// that starts with a known name ("Quantity sold"). Each column maps to one field at most.
pub fn suggest(kind: ImportKind, headers: &[String]) -> Mapping {
    let normal: Vec<String> = headers.iter().map(|header| normalised(header)).collect();
    let mut taken = vec![false; headers.len()];
    let mut fields = BTreeMap::new();
    for exact in [true, false] {
        for target in kind.fields() {
            if fields.contains_key(target.key) {
                continue;
            }
            let found = target.names.iter().find_map(|name| {
                normal.iter().enumerate().position(|(index, header)| {
                    !taken[index]
                        && if exact {
                            header == name
                        } else {
                            name.len() >= 3 && header.starts_with(name)
                        }
                })
            });
            if let Some(index) = found {
                taken[index] = true;
                fields.insert(
                    target.key.to_owned(),
                    FieldSource::Column {
                        column: headers[index].clone(),
                    },
                );
            }
        }
    }
    Mapping {
        fields,
        defaults: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(mapping: &Mapping, key: &str) -> Option<String> {
        match mapping.fields.get(key) {
            Some(FieldSource::Column { column }) => Some(column.clone()),
            _ => None,
        }
    }

    #[test]
    fn a_template_s_headers_map_back_to_every_field_of_its_kind() {
        for kind in ImportKind::ALL {
            let headers: Vec<String> = kind.fields().iter().map(TargetField::header).collect();
            let mapping = suggest(kind, &headers);
            for (target, header) in kind.fields().iter().zip(&headers) {
                assert_eq!(
                    column(&mapping, target.key).as_deref(),
                    Some(header.as_str()),
                    "{kind:?}: {}",
                    target.key
                );
            }
        }
        assert_eq!(ACTUALS[0].header(), "Date");
        assert_eq!(SKU.header(), "Product");
    }

    #[test]
    fn a_mapping_is_suggested_from_english_and_german_headers() {
        let headers: Vec<String> = [
            "Datum",
            "Artikel-Nr.",
            "Filiale",
            "Menge",
            "Preis (€)",
            "Umsatz",
            "Beleg",
        ]
        .map(String::from)
        .to_vec();
        let mapping = suggest(ImportKind::Actuals, &headers);
        assert_eq!(column(&mapping, "date").as_deref(), Some("Datum"));
        assert_eq!(column(&mapping, "sku").as_deref(), Some("Artikel-Nr."));
        assert_eq!(column(&mapping, "branch").as_deref(), Some("Filiale"));
        assert_eq!(column(&mapping, "quantity").as_deref(), Some("Menge"));
        assert_eq!(column(&mapping, "unit_price").as_deref(), Some("Preis (€)"));
        assert_eq!(column(&mapping, "amount").as_deref(), Some("Umsatz"));
        assert_eq!(column(&mapping, "reference").as_deref(), Some("Beleg"));
        assert_eq!(column(&mapping, "salesman"), None);

        let english: Vec<String> = ["Invoice Date", "SKU", "Store", "Qty Sold", "Net Sales"]
            .map(String::from)
            .to_vec();
        let mapping = suggest(ImportKind::Actuals, &english);
        assert_eq!(column(&mapping, "date").as_deref(), Some("Invoice Date"));
        assert_eq!(column(&mapping, "quantity").as_deref(), Some("Qty Sold"));
        assert_eq!(column(&mapping, "amount").as_deref(), Some("Net Sales"));
    }

    #[test]
    fn an_exact_name_wins_and_a_column_maps_to_one_field_only() {
        let headers = vec!["Customer".to_owned(), "Customer name".to_owned()];
        let mapping = suggest(ImportKind::Customers, &headers);
        assert_eq!(column(&mapping, "name").as_deref(), Some("Customer name"));
        assert_eq!(column(&mapping, "code"), None);
        // "Month" and "Date" both name a budget month: the first known name takes it, once.
        let headers = vec!["Date".to_owned(), "Month".to_owned(), "SKU".to_owned()];
        let mapping = suggest(ImportKind::Budget, &headers);
        assert_eq!(column(&mapping, "month").as_deref(), Some("Month"));
        assert_eq!(mapping.fields.len(), 2);
    }
}
