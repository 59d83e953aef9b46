"""BOAMP demo: the watch reads the sandbox, runs one night and sends the digest.

``setup`` points the BOAMP address at the sandbox and makes sure Duret's
default profile is active on départements 73/74/38; ``run`` runs the nightly
job once (fetch, leads, run log, digest in the mail queue, deadline
activities) and returns what happened, in French.
"""

STATES = {
    "done": "terminée",
    "failed": "en échec",
    "interrupted": "interrompue",
    "running": "en cours",
}


def setup(env, sandbox_url):
    icp = env["ir.config_parameter"].sudo()
    icp.set_param("duret_boamp.base_url_mode", "custom")
    icp.set_param("duret_boamp.custom_base_url", sandbox_url.rstrip("/"))
    icp.set_param("duret_boamp.digest_skip_empty", "False")  # the demo always shows the digest
    watch = env.ref("duret_boamp.watch_default").sudo()
    watch.write({"active": True, "departements": "73, 74, 38"})
    env.flush_all()
    return watch


def _run_lines(env, run):
    """The run's counters as sums that add up (notices first, then leads)."""
    leads = env["crm.lead"].with_context(active_test=False).search([("boamp_run_id", "=", run.id)])
    notices = env["boamp.notice"].search([("run_id", "=", run.id)])
    opening = len(leads)  # one notice opens each new lead
    following = len(notices.filtered(lambda n: n.lead_id in leads)) - opening
    on_existing = len(notices) - opening - following
    archived = len(leads.filtered(lambda lead: not lead.active))
    # a fresh database has no older news: the digest lists exactly the run's active leads
    # (the repeat check compares this with the number in the digest's subject)
    in_digest = len(leads.filtered("active"))
    state = STATES.get(run.state, run.state)
    return [
        f"Profil « {run.watch_id.name} » : exécution {state}",
        f"Notices récupérées : {run.fetched} = {run.kept} retenues + {run.rejected} écartées"
        f" + {run.duplicates} déjà vues + {run.errors} illisibles ({run.http_calls} appels HTTP)",
        f"Notices retenues : {run.kept} = {opening} ouvrant un nouveau marché"
        f" + {following} avis suivants de ces marchés (rectificatif, attribution, annulation)"
        f" + {on_existing} sur des marchés déjà suivis",
        f"Leads créés : {run.created} = {in_digest} au digest + {archived} archivés"
        f" (marché annulé dans la même nuit) ; leads mis à jour : {run.updated}",
    ]


def run(env):
    """One nightly run; French summary lines."""
    run_ids = env["boamp.watch"].sudo()._cron_boamp_watch()
    # the job committed through its own cursors: read the outcome from a fresh one
    with env.registry.cursor() as cr:
        fresh = env(cr=cr, su=True)
        runs = fresh["boamp.run"].browse(run_ids)
        lines = []
        for run in runs:
            lines += _run_lines(fresh, run)
            if run.error_text:
                lines.append(f"Erreur : {run.error_text}")
        mails = fresh["mail.mail"].search(
            [
                ("body_html", "ilike", "o_boamp_"),
                ("create_date", ">=", min(runs.mapped("date_start"))),
            ]
            if runs
            else [("id", "=", 0)]
        )
        if mails:
            director = mails.sorted("id")[0]  # queued first, then each salesperson's summary
            recipients = ", ".join(sorted(set(director.recipient_ids.mapped("email"))))
            lines.append(
                f"Digest envoyé (file d'attente des mails) : « {director.subject} » à {recipients}"
            )
        else:
            lines.append("Digest non envoyé : aucun destinataire avec une adresse e-mail")
    return lines
