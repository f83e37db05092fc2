# ruff: noqa: E501 - a table of one-line descriptions
"""The JSON Schema of the needs record, with a description and an example for every
field, so an editor with YAML + JSON Schema support completes and explains them.

The words live here, beside the models rather than inside them, keyed
``Model.field``; ``tests/needs/test_schema.py`` fails when a field has none. Fields
marked *internal* are kept for the rep's own use and printed in no document.
"""

from __future__ import annotations

from typing import Any

from propgen.needs.profiles import PLACES, PROFILE_ID
from propgen.source import FieldPath

FIELDS: dict[str, tuple[str, object]] = {
    # --- the record --------------------------------------------------------------
    "NeedsRecord.document": (
        "What the documents are: reference, dates, language, currency.",
        {
            "reference": "PG-2026-0142",
            "date": "2026-11-27",
            "valid_until": "2026-12-27",
            "locale": "en-US",
            "currency": "USD",
            "industry": "saas",
        },
    ),
    "NeedsRecord.seller": (
        "The selling side of this deal: the rep named on the cover.",
        {"rep": {"name": "Jordan Hayes"}},
    ),
    "NeedsRecord.customer": (
        "The customer: names, address, registration and contacts.",
        {"name": "ACME", "legal_name": "ACME Corporation"},
    ),
    "NeedsRecord.discovery": (
        "SPIN discovery answers, in the customer's words where possible; they build 'Our understanding'.",
        {"situation": ["Orders are keyed in by hand."]},
    ),
    "NeedsRecord.solution": (
        "What we will deliver: summary, modules, milestones.",
        {"summary": "A cloud service desk for the dispatch team."},
    ),
    "NeedsRecord.pricing": (
        "Line items, discounts, tax and the payment schedule; amounts are exact decimals.",
        {"items": [{"name": "Subscription", "quantity": 10, "unit_price": "40.00"}]},
    ),
    "NeedsRecord.terms": (
        "Commercial terms; omitted ones take the industry's defaults.",
        {"term_months": 12, "payment_terms_days": 30},
    ),
    "NeedsRecord.sections": (
        "Presales changes to the industry's proposal sections, applied in order (`propgen library show` lists them).",
        [{"id": "case-studies", "variant": "brief"}],
    ),
    "NeedsRecord.clauses": (
        "Legal positions chosen per clause id; anything but `standard` is a deviation needing approval.",
        {"limitation-of-liability": "fallback-1"},
    ),
    "NeedsRecord.approvals": (
        "Approvals given for this deal's deviations; `propgen check` prints the exact entry each needs.",
        [
            {
                "what": "deal-discount",
                "role": "sales-director",
                "who": "Ann Lee",
                "date": "2026-11-25",
            }
        ],
    ),
    # --- document ------------------------------------------------------------------
    "DocumentInfo.reference": (
        "Proposal / contract number, printed on every page and used in output file names.",
        "PG-2026-0142",
    ),
    "DocumentInfo.date": (
        "The document date (YYYY-MM-DD); approvals must not be dated after it.",
        "2026-11-27",
    ),
    "DocumentInfo.valid_until": (
        "The offer's last valid day (YYYY-MM-DD); not before `date`.",
        "2026-12-27",
    ),
    "DocumentInfo.locale": ("Language and drafting conventions of the documents.", "en-US"),
    "DocumentInfo.currency": (
        "ISO 4217 code of every amount; decides the places amounts are rounded to.",
        "USD",
    ),
    "DocumentInfo.industry": ("The industry template (`propgen industries` lists them).", "saas"),
    "DocumentInfo.produce": ("Which documents to produce.", ["proposal", "contract"]),
    "DocumentInfo.version": ("The document's version, printed in the footer.", "2"),
    "DocumentInfo.title": (
        "The project's name, what is proposed: titles read \"Proposal: {title} for "
        '{customer}" / "关于{customer}{title}的建议书"; absent: the modules, else the industry.',
        "Field Service Modernization",
    ),
    "DocumentInfo.signing_place": (
        "Where the contract is signed (签订地点); the seller profile's place when omitted.",
        "上海市浦东新区",
    ),
    "DocumentInfo.languages": (
        "A bilingual (中英对照) contract: two languages side by side, the first the primary "
        "one (it prevails unless the language clause says otherwise); locale is one of them.",
        ["zh-CN", "en-US"],
    ),
    # --- people ----------------------------------------------------------------------
    "Seller.rep": (
        "The sales rep named on the cover and in the next steps.",
        {"name": "Jordan Hayes", "email": "jordan.hayes@example.com"},
    ),
    "Person.name": ("Full name.", "Jordan Hayes"),
    "Person.title": ("Job title.", "Account Executive"),
    "Person.email": ("E-mail address.", "jordan.hayes@example.com"),
    "Person.phone": ("Telephone number, as it should be printed.", "+1 415 555 0100"),
    "Contact.name": ("Full name; printed in the proposal's contacts table.", "Megan Liu"),
    "Contact.title": ("Job title; printed in the contacts table.", "Operations Manager"),
    "Contact.email": (
        "E-mail address; printed in the contacts table.",
        "megan.liu@customer.example",
    ),
    "Contact.phone": ("Telephone number; printed in the contacts table.", "+1 503 555 0110"),
    "Contact.role": (
        "Internal: the contact's part in the buying decision, for the rep's own use; printed in no document.",
        "decision_maker",
    ),
    # --- customer --------------------------------------------------------------------
    "Customer.name": ("Short name used in running text.", "Fernhill"),
    "Customer.legal_name": (
        "Full legal name, used in the contract's parties block.",
        "Fernhill Home Services LLC",
    ),
    "Customer.segment": ("The customer's business, in a few words.", "Residential HVAC services"),
    "Customer.size": (
        "The customer's size, as it should be printed.",
        "140 employees, 2 locations",
    ),
    "Customer.address": (
        "Registered address, printed in the contract.",
        "100 Main Street, Springfield, IL 62701",
    ),
    "Customer.registration_id": (
        "Company registration number; for zh-CN the 18-character 统一社会信用代码 with a valid check digit.",
        "91310000MA1K000006",
    ),
    "Customer.representative": (
        "Who signs for the customer (法定代表人 or authorised representative).",
        "Alex Doe, Chief Operating Officer",
    ),
    "Customer.contacts": (
        "The customer's people for this deal, listed in the proposal's next steps.",
        [{"name": "Megan Liu", "title": "Operations Manager"}],
    ),
    "Customer.address_form": (
        "How Chinese text addresses the customer (贵司, 贵行 …); the industry's default otherwise.",
        "贵司",
    ),
    "LineItem.tax_pct": (
        "This line's tax rate in percent; otherwise pricing.tax_rates for its kind, else pricing.tax_pct.",
        13,
    ),
    "Pricing.tax_rates": (
        "Tax rate in percent by line kind; the tax is worked out per rate and shown by rate.",
        {"hardware": 13, "service": 6},
    ),
    "Customer.region": (
        "Where the customer is (us, eu, uk, cn, other): which regulation the documents "
        "may name (DORA only for eu); the locale's country otherwise.",
        "us",
    ),
    "Customer.sector": (
        "private (a company) or public (a government body or public institution buying "
        "with public funds): a public buyer's contract carries funding-out, public-records, "
        "its own state's law and prompt-payment terms (zh-CN: 财政资金, 政府采购, 贵单位).",
        "public",
    ),
    "Customer.state": (
        "The US state a public body belongs to: its law governs the contract. "
        "Required for a US public body.",
        "Oregon",
    ),
    "Customer.tax_exempt": (
        "The customer pays no sales or use tax (most public bodies): the deal carries no tax.",
        True,
    ),
    "Customer.entity": (
        "What kind of legal person the customer is, as the parties block says it.",
        "a national banking association",
    ),
    "Customer.bank": (
        "The account the customer pays from and refunds go to (zh-CN contracts).",
        {
            "bank": "中国工商银行上海分行",
            "account_name": "上海示例科技有限公司",
            "account_number": "1001 2345 6789 0123",
        },
    ),
    "BankAccount.bank": ("The bank and branch.", "中国工商银行上海分行"),
    "BankAccount.account_name": ("The account holder's name.", "上海示例科技有限公司"),
    "BankAccount.account_number": (
        "The account number, as it should be printed.",
        "1001 2345 6789 0123",
    ),
    # --- discovery ---------------------------------------------------------------------
    "Discovery.situation": (
        "How the work is done today.",
        ["Dispatchers schedule 60 technicians on a whiteboard."],
    ),
    "Discovery.problem": (
        "What goes wrong because of it.",
        ["Technicians arrive without the right parts."],
    ),
    "Discovery.implication": (
        "What that costs the customer.",
        ["One call in eight needs a second visit."],
    ),
    "Discovery.need_payoff": (
        "What solving it would be worth.",
        ["First-visit fix rate above 90%."],
    ),
    "Finding.id": ("The item's id; given, or the kind's letter and position (S1, P2 …).", "P1"),
    "Finding.text": (
        "The answer, in the customer's words where possible.",
        "Orders are keyed in by hand.",
    ),
    "Implication.id": ("The implication's id; given, or I and its position (I1, I2 …).", "I1"),
    "Implication.text": (
        "What the problem costs the customer.",
        "Order errors cost $610,000 in 2026.",
    ),
    "Implication.problems": ("The problems (ids) this implication follows from.", ["P1"]),
    "Implication.cost": (
        "Its cost in money: amount, currency (default the document's), per week/month/quarter/year (none: once).",
        {"amount": "610000", "per": "year"},
    ),
    "Implication.hours": (
        "Its cost in time: amount of hours, per week/month/quarter/year.",
        {"amount": 55, "per": "week"},
    ),
    "CostImpact.amount": ('The amount; write it quoted, e.g. "610000".', "610000"),
    "CostImpact.currency": ("ISO 4217 code; default the document's currency.", "USD"),
    "CostImpact.per": ("week, month, quarter or year; none for a one-time cost.", "year"),
    "HoursImpact.amount": ("Hours lost.", 55),
    "HoursImpact.per": ("week, month, quarter or year; none for a one-time loss.", "week"),
    "NeedPayoff.id": ("The need-payoff's id; given, or N and its position (N1, N2 …).", "N1"),
    "NeedPayoff.text": (
        "What solving the problems would be worth.",
        "Order errors below one in 200.",
    ),
    "NeedPayoff.resolves": ("The problems (ids) whose solution yields this payoff.", ["P1"]),
    # --- solution -----------------------------------------------------------------------
    "Solution.summary": (
        "One paragraph: what we deliver and how it is rolled out.",
        "A cloud service desk with a mobile app for technicians.",
    ),
    "Solution.deployment": (
        "Where the solution runs; decides the availability and data clauses. "
        "Absent: hosted by the seller if a bought line is a subscription, the "
        "customer's premises if lines state kinds but none is; if no line states its "
        "kind, the industry's default (manufacturing: on-premises) and check warns.",
        "seller-hosted",
    ),
    "Solution.sites": (
        "How many sites (plants, stores, branches) the solution goes live at; decides "
        "whether the roll-out moves on from one site to others. Absent: not stated.",
        2,
    ),
    "Solution.modules": (
        "The modules delivered, each with what it does.",
        [{"name": "Service Desk", "description": "Case intake and scheduling."}],
    ),
    "Solution.milestones": (
        "The implementation plan's milestones.",
        [{"name": "Go-live", "week": 8}],
    ),
    "Module.name": ("The module's name.", "Service Desk"),
    "Module.addresses": ("The discovery problems (ids) this module solves.", ["P1", "P2"]),
    "Milestone.addresses": ("The discovery problems (ids) this milestone resolves.", ["P1"]),
    "Module.description": (
        "What it does for the customer.",
        "Case intake, scheduling and customer history.",
    ),
    "Milestone.name": ("The milestone.", "Go-live"),
    "Milestone.week": ("Week after the start when it is reached.", 8),
    "Milestone.date": ("Or the date it is reached (YYYY-MM-DD).", "2027-03-01"),
    "Milestone.description": ("What is done by then.", "All dispatchers use the new desk."),
    # --- pricing -------------------------------------------------------------------------
    "Pricing.items": (
        "The line items, printed in the pricing table in this order.",
        [
            {
                "sku": "SD-STD",
                "name": "Service Desk",
                "unit": "user-month",
                "quantity": 70,
                "periods": 12,
                "unit_price": "38.00",
            }
        ],
    ),
    "Pricing.discount_pct": (
        "Deal discount on the subtotal, in percent; above the policy limit it needs approval (`deal-discount`).",
        5,
    ),
    "Pricing.tax_pct": ("Tax on the net amount, in percent (e.g. 13 for 13% VAT).", 13),
    "Pricing.payment_schedule": (
        "Instalments; percents add up to exactly 100, the last takes the rounding remainder.",
        [{"milestone": "On signature", "percent": 50}, {"milestone": "Go-live", "percent": 50}],
    ),
    "LineItem.sku": (
        "Product code, printed under the item name; also the key of its discount approval (`line-discount:<sku>`).",
        "SD-STD",
    ),
    "LineItem.name": ("The item as the customer reads it.", "Service Desk, Standard subscription"),
    "LineItem.description": (
        "A short description, printed under the item name.",
        "Case intake, scheduling and history.",
    ),
    "LineItem.unit": ("The unit counted, printed after the quantity.", "user-month"),
    "LineItem.quantity": ("How many units (a decimal: 1.5 is allowed).", 70),
    "LineItem.periods": ("Billed periods, e.g. 12 months (default 1).", 12),
    "LineItem.unit_price": (
        'Price per unit and period; write it quoted, e.g. "38.00". Up to 4 places beyond the currency\'s, printed as written.',
        "38.00",
    ),
    "LineItem.discount_pct": (
        "Line discount in percent; above the policy limit it needs approval.",
        10,
    ),
    "LineItem.optional": ("Shown with its price but counted in no total.", False),
    "LineItem.kind": (
        "What the line sells: subscription, license-perpetual, license-term, hardware, "
        "service or support; hardware brings the hardware clause.",
        "hardware",
    ),
    "LineItem.pays_for": (
        "The contract clause whose service this line prices (one the library marks priced); "
        "the clause then says the service is charged as this line, not included in the fees.",
        "peak-season-support",
    ),
    "LineItem.recurring": (
        "The period one unit price buys (month, quarter, year): a recurring line; leave out for a one-off charge.",
        "month",
    ),
    "LineItem.ramp": (
        "A recurring line's quantity and/or unit price in contract year 1, 2 … (one entry per year).",
        [{"quantity": 85}, {"quantity": 110}],
    ),
    "LineItem.tiers": (
        "Price bands instead of unit_price: up_to (inclusive, increasing) and unit_price; the last band has no up_to.",
        [{"up_to": 500, "unit_price": "4.00"}, {"unit_price": "3.00"}],
    ),
    "LineItem.tier_pricing": (
        "graduated: each band's units at its price; all-units: every unit at the band the quantity falls in.",
        "graduated",
    ),
    "LineItem.unit_cost": (
        "Internal: our cost per unit and period, in the price currency; never printed, checked against the policy's margin.",
        "19.00",
    ),
    "Tier.up_to": ("The band's last unit (inclusive); none on the last band.", 500),
    "Tier.unit_price": ('The band\'s price per unit and period, quoted, e.g. "4.00".', "4.00"),
    "RampYear.quantity": ("The year's quantity (default the line's).", 110),
    "RampYear.unit_price": ("The year's unit price (default the line's), quoted.", "65.00"),
    "Pricing.payment_by_year": (
        "Invoice each contract year's total at its start instead of a payment_schedule.",
        True,
    ),
    "Pricing.currency": (
        "The currency unit prices and costs are written in, when not the document's; needs exchange_rate.",
        "EUR",
    ),
    "Pricing.exchange_rate": (
        "1 unit of pricing.currency = rate units of the document's currency, as of a date (data, never fetched).",
        {"rate": "1.0850", "as_of": "2027-03-12", "source": "ECB euro reference rate"},
    ),
    "ExchangeRate.rate": (
        "Units of the document's currency per 1 unit of pricing.currency.",
        "1.0850",
    ),
    "ExchangeRate.as_of": ("The date the rate is taken from (YYYY-MM-DD).", "2027-03-12"),
    "ExchangeRate.source": (
        "Where the rate comes from, printed with it.",
        "ECB euro reference rate",
    ),
    "Instalment.milestone": ("When the instalment falls due.", "On signature"),
    "Instalment.percent": ("Share of the total, in percent.", 50),
    # --- terms ----------------------------------------------------------------------------
    "Terms.start_date": ("When the service or project starts (YYYY-MM-DD).", "2027-02-15"),
    "Terms.term_months": ("Length of the contract in months.", 12),
    "Terms.auto_renew": ("Whether the contract renews automatically.", True),
    "Terms.payment_terms_days": (
        "Days to pay an invoice; above the policy limit it needs approval (`payment-terms`).",
        30,
    ),
    "Terms.sla": (
        "Service level tier, one the library offers (`snippets/choices.yaml`).",
        "premium",
    ),
    "Terms.warranty_months": ("Warranty period in months.", 3),
    "Terms.liability_cap_months": (
        "The liability cap as months of fees; below the policy minimum it needs approval (`liability-cap`).",
        12,
    ),
    "Terms.governing_law": ("The law that governs the contract.", "State of Delaware"),
    "Terms.dispute_resolution": (
        "Where disputes are decided.",
        "state and federal courts in Wilmington, Delaware",
    ),
    "Terms.notice_days": ("Older name of `non_renewal_notice_days`.", 60),
    "Terms.non_renewal_notice_days": (
        "With auto-renewal: how many days before the end a party must say it will not renew.",
        60,
    ),
    "Terms.termination_notice_days": (
        "The customer's notice to end the contract for convenience; none when omitted.",
        90,
    ),
    "Terms.address_change_notice_days": (
        "How many days before a change of notice details it is announced.",
        5,
    ),
    "Terms.incident_notice_hours": (
        "How soon a security incident affecting customer data is notified, in hours.",
        48,
    ),
    "Terms.payment_due_from": (
        "Whether payment days count from receipt of the invoice or its date.",
        "invoice-receipt",
    ),
    "Terms.invoice_type": (
        "For zh-CN: 增值税专用发票 (vat-special) or 普通发票 (vat-ordinary).",
        "vat-special",
    ),
    "Terms.renewal_months": ("Length of each automatic renewal in months (default 12).", 12),
    "Terms.renewal_increase_cap_pct": (
        "With auto-renewal: the most the recurring fees may rise for a renewal term, in percent (default 5).",
        5,
    ),
    "Terms.renewal_increase_notice_days": (
        "With auto-renewal: how many days before a renewal term a price increase is announced "
        "(default: the notice of non-renewal plus 30; it must be longer than that notice).",
        90,
    ),
    # --- presales and approvals ----------------------------------------------------------
    "SectionOverride.id": (
        "The section's id (`propgen library show` lists them), or a new id for a new section.",
        "case-studies",
    ),
    "SectionOverride.title": (
        "A new title for the section (or the title of a new one).",
        "Integration notes",
    ),
    "SectionOverride.text": (
        "Markdown replacing the section's text (or a new section's text); a template like library text: `{{ customer.name }}` works.",
        "Our notes for {{ customer.name }}.",
    ),
    "SectionOverride.after": (
        "Place the section after this one (a new section needs after or before).",
        "solution",
    ),
    "SectionOverride.before": ("Place the section before this one.", "pricing"),
    "SectionOverride.remove": ("Leave the section out (locked sections cannot be removed).", True),
    "SectionOverride.variant": (
        "Use one of the section's variants (`propgen library show` lists them).",
        "brief",
    ),
    "Approval.who": ("Who approved.", "Ann Lee"),
    "Approval.role": (
        "Their role, one the policy declares (e.g. sales-director, general-counsel).",
        "sales-director",
    ),
    "Approval.date": (
        "When they approved (YYYY-MM-DD), not after the document date.",
        "2026-11-25",
    ),
    "Approval.what": (
        "The deviation approved: deal-discount, line-discount:<sku>, payment-terms, liability-cap or clause:<id>.",
        "deal-discount",
    ),
    # --- bilingual contracts -----------------------------------------------------------
    "NeedsRecord.translations": (
        "For a bilingual contract: the record's own words in the other language, by locale.",
        {"en-US": {"customer": {"legal_name": "Clausen Precision (Suzhou) Co., Ltd."}}},
    ),
    "Translation.document": (
        "The document's title and place of signing in this language.",
        {"signing_place": "Suzhou Industrial Park"},
    ),
    "Translation.customer": (
        "The customer's names, address and representative in this language.",
        {"legal_name": "Clausen Precision (Suzhou) Co., Ltd."},
    ),
    "Translation.seller": (
        "The sales rep's name and title in this language (parties table, notices).",
        {"rep": {"name": "Chen Jiayi", "title": "Key Account Manager, East China"}},
    ),
    "TranslatedSeller.rep": (
        "The sales rep's name and title in this language.",
        {"name": "Chen Jiayi", "title": "Key Account Manager, East China"},
    ),
    "Translation.terms": (
        "The governing law and dispute resolution in this language.",
        {"governing_law": "the laws of the People's Republic of China"},
    ),
    "Translation.solution": (
        "The solution's summary, modules and milestones in this language.",
        {"summary": "A plant-wide MES for the Suzhou plant."},
    ),
    "TranslatedSolution.summary": (
        "The solution summary in this language.",
        "A plant-wide MES for the Suzhou plant.",
    ),
    "TranslatedSolution.modules": (
        "Each module of solution.modules in this language, in the same order.",
        [{"name": "Production execution"}],
    ),
    "TranslatedSolution.milestones": (
        "The name of each milestone of solution.milestones in this language, in order.",
        ["Kick-off and blueprint sign-off"],
    ),
    "TranslatedModule.name": ("The module's name in this language.", "Production execution"),
    "TranslatedModule.description": (
        "The module's description in this language.",
        "Work orders, material checks and electronic batch records.",
    ),
    "TranslatedDocument.title": ("The document title in this language.", "Supply contract"),
    "TranslatedDocument.signing_place": (
        "The place of signing in this language.",
        "Suzhou Industrial Park",
    ),
    "TranslatedCustomer.name": ("The customer's short name in this language.", "Clausen"),
    "TranslatedCustomer.legal_name": (
        "The customer's registered name in this language.",
        "Clausen Precision (Suzhou) Co., Ltd.",
    ),
    "TranslatedCustomer.entity": ("The kind of legal person, in this language.", "a WFOE"),
    "TranslatedCustomer.address": (
        "The customer's address in this language.",
        "88 Xinglong Street, Suzhou Industrial Park",
    ),
    "TranslatedCustomer.representative": (
        "The customer's legal representative in this language.",
        "Matthias Krause",
    ),
    "TranslatedCustomer.bank": (
        "The customer's bank account as this language states it.",
        {
            "bank": "China Merchants Bank, Suzhou Industrial Park Sub-branch",
            "account_name": "Clausen Precision Components (Suzhou) Co., Ltd.",
            "account_number": "5129 0418 3310 902",
        },
    ),
    "TranslatedCustomer.contacts": (
        "Each contact of customer.contacts in this language (name, title), in the same order.",
        [{"title": "General Manager"}],
    ),
    "TranslatedContact.name": ("The contact's name in this language.", "Zhou Lixin"),
    "TranslatedContact.title": ("The contact's job title in this language.", "General Manager"),
    "TranslatedTerms.governing_law": (
        "The governing law in this language.",
        "the laws of the People's Republic of China",
    ),
    "TranslatedTerms.dispute_resolution": (
        "The dispute resolution forum in this language.",
        "Shanghai International Arbitration Center",
    ),
}


