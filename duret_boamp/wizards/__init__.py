from . import boamp_not_relevant
