#!/usr/bin/env python3
"""Derives the Microsoft Graph relationship fixtures from fixtures/sample.

GDAP has no "services", only Entra roles, so the sample's relationships cannot all
be written as Graph returns them. This script therefore writes a CSV twin first and
the Graph JSON from the twin:

  fixtures/graph-csv         the sample's customers, subscriptions and license
                             assignments (copies) with a role-only
                             admin_relationships.csv: every role as its
                             roleDefinitionId GUID (lower case), as Graph gives them.
                             Per sample row: its roles (names, former names and
                             GUIDs resolved through the built-in role table;
                             "Power Platform Administrator" -> its Entra GUID;
                             unknown GUIDs kept), then for a `services` value `*`
                             Global Administrator, and for a list of services, per
                             service the first role of the table that grants it plus
                             Directory Writers (a services relationship allows both
                             upgrade types). An active row without an end date gets
                             the end Graph would show: start + P730D, auto-extended
                             by P180D until after 2028-01-07. A `display_name`
                             column holds the relationship's Graph displayName.
  fixtures/graph-json        the same three copies plus admin_relationships.json:
                             GET /tenantRelationships/delegatedAdminRelationships as
                             saved page by page (an array of two page objects, the
                             first with @odata.nextLink), UTF-8 without BOM,
                             2-space indentation (PowerShell 7's ConvertTo-Json).
  fixtures/graph-json-utf16  the same JSON as Windows PowerShell 5.1 writes it with
                             `ConvertTo-Json -Depth 10 | Out-File`: UTF-16 LE with
                             BOM, CRLF, 4-space indentation, `"name":  value`, and
                             & < > ' escaped as \\u0026 \\u003c \\u003e \\u0027.

Each relationship object carries the members Graph returns (id, displayName,
duration, status in Graph's camelCase, autoExtendDuration, createdDateTime,
lastModifiedDateTime, activatedDateTime, endDateTime, customer.tenantId and
customer.displayName, accessDetails.unifiedRoles[].roleDefinitionId); dates are
null where the twin has none (`created`, `approvalPending`). graph-json and
graph-json-utf16 must give byte-identical CSV reports to graph-csv.

Deterministic: no randomness, no clock; the output depends only on the sample.

Usage (from the repository root):
  python3 scripts/make-graph-fixtures.py          # (re)write the three folders
  python3 scripts/make-graph-fixtures.py --check  # exit 1 if any file is stale
"""

import csv
import datetime
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
COPIED = ["customers.csv", "subscriptions.csv", "license_assignments.csv"]
AS_OF_LIMIT = datetime.date(2028, 1, 7)  # the sample's results hold up to this date
PAGE_SIZE = 30

