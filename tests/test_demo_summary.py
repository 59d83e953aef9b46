"""The demo's BOAMP summary: sums that add up, checked by ``python3 -m tests.demo.repeat``."""

from tests.demo.repeat import figures, inconsistencies

SUMMARY = """\
Veille BOAMP : Notices récupérées : 67 = 30 retenues + 37 écartées + 0 déjà vues + 0 illisibles \
(1 appels HTTP)
Veille BOAMP : Notices retenues : 30 = 22 ouvrant un nouveau marché + 8 avis suivants de ces \
marchés (rectificatif, attribution, annulation) + 0 sur des marchés déjà suivis
Veille BOAMP : Leads créés : 22 = 20 au digest + 2 archivés (marché annulé dans la même nuit) ; \
leads mis à jour : 0
Veille BOAMP : Digest envoyé (file d'attente des mails) : « 20 nouveaux appels d'offres détectés \
ce matin » à admin@example.com
"""


def test_consistent_summary():
    f = figures(SUMMARY)
    assert f == {
        "fetched": 67,
        "kept": 30,
        "rejected": 37,
        "duplicates": 0,
        "errors": 0,
        "kept_again": 30,
        "opening": 22,
        "following": 8,
        "on_existing": 0,
        "created": 22,
        "in_digest": 20,
        "archived": 2,
        "updated": 0,
        "digest_subject": 20,
    }
    assert inconsistencies(f) == []


def test_each_broken_sum_is_named():
    f = figures(
        SUMMARY.replace("20 au digest", "21 au digest").replace("37 écartées", "36 écartées")
    )
    assert inconsistencies(f) == [
        "fetched = kept + rejected + duplicates + errors",
        "created = digest + archived",
        "digest subject = digest count",
    ]
