from . import boamp_watch
from . import boamp_run
from . import boamp_notice
from . import crm_lead
from . import res_company
from . import res_config_settings
from . import boamp_job
from . import boamp_digest
