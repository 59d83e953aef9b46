/** @odoo-module **/
// The accountant opens a posted invoice, sends it to Chorus Pro and sees its Chorus state.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("duret_chorus_send_tour", {
    test: true,
    steps: () => [
        {
            content: "The invoice is posted and not sent yet",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Posted')",
            isCheck: true,
        },
        {
            content: "Send it to Chorus Pro",
            trigger: "button.o_chorus_send",
        },
        {
            content: "Confirm in the dialog",
            trigger: ".modal button.o_chorus_confirm_send",
        },
        {
            content: "The Chorus state is shown on the invoice",
            trigger: ".o_chorus_banner .o_chorus_state:contains('Sent (flow deposited)'), .o_chorus_banner .o_chorus_state:contains('Envoyée (flux déposé)')",
            isCheck: true,
        },
    ],
});
