"""The list of emulated services mounted by default.

Each service module contributes one class; a service that is not written yet
is simply absent from this list.
"""

import importlib

# (module, class) pairs; kept in one place so the three service families stay
# independent of each other.
SERVICES = [
    ("boamp", "BoampService"),
    ("decp", "DecpService"),
    ("piste", "PisteService"),
    ("chorus", "ChorusService"),
    ("chorus_works", "ChorusWorksService"),
    ("api_entreprise", "ApiEntrepriseService"),
    ("recherche_entreprises", "RechercheEntreprisesService"),
    ("ademe_rge", "AdemeRgeService"),
    ("ecb", "EcbService"),
]


def build_services(sandbox, options):
    services = []
    for module_name, class_name in SERVICES:
        try:
            module = importlib.import_module(f"{__package__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module_name}":
                raise
            continue
        services.append(getattr(module, class_name)(sandbox, options))
    return services
