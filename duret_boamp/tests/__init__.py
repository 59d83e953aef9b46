from . import test_import
from . import test_follow_ups
from . import test_job
from . import test_digest
from . import test_access
from . import test_notice_parser
from . import test_relevance
from . import test_boamp_client
