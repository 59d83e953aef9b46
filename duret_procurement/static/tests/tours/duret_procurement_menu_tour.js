/** @odoo-module **/
// The suite's root menu opens from the home screen (smoke test of the web client).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_procurement_menu_tour", {
    test: true,
    url: "/web",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
        },
        {
            content: "Open the public-procurement app",
            trigger: '.o_app[data-menu-xmlid="duret_procurement.menu_root"]',
        },
        {
            content: "The app's menu bar is shown",
            trigger: '.o_main_navbar .o_menu_brand:contains("Marchés publics")',
            isCheck: true,
        },
    ],
});
