from . import test_chorus_client
from . import test_chorus_e2e
from . import test_facturx
from . import test_chorus_checks
from . import test_tour
from . import test_facturx_content
from . import test_facturx_rules
from . import test_fiscal_position