def needs_schema() -> dict[str, Any]:
    """The needs record's JSON Schema with every field's description and example."""
    from propgen.needs.models import NeedsRecord

    schema = NeedsRecord.model_json_schema(mode="validation")
    models = {"NeedsRecord": schema, **schema.get("$defs", {})}
    for model_name, model in models.items():
        for field_name, prop in model.get("properties", {}).items():
            doc = FIELDS.get(f"{model_name}.{field_name}")
            if doc is None and model_name == "Contact":  # inherited from Person
                doc = FIELDS.get(f"Person.{field_name}")
            if doc is not None:
                prop["description"], example = doc
                prop["examples"] = [example]
    for path, _folder in PLACES:
        _allow_profile(schema, path)
    _allow_plain_findings(models)
    return schema


def _allow_plain_findings(models: dict[str, Any]) -> None:
    """A discovery item is a plain sentence or ``{id, text, …}`` whose id, when left
    out, is assigned by position (P1, P2 …): the schema says both."""
    for kind in ("Finding", "Implication", "NeedPayoff"):
        required = models.get(kind, {}).get("required", [])
        if "id" in required:
            required.remove("id")
    discovery = models.get("Discovery", {}).get("properties", {})
    for prop in discovery.values():
        if "items" in prop:
            prop["items"] = {"anyOf": [{"type": "string", "minLength": 1}, prop["items"]]}


