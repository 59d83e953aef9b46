"""Demo hook of duret_decp: the awarded contracts (DECP) read from the sandbox.

``setup`` points the DECP address at the sandbox: without it, "Sync now" on a tender's
"Past contracts" tab (or the nightly sync of a served demo) would try
data.economie.gouv.fr, which the network guard refuses. ``run`` leaves the first sync to
the user, so that the demo shows the empty state and its "Sync now" button.
"""


def setup(env, sandbox_url):
    env["ir.config_parameter"].sudo().set_param("duret_decp.base_url", sandbox_url.rstrip("/"))


def run(env):
    return [
        "pas encore synchronisé : « Synchroniser maintenant » sur l'onglet « Marchés passés » "
        "d'un appel d'offres (ou la tâche nocturne) lit les marchés attribués du bac à sable"
    ]
