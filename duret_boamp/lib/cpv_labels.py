"""Labels of the CPV codes and families the default watch scores on (CPV 2008, Reg. 213/2008).

Keys are 8-digit codes or family prefixes; :func:`cpv_label` returns the label of the
longest known prefix of a code, so that a reason reads "CPV 45316110 public lighting".
"""


def translatable(term):
    """Mark an English term for translation and return it unchanged.

    Odoo's translation export collects the ``_lt("…")`` calls of every Python file of the
    addon, so the terms of this plain library land in ``i18n/fr.po``; whoever shows them
    translates them (``format_reason(reason, translate=…)``): no Odoo import here.
    """
    return term


_lt = translatable

CPV_LABELS = {
    # electrical works
    "4531": _lt("electrical installation work"),
    "45310000": _lt("electrical installation work"),
    "45311000": _lt("electrical wiring and fitting work"),
    "45311100": _lt("electrical wiring work"),
    "45311200": _lt("electrical fitting work"),
    "45312000": _lt("alarm system and antenna installation work"),
    "45312100": _lt("fire-alarm system installation work"),
    "45312200": _lt("burglar-alarm system installation work"),
    "45314000": _lt("installation of telecommunications equipment"),
    "45315000": _lt("electrical heating and other electrical building-equipment"),
    "45315100": _lt("electrical engineering installation works"),
    "45315300": _lt("electricity supply installations"),
    "45315600": _lt("low-voltage installation work"),
    "45315700": _lt("switching station installation work"),
    "45317000": _lt("other electrical installation work"),
    "45317200": _lt("electrical installation work of transformers"),
    "45317300": _lt("electrical installation work of electrical distribution apparatus"),
    "45231400": _lt("construction work for electricity power lines"),
    "45232200": _lt("ancillary works for electricity power lines"),
    # lighting
    "45316000": _lt("installation work of illumination and signalling systems"),
    "45316100": _lt("installation of outdoor illumination equipment"),
    "45316110": _lt("installation of road lighting equipment"),
    "45316200": _lt("installation of signalling equipment"),
    "45316212": _lt("installation of traffic lights"),
    "3152": _lt("lamps and light fittings"),
    "31500000": _lt("lighting equipment and electric lamps"),
    "31520000": _lt("lamps and light fittings"),
    "31527200": _lt("exterior lighting"),
    "31527260": _lt("lighting systems"),
    "349285": _lt("street-lighting equipment"),
    "34928500": _lt("street-lighting equipment"),
    "34928510": _lt("street-lighting columns"),
    "34993000": _lt("road lights"),
    "5023": _lt("repair and maintenance of street lighting and traffic signals"),
    "50232000": _lt("maintenance services of public-lighting installations"),
    "50232100": _lt("street-lighting maintenance services"),
    "50232110": _lt("commissioning of public lighting installations"),
    # photovoltaics
    "0933": _lt("solar energy equipment"),
    "09331000": _lt("solar panels"),
    "09331200": _lt("solar photovoltaic modules"),
    "09332000": _lt("solar installation"),
    "31712331": _lt("photovoltaic cells"),
    "45261215": _lt("solar panel roof-covering work"),
    "45251100": _lt("construction work for power plant"),
    # energy supply (excluded by default)
    "0930": _lt("electricity, heating, solar and nuclear energy"),
    "09300000": _lt("electricity, heating, solar and nuclear energy"),
    "0931": _lt("electricity"),
    "09310000": _lt("electricity"),
    "0912": _lt("gaseous fuels"),
    "09123000": _lt("natural gas"),
    "65300000": _lt("electricity distribution and related services"),
    "6531": _lt("electricity distribution"),
    "65310000": _lt("electricity distribution"),
}


def cpv_label(code):
    """The (English) label of the longest known prefix of ``code``, or ``None``."""
    for length in range(len(code), 3, -1):
        label = CPV_LABELS.get(code[:length])
        if label is not None:
            return label
    return None
