"""ADEME RGE open data (data-fair): the contractor's own RGE certificates, no account.

The dataset pages with a cursor: the ``next`` link carries an ``after`` value.
Only that value is reused, on our own base URL, so a mirror or the sandbox
works the same as production.
"""

from urllib.parse import parse_qs, urlsplit

from .errors import PayloadError
from .http import RegisterClient

BASE_URL = "https://data.ademe.fr"
DATASET = "liste-des-entreprises-rge-2"
PAGE_SIZE = 50
MAX_PAGES = 20


class AdemeRgeClient(RegisterClient):
    service = "ADEME"

    def lines(self, siret, dataset=DATASET, size=PAGE_SIZE, max_pages=MAX_PAGES):
        """Every line for ``siret`` (a SIREN followed by ``*`` covers the whole company)."""
        url = f"{self.base_url}/data-fair/api/v1/datasets/{dataset}/lines"
        params = {"qs": f"siret:{siret}", "size": size}
        rows = []
        for _page in range(max_pages):
            answer = self.get_json(url, params=dict(params), headers={"Accept": "application/json"})
            rows.extend(answer.get("results") or [])
            after = _after_cursor(answer.get("next"))
            if not after or not answer.get("results"):
                return rows
            params["after"] = after
        raise PayloadError(f"ADEME RGE: more than {max_pages} pages for {siret}")


def _after_cursor(next_url):
    if not next_url:
        return None
    values = parse_qs(urlsplit(next_url).query).get("after")
    return values[0] if values else None
