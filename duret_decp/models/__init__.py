from . import params
from . import decp_contract
from . import decp_holder
from . import decp_contract_summary
from . import decp_holder_summary
from . import decp_sync
from . import crm_lead
from . import res_config_settings
