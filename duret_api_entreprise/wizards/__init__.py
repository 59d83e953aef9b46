from . import partner_verification_wizard
from . import tender_file_wizard
