from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMenuTour(HttpCase):
    def test_menu_opens(self):
        self.start_tour("/web", "duret_procurement_menu_tour", login="admin")
