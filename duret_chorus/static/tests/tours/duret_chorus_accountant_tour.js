/** @odoo-module **/
// The accountant's day with Chorus Pro (French user), clicked as in the browser:
// a suspended invoice completed, then seen paid after "update"; a rejected one sent again.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_chorus_complete_tour", {
    test: true,
    steps: () => [
        {
            content: "The buyer's reason is on the invoice, without opening the chatter",
            trigger: ".o_chorus_banner .o_chorus_reason:contains('Procès-verbal de réception manquant')",
            isCheck: true,
        },
        {
            content: "The invoice is suspended",
            trigger: ".o_chorus_banner .o_chorus_status:contains('Suspendue')",
            isCheck: true,
        },
        {
            content: "Complete it",
            trigger: "button.o_chorus_complete",
        },
        {
            content: "The dialog repeats the buyer's reason",
            trigger: ".modal-body div[name='reason']:contains('Procès-verbal de réception manquant')",
            isCheck: true,
        },
        {
            content: "Answer the buyer",
            trigger: ".o_chorus_complete_comment textarea",
            run: "text PV de réception signé envoyé par courrier le 12 mars",
        },
        {
            content: "Send the answer to Chorus Pro",
            trigger: "button.o_chorus_confirm_complete:contains('Compléter dans Chorus Pro')",
        },
        {
            content: "Chorus Pro says it is completed",
            trigger: ".o_chorus_banner .o_chorus_status:contains('Complétée')",
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("duret_chorus_paid_tour", {
    test: true,
    steps: () => [
        {
            content: "Still completed before the update",
            trigger: ".o_chorus_banner .o_chorus_status:contains('Complétée')",
        },
        {
            content: "Update the Chorus status",
            trigger: "button[name='action_chorus_update']",
        },
        {
            content: "The payment is shown at once",
            trigger: ".o_chorus_banner .o_chorus_status:contains('Mise en paiement')",
        },
        {
            content: "Open the Chorus Pro tab",
            trigger: "a[name='chorus_pro']",
        },
        {
            content: "Every step Chorus reported is in the timeline, with its date",
            trigger: ".o_chorus_timeline tr.o_data_row:contains('Mise à disposition') td:contains('/')",
            isCheck: true,
        },
        {
            content: "… including the suspension and its reason",
            trigger: ".o_chorus_timeline tr.o_data_row:contains('Suspendue'):contains('Procès-verbal')",
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("duret_chorus_resend_tour", {
    test: true,
    steps: () => [
        {
            content: "The rejection and its reason are on the invoice",
            trigger: ".o_chorus_banner:contains('Rejetée'):contains('Montant non conforme')",
            isCheck: true,
        },
        {
            content: "Send the corrected invoice again",
            trigger: "button.o_chorus_send",
        },
        {
            content: "Confirm",
            trigger: "button.o_chorus_confirm_send",
        },
        {
            content: "Deposited again",
            trigger: ".o_chorus_banner .o_chorus_state:contains('Envoyée (flux déposé)')",
            isCheck: true,
        },
    ],
});
