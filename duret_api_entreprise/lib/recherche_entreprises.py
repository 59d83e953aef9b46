"""Recherche d'entreprises client: open company search, no account, at most 7 requests/s.

The throttle is shared by every client of the process (the limit is per IP); a
429 is waited out by the shared HTTP layer when its ``Retry-After`` is short.
"""

import threading
from urllib.parse import urljoin

from .http import RegisterClient

BASE_URL = "https://recherche-entreprises.api.gouv.fr"
MAX_RATE = 7  # requests per second per IP


class RechercheEntreprisesClient(RegisterClient):
    service = "Recherche d'entreprises"
    _throttle_lock = threading.Lock()
    _last_call = [0.0]

    def _throttle(self):
        with self._throttle_lock:
            wait = self._last_call[0] + 1.0 / MAX_RATE - self.clock()
            if wait > 0:
                self.sleep(wait)
            self._last_call[0] = self.clock()

    def search(self, query, **params):
        """The raw ``/search`` answer for ``q=query`` plus optional filters."""
        params = {"q": query, "per_page": 10, **params}
        url = urljoin(self.base_url + "/", "search")
        self._throttle()
        return self.get_json(url, params=params, headers={"Accept": "application/json"})

    def find_siret(self, siret):
        """The search result holding establishment ``siret``, or None."""
        answer = self.search(siret)
        for result in answer.get("results") or []:
            if establishment_of(result, siret):
                return result
        return None


def establishment_of(result, siret):
    """The establishment dict of ``result`` whose SIRET is ``siret`` (head office first)."""
    siege = result.get("siege") or {}
    if siege.get("siret") == siret:
        return siege
    for etab in result.get("matching_etablissements") or []:
        if etab.get("siret") == siret:
            return etab
    return None
