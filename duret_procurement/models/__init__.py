from . import duret_job
from . import duret_notify
from . import duret_siret
from . import procurement_setup_checklist
