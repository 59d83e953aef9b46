from . import compliance_document_type
from . import res_company
from . import res_config_settings
from . import api_entreprise_call
from . import compliance_document
from . import compliance_service
from . import res_partner
from . import crm_lead
