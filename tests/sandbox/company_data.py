"""Seed identities shared by the company-data doubles (API Entreprise, Recherche
d'entreprises, ADEME RGE): our company Duret and the public buyers of Savoie.

Everything here is invented for the demo (no such records exist in the real
services), but every SIREN/SIRET passes the Luhn checks, and the shapes these
values are poured into come from the real recorded payloads in the shared
fixtures.  The buyers are those of the Chorus Pro sandbox directory
(``chorus_directory.py``), so a partner verified here is one Chorus knows.
"""

import calendar
import datetime
import unicodedata

DEFAULT_RECIPIENT = "10000001700010"

DURET = {
    "siren": "842317653",
    "siret": "84231765300017",
    "name": "DURET ELECTRICITE",
    "legal_form": ("5710", "SAS, société par actions simplifiée"),
    "naf": ("43.21A", "Travaux d'installation électrique dans tous locaux"),
    "naf25": "43.21G",
    "numero_voie": "145",
    "type_voie": "AV",
    "type_voie_long": "AVENUE",
    "libelle_voie": "DU GENERAL DE GAULLE",
    "code_postal": "73200",
    "commune": "ALBERTVILLE",
    "code_commune": "73011",
    "departement": "73",
    "region": "84",
    "latitude": "45.6755",
    "longitude": "6.3925",
    "date_creation": "2018-09-03",
    "capital": 120000,
    "president": ("DURET", "Paul", "1972-05"),
    "email": "contact@duret-electricite.fr",
    "telephone": "04 79 32 00 00",
}

# Duret's former premises, closed in 2021: the closed establishment ("F") that
# partner verification must flag.
DURET_CLOSED = {
    "siret": "84231765300025",
    "numero_voie": "12",
    "type_voie": "RUE",
    "libelle_voie": "DES FORGES",
    "code_postal": "73400",
    "commune": "UGINE",
    "code_commune": "73303",
    "date_creation": "2018-09-03",
    "date_fermeture": "2021-06-30",
}

# Public buyers: the Chorus Pro sandbox directory (``chorus_directory.py``) is the
# single list; here each buyer gets what Recherche d'entreprises says of it:
# nature juridique, NAF, and ``complements.collectivite_territoriale`` (code,
# code_insee, niveau) or None for administrations that are not local authorities.
_KINDS = {  # Chorus directory kind -> (nature juridique, NAF)
    "commune": ("7210", "84.11Z"),
    "departement": ("7220", "84.11Z"),
    "epci": ("7348", "84.11Z"),
    "hopital": ("7364", "86.10Z"),
    "lycee": ("7331", "85.31Z"),
    "college": ("7331", "85.31Z"),
}
_COMMUNE_CODES = {
    "ALBERTVILLE": "73011",
    "CHAMBERY": "73065",
    "UGINE": "73303",
    "MOUTIERS": "73181",
    "ANNECY": "74010",
    "GRENOBLE": "38185",
    "EPAGNY METZ-TESSY": "74112",
    "BEAUFORT": "73034",
}
_STREET_TYPES = {
    "COURS": "CRS",
    "PLACE": "PL",
    "BOULEVARD": "BD",
    "AVENUE": "AV",
    "RUE": "RUE",
    "CHEMIN": "CHE",
}
# A public body that invoices do not reach through Chorus in the demo: an EPCI.
_EXTRA_BUYERS = [
    {
        "siret": "20006899700010",
        "name": "COMMUNAUTE D'AGGLOMERATION ARLYSERE",
        "kind": "epci",
        "address": {
            "adresse": "2 avenue des Chasseurs Alpins",
            "codePostal": "73200",
            "ville": "Albertville",
        },
    }
]


def _upper_ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


def _search_identity(buyer):
    """A Chorus directory buyer as the company-search double needs it."""
    nature, naf = _KINDS.get(buyer["kind"], ("7490", "84.11Z"))
    street = _upper_ascii(buyer["address"]["adresse"]).split()
    number = street.pop(0) if street and street[0].isdigit() else ""
    first = street[0] if street else ""
    street_type = _STREET_TYPES.get(first, "")
    if street_type:
        street.pop(0)
    city = _upper_ascii(buyer["address"]["ville"])
    code_commune = _COMMUNE_CODES.get(city, buyer["address"]["codePostal"][:2] + "000")
    department = buyer["address"]["codePostal"][:2]
    collectivite = {
        "commune": {"code": code_commune, "code_insee": code_commune, "niveau": "Commune"},
        "departement": {
            "code": f"{department}D",
            "code_insee": department,
            "niveau": "Département",
        },
        "epci": {"code": buyer["siret"][:9], "code_insee": None, "niveau": "EPCI"},
    }.get(buyer["kind"])
    return {
        "siren": buyer["siret"][:9],
        "siret": buyer["siret"],
        "name": buyer["name"],
        "nature_juridique": nature,
        "naf": naf,
        "numero_voie": number,
        "type_voie": street_type,
        "libelle_voie": " ".join(street),
        "code_postal": buyer["address"]["codePostal"],
        "commune": city,
        "code_commune": code_commune,
        "collectivite": collectivite,
    }


def public_buyers():
    from .chorus_directory import PUBLIC_BUYERS

    return [_search_identity(b) for b in [*PUBLIC_BUYERS, *_EXTRA_BUYERS]]


def end_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def duret_dates(today=None):
    """Dates of Duret's documents relative to ``today`` (ISO strings).

    URSSAF: analysed period ended last month, valid until the end of the month six
    months later; Qualifelec: certificate expiring in 20 days (to demo the
    reminder); RGE/Qualibat: valid for years; CIBTP/CNETP: issued today.
    """
    today = today or datetime.date.today()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    iso = datetime.date.isoformat
    return {
        "today": iso(today),
        "urssaf_start": iso(last_month_end),
        "urssaf_end": iso(end_of_month(add_months(last_month_end, 6))),
        "dgfip_delivery": iso(today - datetime.timedelta(days=3)),
        "dgfip_period": iso(last_month_end),
        "qualifelec_start": iso(add_months(today, -12) + datetime.timedelta(days=20)),
        "qualifelec_end": iso(today + datetime.timedelta(days=20)),
        "qualification_start": iso(add_months(today, -30)),
        "qualification_end": iso(add_months(today, 18)),
        "qualibat_emission": iso(add_months(today, -4)),
        "qualibat_end": iso(add_months(today, 8)),
        "rge_start": iso(add_months(today, -14)),
        "rge_end": iso(add_months(today, 34)),
        "rge_old_start": iso(add_months(today, -62)),
        "rge_old_end": iso(add_months(today, -14)),
        "opqibi_delivery": iso(add_months(today, -5)),
        "opqibi_qualif_end": iso(add_months(today, 31)),
        "kbis_extract": iso(today),
    }


def render_pdf(title, lines):
    """A small, real one-page PDF (reportlab ships with Odoo) standing for a certificate."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(60, 780, title)
    pdf.setFont("Helvetica", 11)
    for index, line in enumerate(lines):
        pdf.drawString(60, 740 - 18 * index, line)
    pdf.setFont("Helvetica-Oblique", 8)
    pdf.drawString(60, 60, "Document fictif du bac à sable Duret, sans valeur légale.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
