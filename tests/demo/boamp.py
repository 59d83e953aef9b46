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


def run(env):
    """One nightly run; French summary lines."""
    run_ids = env["boamp.watch"].sudo()._cron_nightly()
    # the job committed through its own cursors: read the outcome from a fresh one
    with env.registry.cursor() as cr:
        fresh = env(cr=cr, su=True)
        runs = fresh["boamp.run"].browse(run_ids)
        lines = []
        for run in runs:
            state = STATES.get(run.state, run.state)
            leads = (
                fresh["crm.lead"]
                .with_context(active_test=False)
                .search([("boamp_run_id", "=", run.id)])
            )
            in_digest = len(run._digest_leads(run.company_id)[0])
            lines.append(f"Profil « {run.watch_id.name} » : exécution {state}")
            lines.append(f"Notices récupérées : {run.fetched} ({run.http_calls} appels HTTP)")
            lines.append(
                f"Notices retenues : {run.kept}, écartées : {run.rejected}, "
                f"doublons : {run.duplicates}, erreurs : {run.errors}"
            )
            lines.append(
                f"Leads créés : {run.created} (au digest : {in_digest}, "
                f"archivés : {len(leads.filtered(lambda lead: not lead.active))}), "
                f"mis à jour : {run.updated}"
            )
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
            recipients = ", ".join(sorted(set(mails.recipient_ids.mapped("email"))))
            lines.append(
                f"Digest envoyé (file d'attente des mails) : « {mails[0].subject} » à {recipients}"
            )
        else:
            lines.append("Digest non envoyé : aucun destinataire avec une adresse e-mail")
    return lines
