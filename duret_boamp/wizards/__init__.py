from . import boamp_not_relevant
from . import boamp_decision
from . import boamp_watch_feedback
