from . import works_schedule_import
