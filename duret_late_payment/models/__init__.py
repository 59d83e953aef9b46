from . import late_payment_rate
from . import res_partner
from . import account_move
from . import late_payment_claim
from . import late_payment_claim_line
from . import procurement_morning_summary
