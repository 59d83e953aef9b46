/** @odoo-module **/
// The sales director opens a watch profile, learns from the sales team, applies the
// suggested penalty, sees it in the chatter, then reverts it from the "Rule changes" tab.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_boamp_feedback_tour", {
    test: true,
    steps: () => [
        {
            content: "Learn from the sales team",
            trigger: '.o_form_view button[name="action_open_feedback"]',
        },
        {
            content: "The word typical of the leads marked not relevant is shown",
            trigger: '.o_field_widget[name="rejected_term_ids"] .o_data_row:contains("illuminations")',
            isCheck: true,
        },
        {
            content: "The suggestion names it, with its measured effect",
            trigger: '.o_data_row:contains("illuminations"):contains("3 of 3 leads")',
            isCheck: true,
        },
        {
            content: "Apply the suggested penalty phrase",
            trigger:
                '.o_data_row:contains("Add the penalty phrase") button[name="action_apply"]',
        },
        {
            content: "The change and its measured effect are in the chatter",
            trigger: '.o-mail-Message:contains("Rule change applied"):contains("3 of 3 leads")',
            isCheck: true,
        },
        {
            content: "Open the rule changes",
            trigger: '.o_notebook .nav-link:contains("Rule changes")',
        },
        {
            content: "Revert the change",
            trigger:
                '.o_notebook .tab-pane.active .o_data_row:contains("illuminations") button[name="action_revert"]',
        },
        {
            content: "The chatter says it was reverted",
            trigger: '.o-mail-Message:contains("Rule change reverted")',
            isCheck: true,
        },
        {
            content: "The change is shown as reverted",
            trigger: '.o_notebook .tab-pane.active .o_data_row:contains("Reverted")',
            isCheck: true,
        },
    ],
});
