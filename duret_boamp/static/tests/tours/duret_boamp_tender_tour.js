/** @odoo-module **/
// The sales director opens the pipeline, keeps the tenders, opens one and reads its tender tab.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_boamp_tender_tour", {
    test: true,
    url: "/web#action=crm.crm_lead_action_pipeline",
    steps: () => [
        {
            content: "Open the filter menu of the pipeline",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
        },
        {
            content: "Keep only the tenders",
            trigger: '.o_filter_menu .o_menu_item:contains("Tenders")',
        },
        {
            content: "The tender filter is applied",
            trigger: '.o_searchview_facet:contains("Tenders")',
            isCheck: true,
        },
        {
            content: "Open the tender from the kanban",
            trigger: '.o_kanban_record:contains("AO Commune de Tourville - Éclairage public")',
        },
        {
            content: "Open the tender tab",
            trigger: '.o_notebook .nav-link:contains("Tender")',
        },
        {
            content: "The BOAMP notice number is shown",
            trigger: '.o_notebook .tab-pane.active .o_field_widget[name="boamp_idweb"]:contains("26-424242")',
            isCheck: true,
        },
    ],
});
