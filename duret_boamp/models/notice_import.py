"""Former home of the notice importer, which is no model: it lives in ``services/``.

Kept only for duret_api_entreprise's morning tour, which imports it from here (an ImportError
there breaks the suite's install): remove once that tour imports ``services.notice_import``.
"""

from ..services.notice_import import NoticeImporter

__all__ = ["NoticeImporter"]
