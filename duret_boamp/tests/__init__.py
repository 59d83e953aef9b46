from . import test_import
from . import test_follow_ups
from . import test_job
from . import test_digest
from . import test_access