def _allow_profile(schema: dict[str, Any], path: FieldPath) -> None:
    """Let the field at ``path`` be written as ``{profile: id}`` plus overrides.

    The field keeps its own schema as the first choice; the second is the same
    properties, none required, with ``profile`` required.
    """
    models = {"NeedsRecord": schema, **schema["$defs"]}
    owner = schema
    for part in path[:-1]:
        owner = models[owner["properties"][part]["$ref"].rsplit("/", 1)[-1]]
    prop = owner["properties"][path[-1]]
    target = models[prop["$ref"].rsplit("/", 1)[-1]]
    by_profile = {
        "type": "object",
        "properties": {
            "profile": {
                "type": "string",
                "pattern": f"^{PROFILE_ID.pattern}$",
                "description": "A profile's id: its fields are filled in from "
                "profiles/<kind>/<id>.yaml beside the record or in the library; "
                "fields written here override them.",
                "examples": ["acme"],
            },
            **{k: v for k, v in target["properties"].items() if k != "profile"},
        },
        "required": ["profile"],
        "additionalProperties": False,
    }
    ref = prop.pop("$ref")
    prop["anyOf"] = [{"$ref": ref}, by_profile]


def undocumented() -> list[str]:
    """``Model.field`` of every field without a description or an example."""
    schema = needs_schema()
    models = {"NeedsRecord": schema, **schema.get("$defs", {})}
    return [
        f"{name}.{field}"
        for name, model in models.items()
        for field, prop in model.get("properties", {}).items()
        if not prop.get("description") or not prop.get("examples")
    ]
