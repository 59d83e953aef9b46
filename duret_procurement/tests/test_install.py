from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_groups_and_menu(self):
        manager = self.env.ref("duret_procurement.group_manager")
        user = self.env.ref("duret_procurement.group_user")
        self.assertIn(user, manager.implied_ids)
        self.assertIn(self.env.ref("base.user_admin"), manager.users)
        menu = self.env.ref("duret_procurement.menu_root")
        self.assertEqual(menu.groups_id, user)

    def test_settings_app_renders(self):
        # The settings view must stay valid once every integration added its block.
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="duret_procurement"', arch)
