from . import test_chorus_client
from . import test_chorus_e2e
from . import test_facturx
