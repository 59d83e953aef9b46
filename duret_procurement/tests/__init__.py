from . import test_install
from . import test_http
from . import test_tools
from . import test_tour
from . import test_french_catalogue
from . import test_morning_summary
