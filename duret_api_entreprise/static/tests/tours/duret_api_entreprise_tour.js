/** @odoo-module **/
// Open the compliance dashboard, then a lead's administrative file.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_api_entreprise_dashboard_tour", {
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
            content: "Open the compliance dashboard",
            trigger: '.o_main_navbar [data-menu-xmlid="duret_api_entreprise.menu_compliance_document"]',
        },
        {
            content: "The kanban is grouped by state and shows the expired required document",
            trigger: '.o_kanban_group .o_kanban_record:contains("Tour expired URSSAF")',
            isCheck: true,
        },
    ],
});

// Started on the lead's form by the test (no url here: the tour must not redirect).
registry.category("web_tour.tours").add("duret_api_entreprise_tender_file_tour", {
    test: true,
    steps: () => [
        {
            content: "Wait for the lead form",
            trigger: '.o_form_view .o_field_widget[name="name"]',
            isCheck: true,
        },
        {
            content: "Open the administrative file",
            trigger: 'button[name="action_compliance_tender_file"]',
        },
        {
            content: "The check reports the document that will have expired",
            trigger: '.alert-danger:contains("Tour expired URSSAF")',
            isCheck: true,
        },
        {
            content: "Close the dialog",
            trigger: ".modal-footer button.btn-secondary",
        },
    ],
});
