/** @odoo-module **/
// The accountant (French) opens the late-invoice report, claims the interest of an invoice
// paid late, checks the amounts and prints the claim letter.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_late_payment_claim_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
        },
        {
            content: "Open Public Procurement",
            trigger: ".o_app[data-menu-xmlid='duret_procurement.menu_root']",
        },
        {
            content: "Open the menus that do not fit in the bar",
            trigger: ".o_menu_sections .o_menu_sections_more .dropdown-toggle",
        },
        {
            content: "Open the late invoices",
            trigger: ".dropdown-item:contains('Factures en retard')",
        },
        {
            content: "The invoice paid late is listed with its interest and state",
            trigger: ".o_late_payment_list .o_data_row:contains('Commune de Frontenex'):contains('Payée en retard'):contains('7,33')",
            isCheck: true,
        },
        {
            content: "Select it",
            trigger: ".o_late_payment_list .o_data_row:contains('Commune de Frontenex') .o_list_record_selector input",
        },
        {
            content: "Claim the interest",
            trigger: ".o_control_panel button:contains('Réclamer les intérêts')",
        },
        {
            content: "The claim shows the interest and the fee",
            trigger: ".o_form_view .o_field_widget[name='amount_total']:contains('47,33')",
            isCheck: true,
        },
        {
            content: "Send and print the letter",
            trigger: ".o_form_view button.o_late_payment_send",
        },
        {
            content: "The claim is now sent",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Envoyée')",
            isCheck: true,
        },
    ],
});
