from . import test_statement_lib
