from . import test_statement_lib
from . import test_works_e2e
from . import test_tour
from . import test_schedule_import
from . import test_works_client
