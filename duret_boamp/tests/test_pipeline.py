"""Tender leads in the CRM pipeline: created where the sales team works, and Odoo's own CRM
actions (convert, merge, won / lost, assign) working on them (issue 16)."""

import json

from odoo.tests import Form, TransactionCase, tagged

from .common import BoampCaseMixin, follow_up_spec, notice_spec, record


@tagged("post_install", "-at_install")
class TestTenderPipeline(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()
        cls.team = cls.env.ref("duret_boamp.crm_team_tenders")
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Commercial AO",
                "login": "boamp_pipeline_salesman",
                "email": "commercial@duret-electricite.fr",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, cls.company.ids)],
                "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        cls.watch.write({"user_id": cls.salesman.id, "team_id": cls.team.id})
        # like Odoo's own "Sales" team: no company (crm.team defaults to the current one)
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Équipe sans société", "company_id": False}
        )

    def _lead(self, **spec):
        spec = notice_spec(**spec)
        self.import_page([record(spec)])
        return self.tender_leads().filtered(lambda lead: lead.boamp_idweb == spec["idweb"]), spec

    def _set_use_leads(self, use):
        group = self.env.ref("crm.group_use_lead")
        internal = self.env.ref("base.group_user")
        internal.implied_ids = [(4 if use else 3, group.id)]

    # -- where the import puts them -------------------------------------------------------
    def test_created_in_the_profiles_team_stage_and_salesperson(self):
        lead, _spec = self._lead()
        self.assertEqual(lead.user_id, self.salesman)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.stage_id, self.env.ref("duret_boamp.crm_stage_tender_qualify"))
        self.assertEqual(lead.company_id, self.company)
        self.assertEqual(lead.tender_departement, "73")
        self.assertTrue(lead.tender_digest_pending)

    def test_lead_or_opportunity_as_the_crm_setting_says(self):
        self._set_use_leads(False)
        lead, _spec = self._lead()
        self.assertEqual(lead.type, "opportunity")
        self._set_use_leads(True)
        lead, _spec = self._lead()
        self.assertEqual(lead.type, "lead")

    def test_default_profile_feeds_the_tender_team(self):
        self.assertEqual(self.env.ref("duret_boamp.watch_default").team_id, self.team)

    # -- Odoo's CRM actions on tender leads -------------------------------------------------
    def test_convert_to_opportunity_keeps_the_company(self):
        """Before: company_id = NULL, "Une piste d'appel d'offres doit appartenir à une société"."""
        self._set_use_leads(True)
        lead, _spec = self._lead()
        lead.user_id = False
        ctx = {"active_model": "crm.lead", "active_id": lead.id, "active_ids": lead.ids}
        with Form(self.env["crm.lead2opportunity.partner"].with_context(**ctx)) as wizard:
            wizard.name = "convert"
            wizard.team_id = self.other_team
            wizard.user_id = self.env["res.users"]
        wizard.save().action_apply()
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.team_id, self.other_team)
        self.assertEqual(lead.company_id, self.company)

    def test_assign_salesperson_and_team(self):
        lead, _spec = self._lead()
        lead.write({"user_id": False, "team_id": self.other_team.id})
        self.assertEqual(lead.company_id, self.company, "a team without company")
        lead.user_id = self.env.ref("base.user_admin")
        lead.team_id = False
        self.assertEqual(lead.company_id, self.company)
        lead.user_id = False
        self.assertEqual(lead.company_id, self.company, "nobody assigned")

    def test_merge_keeps_company_and_every_notice(self):
        first, _spec = self._lead()
        second, _spec = self._lead(objet="Travaux d'éclairage public du stade municipal")
        notices = (first | second).boamp_notice_ids
        merged = (first | second).merge_opportunity(team_id=self.other_team.id)
        self.assertEqual(merged.company_id, self.company)
        self.assertEqual(merged.boamp_notice_ids, notices)

    def test_won_and_lost(self):
        lead, _spec = self._lead()
        lead.stage_id = self.env.ref("duret_boamp.crm_stage_tender_submitted")
        lead.action_set_won()
        self.assertEqual(lead.stage_id, self.env.ref("duret_boamp.crm_stage_tender_won"))
        self.assertEqual((lead.probability, lead.tender_won_count), (100, 1))
        self.assertEqual(lead.tender_answered_count, 1)
        other, _spec = self._lead()
        reason = self.env.ref("duret_boamp.lost_reason_no_go")
        self.env["crm.lead.lost"].with_context(
            active_ids=other.ids, default_type="opportunity"
        ).create(
            {"lead_ids": [(6, 0, other.ids)], "lost_reason_id": reason.id}
        ).action_lost_reason_apply()
        self.assertFalse(other.active)
        self.assertEqual(other.lost_reason_id, reason)

    def test_pipeline_columns_are_the_tender_stages(self):
        Lead = self.env["crm.lead"].with_context(default_team_id=self.team.id)
        stages = Lead._read_group_stage_ids(self.env["crm.stage"], [], "sequence, name, id")
        self.assertEqual(
            stages.mapped("name"),
            ["To qualify", "Go / no-go", "In preparation", "Submitted", "Won"],
        )
        ordinary = self.env["crm.lead"]._read_group_stage_ids(
            self.env["crm.stage"], [], "sequence, name, id"
        )
        self.assertFalse(ordinary & stages, "other teams keep Odoo's stages")

    def test_pipeline_list_shows_the_countdown(self):
        """The pipeline's list says how many days are left, as its kanban and form do."""
        action = self.env.ref("duret_boamp.crm_lead_action_tender_pipeline")
        tree = action.view_ids.filtered(lambda view: view.view_mode == "tree").view_id
        arch = self.env["crm.lead"].get_view(tree.id, "tree")["arch"]
        self.assertIn('name="tender_deadline_label"', arch)

    # -- go / no-go ------------------------------------------------------------------------
    def test_go_and_no_go_recorded_with_reason(self):
        lead, _spec = self._lead()
        action = lead.with_context(default_type="lead").action_tender_go()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Notre cœur de métier, acheteur connu"
        wizard.save().action_confirm()
        self.assertEqual(lead.tender_decision, "go")
        self.assertEqual(lead.tender_decision_user_id, self.env.user)
        self.assertEqual(lead.stage_id, self.env.ref("duret_boamp.crm_stage_tender_preparation"))
        self.assertEqual(lead.tender_kept_count, 1)
        self.assertIn("Notre cœur de métier", lead.message_ids[0].body)

        other, _spec = self._lead()
        action = other.action_tender_no_go()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Plan de charge complet en mars"
        wizard.save().action_confirm()
        self.assertEqual(other.tender_decision, "no_go")
        self.assertFalse(other.active)
        self.assertEqual(other.lost_reason_id, self.env.ref("duret_boamp.lost_reason_no_go"))

    def test_not_relevant_from_the_lead_action_context(self):
        lead, _spec = self._lead()
        action = lead.with_context(default_type="lead").action_tender_not_relevant()
        wizard = self.env[action["res_model"]].with_context(
            default_type="lead", **action["context"]
        )
        wizard = wizard.create({"reason": "Fourniture seule"})
        wizard.action_confirm()
        self.assertFalse(lead.active)
        self.assertTrue(lead.tender_not_relevant)
        self.assertEqual(lead.tender_not_relevant_count, 1)

    # -- awards and cancellations --------------------------------------------------------
    def test_award_to_the_company_marks_won(self):
        self.company.siret = "55208131700010"
        lead, spec = self._lead()
        award = follow_up_spec(spec, "ATTRIBUTION", winners=[("Duret Électricité", 240000)])
        rec = record(award)
        donnees = json.loads(rec["donnees"])
        holders = donnees["FNSimple"]["attribution"]["attributionMarche"]
        for holder in holders if isinstance(holders, list) else [holders]:
            # another establishment of the company: same SIREN, other SIRET
            holder["titulaire"]["codeIdentificationNational"] = "552 081 317 00028"
        rec["donnees"] = json.dumps(donnees)
        self.import_page([rec])
        self.assertEqual(lead.probability, 100)
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.expected_revenue, 240000)
        notice = lead.boamp_notice_ids.filtered(lambda n: n.idweb == award["idweb"])
        self.assertEqual((notice.change_kind, notice.digest_pending), ("won", True))

    def test_award_to_a_competitor_marks_lost_with_winner_and_amount(self):
        self.company.siret = "55208131700010"
        lead, spec = self._lead()
        award = follow_up_spec(spec, "ATTRIBUTION", winners=[("SPIE CityNetworks", 231000)])
        self.import_page([record(award)])
        lead = lead.with_context(active_test=False)
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, self.env.ref("duret_boamp.lost_reason_competitor"))
        self.assertEqual(
            (lead.tender_winners, lead.tender_award_amount), ("SPIE CityNetworks", 231000)
        )
        notice = lead.boamp_notice_ids.filtered(lambda n: n.idweb == award["idweb"])
        self.assertEqual(notice.change_kind, "lost")
        self.assertIn("SPIE CityNetworks", notice.change_text)

    def test_cancellation_ends_sans_suite_not_lost_to_a_competitor(self):
        lead, spec = self._lead()
        self.import_page([record(follow_up_spec(spec, "ANNULATION"))])
        lead = lead.with_context(active_test=False)
        self.assertEqual(lead.lost_reason_id, self.env.ref("duret_boamp.lost_reason_cancelled"))
        self.assertNotEqual(lead.lost_reason_id, self.env.ref("duret_boamp.lost_reason_competitor"))

    def test_award_only_notice_is_no_new_tender(self):
        unseen = notice_spec()
        award = follow_up_spec(unseen, "ATTRIBUTION", winners=[("SPIE CityNetworks", 1000)])
        cancel = follow_up_spec(notice_spec(), "ANNULATION")
        run, counts = self.import_page([record(award), record(cancel)])
        self.assertEqual((counts["created"], counts["rejected"]), (0, 2))
        self.assertFalse(
            self.tender_leads().filtered(
                lambda lead: lead.boamp_idweb in (unseen["idweb"], cancel["linked"])
            )
        )
        self.assertEqual(len(run.rejection_ids), 2)
