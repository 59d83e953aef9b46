"""Seed identities shared by the company-data doubles (API Entreprise, Recherche
d'entreprises, ADEME RGE): our company Duret and the public buyers of Savoie.

Everything here is invented for the demo (no such records exist in the real
services), but every SIREN/SIRET passes the Luhn checks, and the shapes these
values are poured into come from the real recorded payloads in the shared
fixtures.  The buyers mirror the Chorus Pro sandbox directory
(``chorus_directory.py``, written separately): keep both lists in step when a
buyer is added on either side.
"""

import calendar
import datetime

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

# Public buyers of Savoie (Chorus sandbox counterpart).  ``collectivite`` is the
# Recherche d'entreprises ``complements.collectivite_territoriale`` (code,
# code_insee, niveau) or None for administrations that are not local authorities.
PUBLIC_BUYERS = [
    {
        "siren": "217300110", "siret": "21730011000012", "name": "COMMUNE D'ALBERTVILLE",
        "nature_juridique": "7210", "naf": "84.11Z", "numero_voie": "12",
        "type_voie": "COURS", "libelle_voie": "DE L'HOTEL DE VILLE", "code_postal": "73200",
        "commune": "ALBERTVILLE", "code_commune": "73011",
        "collectivite": {"code": "73011", "code_insee": "73011", "niveau": "Commune"},
    },
    {
        "siren": "217300656", "siret": "21730065600014", "name": "COMMUNE DE CHAMBERY",
        "nature_juridique": "7210", "naf": "84.11Z", "numero_voie": "",
        "type_voie": "PL", "libelle_voie": "DE L'HOTEL DE VILLE", "code_postal": "73000",
        "commune": "CHAMBERY", "code_commune": "73065",
        "collectivite": {"code": "73065", "code_insee": "73065", "niveau": "Commune"},
    },
    {
        "siren": "227300019", "siret": "22730001900014", "name": "DEPARTEMENT DE LA SAVOIE",
        "nature_juridique": "7220", "naf": "84.11Z", "numero_voie": "",
        "type_voie": "", "libelle_voie": "CHATEAU DES DUCS DE SAVOIE", "code_postal": "73000",
        "commune": "CHAMBERY", "code_commune": "73065",
        "collectivite": {"code": "73D", "code_insee": "73", "niveau": "Département"},
    },
    {
        "siren": "200068997", "siret": "20006899700010",
        "name": "COMMUNAUTE D'AGGLOMERATION ARLYSERE",
        "nature_juridique": "7348", "naf": "84.11Z", "numero_voie": "2",
        "type_voie": "AV", "libelle_voie": "DES CHASSEURS ALPINS", "code_postal": "73200",
        "commune": "ALBERTVILLE", "code_commune": "73011",
        "collectivite": {"code": "200068997", "code_insee": None, "niveau": "EPCI"},
    },
    {
        "siren": "267300259", "siret": "26730025900012",
        "name": "CENTRE HOSPITALIER ALBERTVILLE MOUTIERS",
        "nature_juridique": "7364", "naf": "86.10Z", "numero_voie": "253",
        "type_voie": "RUE", "libelle_voie": "PIERRE DE COUBERTIN", "code_postal": "73200",
        "commune": "ALBERTVILLE", "code_commune": "73011", "collectivite": None,
    },
    {
        "siren": "197300015", "siret": "19730001500017", "name": "LYCEE JEAN MOULIN",
        "nature_juridique": "7331", "naf": "85.31Z", "numero_voie": "",
        "type_voie": "AV", "libelle_voie": "DES CHASSEURS ALPINS", "code_postal": "73200",
        "commune": "ALBERTVILLE", "code_commune": "73011", "collectivite": None,
    },
]


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
