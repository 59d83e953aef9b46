"""Answer shapes other Chorus Pro clients have recorded, replayed on demand.

``POST /_sandbox/chorus/shape`` ``{"route": "<operation path>", "shape": "<name>",
"count"?: 1, "status"?: <HTTP status>, "libelle"?: "..."}`` makes the next
``count`` answers of that operation take the shape. Shapes (issue 9 point 7,
repository ``docs/chorus-answers.md``; recorded by other clients, not in the
AIFE specification, so the exact bodies are inferred from their descriptions):

* ``no_flow_number``: the deposit happens but the HTTP 200 answer has neither
  ``numeroFluxDepot`` nor ``codeRetour``;
* ``retour_fonctionnel`` / ``retour_fonctionnel_pascal``: the error envelope
  ``{"retourFonctionnel": {"codeRetourFonctionnel", "libelleRetourFonctionnel"}}``
  (or PascalCase keys), on HTTP 200 unless ``status`` says otherwise; the call
  does nothing (it is refused);
* ``item_without_id``: the first ``listeFactures`` item lacks ``identifiantFactureCPP``;
* ``single_object``: a one-result list (``listeStructures``, ``listeFactures``…)
  sent as the object itself.
"""

import threading

SHAPES = (
    "no_flow_number",
    "retour_fonctionnel",
    "retour_fonctionnel_pascal",
    "item_without_id",
    "single_object",
)
#: shapes that refuse the call: the operation is not performed
REFUSALS = ("retour_fonctionnel", "retour_fonctionnel_pascal")
DEFAULT_LIBELLE = "Le fournisseur n'est pas habilité sur cette structure"
DEFAULT_CODE = 20002
LISTS = ("listeFactures", "listeStructures", "listeServices", "listeEngagementJuridique")


class ShapeQueue:
    """Pending shapes per operation path, taken in order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = []

    def reset(self):
        with self.lock:
            self.pending.clear()

    def add(self, spec):
        shape = spec.get("shape")
        if shape not in SHAPES:
            raise ValueError(f"unknown shape {shape!r}, expected one of {SHAPES}")
        route = str(spec.get("route") or "").strip("/")
        if not route:
            raise ValueError("route is required")
        with self.lock:
            self.pending.append(
                {
                    "route": route,
                    "shape": shape,
                    "count": int(spec.get("count", 1)),
                    "status": spec.get("status"),
                    "libelle": spec.get("libelle") or DEFAULT_LIBELLE,
                }
            )
        return len(self.pending)

    def take(self, path):
        with self.lock:
            for item in self.pending:
                if item["route"] == path and item["count"] > 0:
                    item["count"] -= 1
                    if not item["count"]:
                        self.pending.remove(item)
                    return item
        return None


def refusal(item):
    """``(body, status)`` of a refused call in the ``retourFonctionnel`` envelope."""
    body = {
        "retourFonctionnel": {
            "codeRetourFonctionnel": DEFAULT_CODE,
            "libelleRetourFonctionnel": item["libelle"],
        }
    }
    if item["shape"] == "retour_fonctionnel_pascal":
        body = {
            "RetourFonctionnel": {
                "CodeRetourFonctionnel": DEFAULT_CODE,
                "LibelleRetourFonctionnel": item["libelle"],
            }
        }
    return body, int(item["status"] or 200)


def reshape(item, body):
    """The success ``body`` in the recorded shape."""
    body = dict(body)
    if item["shape"] == "no_flow_number":
        for key in ("numeroFluxDepot", "codeRetour", "libelle"):
            body.pop(key, None)
    elif item["shape"] == "item_without_id" and body.get("listeFactures"):
        first = dict(body["listeFactures"][0])
        first.pop("identifiantFactureCPP", None)
        body["listeFactures"] = [first, *body["listeFactures"][1:]]
    elif item["shape"] == "single_object":
        for key in LISTS:
            if isinstance(body.get(key), list) and len(body[key]) == 1:
                body[key] = body[key][0]
    return body, int(item["status"] or 200)
