/** @odoo-module **/
// Before any DECP sync, a sales manager finds the empty states that explain where the data
// comes from, starts the first sync from the contracts list, then from a lead's tab sees the
// figures that sync brought.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_decp_first_sync_list_tour", {
    test: true,
    steps: () => [
        {
            content: "The empty list says the data comes from the nightly sync",
            trigger: ".o_view_nocontent .o_decp_first_sync",
            isCheck: true,
        },
        {
            content: "Start the first sync",
            trigger: ".o_view_nocontent a.o_decp_sync_first",
        },
        {
            content: "The contracts of the sync are listed",
            trigger: '.o_list_view .o_data_row:contains("Éclairage public de la commune")',
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("duret_decp_first_sync_tab_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the Past contracts tab",
            trigger: '.o_notebook .nav-link:contains("Past contracts")',
        },
        {
            content: "The tab explains that no sync has run yet",
            trigger: ".o_notebook .tab-pane.active .o_decp_sync_missing:contains('nightly sync')",
            isCheck: true,
        },
        {
            content: "Start the first sync",
            trigger: '.o_notebook .tab-pane.active button[name="action_decp_sync_now"]',
        },
        {
            content: "The similar contracts are counted",
            trigger:
                '.o_notebook .tab-pane.active .o_field_widget[name="decp_similar_count"]:contains("4")',
            isCheck: true,
        },
        {
            content: "The empty state is gone",
            trigger: ".o_notebook .tab-pane.active:not(:has(.o_decp_sync_missing))",
            isCheck: true,
        },
    ],
});
