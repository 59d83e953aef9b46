from . import test_ledger_rules
from . import test_ledger
from . import test_tour
from . import test_ledger_e2e
from . import test_morning_summary
