from . import test_chorus_client
from . import test_chorus_e2e
from . import test_facturx
from . import test_chorus_checks
from . import test_tour
from . import test_chorus_status_history
from . import test_chorus_answer_shapes
