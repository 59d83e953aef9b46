"""User-facing messages shared by the models: lib errors and SIRET problems."""

from odoo import _

from ..lib.facturx import FacturxError


def siret_message(env, siret, owner):
    """None when ``siret`` is valid, else the suite's SIRET message naming ``owner``."""
    problem = env["duret.siret"]._duret_siret_message(siret)
    if not problem:
        return None
    return _("%(owner)s: %(problem)s", owner=owner, problem=problem)


def chorus_error_message(env, exc):
    """What a remote error means, in the user's language; never carries a secret.

    The sentence of Chorus Pro's own refusals is said here; every other kind
    (no answer, rate limit, time budget...) is the suite's one sentence per kind
    (``duret.job``), and the technical detail follows it.
    """
    context = env.context  # noqa: F841 (read by _() to pick the language)
    kind = getattr(exc, "kind", None)
    if kind == "refused":  # Chorus's own text is the detail
        return _(
            "Chorus Pro answered with an error: %(libelle)s (code %(code)s)",
            libelle=exc.libelle or str(exc),
            code=exc.code,
        )
    sentences = {
        "authentication": _(
            "PISTE refused the client id or client secret. Check them in the PISTE "
            "application (qualification and production have separate applications)."
        ),
        "forbidden": _(
            "PISTE answered 403: the Chorus Pro APIs (Factures, Structures, Transverses, "
            "Utilisateurs) are not enabled on the PISTE application. Accept their terms "
            "of use in the PISTE portal."
        ),
        "account": _(
            "Chorus Pro refused the technical account (login or password wrong or "
            "expired). Check it in the Chorus Pro portal, EDI/API connection area."
        ),
    }
    return env["duret.job"]._duret_remote_error_text(
        exc, "Chorus Pro", sentence=sentences.get(kind)
    )


def facturx_error_message(env, exc, invoice):
    """What to fix when the Factur-X of ``invoice`` cannot be built, in the user's language.

    The lib's problem texts are technical (XSD messages): they follow a translated
    sentence saying what to correct.
    """
    context = env.context  # noqa: F841 (read by _() to pick the language)
    intros = {
        FacturxError.LEGAL_COMMITMENT: _(
            "The legal commitment number (engagement juridique) of %s has more than 50 "
            "characters: shorten it."
        ),
        FacturxError.CONTENT: _(
            "The invoice %s cannot be sent to Chorus Pro as it is: check its type, its "
            "amounts (no negative total) and the company bank account."
        ),
        FacturxError.XSD: _(
            "The Factur-X XML built for %s is refused by the EN16931 schema. Check the "
            "invoice, buyer and company data named below (addresses, SIRET, taxes, "
            "references), correct them and send again."
        ),
        FacturxError.ATTACHMENTS: _(
            "The extra documents of %s do not meet the Chorus Pro limits (PDF, images, "
            "office, XML or archive files of 10 MB at most, names of 50 characters at most): "
            "remove or replace them."
        ),
        FacturxError.PDF: _(
            "The Factur-X PDF of %s could not be produced: check that the invoice PDF "
            "prints and that the extra documents are not too large."
        ),
    }
    intro = intros.get(exc.kind) or _(
        "Odoo's Factur-X export of %s is not usable: check the invoice and try again."
    )
    details = "\n".join(f"- {problem}" for problem in exc.problems)
    return (intro % invoice.name) + ("\n" + _("Details:") + "\n" + details if details else "")
