from . import test_lead_habit