# The built-in role table of contract v2 §3, in its order: role, GUID, services.
ROLES = [
    ("Global Administrator", "62e90394-69f5-4237-9190-012177145e10", "*"),
    ("Directory Writers", "9360feb5-f418-4baa-8175-e2a00bac4301", ""),
    ("Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", ""),
    ("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451", ""),
    ("Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange;Bookings"),
    ("SharePoint Administrator", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint;OneDrive;OfficeWeb;Stream"),
    ("Teams Administrator", "69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams;PhoneSystem;AudioConferencing;Planner"),
    ("Teams Communications Administrator", "baf37b3a-610e-45da-9e62-d9d1e5e8914b", "PhoneSystem;AudioConferencing"),
    ("Yammer Administrator", "810a2642-a034-447f-a5e8-41beaa378541", "Yammer"),
    ("Office Apps Administrator", "2b745bdf-0803-4d80-aa65-822c4493daac", "OfficeApps"),
    ("Fabric Administrator", "a9ea8996-122f-4c74-9520-8edcd192826c", "PowerBI"),
    ("Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d", "DefenderO365;EntraIDP1"),
    ("Compliance Administrator", "17315797-102d-40b4-93e0-432062caca18", "InformationProtection"),
    ("Intune Administrator", "3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune"),
    ("License Administrator", "4d6ac14f-3453-41d0-bef9-a3e0c569773a", ""),
    ("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1", ""),
    ("Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8", ""),
    ("Service Support Administrator", "f023fd81-a637-4b56-95fd-791ac0226033", ""),
    ("Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814", ""),
    ("Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", ""),
    ("Cloud Application Administrator", "158c047a-c907-4556-b7ef-446551a6b5f7", ""),
    ("Application Administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", ""),
    ("Billing Administrator", "b0f54661-2d74-4c50-afa3-1ec803f12efe", ""),
    ("Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509", ""),
    ("Reports Reader", "4a5d8f65-41da-4de4-8968-e035b65339cf", ""),
]
FORMER_NAMES = {
    "exchange service administrator": "Exchange Administrator",
    "sharepoint service administrator": "SharePoint Administrator",
    "teams service administrator": "Teams Administrator",
    "power bi administrator": "Fabric Administrator",
}
# Built-in Entra roles outside the table that the sample names by name.
OTHER_ENTRA_ROLES = {"power platform administrator": "11648597-926c-4cf3-9c36-bcebb0ba8dcc"}
GUID_OF = {name.lower(): guid for name, guid, _ in ROLES}
GUID_OF.update({former: GUID_OF[name.lower()] for former, name in FORMER_NAMES.items()})
GUID_OF.update(OTHER_ENTRA_ROLES)

GRAPH_STATUS = {
    "active": "active", "expiring": "expiring", "approvalpending": "approvalPending",
    "approved": "approved", "activating": "activating", "created": "created",
    "expired": "expired", "terminated": "terminated", "terminating": "terminating",
    "terminationrequested": "terminationRequested",
}
CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships"
NEXT_LINK = ("https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships"
             "?$skiptoken=RFNwdAIAAQAAABY6R0RBUDpwYWdlOjI6MzA")


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_bytes(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def role_guid(value):
    """A role value of the sample as Graph's roleDefinitionId (lower case)."""
    return GUID_OF.get(" ".join(value.split()).lower(), value.lower())


def roles_for_services(services):
    """Per service (in the order given), the first role of the table granting it."""
    if services.strip() == "*":
        return [GUID_OF["global administrator"]]
    guids = []
    for service in (s.strip().lower() for s in services.split(";") if s.strip()):
        for _, guid, granted in ROLES:
            if granted != "*" and service in granted.lower().split(";"):
                if guid not in guids:
                    guids.append(guid)
                break
    return guids + [GUID_OF["directory writers"]]


def twin_end(start, end, status):
    """The sample's end date, or for an open-ended counting row the auto-extended GDAP end."""
    if end or not start or status not in ("active", "expiring"):
        return end
    date = datetime.date.fromisoformat(start) + datetime.timedelta(days=730)
    while date <= AS_OF_LIMIT:
        date += datetime.timedelta(days=180)
    return date.isoformat()


def display_name(relationship, company):
    """A GDAP displayName as partners (and Microsoft's transition tool) name them."""
    roles = relationship["roles"].lower()
    if "privileged authentication administrator" in roles and "directory readers" in roles:
        return "MLT_" + relationship["relationship_id"][:8].upper()
    short = company.split(",")[0]
    for suffix in (" GmbH & Co. KG", " PartG mbB", " GmbH", " AG", " KG", " OHG", " GbR", " e.K."):
        short = short.replace(suffix, "")
    words = short.split()
    while len(" ".join(words)) > 32 or words[-1] in ("&", "und"):
        words.pop()
    year = (relationship["start_date"] or "2026")[:4]
    return f"GDAP {' '.join(words)} {year}"


def twin(samples):
    """The role-only admin_relationships.csv rows of fixtures/graph-csv."""
    companies = {c["customer_id"]: c["company_name"] for c in samples["customers.csv"]}
    rows, names = [], set()
    for rel in samples["admin_relationships.csv"]:
        guids = [role_guid(v.strip()) for v in rel["roles"].split(";") if v.strip()]
        if rel["services"].strip():
            guids += [g for g in roles_for_services(rel["services"]) if g not in guids]
        status = rel["status"].strip().lower()
        name = display_name(rel, companies[rel["customer_id"]])
        while name in names:  # Graph requires unique display names per partner
            name += " neu"
        names.add(name)
        rows.append({
            "relationship_id": rel["relationship_id"],
            "display_name": name,
            "customer_id": rel["customer_id"],
            "status": rel["status"],
            "roles": ";".join(guids),
            "start_date": rel["start_date"],
            "end_date": twin_end(rel["start_date"], rel["end_date"], status),
        })
    return rows


TWIN_COLUMNS = ["relationship_id", "display_name", "customer_id", "status", "roles", "start_date", "end_date"]


def timestamp(date, index, salt):
    """`date` with a time of day and Graph's 7-digit fraction, deterministic per row."""
    seconds = (index * 7919 + salt * 104729) % 86400
    fraction = (index * 1234567 + salt * 7654321) % 10_000_000
    return f"{date}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{fraction:07d}Z"


def graph_object(index, rel, companies):
    start, end = rel["start_date"], rel["end_date"]
    status = GRAPH_STATUS[rel["status"].strip().lower()]
    created = (datetime.date.fromisoformat(start) - datetime.timedelta(days=3 + index % 9)).isoformat() \
        if start else "2026-11-2%d" % (index % 3)
    modified = end if end and end < "2026-11-24" else (start or created)
    auto_extend = "PT0S" if status in ("expired", "terminated", "terminationRequested") or index % 5 == 4 else "P180D"
    return {
        "id": rel["relationship_id"],
        "displayName": rel["display_name"],
        "duration": "P730D",
        "status": status,
        "autoExtendDuration": auto_extend,
        "createdDateTime": timestamp(created, index, 1),
        "lastModifiedDateTime": timestamp(modified, index, 2),
        "activatedDateTime": timestamp(start, index, 3) if start else None,
        "endDateTime": timestamp(end, index, 3) if end else None,
        "customer": {"tenantId": rel["customer_id"], "displayName": companies[rel["customer_id"]]},
        "accessDetails": {
            "unifiedRoles": [{"roleDefinitionId": g} for g in rel["roles"].split(";") if g]
        },
    }


def pages(relationships, companies):
    objects = [graph_object(i, rel, companies) for i, rel in enumerate(relationships)]
    first = {"@odata.context": CONTEXT, "@odata.nextLink": NEXT_LINK, "value": objects[:PAGE_SIZE]}
    second = {"@odata.context": CONTEXT, "value": objects[PAGE_SIZE:]}
    return [first, second]


def powershell51_json(value, indent=0):
    """ConvertTo-Json as Windows PowerShell 5.1 writes it (simplified layout)."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f'{pad}    {powershell51_json(k)}:  {powershell51_json(v, indent + 4)}'
                 for k, v in value.items()]
        return "{\r\n" + ",\r\n".join(items) + "\r\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[\r\n\r\n" + pad + "]"
        items = [f"{pad}    {powershell51_json(v, indent + 4)}" for v in value]
        return "[\r\n" + ",\r\n".join(items) + "\r\n" + pad + "]"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
            text = text.replace(char, escaped)
        return text
    return json.dumps(value)


def build():
    samples = {name: read_rows(SAMPLE / name) for name in COPIED + ["admin_relationships.csv"]}
    companies = {c["customer_id"]: c["company_name"] for c in samples["customers.csv"]}
    relationships = twin(samples)
    copies = {name: (SAMPLE / name).read_bytes() for name in COPIED}
    twin_csv = csv_bytes(TWIN_COLUMNS, [[r[c] for c in TWIN_COLUMNS] for r in relationships])
    data = pages(relationships, companies)
    utf8 = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    utf16 = ("\ufeff" + powershell51_json(data) + "\r\n").encode("utf-16-le")
    return {
        "graph-csv": {**copies, "admin_relationships.csv": twin_csv},
        "graph-json": {**copies, "admin_relationships.json": utf8},
        "graph-json-utf16": {**copies, "admin_relationships.json": utf16},
    }


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        sys.exit(__doc__)
    stale = []
    for folder, files in build().items():
        target = ROOT / "fixtures" / folder
        for name, data in files.items():
            path = target / name
            if check:
                if not path.is_file() or path.read_bytes() != data:
                    stale.append(str(path.relative_to(ROOT)))
            else:
                target.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    if stale:
        sys.exit("stale (run scripts/make-graph-fixtures.py): " + ", ".join(stale))


if __name__ == "__main__":
    main(sys.argv)
