#!/usr/bin/env python3
"""Derives the "real export" fixture sets from fixtures/sample.

Each set holds the four input files with exactly the data of fixtures/sample,
written the way a real export tool writes them, so that a run on it must give
byte-identical eligible/blocked/reassignment reports to a run on the sample
(tests/cli/real_exports.rs checks that):

  fixtures/excel-de        German Excel "CSV (Trennzeichen-getrennt)": Windows-1252,
                           ";" delimiter, CRLF, dates DD.MM.YYYY (every other row
                           without leading zeros, e.g. 1.3.2024), Partner Center /
                           Excel header names ("Microsoft ID", "Licenses",
                           "Microsoft Entra roles", ...), a
                           trailing ";" on every line and a trailing empty line.
  fixtures/utf16           UTF-16 LE with BOM, tab-delimited, CRLF, Graph / GDAP
                           header names ("unifiedRoles", "endDateTime", ...),
                           ISO 8601 date-times in
                           admin_relationships.csv (2024-05-01T00:00:00Z and
                           other shapes whose date part is the sample's date).
  fixtures/partner-center  UTF-8 with BOM, comma, LF, Partner Center API header
                           casing (CustomerId, CompanyName, OfferName, UPN, Roles, ...),
                           columns in another order than the contract's, and extra
                           columns the tool must ignore ("Billing cycle", "Auto
                           renew", "Notes", ...). Only the ignored "Notes" columns
                           hold quoted newlines, quotes and one very long value,
                           so no value that reaches a report changes.

Deterministic: no randomness, no clock; the output depends only on the sample.

Usage (from the repository root):
  python3 scripts/make-export-fixtures.py          # (re)write the three sets
  python3 scripts/make-export-fixtures.py --check  # exit 1 if any file is stale
"""

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
FILES = ["customers.csv", "subscriptions.csv", "admin_relationships.csv", "license_assignments.csv"]


