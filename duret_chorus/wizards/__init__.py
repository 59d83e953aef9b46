from . import chorus_send_wizard
