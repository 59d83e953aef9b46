from . import params
from . import decp_contract
from . import decp_holder
from . import decp_sync
from . import crm_lead
from . import res_partner
from . import res_config_settings