def read_sample(name):
    """The sample file as a list of dicts keyed by canonical column name."""
    with open(SAMPLE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_text(rows, delimiter, line_end):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end, quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


def table(records, columns):
    """Header and rows for `columns`: (header, canonical field or a function of (index, record))."""
    rows = [[header for header, _ in columns]]
    for index, record in enumerate(records):
        rows.append([source(index, record) if callable(source) else record[source]
                     for _, source in columns])
    return rows


def german_date(index, value):
    """YYYY-MM-DD as DD.MM.YYYY; odd rows drop leading zeros (D.M.YYYY), as Excel may."""
    if not value:
        return ""
    year, month, day = value.split("-")
    if index % 2:
        return f"{int(day)}.{int(month)}.{year}"
    return f"{day}.{month}.{year}"


# Graph / GDAP write date-times; the date part as written is the sample's date.
TIME_SHAPES = ["T00:00:00Z", "T08:15:00.1234567Z", "T23:30:00-05:00", "T00:30:00+02:00"]


def iso_datetime(index, value):
    return value + TIME_SHAPES[index % len(TIME_SHAPES)] if value else ""


def note(index, _record):
    """An ignored free-text column: empty, multi-line, quoted, or very long."""
    if index == 5:
        return "Lange Notiz: " + " ".join(f"Zeile {n:04d} der Übergabe;" for n in range(300))
    return {
        1: "Rückruf vereinbart\nTicket #4711",
        2: 'Kunde sagt "bitte nicht vor Q3",\r\nsiehe Mail',
        3: "",
        4: "mehrzeilig:\n- Punkt 1\n- Punkt 2\n",
    }.get(index % 6, "")


def excel_de(samples):
    c = table(samples["customers.csv"], [
        ("Microsoft ID", "customer_id"), ("Company name", "company_name"),
        ("Primary domain name", "domain"), ("Country/Region", "country"),
        ("Account manager", "account_manager")])
    s = table(samples["subscriptions.csv"], [
        ("Subscription ID", "subscription_id"), ("Microsoft ID", "customer_id"),
        ("Offer name", "offer"), ("Status", "status"), ("Licenses", "quantity"),
        ("Channel", "channel")])
    r = table(samples["admin_relationships.csv"], [
        ("Relationship ID", "relationship_id"), ("Customer tenant ID", "customer_id"),
        ("Status", "status"), ("Services", "services"), ("Microsoft Entra roles", "roles"),
        ("Start date", lambda i, rec: german_date(i, rec["start_date"])),
        ("End date", lambda i, rec: german_date(i + 1, rec["end_date"]))])
    lic = table(samples["license_assignments.csv"], [
        ("Microsoft ID", "customer_id"), ("User principal name", "user_principal_name"),
        ("Product name", "offer"), ("Disabled plans", "disabled_services")])
    out = {}
    for name, rows in zip(FILES, [c, s, r, lic]):
        # Excel's trailing ";" (an empty last field on every line), then an empty line.
        text = csv_text([row + [""] for row in rows], ";", "\r\n") + "\r\n"
        out[name] = text.encode("cp1252")
    return out


def utf16(samples):
    c = table(samples["customers.csv"], [
        ("Tenant ID", "customer_id"), ("Customer name", "company_name"),
        ("Default domain name", "domain"), ("Country", "country"),
        ("Account manager", "account_manager")])
    s = table(samples["subscriptions.csv"], [
        ("Subscription ID", "subscription_id"), ("Tenant ID", "customer_id"),
        ("Product name", "offer"), ("Subscription status", "status"), ("Seats", "quantity"),
        ("Channel", "channel")])
    r = table(samples["admin_relationships.csv"], [
        ("Relationship ID", "relationship_id"), ("Tenant ID", "customer_id"),
        ("Relationship status", "status"), ("Services", "services"), ("unifiedRoles", "roles"),
        ("Start date", lambda i, rec: iso_datetime(i, rec["start_date"])),
        ("endDateTime", lambda i, rec: iso_datetime(i + 1, rec["end_date"]))])
    lic = table(samples["license_assignments.csv"], [
        ("Tenant ID", "customer_id"), ("UserPrincipalName", "user_principal_name"),
        ("License", "offer"), ("Disabled service plans", "disabled_services")])
    return {name: ("\ufeff" + csv_text(rows, "\t", "\r\n")).encode("utf-16-le")
            for name, rows in zip(FILES, [c, s, r, lic])}


def partner_center(samples):
    cycle = lambda i, _rec: ["Monthly", "Annual", "None"][i % 3]
    c = table(samples["customers.csv"], [
        ("CompanyName", "company_name"), ("Notes", note), ("CustomerId", "customer_id"),
        ("CustomerCountry", "country"), ("Relationship to partner", lambda i, _r: "Reseller"),
        ("DomainName", "domain"), ("AccountManager", "account_manager")])
    s = table(samples["subscriptions.csv"], [
        ("OfferName", "offer"), ("Quantity", "quantity"), ("Billing cycle", cycle),
        ("CustomerId", "customer_id"), ("Status", "status"),
        ("Auto renew", lambda i, _r: "true" if i % 2 else "false"),
        ("SubscriptionId", "subscription_id"), ("Channel", "channel"), ("Notes", note)])
    r = table(samples["admin_relationships.csv"], [
        ("Status", "status"), ("Roles", "roles"), ("CustomerId", "customer_id"), ("EndDate", "end_date"),
        ("Services", "services"), ("Notes", note), ("StartDate", "start_date"),
        ("RelationshipId", "relationship_id")])
    lic = table(samples["license_assignments.csv"], [
        ("UPN", "user_principal_name"), ("Last sign-in", lambda i, _r: f"2026-11-{1 + i % 20:02d}"),
        ("OfferName", "offer"), ("CustomerId", "customer_id"),
        ("DisabledServices", "disabled_services")])
    return {name: ("\ufeff" + csv_text(rows, ",", "\n")).encode("utf-8")
            for name, rows in zip(FILES, [c, s, r, lic])}


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        sys.exit(__doc__)
    samples = {name: read_sample(name) for name in FILES}
    stale = []
    for folder, make in [("excel-de", excel_de), ("utf16", utf16), ("partner-center", partner_center)]:
        target = ROOT / "fixtures" / folder
        for name, data in make(samples).items():
            path = target / name
            if check:
                if not path.is_file() or path.read_bytes() != data:
                    stale.append(str(path.relative_to(ROOT)))
            else:
                target.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    if stale:
        sys.exit("stale (run scripts/make-export-fixtures.py): " + ", ".join(stale))


if __name__ == "__main__":
    main(sys.argv)
