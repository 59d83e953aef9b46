/** @odoo-module **/
// The accountant's day with Chorus Pro (French user), clicked as in the browser:
// a suspended invoice completed, then seen paid after "update"; a rejected one sent again;
// the invoice list brought up to date with "Mettre à jour les statuts".
// Each screen is marked for the screenshot helper (duret_procurement/tests/screens.py).
import { registry } from "@web/core/registry";
import { screen } from "@duret_procurement/../tests/tours/screens";

registry.category("web_tour.tours").add("duret_chorus_complete_tour", {
    test: true,
    steps: () => [
        {
            content: "The buyer's reason is on the invoice, without opening the chatter",
            trigger: ".o_chorus_banner .o_chorus_reason:contains('Procès-verbal de réception manquant')",
            run: screen("facture-suspendue"),
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
            run: screen("fenetre-completer"),
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
            run: screen("facture-completee"),
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
            run: screen("facture-payee"),
        },
        {
            content: "Open the Chorus Pro tab",
            trigger: "a[name='chorus_pro']",
        },
        {
            content: "Every step Chorus reported is in the timeline, with its date",
            trigger: ".o_chorus_timeline tr.o_data_row:contains('Mise à disposition') td:contains('/')",
            run: screen("historique-chorus"),
        },
        {
            content: "… including the suspension and its reason",
            trigger: ".o_chorus_timeline tr.o_data_row:contains('Suspendue'):contains('Procès-verbal')",
            isCheck: true,
        },
        {
            content: "Dates are shown to the minute, as the users write them (no seconds)",
            trigger: ".o_chorus_timeline tr.o_data_row:contains('Suspendue') td[name='date']",
            run() {
                const text = this.$anchor.text().trim();
                if (!/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/.test(text)) {
                    throw new Error(`Date not to the minute: "${text}"`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("duret_chorus_resend_tour", {
    test: true,
    steps: () => [
        {
            content: "The rejection and its reason are on the invoice",
            trigger: ".o_chorus_banner:contains('Rejetée'):contains('Montant non conforme')",
            run: screen("facture-rejetee"),
        },
        {
            content: "Send the corrected invoice again",
            trigger: "button.o_chorus_send",
        },
        {
            content: "The sending dialog",
            trigger: "button.o_chorus_confirm_send",
            run: screen("fenetre-envoi"),
        },
        {
            content: "Confirm",
            trigger: "button.o_chorus_confirm_send",
        },
        {
            content: "Deposited again",
            trigger: ".o_chorus_banner .o_chorus_state:contains('Envoyée (flux déposé)')",
            run: screen("facture-renvoyee"),
        },
    ],
});

registry.category("web_tour.tours").add("duret_chorus_update_list_tour", {
    test: true,
    steps: () => [
        {
            content: "The Chorus Pro invoice list shows the last known status",
            trigger: ".o_list_view .o_data_row td[name='chorus_status_label']:contains('Mise à disposition')",
            run: screen("liste-avant-mise-a-jour"),
        },
        {
            content: "Open the Chorus Pro menu",
            trigger: ".o_menu_sections [data-menu-xmlid='duret_chorus.menu_chorus']",
        },
        {
            content: "Mettre à jour les statuts",
            trigger: ".dropdown-item[data-menu-xmlid='duret_chorus.menu_chorus_poll_now']:contains('Mettre à jour les statuts')",
        },
        {
            content: "The update is confirmed",
            trigger: ".o_notification:contains('Chorus Pro')",
            isCheck: true,
        },
        {
            content: "The list shows the new status at once, on the same screen",
            trigger: ".o_list_view .o_data_row td[name='chorus_status_label']:contains('Suspendue')",
            run: screen("liste-apres-mise-a-jour"),
        },
    ],
});
