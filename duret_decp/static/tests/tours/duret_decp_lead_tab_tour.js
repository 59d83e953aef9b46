/** @odoo-module **/
// A salesperson opens a tender lead, reads the buyer's past contracts and the similar
// contracts nearby, then opens the full list of similar contracts.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_decp_lead_tab_tour", {
    test: true,
    steps: () => [
        {
            content: "Open the Past contracts tab",
            trigger: '.o_notebook .nav-link:contains("Past contracts")',
        },
        {
            content: "The buyer's past contracts are listed with their holders",
            trigger:
                '.o_notebook .tab-pane.active .o_field_widget[name="decp_buyer_contract_ids"] .o_data_row:contains("Éclairage public de la commune"):contains("Alpes Élec")',
            isCheck: true,
        },
        {
            content: "Four similar contracts, median 250,000",
            trigger:
                '.o_notebook .tab-pane.active .o_field_widget[name="decp_similar_count"]:contains("4")',
            isCheck: true,
        },
        {
            content: "The median amount is shown",
            trigger:
                '.o_notebook .tab-pane.active .o_field_widget[name="decp_similar_median"]:contains("250,000")',
            isCheck: true,
        },
        {
            content: "The top holders are named",
            trigger:
                '.o_notebook .tab-pane.active .o_field_widget[name="decp_top_holders"]:contains("Alpes Élec: 2 contract(s)")',
            isCheck: true,
        },
        {
            content: "Open all the similar contracts",
            trigger: '.o_notebook .tab-pane.active button[name="action_decp_open_similar_contracts"]',
        },
        {
            content: "The list shows the five contracts of the class (framework included)",
            trigger: '.o_list_view .o_data_row:nth-child(5)',
            isCheck: true,
        },
    ],
});
