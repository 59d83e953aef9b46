"""Read a price schedule (DPGF / BPU) from the buyer's CSV: every bad row reported.

Columns are found by their header (French or English names, any order, any
case); the separator is guessed; numbers accept a decimal comma and spaces as
thousands separators. Returns ``(rows, problems)``: a problem is
``(row_number, column, value, kind)`` so the caller words it in the user's language.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

HEADERS = {
    "code": ("code", "n°", "numero", "numéro", "ref", "référence", "reference", "article"),
    "name": ("designation", "désignation", "description", "libelle", "libellé", "name"),
    "unit": ("unite", "unité", "u", "unit"),
    "quantity": ("quantite", "quantité", "qte", "qté", "quantity", "qty"),
    "price_unit": ("prix unitaire", "pu", "p.u.", "prix", "unit price", "prix unitaire ht"),
}
REQUIRED = ("code", "name", "quantity", "price_unit")


def _number(text):
    cleaned = (text or "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.replace("€", "").replace(",", ".")
    if not cleaned:
        raise InvalidOperation
    return Decimal(cleaned)


def _decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse_csv(data):
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        return [], [(1, None, None, "empty")]
    columns = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        for field, names in HEADERS.items():
            if key in names and field not in columns:
                columns[field] = index
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        return [], [(1, field, None, "missing_column") for field in missing]
    rows, problems, seen = [], [], set()
    for number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        values = {
            field: record[index].strip() if index < len(record) else ""
            for field, index in columns.items()
        }
        row = {key: values.get(key, "") for key in ("code", "name", "unit")}
        row_problems = []
        if not row["code"]:
            row_problems.append((number, "code", "", "required"))
        elif row["code"] in seen:
            row_problems.append((number, "code", row["code"], "duplicate"))
        if not row["name"]:
            row_problems.append((number, "name", "", "required"))
        for field in ("quantity", "price_unit"):
            try:
                row[field] = _number(values[field])
            except InvalidOperation:
                row_problems.append((number, field, values[field], "not_a_number"))
                continue
            if row[field] < 0:
                row_problems.append((number, field, values[field], "negative"))
        seen.add(row["code"])
        if row_problems:
            problems.extend(row_problems)
        else:
            rows.append(row)
    return rows, problems
