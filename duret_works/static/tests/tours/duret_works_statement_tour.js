/** @odoo-module **/
// The accountant (a French user) opens a running works contract, enters the month's progress,
// creates the invoice, previews it and sends the statement to Chorus Pro.
import { registry } from "@web/core/registry";

const row = (index, field) =>
    `.o_field_widget[name=line_ids] .o_data_row:eq(${index}) td[name=${field}]`;

registry.category("web_tour.tours").add("duret_works_statement_tour", {
    test: true,
    steps: () => [
        {
            content: "Open a new statement from the contract",
            trigger: "button[name=action_new_statement]:contains('Nouvelle situation')",
        },
        {
            content: "Line 1.1 (lump sum): 20 % done",
            trigger: row(0, "cumulative_percent"),
        },
        {
            trigger: `${row(0, "cumulative_percent")} input`,
            run: "text 20",
        },
        {
            content: "Line 2.1: 400 m of cable",
            trigger: row(1, "cumulative_quantity"),
        },
        {
            trigger: `${row(1, "cumulative_quantity")} input`,
            run: "text 400",
        },
        {
            content: "Line 4.1: 300 m of cable trays",
            trigger: row(3, "cumulative_quantity"),
        },
        {
            trigger: `${row(3, "cumulative_quantity")} input`,
            run: "text 300",
        },
        {
            content: "Create the invoice",
            trigger: "button[name=action_create_invoice]:contains('Créer la facture')",
        },
        {
            content: "The net to pay is the hand-computed one",
            trigger: ".o_field_widget[name=net_to_pay]:contains('719,93')",
            isCheck: true,
        },
        {
            content: "Preview the statement",
            trigger: "button[name=action_preview]:contains('Aperçu')",
        },
        {
            content: "The statement is shown with its works summary and net to pay",
            trigger: "iframe table[name=works_summary] tr.fw-bold:contains('719,93')",
            isCheck: true,
        },
        {
            content: "Back to the statement",
            trigger: ".o_breadcrumb .breadcrumb-item:not(.active) a:contains('Situation n° 1')",
        },
        {
            content: "Send it to Chorus Pro",
            trigger: "button[name=action_send]:contains('Envoyer à Chorus Pro')",
        },
        {
            content: "The statement now waits for the project manager",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('En attente du valideur')",
            isCheck: true,
        },
    ],
});
