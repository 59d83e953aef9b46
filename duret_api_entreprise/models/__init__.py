from . import compliance_document_type
from . import res_company
from . import res_config_settings
from . import compliance_api_call
from . import compliance_document
from . import compliance_remote
from . import res_partner
from . import crm_lead
