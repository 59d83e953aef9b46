from . import works_contract
from . import works_contract_line
from . import works_statement
from . import works_statement_line
from . import account_move
from . import crm_lead
