from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMenuTour(HttpCase):
    def test_menu_opens_in_french(self):
        """The suite's app opens from the home menu, labelled in French for a French user."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["duret_procurement"], ["fr_FR"])
        self.env.ref("base.user_admin").lang = "fr_FR"
        self.start_tour("/web", "duret_procurement_menu_tour", login="admin")
