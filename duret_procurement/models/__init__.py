from . import duret_job
from . import duret_notify
from . import duret_siret
from . import procurement_setup_checklist
from . import procurement_morning_summary
from . import procurement_morning_summary_item
from . import res_users
