from . import test_decp_e2e
from . import test_decp_access
from . import test_decp_awards
from . import test_decp_partner_link
from . import test_decp_tour
from . import test_decp_summary
