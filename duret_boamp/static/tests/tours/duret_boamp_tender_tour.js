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

function screen(name) {
    return async () => {
        console.log(`duret-screen:${name}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
    };
}

// The sales director's pipeline, in French: the tender stages, the countdown on the cards,
// and "Non pertinent" in one click from a card.
registry.category("web_tour.tours").add("duret_boamp_pipeline_tour", {
    test: true,
    url: "/web",
    steps: () => [
        {
            content: "Ouvrir le menu des applications",
            trigger: ".o_navbar_apps_menu button",
        },
        {
            content: "Ouvrir Marchés publics",
            trigger: '.o_app[data-menu-xmlid="duret_procurement.menu_root"]',
        },
        {
            content: "Ouvrir le menu Appels d'offres",
            trigger: '.o_main_navbar [data-menu-xmlid="duret_boamp.menu_tenders"]',
        },
        {
            content: "Ouvrir le pipeline des appels d'offres",
            trigger: '.dropdown-item[data-menu-xmlid="duret_boamp.menu_tender_pipeline"]',
        },
        {
            content: "Les colonnes sont les étapes d'un appel d'offres",
            trigger: '.o_kanban_group .o_column_title:contains("À qualifier")',
            isCheck: true,
        },
        {
            content: "La carte montre le compte à rebours en couleur, l'acheteur et le montant",
            trigger: '.o_kanban_record:contains("Éclairage du stade") .o_boamp_kanban_deadline .text-bg-danger:contains("J-2")',
            run: screen("pipeline"),
        },
        {
            content: "Ouvrir le menu de la carte à écarter",
            trigger: '.o_kanban_record:contains("fourniture de mobilier") .o_dropdown_kanban .dropdown-toggle',
        },
        {
            content: "Non pertinent, depuis la carte",
            trigger: '.dropdown-menu .o_boamp_kanban_not_relevant:contains("Non pertinent")',
        },
        {
            content: "Donner la raison",
            trigger: '.modal-body .o_field_widget[name="reason"] textarea',
            run: "text Fourniture seule, pas de lot électricité",
        },
        {
            content: "La fenêtre Non pertinent",
            trigger: '.modal-footer button[name="action_confirm"]',
            run: screen("non-pertinent-depuis-la-carte"),
        },
        {
            content: "Confirmer",
            trigger: '.modal-footer button[name="action_confirm"]',
        },
        {
            content: "La carte a quitté le pipeline, l'autre reste",
            trigger: '.o_kanban_view:not(:has(.o_kanban_record:contains("fourniture de mobilier"))) .o_kanban_record:contains("Éclairage du stade")',
            run: screen("pipeline-apres"),
        },
    ],
});

// The digest's "Non pertinent" link: it opens the dialog (never acts on its own), the
// director confirms, and lands on the lead.
registry.category("web_tour.tours").add("duret_boamp_digest_not_relevant_tour", {
    test: true,
    steps: () => [
        {
            content: "Le lien de la synthèse ouvre la fenêtre, sur la bonne piste",
            trigger: '.o_form_view .o_field_widget[name="lead_ids"]:contains("fourniture de mobilier")',
            run: screen("lien-non-pertinent"),
        },
        {
            content: "Donner la raison",
            trigger: '.o_form_view .o_field_widget[name="reason"] textarea',
            run: "text Fourniture seule, pas de lot électricité",
        },
        {
            content: "Confirmer",
            trigger: '.o_form_view .o_form_statusbar button[name="action_confirm"]',
        },
        {
            content: "La piste s'affiche, archivée avec sa raison dans le fil",
            trigger: '.o_form_view .o-mail-Message:contains("Marquée comme non pertinente")',
            run: screen("piste-ecartee"),
        },
    ],
});
