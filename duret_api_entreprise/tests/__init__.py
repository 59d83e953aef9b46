from . import test_parsers
from . import test_client_errors
from . import test_siret
from . import test_documents
from . import test_tender_file
from . import test_partner
from . import test_sandbox
from . import test_tour
