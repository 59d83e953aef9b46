/** @odoo-module **/
// The administrator's first setup: the checklist says the company SIRET is missing; the
// administrator follows "Configurer", enters it, opens the checklist again: the line is done.
// Each screen is marked for the screenshot helper (duret_procurement/tests/screens.py).
import { registry } from "@web/core/registry";
import { screen } from "@duret_procurement/../tests/tours/screens";

registry.category("web_tour.tours").add("duret_first_setup_tour", {
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
            content: "Open Configuration (in the bar, or among the menus that do not fit)",
            trigger:
                '.o_menu_sections button[data-menu-xmlid="duret_procurement.menu_configuration"], .o_menu_sections_more .dropdown-toggle',
        },
        {
            content: "Open the first-setup checklist",
            trigger: 'a[data-menu-xmlid="duret_procurement.menu_setup_checklist"]',
        },
        {
            content: "The SIRET is said missing, in red",
            trigger: '.o_data_row.text-danger:contains("SIRET de la société"):contains("Le SIRET est manquant.")',
            run: screen("liste-de-controle"),
        },
        {
            content: "The API Entreprise token is said missing",
            trigger: '.o_data_row.text-danger:contains("Jeton API Entreprise")',
            isCheck: true,
        },
        {
            content: "Configure the SIRET",
            trigger: '.o_data_row:contains("SIRET de la société") button.o_procurement_configure',
        },
        {
            content: "The company form",
            trigger: '.o_form_view .o_field_widget[name="siret"] input',
            run: screen("fiche-societe"),
        },
        {
            content: "Enter the company's SIRET on the company form",
            trigger: '.o_form_view .o_field_widget[name="siret"] input',
            run: "text 84231765300017",
        },
        {
            content: "Save the company",
            trigger: ".o_form_button_save",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
            isCheck: true,
        },
        {
            content: "Open Configuration again",
            trigger:
                '.o_menu_sections button[data-menu-xmlid="duret_procurement.menu_configuration"], .o_menu_sections_more .dropdown-toggle',
        },
        {
            content: "Back to the first-setup checklist",
            trigger: 'a[data-menu-xmlid="duret_procurement.menu_setup_checklist"]',
        },
        {
            content: "The SIRET line is done, in green",
            trigger: '.o_data_row.text-success:contains("SIRET de la société")',
            run: screen("siret-fait"),
        },
        {
            content: "Check again",
            trigger: 'button[name="action_refresh"]',
        },
        {
            content: "Still done; the token is still missing",
            trigger:
                '.o_data_row.text-success:contains("SIRET de la société") ~ .o_data_row.text-danger:contains("Jeton API Entreprise")',
            isCheck: true,
        },
    ],
});
