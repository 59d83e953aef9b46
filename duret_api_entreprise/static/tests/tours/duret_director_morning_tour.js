/** @odoo-module **/
// The sales director's morning, in French: the digest's link opens the tender lead, she
// decides "Go" with its reason, converts the lead into an opportunity (it keeps its company)
// and opens the "Dossier administratif" (it used to crash on the lead's default_type).
// Each screen is marked for the screenshot helper (duret_procurement/tests/screens.py).
import { registry } from "@web/core/registry";

function screen(name) {
    return async () => {
        console.log(`duret-screen:${name}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
    };
}

registry.category("web_tour.tours").add("duret_director_morning_tour", {
    test: true,
    steps: () => [
        {
            content: "Le lien de la synthèse ouvre la piste, avec sa date limite",
            trigger: '.o_form_view .o_boamp_form_deadline .badge:contains("/")',
            run: screen("piste-depuis-la-synthese"),
        },
        {
            content: "Décider : Go",
            trigger: '.o_form_statusbar button[name="action_tender_go"]:contains("Go")',
        },
        {
            content: "Donner le motif",
            trigger: '.modal-body .o_field_widget[name="reason"] textarea',
            run: "text Notre cœur de métier : éclairage public, acheteur connu",
        },
        {
            content: "La fenêtre de décision",
            trigger: '.modal-title:contains("Go : nous répondons")',
            run: screen("decision-go"),
        },
        {
            content: "Enregistrer la décision",
            trigger: '.modal-footer button[name="action_confirm"]:contains("Enregistrer la décision")',
        },
        {
            content: "La décision est affichée et gardée dans le fil",
            trigger: '.o_form_view:not(:has(.modal)) .o-mail-Message:contains("Décision : Go")',
            run: screen("decision-enregistree"),
        },
        {
            content: "Convertir en opportunité",
            trigger: '.o_form_statusbar button:contains("Convertir en opportunité")',
        },
        {
            content: "Confier l'opportunité à l'équipe Ventes (une équipe sans société, comme celle d'Odoo)",
            trigger: '.modal-body .o_field_widget[name="team_id"] input',
            run: "text Ventes",
        },
        {
            content: "Choisir l'équipe Ventes",
            trigger: '.o-autocomplete--dropdown-menu .dropdown-item:contains("Ventes")',
        },
        {
            content: "La fenêtre de conversion",
            trigger: '.modal-footer button[name="action_apply"]',
            run: screen("conversion"),
        },
        {
            content: "Créer l'opportunité",
            trigger: '.modal-footer button[name="action_apply"]',
        },
        {
            content: "C'est une opportunité, toujours dans l'étape « En préparation »",
            trigger: '.o_form_view:not(:has(.modal)) .o_statusbar_status:contains("En préparation")',
            run: screen("opportunite"),
        },
        {
            content: "Ouvrir le dossier administratif",
            trigger: '.o_form_statusbar button[name="action_compliance_tender_file"]:contains("Dossier administratif")',
        },
        {
            content: "Le contrôle signale le document qui aura expiré",
            trigger: '.modal-body .alert-danger:contains("URSSAF tournée du matin")',
            run: screen("dossier-administratif"),
        },
        {
            content: "Fermer",
            trigger: ".modal-footer button.btn-secondary",
        },
        {
            content: "Retour à l'opportunité, sans erreur",
            trigger: '.o_form_view:not(:has(.modal)) .o_statusbar_status:contains("En préparation")',
            isCheck: true,
        },
    ],
});
