from . import late_payment_receive_wizard
