from . import chorus_token
from . import res_company
from . import res_config_settings
from . import chorus_service
from . import res_partner
from . import account_move
from . import chorus_poll_run
from . import procurement_setup_checklist
