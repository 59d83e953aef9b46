/** @odoo-module **/
// The accountant (a French user) opens a posted invoice, sends it to Chorus Pro and sees its Chorus state.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_chorus_send_tour", {
    test: true,
    steps: () => [
        {
            content: "The invoice is not sent yet: no Chorus banner",
            trigger: ".o_form_view:not(:has(.o_chorus_banner:visible)) button.o_chorus_send",
            isCheck: true,
        },
        {
            content: "Send it to Chorus Pro",
            trigger: "button.o_chorus_send",
        },
        {
            content: "Confirm in the dialog",
            trigger: "button.o_chorus_confirm_send",
        },
        {
            content: "The Chorus state is shown on the invoice",
            trigger: ".o_chorus_banner .o_chorus_state:contains('Envoyée (flux déposé)')",
            isCheck: true,
        },
    ],
});
