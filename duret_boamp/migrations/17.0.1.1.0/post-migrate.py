"""17.0.1.1.0: the tender team and its pipeline.

The default watch profile is ``noupdate`` data: on an existing database it does not pick up
the new tender team by itself. Give it the team, and put the open tender leads that have no
team yet in that team's first stage, so they show in the tender pipeline.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    team = env.ref("duret_boamp.crm_team_tenders", raise_if_not_found=False)
    if not team:
        return
    watch = env.ref("duret_boamp.watch_default", raise_if_not_found=False)
    if watch and not watch.team_id:
        watch.team_id = team
    first_stage = env.ref("duret_boamp.crm_stage_tender_qualify", raise_if_not_found=False)
    leads = env["crm.lead"].search(
        [
            ("is_tender", "=", True),
            ("team_id", "=", False),
            ("probability", "<", 100),
            ("company_id", "=", team.company_id.id),
        ]
    )
    leads.write({"team_id": team.id, "stage_id": first_stage.id if first_stage else False})
