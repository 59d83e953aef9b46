"""Recherche d'entreprises client: open company search, no account, at most 7 requests/s.

The throttle is shared by every client of the process (the limit is per IP),
and a 429 is honoured with its ``Retry-After`` once before giving up.
"""

import threading
from urllib.parse import urljoin

from .api_entreprise import error_from_response
from .errors import ProviderError, RateLimitError
from .http import HttpClient

BASE_URL = "https://recherche-entreprises.api.gouv.fr"
MAX_RATE = 7  # requests per second per IP


class RechercheEntreprisesClient(HttpClient):
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
        return self._retrying(lambda: self._get(url, params))

    def _get(self, url, params, honour_429=True):
        self._throttle()
        response = self._send("GET", url, params=params, headers={"Accept": "application/json"})
        if response.status_code == 200:
            try:
                return response.json()
            except ValueError as exc:
                raise ProviderError(
                    "unreadable JSON from Recherche d'entreprises", status=502
                ) from exc
        error = error_from_response(response)
        short_wait = (error.retry_in or 1) <= self.max_wait
        if isinstance(error, RateLimitError) and honour_429 and short_wait:
            self.sleep(error.retry_in or 1)
            return self._get(url, params, honour_429=False)
        raise error

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
